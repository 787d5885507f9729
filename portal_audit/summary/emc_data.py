"""Reading the EMC visit export (--emc-data) for criterion 3.3: CSV, XLSX or JSON, English or
Vietnamese headers, thousands separators. Every problem is one line 'FILE:ROW: problem', so the
auditor can fix the export before any browser starts.

Rows are numbered as the auditor sees them: the spreadsheet row (header = its own row number) for
CSV and XLSX, the 1-based position in the list for JSON."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator
from zipfile import BadZipFile

from portal_audit.settings import EmcDataSettings
from portal_audit.urls import host_of

FIELDS = ("site_id", "url", "visits", "period")
# EMC exports sometimes put a title and a blank line above the header row.
HEADER_SEARCH_ROWS = 10
# Digits grouped by three with '.' (Vietnamese style) or ',' (English style): 153.214.000.
_GROUPED = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})*$")
# What openpyxl raises on a damaged workbook: a truncated zip (BadZipFile, zlib.error, EOFError), bad
# XML (SyntaxError: ElementTree's and lxml's parse errors), a cell whose type and value disagree
# (ValueError, TypeError, OverflowError: an impossible date, a number that is text).
_XLSX_ERRORS = (BadZipFile, zlib.error, EOFError, KeyError, OSError, SyntaxError, ValueError, TypeError,
                OverflowError)
# A visit count longer than this is not one (and Python refuses to convert over 4,300 digits).
MAX_DIGITS = 15


class EmcDataError(Exception):
    """The export cannot be used. str() is one line: 'FILE:ROW: problem' (or 'FILE: problem')."""


@dataclass(frozen=True, slots=True)  # slots: a national export holds millions of rows
class TrafficRow:
    row: int  # as the auditor finds it in the file (see the module docstring)
    site_id: str | None
    address: str | None  # as written in the file
    host: str | None  # normalised host of address (scheme, www. and case ignored)
    visits: int
    period: str | None

    def describe(self) -> str:
        parts = []
        if self.site_id:
            parts.append(f"mã website '{self.site_id}'")
        if self.address:
            parts.append(f"địa chỉ '{self.address}'")
        return ", ".join(parts)


@dataclass(frozen=True)
class TrafficData:
    path: Path
    rows: tuple[TrafficRow, ...]


def _norm_header(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold() if text is not None else ""


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number in Excel: 101.0 is '101'
    text = str(value).strip()
    return text or None


def parse_traffic(value: Any) -> int:
    """An integer visit count from a cell or JSON value; ValueError with a Vietnamese reason."""
    if isinstance(value, bool):
        raise ValueError(f"lượt truy cập không phải số nguyên: '{value}'")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"lượt truy cập không phải số nguyên: '{value}'")
        number = int(value)
    else:
        text = "" if value is None else str(value).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            raise ValueError("thiếu lượt truy cập")
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if sum(c.isdigit() for c in digits) > MAX_DIGITS:
            raise ValueError(f"lượt truy cập không phải số nguyên: '{text[:MAX_DIGITS + 5]}…'")
        if digits.isdigit() and digits.isascii():
            number = int(digits)
        elif _GROUPED.match(digits):
            number = int(re.sub(r"[.,]", "", digits))
        else:
            raise ValueError(f"lượt truy cập không phải số nguyên: '{value}'")
        number = -number if negative else number
    if number < 0:
        raise ValueError(f"lượt truy cập âm: {number}")
    return number


class _Reader:
    def __init__(self, path: Path, settings: EmcDataSettings) -> None:
        self.path = path
        self.aliases = {field: {_norm_header(h) for h in getattr(settings.columns, field)} | {field}
                        for field in FIELDS}

    def error(self, row: int | None, problem: str) -> EmcDataError:
        return EmcDataError(f"{self.path}:{row}: {problem}" if row is not None else f"{self.path}: {problem}")

    def columns(self, header: Iterable[Any]) -> dict[str, int]:
        found: dict[str, int] = {}
        for index, name in enumerate(header):
            key = _norm_header(name)
            for field, names in self.aliases.items():
                if key in names and field not in found:
                    found[field] = index
        return found

    def expected(self, field: str) -> str:
        return " / ".join(f"'{h}'" for h in [field, *sorted(self.aliases[field] - {field})][:3])

    def check_columns(self, found: dict[str, int], row: int) -> None:
        if "visits" not in found:
            raise self.error(row, f"thiếu cột lượt truy cập ({self.expected('visits')}, ...)")
        if "site_id" not in found and "url" not in found:
            raise self.error(row, f"thiếu cột mã website ({self.expected('site_id')}, ...) "
                                  f"hoặc địa chỉ ({self.expected('url')}, ...)")

    def row(self, number: int, values: dict[str, Any]) -> TrafficRow | None:
        site_id, address = _cell_text(values.get("site_id")), _cell_text(values.get("url"))
        visits, period = values.get("visits"), _cell_text(values.get("period"))
        if site_id is None and address is None and _cell_text(visits) is None:
            return None  # a blank line, e.g. before a totals row
        if site_id is None and address is None:
            raise self.error(number, "dòng không có mã website hay địa chỉ trang")
        host = None
        if address is not None:
            # Exports rarely carry the scheme: a bare host is as good as a URL here.
            host = host_of(address, bare=True)
            if host is None:
                raise self.error(number, f"địa chỉ không hợp lệ '{address}'")
        try:
            count = parse_traffic(visits)
        except ValueError as err:
            raise self.error(number, str(err)) from None
        return TrafficRow(number, site_id, address, host, count, period)

    def table(self, rows: Iterable[tuple[int, list[Any]]]) -> tuple[TrafficRow, ...]:
        """Rows of cells (number, values) with a header row among the first ones."""
        columns: dict[str, int] | None = None
        first_row: int | None = None
        result: list[TrafficRow] = []
        for number, cells in rows:
            if columns is None:
                first_row = number if first_row is None else first_row
                found = self.columns(cells)
                if "visits" in found or ("site_id" in found or "url" in found):
                    self.check_columns(found, number)
                    columns = found
                elif number - first_row + 1 >= HEADER_SEARCH_ROWS:
                    break
                continue
            values = {field: cells[index] if index < len(cells) else None for field, index in columns.items()}
            parsed = self.row(number, values)
            if parsed is not None:
                result.append(parsed)
        if columns is None:
            raise self.error(first_row or 1, f"không tìm thấy dòng tiêu đề có cột lượt truy cập "
                                             f"({self.expected('visits')}, ...)")
        return tuple(result)

    def read_csv(self) -> tuple[TrafficRow, ...]:
        try:
            text = self.path.read_bytes().decode("utf-8-sig")  # Excel writes a BOM
        except UnicodeDecodeError:
            raise self.error(None, "tệp CSV không ở mã UTF-8 (hãy lưu lại dưới dạng 'CSV UTF-8')") from None
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return self.table(self._csv_rows(csv.reader(io.StringIO(text), dialect)))

    def _csv_rows(self, reader: Any) -> Iterator[tuple[int, list[Any]]]:
        """The rows one at a time (a national export has millions: no second copy of them all)."""
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as err:
            raise self.error(reader.line_num, f"lỗi định dạng CSV: {err}") from None

    def read_xlsx(self) -> tuple[TrafficRow, ...]:
        import openpyxl  # only needed for XLSX exports

        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except _XLSX_ERRORS as err:
            raise self.error(None, f"không đọc được tệp XLSX: {err}") from None
        try:
            return self.table(self._sheet_rows(book.worksheets[0]))
        except IndexError:
            raise self.error(None, "tệp XLSX không có trang tính nào") from None
        finally:
            book.close()

    def _sheet_rows(self, sheet: Any) -> Iterator[tuple[int, list[Any]]]:
        """The sheet's rows, numbered; a cell openpyxl cannot read (a damaged or truncated file, a
        date or number that is not one) is one line naming the row, never a traceback."""
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except _XLSX_ERRORS as err:
                raise self.error(number + 1, f"không đọc được dòng trong tệp XLSX ({type(err).__name__}: {err})") from None
            number += 1
            yield number, list(cells)

    def read_json(self) -> tuple[TrafficRow, ...]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            raise self.error(None, "tệp JSON không ở mã UTF-8") from None
        except json.JSONDecodeError as err:
            raise self.error(err.lineno, f"lỗi cú pháp JSON: {err.msg}") from None
        except RecursionError:
            raise self.error(None, "JSON lồng nhau quá sâu") from None
        except ValueError as err:  # a number of more than 4,300 digits
            raise self.error(None, f"giá trị JSON không hợp lệ ({err})") from None
        if isinstance(data, dict):
            # {"rows": [...]} or {"data": [...]}: the shapes export tools wrap a list in.
            lists = [v for k, v in data.items() if k in ("rows", "data", "items") and isinstance(v, list)]
            data = lists[0] if lists else data
        if not isinstance(data, list):
            raise self.error(None, "tệp JSON phải là một danh sách các dòng (hoặc {\"rows\": [...]})")
        result: list[TrafficRow] = []
        checked = False
        for number, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise self.error(number, "mỗi dòng JSON phải là một đối tượng {\"site_id\", \"url\", \"visits\"}")
            keys = list(item)
            found = self.columns(keys)
            if not checked:
                self.check_columns(found, number)
                checked = True
            elif "visits" not in found:
                raise self.error(number, f"dòng thiếu trường lượt truy cập ({self.expected('visits')}, ...)")
            parsed = self.row(number, {field: item[keys[index]] for field, index in found.items()})
            if parsed is not None:
                result.append(parsed)
        return tuple(result)


def load_traffic_data(path: Path, settings: EmcDataSettings) -> TrafficData:
    reader = _Reader(path, settings)
    if not path.is_file():
        raise reader.error(None, "không tìm thấy tệp dữ liệu lượt truy cập EMC")
    suffix = path.suffix.lower()
    readers = {".csv": reader.read_csv, ".xlsx": reader.read_xlsx, ".json": reader.read_json}
    if suffix not in readers:
        raise reader.error(None, f"định dạng '{suffix or path.name}' không được hỗ trợ "
                                 "(dữ liệu EMC phải là tệp .csv, .xlsx hoặc .json)")
    return TrafficData(path, readers[suffix]())
