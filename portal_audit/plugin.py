"""pytest plugin: the audit's command-line options and the machine-readable results file.

Each audit test puts its case and verdict into the report's user_properties; the process that
sees every report (the xdist controller, or the only process without xdist) gathers them and
writes results.json once, so the file is the same however the run was parallelised."""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from portal_audit.config import ConfigError, Settings, load_settings
from portal_audit.rerun import PreviousResults, compare, drop_allure_results
from portal_audit.resolve import ResolveError, ResolveRule, parse_rule
from portal_audit.summary_outputs import SummaryOutputs, add_options as add_summary_options

CASE_PROPERTY = "portal_audit_case"
VERDICT_PROPERTY = "portal_audit_verdict"


@dataclass(frozen=True)
class AuditOptions:
    settings: Settings
    resolve: tuple[ResolveRule, ...]
    ignore_https_errors: bool
    results_path: Path
    inventory_path: Path


OPTIONS_KEY = pytest.StashKey[AuditOptions]()
# Case properties by test id, known before any test runs (also on the xdist controller, which
# collects nothing): a worker that dies mid-case still leaves a record for that case.
CASE_INDEX_KEY = pytest.StashKey[dict[str, dict[str, Any]]]()
# Position of every (site URL, criterion) of the whole inventory, so records are in inventory order
# whatever subset of it a run measured.
ORDER_KEY = pytest.StashKey[dict[tuple[str, str], list[int]]]()
# Earlier results this run completes (--rerun-failed-portals, --lf): their records stand where this
# run measured nothing new.
PREVIOUS_KEY = pytest.StashKey[PreviousResults]()
# How often (seconds) the results file is rewritten while the run goes on.
CHECKPOINT_SECONDS = 5.0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("portal-audit", "Đánh giá cổng thông tin điện tử (Thông tư 22/2023/TT-BTTTT)")
    group.addoption("--inventory", default="inventory.yaml", metavar="FILE",
                    help="danh mục cổng và trang thành phần (mặc định: inventory.yaml)")
    group.addoption("--resolve", action="append", default=[], metavar="PATTERN=ADDRESS",
                    help="kết nối mọi tên miền khớp mẫu PATTERN tới ADDRESS (IP[:PORT]) thay cho DNS; lặp lại được")
    group.addoption("--ignore-https-errors", action="store_true", default=False,
                    help="chấp nhận chứng chỉ tự ký / không rõ nguồn (chỉ dùng cho bản thử nghiệm)")
    group.addoption("--results", default="reports/results.json", metavar="PATH",
                    help="tệp kết quả máy đọc được (mặc định: reports/results.json)")
    group.addoption("--audit-config", default=None, metavar="FILE",
                    help="tệp cấu hình ghi đè cấu hình mặc định (máy chủ EMC, bộ chọn, thời gian chờ)")
    add_summary_options(group)
    group.addoption("--portal", action="append", default=[], metavar="ID",
                    help="chỉ đánh giá cổng có mã ID và các trang thành phần của nó; lặp lại được")
    group.addoption("--group", default=None, choices=("ministry", "province"),
                    help="chỉ đánh giá một nhóm: ministry (bộ, ngành) hoặc province (tỉnh, thành phố)")
    group.addoption("--rerun-failed-portals", nargs="?", const="", default=None, metavar="RESULTS",
                    help="đánh giá lại mọi cổng có kết quả không đạt hoặc lỗi trong RESULTS (mặc định: tệp --results "
                         "lần trước); kết quả của các cổng khác được giữ nguyên")


def _resolve_path(config: pytest.Config, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else config.invocation_params.dir / path


def audit_options(config: pytest.Config) -> AuditOptions:
    """The parsed options, built once per process; bad values stop the run with one line."""
    if OPTIONS_KEY not in config.stash:
        try:
            config_file = config.getoption("audit_config")
            settings = load_settings(_resolve_path(config, config_file) if config_file else None)
            rules = tuple(parse_rule(text) for text in config.getoption("resolve"))
        except (ConfigError, ResolveError) as err:
            raise pytest.UsageError(str(err)) from None
        config.stash[OPTIONS_KEY] = AuditOptions(
            settings=settings, resolve=rules, ignore_https_errors=config.getoption("ignore_https_errors"),
            results_path=_resolve_path(config, config.getoption("results")),
            inventory_path=_resolve_path(config, config.getoption("inventory")),
        )
    return config.stash[OPTIONS_KEY]


def pytest_configure(config: pytest.Config) -> None:
    audit_options(config)
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(ResultsWriter(config), "portal-audit-results")
        # SIGTERM (a CI timeout, a scheduler) ends the run like Ctrl-C: the results measured so far
        # are written, marked incomplete.
        if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


class ResultsWriter:
    """Gathers one record per audit case and writes results.json at the end of the session."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: dict[str, dict[str, Any]] = {}
        # Criterion 3.3 and the compliance tables; reads --emc-data now, before any browser starts.
        options = audit_options(config)
        self.summary = SummaryOutputs(config, options.settings, options.inventory_path, options.results_path,
                                      self.records)
        config.pluginmanager.register(self.summary, "portal-audit-summary")
        self.last_checkpoint = time.monotonic()
        self.previous_keys: set[str] = set()

    @pytest.hookimpl
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        previous = self.config.stash.get(PREVIOUS_KEY, None)
        if previous is None:
            return
        order = self.config.stash.get(ORDER_KEY, {})
        for record in previous.kept_records(set()):
            position = order.get((record["site"], record["criterion"]))
            if position is not None:
                key = f"previous::{record['site']}::{record['criterion']}"
                self.records[key] = {**record, "sort_key": position}
                self.previous_keys.add(key)
        allure_dir = getattr(self.config.option, "allure_report_dir", None)
        if allure_dir and self.config.getoption("rerun_failed_portals") is not None:
            drop_allure_results(Path(allure_dir), self._audited_portals())

    def _audited_portals(self) -> set[str]:
        return {case["portal"] for case in self.config.stash.get(CASE_INDEX_KEY, {}).values()}

    def _case_from_nodeid(self, nodeid: str) -> dict[str, Any] | None:
        index = self.config.stash.get(CASE_INDEX_KEY, {})
        if "[" not in nodeid or "]" not in nodeid:
            return None
        # xdist's loadgroup appends "@group" after the brackets.
        test_id = nodeid[nodeid.index("[") + 1:nodeid.rindex("]")]
        while test_id:
            if test_id in index:
                return index[test_id]
            test_id = test_id.rpartition("-")[0]  # parameters appended after ours (e.g. the browser)
        return None

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        case = properties.get(CASE_PROPERTY) or self._case_from_nodeid(report.nodeid)
        if case is None:
            return
        verdict = properties.get(VERDICT_PROPERTY)
        if report.when == "call" or report.failed:
            # This run's verdict supersedes the earlier one for the same site and criterion.
            self.records.pop(f"previous::{case['site']}::{case['criterion']}", None)
        if verdict is not None:
            self.records[report.nodeid] = {**case, **verdict}
        elif report.failed and report.nodeid not in self.records:
            # The case crashed before reaching a verdict (a defect, or the browser would not start):
            # it is recorded as broken so that no site silently disappears from the results.
            lines = [line for line in report.longreprtext.splitlines() if line.strip()]
            self.records[report.nodeid] = {**case, "status": "broken",
                                           "message": f"Lỗi khi đánh giá ({report.when}): {lines[-1] if lines else ''}",
                                           "evidence": {}, "measured_at": _now()}
        if time.monotonic() - self.last_checkpoint >= CHECKPOINT_SECONDS:
            # A killed run (even SIGKILL) still leaves what it measured, marked incomplete.
            self.write(complete=False)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        # Complete when every case of this run has a record, measured now or kept from before (--lf).
        needed = {(case["site"], case["criterion"]) for case in self.config.stash.get(CASE_INDEX_KEY, {}).values()}
        have = {(record["site"], record["criterion"]) for record in self.records.values()}
        self.write(complete=exitstatus != pytest.ExitCode.INTERRUPTED and needed <= have)

    def write(self, complete: bool) -> None:
        self.last_checkpoint = time.monotonic()
        if not self.records:
            return
        options = audit_options(self.config)
        order = self.config.stash.get(ORDER_KEY, {})
        ordered = sorted(self.records.values(),
                         key=lambda r: order.get((r["site"], r["criterion"])) or r.get("sort_key") or [1 << 30])
        records = [{k: v for k, v in r.items() if k != "sort_key"} for r in ordered]
        document = {
            "generated_at": _now(),
            "inventory": str(options.inventory_path),
            "complete": complete,
            "summary": {status: sum(1 for r in records if r["status"] == status)
                        for status in ("passed", "failed", "broken", "skipped")},
            **self.summary.results_fields(records),
            "records": records,
        }
        path = options.results_path
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, path)  # never leave a half-written file for the tools that read it

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.records:
            return
        options = audit_options(self.config)
        previous = self.config.stash.get(PREVIOUS_KEY, None)
        if previous is not None:
            new = [r for key, r in self.records.items() if key not in self.previous_keys]
            for line in compare(previous, new).lines(len({r["portal"] for r in new})):
                terminalreporter.write_line(line)
        terminalreporter.write_line(f"portal-audit: {len(self.records)} kết quả ghi vào {options.results_path}")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
