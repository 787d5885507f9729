"""The national overview (index.html beside the agency reports): charts to see the country at a
glance (failures by category; per group every portal's score against the national median; with the
history of earlier rounds, each portal's score and the national median across rounds), then per
group the visit ranking (criterion 3.3) and the compliance table, each portal linking to its own
report; the numbers are those of results.json, through the same tables as the terminal and the
workbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from portal_audit.inventory import GROUPS
from portal_audit.render.charts import Bar, bar_chart, count_scale, line_chart, number, small_multiples
from portal_audit.render.evaluation import Evaluation
from portal_audit.render.html import esc, meta_list, page, table_html
from portal_audit.render.tables import (
    Cell,
    Table,
    compliance_overview_table,
    visit_ranking_table,
)
from portal_audit.render.trends import Round, national_median, series
from portal_audit.summary.ranking import PortalCompliance, Rankings

GROUP_COLUMN = 0


@dataclass(frozen=True)
class OverviewCharts:
    """What the charts show beyond the summary: the rounds (oldest first, the last is this one)
    and the count of failed or broken cases per category, most common first."""

    rounds: list[Round] = field(default_factory=list)
    failures: list[tuple[str, int]] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return national_median(self.rounds[-1].scores.values()) if self.rounds else None

    @property
    def labels(self) -> list[str]:
        return [r.label for r in self.rounds]


def _national(charts: OverviewCharts) -> str:
    """The country at a glance: which failures are most common, and how the median moved."""
    parts = ["<h2>Toàn quốc</h2>"]
    if charts.median is not None:
        parts.append(f'<p class="sub">Trung vị điểm tuân thủ toàn quốc kỳ này: <b>{esc(number(charts.median))}</b>'
                     "/100.</p>")
    if charts.failures:
        bars = [Bar(name, count, str(count)) for name, count in charts.failures]
        parts.append(bar_chart("failures", "Số trường hợp không đạt hoặc không đánh giá được, theo nhóm lỗi",
                               bars, count_scale(max(count for _, count in charts.failures))))
    if len(charts.rounds) > 1:
        medians = [national_median(r.scores.values()) for r in charts.rounds]
        parts.append(line_chart("trend-national", "Trung vị điểm tuân thủ toàn quốc qua các kỳ đánh giá",
                                charts.labels, medians))
    return "".join(parts)


def _group_charts(members: list[PortalCompliance], label: str, charts: OverviewCharts) -> str:
    """Every portal of a group by score, highest first, against the national median; its trend."""
    ordered = sorted(members, key=lambda c: (c.score is None, -(c.score or 0)))
    bars = [Bar(c.name, c.score, number(c.score) if c.score is not None else "không có điểm") for c in ordered]
    median = charts.median
    marker = (median, f"trung vị toàn quốc {number(median)}") if median is not None else None
    parts = [bar_chart("scores", f"Điểm tuân thủ của từng cổng — {label}", bars, 100, marker)]
    if len(charts.rounds) > 1:
        lines = [(c.name, series(charts.rounds, c.portal)) for c in ordered]
        parts.append(small_multiples("trend-portals", f"Điểm tuân thủ qua các kỳ ({', '.join(charts.labels)}) — "
                                     f"{label}", charts.labels, lines))
    return "".join(parts)


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
                    evaluation: Evaluation | None, charts: OverviewCharts | None = None) -> str:
    """`reports` maps a portal id to its report's file name (relative to index.html)."""
    title = "Kết quả đánh giá cổng/trang thông tin điện tử" + (f" — kỳ {evaluation.period}" if evaluation else "")
    parts = ['<p class="kicker">Tổng hợp toàn quốc theo Thông tư 22/2023/TT-BTTTT</p>', f"<h1>{esc(title)}</h1>"]
    if evaluation is not None:
        parts.append(meta_list(evaluation.environment()))
    charts = charts or OverviewCharts([Round("", {c.portal: c.score for c in summary.compliance})])
    parts.append(_national(charts))
    visits, compliance = visit_ranking_table(summary, groups), compliance_overview_table(summary, groups)
    present = {row[GROUP_COLUMN] for row in visits.rows + compliance.rows}
    labels = [groups.get(g, g) for g in GROUPS] + sorted(str(g) for g in present if g not in groups.values())
    for label in labels:
        if label not in present:
            continue
        parts.append(f"<h2>{esc(label)}</h2>")
        members = [c for c in summary.compliance if groups.get(c.group, c.group) == label]
        if members:
            parts.append(_group_charts(members, label, charts))
        parts.append(f"<h3>{esc(visits.title)}</h3>{_linked(_by_group(visits, label), reports)}")
        parts.append(f"<h3>{esc(compliance.title)}</h3>{_linked(_by_group(compliance, label), reports)}")
    names = {c.portal: c.name for c in summary.compliance}
    parts.append("<h2>Báo cáo từng cơ quan</h2><ul>" + "".join(
        f'<li><a href="{esc(href)}">{esc(names.get(portal, portal))}</a></li>' for portal, href in reports.items())
        + "</ul>")
    return page(title, "".join(parts))
