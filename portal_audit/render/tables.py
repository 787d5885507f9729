"""The summary as tables with Vietnamese headers, shared by the terminal, Allure (HTML, CSV) and
Excel outputs so that they always show the same numbers."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from portal_audit import cells
from portal_audit.render.categories import Category, category_name
from portal_audit.status import STATUS_LABELS, Status
from portal_audit.summary.ranking import NO_DATA, Rankings

Cell = str | int | float | None

MAX_TERMINAL_WARNINGS = 20
ROLE_LABELS = {"portal": "Cổng", "component": "Trang thành phần"}


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def _group(labels: Mapping[str, str], group: str) -> str:
    return labels.get(group, group)


def visit_ranking_table(summary: Rankings, groups: Mapping[str, str]) -> Table:
    title = "Xếp hạng lượt truy cập (tiêu chí 3.3)"
    if summary.source is None:
        title += f": {NO_DATA} EMC (chạy không có --emc-data)"
    rows: list[list[Cell]] = [[_group(groups, e.group), e.rank, e.portal, e.name,
                               e.visits if e.visits is not None else NO_DATA] for e in summary.ranking]
    return Table(title, ["Nhóm", "Hạng", "Mã cổng", "Cổng thông tin điện tử", "Lượt truy cập"], rows)


def compliance_ranking_table(summary: Rankings, groups: Mapping[str, str]) -> Table:
    rows: list[list[Cell]] = [[_group(groups, c.group), c.rank, c.portal, c.name, c.score]
                              for c in summary.compliance_ranking()]
    return Table("Xếp hạng mức độ tuân thủ",
                 ["Nhóm", "Hạng", "Mã cổng", "Cổng thông tin điện tử", "Điểm tuân thủ (%)"], rows)


def compliance_table(summary: Rankings, groups: Mapping[str, str]) -> Table:
    """One row per portal: per criterion passed / failed / broken / out of, then score and ranks."""
    headers = ["Nhóm", "Mã cổng", "Cổng thông tin điện tử", "Số trang"]
    for code in summary.criteria:
        headers += [f"{code} Đạt", f"{code} Không đạt", f"{code} Không đánh giá được", f"{code} Tổng số"]
    headers += ["Điểm tuân thủ (%)", "Hạng tuân thủ", "Lượt truy cập", "Hạng lượt truy cập"]
    visits = {e.portal: e for e in summary.ranking}
    rows: list[list[Cell]] = []
    for c in summary.compliance:
        row: list[Cell] = [_group(groups, c.group), c.portal, c.name, c.sites]
        for code in summary.criteria:
            counts = c.criteria[code]
            row += [counts.passed, counts.failed, counts.broken, counts.total]
        entry = visits.get(c.portal)
        row += [c.score, c.rank,
                entry.visits if entry is not None and entry.visits is not None else NO_DATA,
                entry.rank if entry is not None else None]
        rows.append(row)
    return Table("Tổng hợp mức độ tuân thủ theo cổng", headers, rows)


def compliance_overview_table(summary: Rankings, groups: Mapping[str, str]) -> Table:
    """One row per portal in compliance-rank order: per criterion 'passed/evaluated', the score
    and the visit ranking beside it (the national overview)."""
    visits = {e.portal: e for e in summary.ranking}
    rows: list[list[Cell]] = []
    for c in summary.compliance_ranking():
        entry = visits.get(c.portal)
        cells: list[Cell] = [_group(groups, c.group), c.rank, c.portal, c.name, c.sites]
        for code in summary.criteria:
            counts = c.criteria.get(code)
            cells.append(f"{counts.passed}/{counts.evaluated}" if counts and counts.evaluated else "-")
        cells += [c.score, entry.visits if entry is not None and entry.visits is not None else NO_DATA,
                  entry.rank if entry is not None else None]
        rows.append(cells)
    return Table("Mức độ tuân thủ", ["Nhóm", "Hạng", "Mã cổng", "Cổng thông tin điện tử", "Số trang",
                                     *[f"{code} (đạt/đánh giá)" for code in summary.criteria],
                                     "Điểm tuân thủ (%)", "Lượt truy cập", "Hạng lượt truy cập"], rows)


def status_label(status: str) -> str:
    return STATUS_LABELS[Status(status)] if status in tuple(Status) else status


def records_table(records: list[Mapping[str, Any]], groups: Mapping[str, str],
                  all_categories: Sequence[Category] = ()) -> Table:
    """Every record; a reviewed one says so, with the automatic result it replaced."""
    rows: list[list[Cell]] = []
    for r in records:
        evidence = r.get("evidence") or {}
        rows.append([_group(groups, r["group"]), r["portal"], r.get("site_name"), r["site"],
                     ROLE_LABELS.get(r.get("role", ""), r.get("role")), r["criterion"],
                     status_label(r["status"]) + (" (tham khảo)" if r.get("informative") else ""),
                     r.get("message"),
                     evidence.get("site_id") if r["criterion"] == "3.1" else None,
                     category_name(r, list(all_categories)), r.get("review_note"),
                     status_label(r["automatic_status"]) if "automatic_status" in r else None])
    return Table("Kết quả chi tiết", ["Nhóm", "Mã cổng", "Tên trang", "Địa chỉ", "Loại trang", "Tiêu chí",
                                      "Kết quả", "Lý do", "Mã website EMC trên trang", "Nhóm lỗi",
                                      "Rà soát thủ công", "Kết quả tự động"], rows)


def text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")  # 153.214.000, as Vietnamese reports write it
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def to_csv(table: Table) -> str:
    """Raw numbers (no separators), so that the CSV is read back as numbers by any tool."""
    return cells.to_csv([table.headers, *table.rows], lineterminator="\n")


def to_html(tables: list[Table]) -> str:
    parts = ['<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>'
             "body{font-family:Arial,sans-serif;font-size:13px}table{border-collapse:collapse;margin:0 0 18px}"
             "th,td{border:1px solid #ccc;padding:3px 7px}th{background:#eef}td.n{text-align:right}"
             "</style></head><body>"]
    for table in tables:
        parts.append(f"<h3>{html.escape(table.title)}</h3><table><thead><tr>")
        parts.extend(f"<th>{html.escape(h)}</th>" for h in table.headers)
        parts.append("</tr></thead><tbody>")
        for row in table.rows:
            parts.append("<tr>" + "".join(
                f'<td class="n">{html.escape(text(v))}</td>' if isinstance(v, (int, float))
                else f"<td>{html.escape(text(v))}</td>" for v in row) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)


def terminal_lines(summary: Rankings, groups: Mapping[str, str]) -> list[str]:
    """A compact table per group: visit rank, portal, visits, compliance score and rank, and per
    criterion 'passed/evaluated'."""
    lines: list[str] = []
    if summary.source is None:
        lines.append(f"Xếp hạng lượt truy cập: {NO_DATA} EMC (chạy với --emc-data TỆP để xếp hạng tiêu chí 3.3)")
    else:
        lines.append(f"Dữ liệu lượt truy cập EMC: {summary.source}")
    compliance = {c.portal: c for c in summary.compliance}
    for group in dict.fromkeys(e.group for e in summary.ranking):
        headers = ["Hạng", "Cổng", "Lượt truy cập", "Tuân thủ", "Hạng TT", *summary.criteria]
        rows: list[list[str]] = []
        for entry in (e for e in summary.ranking if e.group == group):
            c = compliance.get(entry.portal)
            cells = [text(entry.rank) or "-", entry.name,
                     text(entry.visits) if entry.visits is not None else NO_DATA,
                     f"{text(c.score)}%" if c and c.score is not None else "-",
                     text(c.rank) if c and c.rank is not None else "-"]
            for code in summary.criteria:
                counts = c.criteria[code] if c else None
                cells.append(f"{counts.passed}/{counts.evaluated}" if counts and counts.evaluated else "-")
            rows.append(cells)
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        numeric = {0, 2, 3, 4} | set(range(5, len(headers)))
        lines.append("")
        lines.append(f"{_group(groups, group)} ({len(rows)} cổng)")

        def fmt(cells: list[str]) -> str:
            return "  ".join(c.rjust(w) if i in numeric else c.ljust(w)
                             for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

        lines.append(fmt(headers))
        lines.append("  ".join("-" * w for w in widths))
        lines.extend(fmt(r) for r in rows)
    if summary.matching is not None:
        warnings = [f"{summary.source}:{row.row}: dòng dữ liệu EMC không khớp trang nào trong danh mục "
                    f"({row.describe()})" for row in summary.matching.unmatched] + summary.matching.warnings
        # results.json and the workbook keep the first ones of each kind (emc_data.sample_rows) with
        # the totals; the terminal shows the first few.
        total = summary.matching.unmatched_total + summary.matching.warnings_total
        lines.extend(f"Cảnh báo: {w}" for w in warnings[:MAX_TERMINAL_WARNINGS])
        if total > min(len(warnings), MAX_TERMINAL_WARNINGS):
            lines.append(f"Cảnh báo: ... và {total - min(len(warnings), MAX_TERMINAL_WARNINGS)} cảnh báo khác "
                         "(xem results.json, mục emc_data)")
    return lines
