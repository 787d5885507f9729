"""The audit summary on the process that sees every result (the xdist controller, or the only
process): reads the EMC visit export at start-up, adds the rankings and compliance tables to
results.json, and at the end writes the Excel workbook, the Allure summary results and the
terminal tables.

The export is read before any worker or browser starts: a bad export stops the run at once with
one line 'FILE:ROW: problem', instead of being found after an hour-long audit whose summary it
would then spoil. Once the audit ran, a failure to write one summary output is reported and never
prevents the others, nor results.json."""

from __future__ import annotations

import time
from typing import Any, Callable

import pytest

from portal_audit.records import Record
from portal_audit.reports.allure_results import AllureOutput, summary_item
from portal_audit.reports.categories import categories
from portal_audit.reports.excel import FILE_NAME, write_workbook
from portal_audit.reports.tables import (Table, compliance_ranking_table, compliance_table, terminal_lines,
                                         to_csv, to_html, visit_ranking_table)
from portal_audit.summary import EmcDataError, Summary, VisitData, build_summary, load_visit_data
from portal_audit.verdicts import Attachment
from pytest_portal_audit.evaluation import EvaluationWriter
from pytest_portal_audit.session import Audit

PARENT_SUITE = "Tổng hợp đánh giá"


def read_visit_data(audit: Audit) -> VisitData | None:
    path = audit.options.emc_data_path
    if path is None:
        return None
    try:
        return load_visit_data(path, audit.options.settings.emc_data)
    except EmcDataError as err:
        raise pytest.UsageError(str(err)) from None


class SummaryOutputs:
    def __init__(self, audit: Audit, evaluation: EvaluationWriter) -> None:
        self.audit = audit
        self.evaluation = evaluation
        self.data = read_visit_data(audit)
        self.written: list[str] = []
        self.errors: list[str] = []
        self.final: Summary | None = None

    @property
    def groups(self) -> dict[str, str]:
        return self.audit.options.settings.labels.groups

    def summary(self, records: list[Record]) -> Summary:
        options = self.audit.options
        return build_summary(records, options.inventory, self.data, options.settings.ranking)

    def results_fields(self, records: list[Record]) -> dict[str, Any]:
        """The summary fields of results.json (rewritten at each checkpoint, so cheap by design)."""
        try:
            return self.summary(records).to_json()
        except Exception as err:  # noqa: BLE001 - the records must be written whatever the summary does
            return {"summary_error": f"không lập được bảng tổng hợp: {err!r}"}

    def finish(self, records: list[Record], interrupted: bool) -> None:
        """The outputs of the whole run, once results.json holds every record."""
        try:
            summary = self.final = self.summary(records)
        except Exception as err:  # noqa: BLE001 - results.json is written by the results writer regardless
            self.errors.append(f"không lập được bảng tổng hợp: {err!r}")
            return
        options = self.audit.options
        notes: list[tuple[str, Any]] = [
            ("Thời điểm lập", time.strftime("%Y-%m-%d %H:%M:%S")),
            *[(k, v) for k, v in self.evaluation.evaluation().environment() if k != "Dữ liệu lượt truy cập EMC"],
            ("Dữ liệu lượt truy cập EMC", summary.source or "không có (chạy không có --emc-data)"),
            ("Tính cả lượt truy cập của trang thành phần", "có" if options.settings.ranking.include_components else "không"),
            ("Đánh giá hoàn tất", "không (bị dừng giữa chừng)" if interrupted else "có"),
        ]
        if summary.matching is not None:
            notes += [(f"Dòng EMC không khớp (dòng {r.row})", r.describe()) for r in summary.matching.unmatched]
            notes += [("Cảnh báo", w) for w in summary.matching.warnings]
        if options.reviews is not None:
            notes += [("Cảnh báo", w) for w in options.reviews.warnings]
        self._output("tệp Excel", lambda: write_workbook(options.results_path.parent / FILE_NAME, summary, records,
                                                          self.groups, notes, categories(options.settings.labels)))
        if options.allure_dir is not None:
            self._output("kết quả tổng hợp vào Allure", lambda: self._allure(summary))

    def _output(self, what: str, write: Callable[[], Any]) -> None:
        try:
            self.written.append(str(write()))
        except Exception as err:  # noqa: BLE001 - a report that cannot be written must not hide the others
            self.errors.append(f"không ghi được {what}: {err}")

    def _allure(self, summary: Summary) -> str:
        directory = self.audit.options.allure_dir
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
                _table_evidence(title, tables), self.audit.started_ms, now))
        return f"{directory} (Allure: tổng hợp)"

    def report(self, terminalreporter: Any) -> None:
        if self.final is not None:
            terminalreporter.write_sep("=", "Tổng hợp đánh giá (tiêu chí 3.3 và mức độ tuân thủ)")
            for line in terminal_lines(self.final, self.groups):
                terminalreporter.write_line(line)
            for path in self.written:
                terminalreporter.write_line(f"portal-audit: báo cáo tổng hợp ghi vào {path}")
        for error in self.errors:
            terminalreporter.write_line(f"portal-audit: LỖI: {error}", red=True)


def _table_evidence(title: str, tables: list[Table]) -> list[Attachment]:
    return [Attachment(f"{title} (bảng)", to_html(tables), "text/html", "html")] + [
        Attachment(f"{table.title} (CSV)", to_csv(table), "text/csv", "csv") for table in tables]
