"""pytest plugin: the audit's command-line options and the machine-readable results file.

Each audit test puts its case and verdict into the report's user_properties; the process that
sees every report (the xdist controller, or the only process without xdist) gathers them and
writes results.json once, so the file is the same however the run was parallelised."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from portal_audit.config import ConfigError, Settings, load_settings
from portal_audit.resolve import ResolveError, ResolveRule, parse_rule

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


class ResultsWriter:
    """Gathers one record per audit case and writes results.json at the end of the session."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: dict[str, dict[str, Any]] = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        case = properties.get(CASE_PROPERTY)
        if case is None:
            return
        verdict = properties.get(VERDICT_PROPERTY)
        if verdict is not None:
            self.records[report.nodeid] = {**case, **verdict}
        elif report.failed and report.nodeid not in self.records:
            # The case crashed before reaching a verdict (a defect, or the browser would not start):
            # it is recorded as broken so that no site silently disappears from the results.
            lines = [line for line in report.longreprtext.splitlines() if line.strip()]
            self.records[report.nodeid] = {**case, "status": "broken",
                                           "message": f"Lỗi khi đánh giá ({report.when}): {lines[-1] if lines else ''}",
                                           "evidence": {}}

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.records:
            return
        options = audit_options(self.config)
        ordered = sorted(self.records.values(), key=lambda r: r["sort_key"])
        records = [{k: v for k, v in r.items() if k != "sort_key"} for r in ordered]
        document = {
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "inventory": str(options.inventory_path),
            "complete": exitstatus != pytest.ExitCode.INTERRUPTED,
            "summary": {status: sum(1 for r in records if r["status"] == status)
                        for status in ("passed", "failed", "broken", "skipped")},
            "records": records,
        }
        path = options.results_path
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, path)  # never leave a half-written file for the tools that read it

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.records:
            options = audit_options(self.config)
            terminalreporter.write_line(f"portal-audit: {len(self.records)} kết quả ghi vào {options.results_path}")
