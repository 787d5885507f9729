"""The Excel workbook auditors hand on (reports/ket-qua-danh-gia.xlsx): the summary per portal,
every record, and the rankings, each sheet with a frozen, filterable header row."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Mapping, Sequence

from typing import TYPE_CHECKING

from portal_audit.cells import append_row
from portal_audit.files import write_atomic
from portal_audit.render.categories import Category
from portal_audit.render.tables import (Table, compliance_ranking_table, compliance_table, records_table,
                                        visit_ranking_table)
from portal_audit.summary.ranking import Rankings

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FILE_NAME = "ket-qua-danh-gia.xlsx"
# Sheet names (Excel allows 31 characters, no '/' or ':').
SHEETS = ("Tổng hợp theo cổng", "Kết quả chi tiết", "Xếp hạng lượt truy cập", "Xếp hạng tuân thủ", "Ghi chú")
# Long texts (reasons) wrap instead of making a column wider than a screen.
MAX_WIDTH = 70
HEADER_COLOR = "DDE4F0"
# Rows of a sheet, header included (Excel's own limit: a workbook with more cannot be written).
EXCEL_MAX_ROWS = 1_048_576


def fitted(table: Table, max_rows: int = EXCEL_MAX_ROWS) -> Table:
    """`table` cut to what a sheet holds: the header, the first rows, and a last row that says how
    many were left out (they are all in results.json), instead of losing the whole workbook."""
    if len(table.rows) + 1 <= max_rows:
        return table
    kept = max(0, max_rows - 2)
    note = (f"... đã cắt: {len(table.rows) - kept} dòng không ghi vì trang tính Excel chỉ chứa tối đa "
            f"{max_rows} dòng (xem results.json)")
    return Table(table.title, table.headers, [*table.rows[:kept], [note] + [None] * (len(table.headers) - 1)])


def _fill(sheet: Worksheet, table: Table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    append_row(sheet, table.headers)
    for row in table.rows:
        append_row(sheet, row)  # text from sites and inventories: never a formula (portal_audit.cells)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOR)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(h) for h in table.headers]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, bool) or cell.value is None:
                continue
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
                shown = f"{cell.value:,}"
            elif isinstance(cell.value, float):
                cell.number_format = "0.0"
                shown = f"{cell.value:.1f}"
            else:
                shown = str(cell.value)
            widths[cell.column - 1] = max(widths[cell.column - 1], len(shown))
            if len(shown) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(8, width + 2))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def build_workbook(summary: Rankings, records: list[Mapping[str, Any]], groups: Mapping[str, str],
                   notes: list[tuple[str, Any]], all_categories: Sequence[Category] = ()) -> Workbook:
    # Imported here: openpyxl (with numpy) takes a fifth of a second to load, paid only by the
    # process that writes a workbook, not by every audit worker.
    from openpyxl import Workbook

    book = Workbook()
    tables = [compliance_table(summary, groups), records_table(records, groups, all_categories),
              visit_ranking_table(summary, groups), compliance_ranking_table(summary, groups),
              Table("Ghi chú", ["Mục", "Giá trị"], [[k, v] for k, v in notes])]
    for index, (name, table) in enumerate(zip(SHEETS, tables)):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        _fill(sheet, fitted(table))
    return book


def write_workbook(path: Path, summary: Rankings, records: list[Mapping[str, Any]], groups: Mapping[str, str],
                   notes: list[tuple[str, Any]], all_categories: Sequence[Category] = ()) -> Path:
    out = io.BytesIO()
    build_workbook(summary, records, groups, notes, all_categories).save(out)
    return write_atomic(path, out.getvalue())
