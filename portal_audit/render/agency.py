"""The report sent to one agency (a ministry or a province): its portal and component sites only,
what to fix grouped by kind of failure, and per site each criterion's result, reason and evidence
(the homepage as the audit saw it, the badge, the links and EMC requests found), an auditor's
review where there was one, and the result of the previous evaluation round. One self-contained
HTML file (see reports/html.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from portal_audit.cells import csv_rows
from portal_audit.render.charts import line_chart
from portal_audit.render.evaluation import Evaluation
from portal_audit.render.html import anchor_id, data_uri, esc, href, meta_list, page, status_badge
from portal_audit.render.tables import status_label, text
from portal_audit.status import NOT_PASSING, Status
from portal_audit.summary.ranking import CriterionCounts, PortalCompliance, RankingEntry

# The digest of the evidence a report was built from, in its footer and its workbook's notes.
DIGEST_LABEL = "Mã kiểm chứng"
DIGEST_WHAT = "SHA-256 của bản kê kết quả lần đánh giá"
NO_DIGEST = "không có (lần đánh giá không ghi bản kê kiểm chứng)"
LEGEND = ("Đạt: trang đáp ứng tiêu chí. Không đạt: trang chưa đáp ứng tiêu chí, cần khắc phục. "
          "Không đánh giá được: không truy cập được trang chủ (hoặc lỗi khi đánh giá), nên không kết luận được "
          "về tiêu chí; người dân cũng không truy cập được, cần khắc phục. Không áp dụng: tiêu chí không áp dụng "
          "cho trang. Đã rà soát thủ công: kết quả do cán bộ đánh giá quyết định sau khi kiểm tra trực tiếp, "
          "thay cho kết quả tự động.")


@dataclass(frozen=True)
class Image:
    name: str
    mime: str
    content: bytes


@dataclass(frozen=True)
class CsvTable:
    name: str
    text: str

    def rows(self) -> list[list[str]]:
        return csv_rows(self.text)


@dataclass(frozen=True)
class Previous:
    """The case's result in an earlier round (from the Allure history)."""

    status: str
    round_name: str  # that round, e.g. "kỳ 2026-Q3"
    when: str  # dd/mm/yyyy


@dataclass
class CaseView:
    record: Mapping[str, Any]
    title: str  # the criterion's title
    category: str | None
    previous: Previous | None = None
    images: list[Image] = field(default_factory=list)  # the badge clip and the like
    tables: list[CsvTable] = field(default_factory=list)  # links found, EMC requests


@dataclass
class SiteView:
    name: str
    url: str
    role: str  # its label, e.g. "Trang thông tin điện tử thành phần"
    cases: list[CaseView]
    screenshot: Image | None = None  # the homepage as the audit saw it (kept for sites with failures)


@dataclass
class AgencyView:
    portal: str
    name: str
    group: str  # its label, e.g. "Tỉnh, thành phố"
    evaluation: Evaluation | None
    sites: list[SiteView]
    compliance: PortalCompliance | None = None
    compliance_of: int = 0  # portals ranked in the group
    visits: RankingEntry | None = None
    visits_of: int = 0
    digest: str | None = None  # SHA-256 of the run's manifest (portal_audit.records.manifest)
    # Its compliance score per round, oldest first, this round last (reports/trends.py).
    trend: list[tuple[str, float | None]] = field(default_factory=list)


def _case_id(site_index: int, code: str) -> str:
    # The criterion is read from results.json: only letters, digits and '-' reach the attribute.
    return anchor_id(f"c{site_index}", code)


def _counts(view: AgencyView) -> dict[str, CriterionCounts]:
    if view.compliance is not None:
        return view.compliance.criteria
    counts: dict[str, CriterionCounts] = {}
    for site in view.sites:
        for case in site.cases:
            entry = counts.setdefault(case.record["criterion"], CriterionCounts())
            status = case.record["status"] if case.record["status"] in tuple(Status) else "broken"
            setattr(entry, status, getattr(entry, status) + 1)
    return counts


def _header(view: AgencyView) -> str:
    evaluation = view.evaluation
    pairs = [("Cơ quan", f"{view.name} ({view.group})"), ("Mã cổng", view.portal)]
    if evaluation is not None:
        pairs += [("Kỳ đánh giá", evaluation.period), ("Thời điểm đánh giá", evaluation.started_local)]
    pairs.append(("Số trang được đánh giá", str(len(view.sites))))
    c = view.compliance
    if c is not None and c.score is not None:
        rank = f", xếp hạng {c.rank}/{view.compliance_of} trong nhóm {view.group}" if c.rank else ""
        pairs.append(("Mức độ tuân thủ", f"{text(c.score)}%{rank}"))
    if view.visits is not None:
        if view.visits.visits is None:
            pairs.append(("Lượt truy cập (tiêu chí 3.3)", "không có dữ liệu EMC"))
        else:
            pairs.append(("Lượt truy cập (tiêu chí 3.3)",
                          f"{text(view.visits.visits)}, xếp hạng {view.visits.rank}/{view.visits_of} trong nhóm"))
    return ('<p class="kicker">Kết quả đánh giá cổng/trang thông tin điện tử theo Thông tư 22/2023/TT-BTTTT</p>'
            f"<h1>{esc(view.name)}</h1>{meta_list(pairs)}")


def _trend(view: AgencyView) -> str:
    """Its own score across rounds, when the history holds an earlier one."""
    if len(view.trend) < 2:
        return ""
    labels, values = [label for label, _ in view.trend], [value for _, value in view.trend]
    return line_chart("trend-agency", f"Mức độ tuân thủ của {view.name} qua các kỳ đánh giá", labels, values,
                      width=560, height=180)


def _criteria_table(view: AgencyView) -> str:
    titles = {case.record["criterion"]: case.title for site in view.sites for case in site.cases}
    rows = []
    for code, counts in _counts(view).items():
        if not counts.total:
            continue
        rows.append(f"<tr><td>{esc(code)}</td><td>{esc(titles.get(code, ''))}</td>"
                    f'<td class="n">{counts.passed}</td><td class="n">{counts.failed}</td>'
                    f'<td class="n">{counts.broken}</td><td class="n">{counts.skipped}</td>'
                    f'<td class="n">{counts.total}</td></tr>')
    return ("<h2>Tổng hợp theo tiêu chí</h2><table><thead><tr><th>Tiêu chí</th><th>Nội dung</th><th>Đạt</th>"
            "<th>Không đạt</th><th>Không đánh giá được</th><th>Không áp dụng</th><th>Số trang</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def missing_items(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, why) of each required item a record of criterion CONTENT finds missing (after the
    reviews of single items); empty for any other record."""
    evidence = record.get("evidence") or {}
    items = {str(i.get("code")): i for i in evidence.get("items") or [] if isinstance(i, dict)}
    missing = record.get("items_missing", evidence.get("missing")) or []
    return [(str(items.get(code, {}).get("label") or code), str(items.get(code, {}).get("detail") or ""))
            for code in missing]


def _to_fix(view: AgencyView) -> str:
    groups: dict[str, list[str]] = {}
    for index, site in enumerate(view.sites):
        for case in site.cases:
            if case.record["status"] not in NOT_PASSING or case.category is None:
                continue
            where = (f'<li><a href="#{_case_id(index, case.record["criterion"])}">{esc(site.name)}</a> '
                     f'<span class="small">({esc(site.url)})</span>, tiêu chí {esc(case.record["criterion"])}')
            # One line per missing content item: each is a task of its own for the agency.
            lines = [f"{where}, mục {esc(label)}: {esc(why)}</li>" for label, why in missing_items(case.record)]
            groups.setdefault(case.category, []).extend(lines or [f'{where}: {esc(case.record.get("message"))}</li>'])
    if not groups:
        return "<h2>Nội dung cần khắc phục</h2><p>Không có nội dung nào cần khắc phục.</p>"
    parts = ["<h2>Nội dung cần khắc phục</h2>"]
    for name, items in groups.items():
        parts.append(f"<h3>{esc(name)} ({len(items)})</h3><ul>{''.join(items)}</ul>")
    return "".join(parts)


def _reason(case: CaseView) -> str:
    record = case.record
    if record.get("review_applied"):
        parts = [f'<div class="review">{esc(record.get("review_note"))}</div>',
                 f'<div class="small">Kết quả tự động: {esc(status_label(record["automatic_status"]))} — '
                 f'{esc(record.get("automatic_message"))}</div>']
    else:
        parts = [esc(record.get("message"))]
        if "review" in record:
            parts.append(f'<div class="changed">{esc(record.get("review_note"))}</div>')
    if case.category:
        parts.append(f'<div class="small">Nhóm lỗi: {esc(case.category)}</div>')
    return "".join(parts)


def _previous(case: CaseView) -> str:
    previous = case.previous
    if previous is None:
        return '<span class="small">chưa có</span>'
    now = case.record["status"]
    trend = ""
    if previous.status in NOT_PASSING and now == Status.PASSED:
        trend = '<div class="small">đã khắc phục</div>'
    elif previous.status == Status.PASSED and now in NOT_PASSING:
        trend = '<div class="small">mới phát sinh</div>'
    return (f"{status_badge(previous.status, status_label(previous.status))}"
            f'<div class="small">{esc(previous.round_name)} ({esc(previous.when)})</div>{trend}')


def _evidence(case: CaseView) -> str:
    parts = []
    for image in case.images:
        parts.append(f"<details><summary>{esc(image.name)} (tiêu chí {esc(case.record['criterion'])})</summary>"
                     f'<img class="clip" alt="{esc(image.name)}" src="{data_uri(image.mime, image.content)}">'
                     "</details>")
    for table in case.tables:
        rows = table.rows()
        if len(rows) < 2:
            continue  # a header alone: nothing was found (the reason says so)
        head = "".join(f"<th>{esc(h)}</th>" for h in rows[0])
        body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows[1:])
        parts.append(f"<details><summary>{esc(table.name)} (tiêu chí {esc(case.record['criterion'])}, "
                     f"{len(rows) - 1} dòng)</summary><table><thead><tr>{head}</tr></thead>"
                     f"<tbody>{body}</tbody></table></details>")
    return "".join(parts)


def _site(index: int, site: SiteView, with_history: bool) -> str:
    rows = []
    for case in site.cases:
        record = case.record
        label = status_label(record["status"])
        if record.get("review_applied"):
            label += " (đã rà soát thủ công)"
        rows.append(f'<tr id="{_case_id(index, record["criterion"])}"><td>{esc(record["criterion"])} '
                    f'{esc(case.title)}</td><td>{status_badge(record["status"], label)}</td><td>{_reason(case)}</td>'
                    + (f"<td>{_previous(case)}</td>" if with_history else "") + "</tr>")
    head = "<th>Tiêu chí</th><th>Kết quả</th><th>Lý do</th>" + ("<th>Kỳ trước</th>" if with_history else "")
    screenshot = ""
    if site.screenshot is not None:
        screenshot = (f'<p class="small">Ảnh chụp trang chủ khi đánh giá:</p><div class="shot"><img alt="Ảnh chụp '
                      f'trang chủ {esc(site.name)}" src="{data_uri(site.screenshot.mime, site.screenshot.content)}">'
                      "</div>")
    evidence = "".join(_evidence(case) for case in site.cases)
    target = href(site.url)
    link = f'<a href="{target}">{esc(site.url)}</a>' if target else esc(site.url)
    return (f'<div class="site"><h3>{esc(site.name)}</h3><p class="sub">{link}'
            f" · {esc(site.role)}</p><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"{screenshot}{evidence}</div>")


def digest_line(digest: str | None) -> str:
    """The footer's last line; portal_audit.verify reads the digest back from the last such line."""
    return f"{DIGEST_LABEL} ({DIGEST_WHAT}): {digest or NO_DIGEST}"


def render_agency(view: AgencyView) -> str:
    with_history = any(case.previous is not None for site in view.sites for case in site.cases)
    evaluation = view.evaluation
    footer = [LEGEND]
    if evaluation is not None:
        footer.append("Thực hiện bằng công cụ tự động portal-audit "
                      f"{evaluation.tool_version}, trình duyệt Chromium {evaluation.chromium or 'không rõ phiên bản'}, "
                      "theo Công văn 2820/BTTTT-CPSQG.")
    footer.append(digest_line(view.digest))
    body = (_header(view) + _trend(view) + _criteria_table(view) + _to_fix(view) + "<h2>Kết quả chi tiết theo trang</h2>"
            + "".join(_site(i, site, with_history) for i, site in enumerate(view.sites))
            + "<footer>" + "".join(f"<p>{esc(line)}</p>" for line in footer) + "</footer>")
    period = f" — kỳ {evaluation.period}" if evaluation is not None else ""
    return page(f"Kết quả đánh giá {view.name}{period}", body)
