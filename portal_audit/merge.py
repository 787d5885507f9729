"""python -m portal_audit.merge OUT RESULTS...: the results.json files of several runs (the shards
of a national run, --shard K/N on N machines) merged into one results.json at OUT, with the summary,
the rankings, the Excel workbook (next to OUT) and, with --alluredir, the Allure summary results
that a single run over the same portals would have made: the records are merged by
portal_audit.records.combine and everything else is made from them by the audit's own code
(portal_audit.render.summary_outputs).

The inventory, the EMC export and the audit configuration are the ones the runs recorded in their
results, unless given here. Each input is checked against its manifest (results.manifest.json beside
it) and the Allure folder against theirs: a file changed after its run is refused. Inputs of
different rounds (period, settings, profile, criteria, inventory) are refused. The merged output
gets its own manifest. Exit status: 0 merged and complete, 1 merged but incomplete (a shard
missing or interrupted: the lines say what is missing), 2 inputs that do not fit, a file that does
not match its manifest, or a bad option, in one line naming the file."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from portal_audit.command import Parser, UsageError, run_command
from portal_audit.inventory import Inventory, load_inventory
from portal_audit.records.combine import Merged, MergeError, ResultsFile, merge_results, read_results
from portal_audit.records.manifest import ALLURE, ManifestError, check_runs, unchecked_warning, write_manifest
from portal_audit.records.reader import ResultsError
from portal_audit.records.results import Provenance, results_document, write_results
from portal_audit.render.allure_results import remove_summary_results
from portal_audit.render.summary_outputs import TERMINAL_TITLE, SummaryOutputs
from portal_audit.settings import ArtifactSettings, Settings, load_settings
from portal_audit.settings.digest import settings_digest
from portal_audit.summary import EmcDataError, TrafficData, load_traffic_data
from portal_audit.yamlio import SourceError

PROG = "python -m portal_audit.merge"


def add_recorded_inputs(parser: argparse.ArgumentParser) -> None:
    """The inputs a run recorded in its results, which a command reading them may replace."""
    parser.add_argument("--inventory", type=Path, metavar="FILE",
                        help="danh mục cổng (mặc định: danh mục ghi trong kết quả)")
    parser.add_argument("--emc-data", type=Path, metavar="FILE",
                        help="số liệu lượt truy cập EMC (mặc định: tệp ghi trong kết quả, nếu có)")
    parser.add_argument("--audit-config", type=Path, metavar="FILE",
                        help="tệp cấu hình (mặc định: tệp ghi trong kết quả, nếu có)")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = Parser(prog=PROG, example="portal-audit merge national/results.json shard-*/results.json --alluredir allure-results",
                    description="Gộp kết quả (results.json) của nhiều lần đánh giá, ví dụ các phần "
                                           "--shard K/N chạy trên N máy, thành kết quả của một lần đánh giá.")
    parser.add_argument("out", type=Path, metavar="OUT", help="tệp results.json gộp (tệp Excel ghi cạnh nó)")
    parser.add_argument("results", type=Path, nargs="+", metavar="RESULTS", help="các tệp results.json cần gộp")
    add_recorded_inputs(parser)
    parser.add_argument("--alluredir", type=Path, metavar="DIR",
                        help="thư mục kết quả Allure đã chép chung của các lần chạy: thay phần tổng hợp bằng phần "
                             "tổng hợp của kết quả gộp")
    return parser.parse_args(argv)


def _recorded(files: Sequence[ResultsFile], value: Callable[[ResultsFile], str | None], what: str,
              option: str) -> Path | None:
    """The file the runs recorded (`what`), the same in every input; None when none recorded one."""
    given = [(f, value(f)) for f in files if value(f)]
    if not given:
        return None
    first, path = given[0]
    for other, other_path in given[1:]:
        if other_path != path:
            raise UsageError(f"{other.path}: {what} '{other_path}' khác với '{path}' trong {first.path}; "
                             f"chỉ định {option}")
    assert path is not None
    if not Path(path).exists():
        raise UsageError(f"{first.path}: {what} '{path}' không tồn tại ở máy này; chỉ định {option}")
    return Path(path)


def _inventory(files: Sequence[ResultsFile], given: Path | None) -> Inventory:
    # The runs may have recorded different absolute paths (other machines); the digest decides.
    candidates = [given] if given else [Path(p) for p in dict.fromkeys(f.inventory for f in files) if p]
    path = next((p for p in candidates if p.exists()), None)
    if path is None:
        raise UsageError(f"{files[0].path}: danh mục '{files[0].inventory}' không tồn tại ở máy này; "
                         "chỉ định --inventory")
    try:
        return load_inventory(path.resolve())
    except SourceError as err:
        raise UsageError(str(err)) from None


@dataclass
class Inputs:
    """What the merge reads, checked to fit together."""

    files: list[ResultsFile]
    inventory: Inventory
    settings: Settings
    settings_digest: str
    audit_config: Path | None
    data: TrafficData | None
    unchecked: list[Path]  # inputs without a manifest
    merged: Merged
    limits: ArtifactSettings  # the operator's bounds on what is read back


def _settings(files: Sequence[ResultsFile], given: Path | None) -> tuple[Settings, str, Path | None]:
    """The settings the runs recorded (or --audit-config): the summary, the workbook and the labels
    are made with them, so they must be the ones the runs judged with."""
    audit_config = given or _recorded(files, lambda f: f.audit_config, "tệp cấu hình", "--audit-config")
    settings = load_settings(audit_config)
    digest = settings_digest(settings)
    used = next((f for f in files if f.settings_digest), None)
    if used is not None and used.settings_digest != digest:
        raise UsageError(f"{audit_config or 'cấu hình mặc định'}: cấu hình dùng để gộp khác với cấu hình "
                         f"{used.path} đã dùng khi đánh giá; chỉ định --audit-config đúng tệp đã dùng")
    return settings, digest, audit_config


def read_inputs(args: argparse.Namespace) -> Inputs:
    try:
        # The limits on what is read back are the operator's (--audit-config or the defaults), never a
        # configuration an artifact names.
        limits = load_settings(args.audit_config).artifacts
        files = [read_results(path, limits.results_max_bytes) for path in args.results]
        unchecked = check_runs([(f.path, f.document) for f in files if f.document is not None], args.alluredir)
        inventory = _inventory(files, args.inventory)
        merged = merge_results(files, inventory)  # before the settings: parts of different rounds are said so
        settings, digest, audit_config = _settings(files, args.audit_config)
        emc = args.emc_data or _recorded(files, lambda f: f.emc_file, "dữ liệu EMC", "--emc-data")
        data = load_traffic_data(emc, settings.emc_data) if emc else None
    except (MergeError, ResultsError, ManifestError, SourceError, EmcDataError) as err:
        raise UsageError(str(err)) from None
    return Inputs(files, inventory, settings, digest, audit_config, data, unchecked, merged, limits)


def write_merged(args: argparse.Namespace, inputs: Inputs, merged: Merged, started_ms: int) -> SummaryOutputs:
    """results.json, the workbook, the Allure summary and, last, the merged output's own manifest."""
    files, inventory = inputs.files, inputs.inventory
    if args.alluredir is not None:
        remove_summary_results(args.alluredir, inputs.limits.allure_result_max_bytes)  # the runs' own summaries, each of a part only
    outputs = SummaryOutputs(inventory, inputs.settings, inputs.data, args.out, args.alluredir, started_ms)
    provenance = Provenance(inventory.digest(), str(inputs.audit_config) if inputs.audit_config else None,
                            merged.portals, None, inputs.settings_digest)
    # The round the parts were run for: every part of one national run has the same period.
    evaluation = next((f.evaluation for f in files if f.evaluation), None)
    fields = {**({"evaluation": evaluation} if evaluation else {}), **outputs.results_fields(merged.records)}
    audited = next((f.audited for f in files if f.audited), None)
    write_results(args.out, results_document(merged.records, inventory.path, merged.complete, fields, provenance,
                                             audited))
    outputs.finish(merged.records, [
        ("Đánh giá hoàn tất", "có" if merged.complete else "không (thiếu kết quả: " + "; ".join(merged.missing) + ")"),
        ("Gộp từ", ", ".join(str(path) for path in args.results))])
    try:
        write_manifest(args.out, [Path(p) for p in outputs.written],
                       {ALLURE: args.alluredir} if args.alluredir is not None else {})
    except (OSError, ResultsError) as err:
        outputs.errors.append(f"không ghi được bản kê kiểm chứng: {err}")
    return outputs


def run(argv: Sequence[str] | None) -> int:
    args = parse_args(argv)
    started_ms = int(time.time() * 1000)
    inputs = read_inputs(args)
    merged = inputs.merged
    outputs = write_merged(args, inputs, merged, started_ms)
    print(f"{TERMINAL_TITLE}")
    for line in outputs.report_lines():
        print(line)
    for error in outputs.errors:
        print(f"portal-audit: LỖI: {error}", file=sys.stderr)
    for path in inputs.unchecked:
        print(f"portal-audit: CẢNH BÁO: {unchecked_warning(path)}", file=sys.stderr)
    print(f"portal-audit: gộp {len(inputs.files)} tệp, {len(merged.records)} kết quả ghi vào {args.out}")
    for line in merged.missing:
        print(f"portal-audit: CHƯA ĐỦ: {line}")
    return 0 if merged.complete else 1


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(PROG, run, argv)


if __name__ == "__main__":
    sys.exit(main())
