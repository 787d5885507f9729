"""python -m portal_audit.report: from an audit run to the files sent to each agency.

    python -m portal_audit.report --allure-results allure-results --results reports/results.json \\
        --out reports/gui-co-quan

writes, for every portal of the results, OUT/<portal-id>.html (its own sites only, one
self-contained file that opens from disk with no server and no network) and OUT/<portal-id>.xlsx
(its records as a workbook), and OUT/index.html, the national overview linking to them."""

from __future__ import annotations

import argparse
import io
import re
from pathlib import Path
from typing import Any, Sequence

from portal_audit.checks import CRITERIA
from portal_audit.command import Parser, UsageError, run_command
from portal_audit.files import write_atomic
from portal_audit.report.inputs import (
    AllureResults,
    History,
    InputError,
    Results,
    iso_ms,
    load_allure_results,
    load_history,
    load_results,
)
from portal_audit.render.agency import (
    AgencyView,
    CaseView,
    CsvTable,
    Image,
    SiteView,
    render_agency,
)
from portal_audit.render.categories import Category, categories, category_name
from portal_audit.render.evaluation import Evaluation
from portal_audit.render.excel import build_workbook
from portal_audit.render.overview import render_overview
from portal_audit.settings import Settings, load_settings
from portal_audit.status import NOT_PASSING
from portal_audit.summary.ranking import Rankings
from portal_audit.verdicts import PAGE_SCREENSHOT
from portal_audit.yamlio import SourceError

PROG = "python -m portal_audit.report"
INDEX = "index.html"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = Parser(prog=PROG, description="Lập báo cáo gửi từng cơ quan (mỗi cổng một tệp HTML và một tệp Excel) "
                                           "và trang tổng hợp toàn quốc từ kết quả một lần đánh giá.")
    parser.add_argument("--allure-results", required=True, type=Path, metavar="DIR",
                        help="thư mục kết quả Allure của lần đánh giá (--alluredir)")
    parser.add_argument("--results", required=True, type=Path, metavar="FILE",
                        help="tệp results.json của lần đánh giá (--results)")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="thư mục ghi các báo cáo")
    parser.add_argument("--history", type=Path, metavar="FILE",
                        help="tệp lịch sử Allure để so với kỳ trước (mặc định: tệp --history của lần đánh giá)")
    parser.add_argument("--audit-config", type=Path, metavar="FILE",
                        help="tệp cấu hình đã dùng khi đánh giá (tên nhóm, tên nhóm lỗi)")
    parser.add_argument("--portal", action="append", default=[], metavar="ID",
                        help="chỉ lập báo cáo cho cổng có mã ID; lặp lại được")
    return parser.parse_args(argv)


def file_name(portal: str, taken: set[str]) -> str:
    """A portal id as a file name of its own (ids are slugs, but an inventory may hold anything)."""
    base = re.sub(r"[^\w.-]+", "-", portal).strip(".-") or "cong"
    name, n = base, 2
    while name.lower() in taken or name.lower() == "index":
        name, n = f"{base}-{n}", n + 1
    taken.add(name.lower())
    return name


def _case(record: dict[str, Any], allure: AllureResults, history: History, all_categories: list[Category],
          titles: dict[str, str], started_ms: int | None) -> tuple[CaseView, Image | None]:
    key = (record["site"], record["criterion"])
    case = CaseView(record, titles.get(record["criterion"], ""), category_name(record, all_categories),
                    history.previous(*key, allure.started.get(key, started_ms)))
    screenshot = None
    for evidence in allure.evidence.get(key, []):
        if evidence.mime.startswith("image/"):
            image = Image(evidence.name, evidence.mime, evidence.read())
            if evidence.name == PAGE_SCREENSHOT:
                screenshot = screenshot or image
            else:
                case.images.append(image)
        elif evidence.mime == "text/csv":
            case.tables.append(CsvTable(evidence.name, evidence.read().decode("utf-8", errors="replace")))
    return case, screenshot


def agency_view(portal: str, records: list[dict[str, Any]], results: Results, allure: AllureResults,
                history: History, summary: Rankings, settings: Settings) -> AgencyView:
    labels = settings.labels
    all_categories = categories(labels)
    titles = {c.code: c.title for c in CRITERIA}
    evaluation = results.evaluation
    started_ms = iso_ms(evaluation.started_at) if evaluation else None
    sites: dict[str, SiteView] = {}
    for record in records:
        site = sites.get(record["site"])
        if site is None:
            site = sites[record["site"]] = SiteView(record.get("site_name") or record["site"], record["site"],
                                                    labels.roles.get(record.get("role", ""), record.get("role", "")), [])
        case, screenshot = _case(record, allure, history, all_categories, titles, started_ms)
        site.cases.append(case)
        if screenshot is not None and site.screenshot is None:
            site.screenshot = screenshot
    for site in sites.values():
        if not any(c.record["status"] in NOT_PASSING for c in site.cases):
            site.screenshot = None  # the evidence of a failure only
    first = records[0]
    compliance = next((c for c in summary.compliance if c.portal == portal), None)
    visits = next((e for e in summary.ranking if e.portal == portal), None)
    group = first["group"]
    portal_site = next((r for r in records if r.get("role") == "portal"), first)
    return AgencyView(
        portal=portal, name=compliance.name if compliance else portal_site.get("site_name") or portal,
        group=labels.groups.get(group, group), evaluation=evaluation, sites=list(sites.values()),
        compliance=compliance, compliance_of=sum(1 for c in summary.compliance if c.group == group and c.rank),
        visits=visits, visits_of=sum(1 for e in summary.ranking if e.group == group and e.rank))


def agency_workbook(portal: str, records: list[dict[str, Any]], summary: Rankings, settings: Settings,
                    evaluation: Evaluation | None) -> bytes:
    """The agency's own rows of the national workbook."""
    own = Rankings([e for e in summary.ranking if e.portal == portal],
                  [c for c in summary.compliance if c.portal == portal], summary.criteria, summary.source, None)
    notes: list[tuple[str, Any]] = evaluation.environment() if evaluation else []
    out = io.BytesIO()
    build_workbook(own, records, settings.labels.groups, notes, categories(settings.labels)).save(out)
    return out.getvalue()


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = load_settings(args.audit_config)
        results = load_results(args.results)
        allure = load_allure_results(args.allure_results)
        evaluation = results.evaluation
        history = load_history(args.history or (Path(evaluation.history) if evaluation else None))
        summary = Rankings.from_json(results.document)
    except (SourceError, InputError) as err:
        raise UsageError(str(err)) from None
    by_portal: dict[str, list[dict[str, Any]]] = {}
    for record in results.records:
        by_portal.setdefault(record["portal"], []).append(record)
    unknown = [p for p in args.portal if p not in by_portal]
    if unknown:
        raise UsageError(f"{args.results}: không có kết quả của cổng {', '.join(unknown)}")
    selected = [p for p in by_portal if not args.portal or p in args.portal]
    taken: set[str] = set()
    reports: dict[str, str] = {}
    for portal in selected:
        name = file_name(portal, taken)
        records = by_portal[portal]
        view = agency_view(portal, records, results, allure, history, summary, settings)
        write_atomic(args.out / f"{name}.html", render_agency(view))
        write_atomic(args.out / f"{name}.xlsx", agency_workbook(portal, records, summary, settings, evaluation))
        reports[portal] = f"{name}.html"
    write_atomic(args.out / INDEX, render_overview(summary, settings.labels.groups, reports, evaluation))
    print(f"{PROG}: {len(reports)} báo cáo cơ quan (HTML, Excel) và trang tổng hợp {args.out / INDEX}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(PROG, run, argv)
