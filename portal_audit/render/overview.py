"""The national overview (index.html beside the agency reports): per group, the visit ranking
(criterion 3.3) and the compliance table, each portal linking to its own report; the numbers are
those of results.json, through the same tables as the terminal and the workbook."""

from __future__ import annotations

from typing import Mapping

from portal_audit.inventory import GROUPS
from portal_audit.render.evaluation import Evaluation
from portal_audit.render.html import esc, meta_list, page, table_html
from portal_audit.render.tables import (
    Cell,
    Table,
    compliance_overview_table,
    visit_ranking_table,
)
from portal_audit.summary.ranking import Rankings

GROUP_COLUMN = 0


def _by_group(table: Table, group: str) -> Table:
    """The rows of one group, without the group column."""
    rows = [row[1:] for row in table.rows if row[GROUP_COLUMN] == group]
    return Table(table.title, table.headers[1:], rows)


def _linked(table: Table, reports: Mapping[str, str]) -> str:
    """The table with each portal's name linking to its report (the portal id column is dropped)."""
    id_column = table.headers.index("Mã cổng")
    portals = [str(row[id_column]) for row in table.rows]
    shown = Table(table.title, table.headers[:id_column] + table.headers[id_column + 1:],
                  [row[:id_column] + row[id_column + 1:] for row in table.rows])
    name_column = shown.headers.index("Cổng thông tin điện tử")

    def render(row: int, column: int, value: Cell) -> str | None:
        if column != name_column or portals[row] not in reports:
            return None
        return f'<a href="{esc(reports[portals[row]])}">{esc(value)}</a>'

    return table_html(shown, render)


def render_overview(summary: Rankings, groups: Mapping[str, str], reports: Mapping[str, str],
                    evaluation: Evaluation | None) -> str:
    """`reports` maps a portal id to its report's file name (relative to index.html)."""
    title = "Kết quả đánh giá cổng/trang thông tin điện tử" + (f" — kỳ {evaluation.period}" if evaluation else "")
    parts = ['<p class="kicker">Tổng hợp toàn quốc theo Thông tư 22/2023/TT-BTTTT</p>', f"<h1>{esc(title)}</h1>"]
    if evaluation is not None:
        parts.append(meta_list(evaluation.environment()))
    visits, compliance = visit_ranking_table(summary, groups), compliance_overview_table(summary, groups)
    present = {row[GROUP_COLUMN] for row in visits.rows + compliance.rows}
    labels = [groups.get(g, g) for g in GROUPS] + sorted(str(g) for g in present if g not in groups.values())
    for label in labels:
        if label not in present:
            continue
        parts.append(f"<h2>{esc(label)}</h2>")
        parts.append(f"<h3>{esc(visits.title)}</h3>{_linked(_by_group(visits, label), reports)}")
        parts.append(f"<h3>{esc(compliance.title)}</h3>{_linked(_by_group(compliance, label), reports)}")
    names = {c.portal: c.name for c in summary.compliance}
    parts.append("<h2>Báo cáo từng cơ quan</h2><ul>" + "".join(
        f'<li><a href="{esc(href)}">{esc(names.get(portal, portal))}</a></li>' for portal, href in reports.items())
        + "</ul>")
    return page(title, "".join(parts))
