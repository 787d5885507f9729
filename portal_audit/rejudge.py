"""python -m portal_audit.rejudge RUN_DIR --results OUT.json [--audit-config FILE]: the judges applied
again to the evidence an audit run saved (RUN_DIR: the folder of its results.json, with `evidence/`
beside it), with the settings given (a new badge label, a threshold) or those the run recorded,
without visiting any site: a national round is re-judged in seconds after a settings fix. OUT.json
has the schema of results.json, with the summary fields and the Excel workbook (next to OUT) made
from the new records.

What the evidence cannot tell stays as the run wrote it: a record without saved evidence (a run
before evidence was kept, a worker that died) and a record decided by an auditor's review. The
visit itself is not repeated, so a setting that changes what the page is asked for (the badge
texts or selectors the visit looks for) is re-judged on what the visit found with the run's own:
a badge text no longer configured no longer counts, a new one is not looked for."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from portal_audit.checks import CODES, by_code, verdict_for
from portal_audit.command import Parser, UsageError, run_command
from portal_audit.evidence.store import EvidenceError, folder_for, load_evidence
from portal_audit.inventory import Inventory, Site
from portal_audit.merge import _inventory, _recorded, add_recorded_inputs
from portal_audit.records import Record, make_record, now
from portal_audit.records.combine import MergeError, ResultsFile, read_results
from portal_audit.records.reader import ResultsError
from portal_audit.records.results import write_results
from portal_audit.records.schema import ResultsDocument
from portal_audit.settings.digest import settings_digest
from portal_audit.render.summary_outputs import SummaryOutputs
from portal_audit.settings import Settings, load_settings
from portal_audit.status import Status
from portal_audit.summary import EmcDataError, TrafficData, load_traffic_data
from portal_audit.yamlio import SourceError

PROG = "python -m portal_audit.rejudge"
RESULTS_NAME = "results.json"
CASE_FIELDS = ("portal", "group", "site", "site_name", "role", "criterion")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = Parser(prog=PROG, example="portal-audit rejudge reports --results reports/danh-gia-lai.json --audit-config audit.yaml",
                    description="Đánh giá lại kết quả của một lần đánh giá từ bằng chứng đã lưu, với cấu "
                                           "hình mới nếu có, không truy cập lại trang nào.")
    parser.add_argument("run_dir", type=Path, metavar="RUN_DIR",
                        help=f"thư mục chứa {RESULTS_NAME} của lần đánh giá (và thư mục evidence/ cạnh nó)")
    parser.add_argument("--results", type=Path, required=True, metavar="OUT",
                        help="tệp kết quả mới (cùng định dạng results.json; tệp Excel ghi cạnh nó)")
    add_recorded_inputs(parser)
    return parser.parse_args(argv)


@dataclass
class Rejudged:
    records: list[Record] = field(default_factory=list)
    judged: int = 0
    kept: int = 0  # no evidence, or an auditor's review


def _sites(inventory: Inventory) -> dict[tuple[str, str], Site]:
    return {(site.portal_id, site.url): site for site in inventory.sites()}


def rejudge_record(record: Record, site: Site, folder: Path, settings: Settings,
                   loaded: dict[str, Any]) -> Record | None:
    """The record judged again on the site's saved evidence; None when it must stay as it is."""
    if record.get("review") is not None or record.get("criterion") not in CODES:
        return None
    if site.key not in loaded:
        loaded.clear()  # records come site by site: one site's evidence held at a time
        loaded[site.key] = load_evidence(folder, site.key)
    evidence = loaded[site.key]
    if evidence is None:
        return None
    code = str(record["criterion"])
    verdict = verdict_for(by_code(code), evidence, site, settings)
    fields = {key: record[key] for key in CASE_FIELDS if key in record}
    return make_record(fields, verdict, measured_at=record.get("measured_at"),
                       informative=code in settings.criteria.informative)


def rejudge_records(results: ResultsFile, inventory: Inventory, settings: Settings, folder: Path) -> Rejudged:
    sites = _sites(inventory)
    done = Rejudged()
    loaded: dict[str, Any] = {}
    for record in results.records:
        site = sites.get((str(record.get("portal")), str(record.get("site"))))
        again = rejudge_record(record, site, folder, settings, loaded) if site is not None else None
        done.records.append(again if again is not None else record)
        done.judged += again is not None
        done.kept += again is None
    return done


def _document(original: dict[str, Any], records: list[Record], fields: dict[str, Any],
              audit_config: Path | None) -> dict[str, Any]:
    """The run's own results document with the new records and what is made from them."""
    document = {key: value for key, value in original.items() if key not in ("records", "summary_error")}
    document.update(fields)
    document["generated_at"] = now()
    document["audit_config"] = str(audit_config) if audit_config else None
    document["summary"] = {str(status): sum(1 for r in records if r["status"] == status) for status in Status}
    document["records"] = records
    return document


def _traffic(results: ResultsFile, given: Path | None, settings: Settings) -> TrafficData | None:
    emc = given or _recorded([results], lambda f: f.emc_file, "dữ liệu EMC", "--emc-data")
    return load_traffic_data(emc, settings.emc_data) if emc else None


def run(argv: Sequence[str] | None) -> int:
    args = parse_args(argv)
    source = args.run_dir / RESULTS_NAME
    try:
        results = read_results(source)
        inventory = _inventory([results], args.inventory)
        audit_config = args.audit_config or _recorded([results], lambda f: f.audit_config, "tệp cấu hình",
                                                      "--audit-config")
        settings = load_settings(audit_config)
        data = _traffic(results, args.emc_data, settings)
        done = rejudge_records(results, inventory, settings, folder_for(source))
    except (MergeError, ResultsError, SourceError, EvidenceError, EmcDataError) as err:
        raise UsageError(str(err)) from None
    outputs = SummaryOutputs(inventory, settings, data, args.results, None, int(time.time() * 1000))
    original = json.loads(source.read_text(encoding="utf-8"))  # read_results checked it already
    document = _document(original, done.records, outputs.results_fields(done.records), audit_config)
    document["settings_digest"] = settings_digest(settings)  # the settings the records were judged with now
    write_results(args.results, ResultsDocument.model_validate(document))
    outputs.finish(done.records, [("Đánh giá lại từ bằng chứng của", str(source))])
    for error in outputs.errors:
        print(f"portal-audit: LỖI: {error}", file=sys.stderr)
    print(f"portal-audit: đánh giá lại {done.judged} kết quả từ bằng chứng đã lưu, giữ nguyên {done.kept} "
          f"(không có bằng chứng hoặc đã rà soát thủ công); ghi vào {args.results}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(PROG, run, argv)


if __name__ == "__main__":
    sys.exit(main())
