"""pytest plugin part for the audit summary, on the process that sees every result (the xdist
controller, or the only process): reads the EMC visit export at start-up, adds the rankings and
compliance tables to results.json, and at the end writes the Excel workbook, the Allure summary
results and the terminal tables.

The export is read in pytest_configure, before any worker or browser starts: a bad export stops
the run at once with one line 'FILE:ROW: problem', instead of being found after an hour-long
audit whose summary it would then spoil. Once the audit ran, a failure to write one summary
output is reported and never prevents the others, nor results.json."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from portal_audit.allure_summary import write_summary_result
from portal_audit.config import Settings
from portal_audit.emc_data import EmcDataError, VisitData, load_visit_data
from portal_audit.excel_report import FILE_NAME, write_workbook
from portal_audit.inventory import Inventory, InventoryError, load_inventory
from portal_audit.summary import Summary, build_summary
from portal_audit.summary_tables import (compliance_ranking_table, compliance_table, terminal_lines,
                                         visit_ranking_table)


def add_options(group: Any) -> None:
    group.addoption("--emc-data", default=None, metavar="FILE",
                    help="số liệu lượt truy cập xuất từ EMC (.csv, .xlsx hoặc .json) để xếp hạng tiêu chí 3.3")


class SummaryOutputs:
    def __init__(self, config: pytest.Config, settings: Settings, inventory_path: Path, results_path: Path,
                 records: dict[str, dict[str, Any]]) -> None:
        self.config = config
        self.settings = settings
        self.inventory_path = inventory_path
        self.results_path = results_path
        # The results writer's own dict of records (filled as reports arrive), read at the end.
        self.records = records
        self.started_ms = int(time.time() * 1000)
        self.inventory: Inventory | None = None
        self.written: list[str] = []
        self.errors: list[str] = []
        self.final: Summary | None = None
        self.data: VisitData | None = None
        value = config.getoption("emc_data", None)
        if value:
            path = Path(value)
            path = path if path.is_absolute() else config.invocation_params.dir / path
            try:
                self.data = load_visit_data(path, settings.emc_data)
            except EmcDataError as err:
                raise pytest.UsageError(str(err)) from None

    @property
    def groups(self) -> dict[str, str]:
        return self.settings.labels.groups

    def ordered_records(self) -> list[dict[str, Any]]:
        ordered = sorted(self.records.values(), key=lambda r: r["sort_key"])
        return [{k: v for k, v in r.items() if k != "sort_key"} for r in ordered]

    def summary(self, records: list[dict[str, Any]]) -> Summary | None:
        if self.inventory is None:
            try:
                self.inventory = load_inventory(self.inventory_path)
            except InventoryError:
                return None  # already reported at start-up by the audit's conftest
        return build_summary(records, self.inventory, self.data, self.settings.ranking)

    def results_fields(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """The summary fields of results.json (rewritten at each checkpoint, so cheap by design)."""
        try:
            summary = self.summary(records)
        except Exception as err:  # noqa: BLE001 - the records must be written whatever the summary does
            return {"summary_error": f"không lập được bảng tổng hợp: {err!r}"}
        return summary.to_json() if summary is not None else {}

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        records = self.ordered_records()
        if not records:
            return
        try:
            summary = self.final = self.summary(records)
        except Exception as err:  # noqa: BLE001 - results.json is written by the results writer regardless
            self.errors.append(f"không lập được bảng tổng hợp: {err!r}")
            return
        if summary is None:
            return
        notes: list[tuple[str, Any]] = [
            ("Thời điểm lập", time.strftime("%Y-%m-%d %H:%M:%S")),
            ("Danh mục", str(self.inventory_path)),
            ("Dữ liệu lượt truy cập EMC", summary.source or "không có (chạy không có --emc-data)"),
            ("Tính cả lượt truy cập của trang thành phần", "có" if self.settings.ranking.include_components else "không"),
            ("Đánh giá hoàn tất", "có" if exitstatus != pytest.ExitCode.INTERRUPTED else "không (bị dừng giữa chừng)"),
        ]
        if summary.matching is not None:
            notes += [(f"Dòng EMC không khớp (dòng {r.row})", r.describe()) for r in summary.matching.unmatched]
            notes += [("Cảnh báo", w) for w in summary.matching.warnings]
        try:
            path = write_workbook(self.results_path.parent / FILE_NAME, summary, records, self.groups, notes)
            self.written.append(str(path))
        except Exception as err:  # noqa: BLE001 - a report that cannot be written must not hide the others
            self.errors.append(f"không ghi được tệp Excel: {err}")
        allure_dir = self.config.getoption("allure_report_dir", None)
        if allure_dir:
            try:
                directory = Path(os.path.abspath(allure_dir))
                write_summary_result(directory, "visits", "Xếp hạng lượt truy cập",
                                     "Tiêu chí 3.3: xếp hạng cổng theo lượt truy cập do EMC đo, trong từng nhóm.",
                                     [visit_ranking_table(summary, self.groups)], self.started_ms)
                write_summary_result(directory, "compliance", "Tổng hợp mức độ tuân thủ",
                                     "Số trang đạt / không đạt / không đánh giá được theo từng tiêu chí, điểm tuân "
                                     "thủ có trọng số và xếp hạng trong từng nhóm.",
                                     [compliance_table(summary, self.groups),
                                      compliance_ranking_table(summary, self.groups)], self.started_ms)
                self.written.append(f"{directory} (Allure: tổng hợp)")
            except Exception as err:  # noqa: BLE001
                self.errors.append(f"không ghi được kết quả tổng hợp vào Allure: {err}")

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        for error in self.errors if self.final is None else []:
            terminalreporter.write_line(f"portal-audit: LỖI: {error}", red=True)
        if self.final is None:
            return
        terminalreporter.write_sep("=", "Tổng hợp đánh giá (tiêu chí 3.3 và mức độ tuân thủ)")
        for line in terminal_lines(self.final, self.groups):
            terminalreporter.write_line(line)
        for path in self.written:
            terminalreporter.write_line(f"portal-audit: báo cáo tổng hợp ghi vào {path}")
        for error in self.errors:
            terminalreporter.write_line(f"portal-audit: LỖI: {error}", red=True)
