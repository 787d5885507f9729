"""The outputs made from every record of an audit: the summary fields of results.json, the Excel
workbook, the Allure summary results and the terminal tables. Used by the audit at the end of a
run (pytest_portal_audit.summary) and by the merge of several runs' results (portal_audit.merge),
so that both make the same files from the same records.

Once the records exist, a failure to write one output is reported and never prevents the others,
nor results.json."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Sequence

from portal_audit.inventory import Inventory
from portal_audit.records import Record
from portal_audit.render.allure_results import AllureOutput, summary_item
from portal_audit.render.categories import categories
from portal_audit.render.excel import FILE_NAME, write_workbook
from portal_audit.render.tables import (Table, compliance_ranking_table, compliance_table, terminal_lines, to_csv,
                                         to_html, visit_ranking_table)
from portal_audit.settings import Settings
from portal_audit.summary import Rankings, TrafficData, build_rankings
from portal_audit.summary.ranking import TrafficMatching
from portal_audit.verdicts import Attachment

PARENT_SUITE = "Tổng hợp đánh giá"
TERMINAL_TITLE = "Tổng hợp đánh giá (tiêu chí 3.3 và mức độ tuân thủ)"


def matching_notes(matching: TrafficMatching) -> list[tuple[str, Any]]:
    """The workbook's notes on the export: the counts, then the example rows kept."""
    notes: list[tuple[str, Any]] = [(f"Dòng EMC không khớp (dòng {r.row})", r.describe()) for r in matching.unmatched]
    if matching.unmatched_total > len(matching.unmatched):
        notes.append(("Dòng EMC không khớp", f"tổng cộng {matching.unmatched_total} dòng không khớp trang nào trong "
                                             f"danh mục; chỉ ghi {len(matching.unmatched)} dòng đầu"))
    notes += [("Cảnh báo", w) for w in matching.warnings]
    if matching.warnings_total > len(matching.warnings):
        notes.append(("Cảnh báo", f"tổng cộng {matching.warnings_total} dòng trùng dữ liệu; "
                                  f"chỉ ghi {len(matching.warnings)} cảnh báo đầu"))
    return notes


class SummaryOutputs:
    def __init__(self, inventory: Inventory, settings: Settings, data: TrafficData | None, results_path: Path,
                 allure_dir: Path | None, started_ms: int) -> None:
        self.inventory = inventory  # the whole file: the ranking lists every portal of it
        self.settings = settings
        self.data = data
        self.results_path = results_path
        self.allure_dir = allure_dir
        self.started_ms = started_ms
        self.written: list[str] = []
        self.errors: list[str] = []
        self.final: Rankings | None = None

    @property
    def groups(self) -> dict[str, str]:
        return self.settings.labels.groups

    @property
    def workbook_path(self) -> Path:
        return self.results_path.parent / FILE_NAME

    def summary(self, records: Sequence[Record]) -> Rankings:
        return build_rankings(records, self.inventory, self.data, self.settings.ranking,
                              self.settings.emc_data.sample_rows)

    def results_fields(self, records: Sequence[Record]) -> dict[str, Any]:
        """The summary fields of results.json (rewritten at each checkpoint, so cheap by design)."""
        try:
            return self.summary(records).to_json()
        except Exception as err:  # noqa: BLE001 - the records must be written whatever the summary does
            return {"summary_error": f"không lập được bảng tổng hợp: {err!r}"}

    def finish(self, records: list[Record], notes: Sequence[tuple[str, Any]]) -> None:
        """The workbook and the Allure summary results of all the records; `notes` (what the run
        or the merge was) go to the workbook's notes sheet."""
        try:
            summary = self.final = self.summary(records)
        except Exception as err:  # noqa: BLE001 - results.json is written regardless
            self.errors.append(f"không lập được bảng tổng hợp: {err!r}")
            return
        sheet_notes: list[tuple[str, Any]] = [
            ("Thời điểm lập", time.strftime("%Y-%m-%d %H:%M:%S")),
            ("Danh mục", str(self.inventory.path)),
            ("Dữ liệu lượt truy cập EMC", summary.source or "không có (chạy không có --emc-data)"),
            ("Tính cả lượt truy cập của trang thành phần", "có" if self.settings.ranking.include_components else "không"),
            *notes,
        ]
        if summary.matching is not None:
            sheet_notes += matching_notes(summary.matching)
        self._output("tệp Excel", lambda: write_workbook(self.workbook_path, summary, records, self.groups, sheet_notes,
                                                          categories(self.settings.labels)))
        if self.allure_dir is not None:
            self._output("kết quả tổng hợp vào Allure", lambda: self._allure(summary))

    def _output(self, what: str, write: Callable[[], Any]) -> None:
        try:
            self.written.append(str(write()))
        except Exception as err:  # noqa: BLE001 - a report that cannot be written must not hide the others
            self.errors.append(f"không ghi được {what}: {err}")

    def _allure(self, summary: Rankings) -> str:
        directory = self.allure_dir
        assert directory is not None
        output = AllureOutput(directory)
        now = int(time.time() * 1000)
        for key, title, description, tables in (
                ("visits", "Xếp hạng lượt truy cập",
                 "Tiêu chí 3.3: xếp hạng cổng theo lượt truy cập do EMC đo, trong từng nhóm.",
                 [visit_ranking_table(summary, self.groups)]),
                ("compliance", "Tổng hợp mức độ tuân thủ",
                 "Số trang đạt / không đạt / không đánh giá được theo từng tiêu chí, điểm tuân thủ có trọng số "
                 "và xếp hạng trong từng nhóm.",
                 [compliance_table(summary, self.groups), compliance_ranking_table(summary, self.groups)])):
            output.write(summary_item(
                key, title, description, to_html(tables),
                {"parentSuite": PARENT_SUITE, "suite": title, "feature": PARENT_SUITE, "story": title,
                 "tag": "tong-hop"},
                _table_evidence(title, tables), self.started_ms, now))
        return f"{directory} (Allure: tổng hợp)"

    def report_lines(self) -> list[str]:
        """The terminal tables and where the outputs went (the errors are in `errors`)."""
        if self.final is None:
            return []
        return [*terminal_lines(self.final, self.groups),
                *(f"portal-audit: báo cáo tổng hợp ghi vào {path}" for path in self.written)]


def _table_evidence(title: str, tables: list[Table]) -> list[Attachment]:
    return [Attachment(f"{title} (bảng)", to_html(tables), "text/html", "html")] + [
        Attachment(f"{table.title} (CSV)", to_csv(table), "text/csv", "csv") for table in tables]
