"""python -m portal_audit.report: from an audit run to the files sent to each agency.

    python -m portal_audit.report --allure-results allure-results --results reports/results.json \\
        --out reports/gui-co-quan

writes, for every portal of the results, OUT/<portal-id>.html (its own sites only, one
self-contained file that opens from disk with no server and no network) and OUT/<portal-id>.xlsx
(its records as a workbook), and OUT/index.html, the national overview linking to them.

results.json and the Allure folder are first checked against the run's manifest (results.manifest.json
beside results.json): a file changed after the run stops the command with one line naming it. Each
agency's files show the manifest's SHA-256, "Mã kiểm chứng" (python -m portal_audit.verify checks a
published report against the run's folder)."""

from __future__ import annotations

import argparse
import io
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

from portal_audit.checks import CRITERIA
from portal_audit.artifacts import ArtifactError
from portal_audit.command import Parser, UsageError, run_command
from portal_audit.files import write_atomic
from portal_audit.records.manifest import ManifestError, check_runs, manifest_digest, unchecked_warning
from portal_audit.records.reader import ResultsError
from portal_audit.report.inputs import (
    AllureResults,
    History,
    Results,
    iso_ms,
    load_allure_results,
    load_history,
    load_results,
    recorded_history,
)
from portal_audit.render.agency import (
    DIGEST_LABEL,
    NO_DIGEST,
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
from portal_audit.render.overview import OverviewCharts, render_overview
from portal_audit.render.trends import failure_counts, rounds
from portal_audit.settings import Settings, load_settings
from portal_audit.status import NOT_PASSING
from portal_audit.summary.ranking import Rankings
from portal_audit.verdicts import PAGE_SCREENSHOT
from portal_audit.yamlio import SourceError

PROG = "python -m portal_audit.report"
INDEX = "index.html"
# Longest file name stem taken from a portal id (file systems allow 255 bytes; Vietnamese letters take 3).
MAX_FILE_STEM = 64


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = Parser(prog=PROG, example="portal-audit report --allure-results allure-results --results reports/results.json --out reports/gui-co-quan",
                    description="Lập báo cáo gửi từng cơ quan (mỗi cổng một tệp HTML và một tệp Excel) "
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
    """A portal id as a file name of its own (the inventory allows slugs only, but results.json is read
    back as untrusted: anything else, and any length, still makes a usable name)."""
    base = re.sub(r"[^\w.-]+", "-", portal)[:MAX_FILE_STEM].strip(".-") or "cong"
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
                    evaluation: Evaluation | None, digest: str | None = None) -> bytes:
    """The agency's own rows of the national workbook, with the digest of the evidence in its notes."""
    own = Rankings([e for e in summary.ranking if e.portal == portal],
                  [c for c in summary.compliance if c.portal == portal], summary.criteria, summary.source, None)
    notes: list[tuple[str, Any]] = evaluation.environment() if evaluation else []
    notes.append((DIGEST_LABEL, digest or NO_DIGEST))
    out = io.BytesIO()
    build_workbook(own, records, settings.labels.groups, notes, categories(settings.labels)).save(out)
    return out.getvalue()


def overview_charts(results: Results, history: History, summary: Rankings, settings: Settings,
                    all_categories: list[Category]) -> OverviewCharts:
    """The rounds of the history before this one, this round, and its failures by category."""
    evaluation = results.evaluation
    label = f"kỳ {evaluation.period}" if evaluation else "kỳ này"
    started_ms = iso_ms(evaluation.started_at) if evaluation else None
    all_rounds = rounds(history, results.records, summary, settings.ranking.weights, settings.criteria.informative,
                        label, started_ms)
    return OverviewCharts(all_rounds, failure_counts(category_name(r, all_categories) for r in results.records))


@dataclass
class ReportInputs:
    settings: Settings
    results: Results
    allure: AllureResults
    history: History
    summary: Rankings
    digest: str | None  # SHA-256 of the run's manifest: the evidence the reports are built from
    warnings: list[str]


def read_inputs(args: argparse.Namespace) -> ReportInputs:
    """Every input, results.json and the Allure folder checked against the run's manifest before
    anything of them is used."""
    try:
        settings = load_settings(args.audit_config)
        limits = settings.artifacts
        results = load_results(args.results, limits)
        unchecked = check_runs([(args.results, results.model)], args.allure_results)
        allure = load_allure_results(args.allure_results, limits)
        evaluation = results.evaluation
        history_path, warning = (args.history, None) if args.history else recorded_history(evaluation)
        if warning:
            print(f"{PROG}: cảnh báo: {args.results}: {warning}", file=sys.stderr)
        history = load_history(history_path, limits.history_max_bytes)
        summary = Rankings.from_json(results.document)
    except (SourceError, ResultsError, ManifestError, ArtifactError) as err:
        raise UsageError(str(err)) from None
    return ReportInputs(settings, results, allure, history, summary, manifest_digest(args.results),
                        [unchecked_warning(path) for path in unchecked])


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    inputs = read_inputs(args)
    results, settings, summary = inputs.results, inputs.settings, inputs.summary
    by_portal: dict[str, list[dict[str, Any]]] = {}
    for record in results.records:
        by_portal.setdefault(record["portal"], []).append(record)
    unknown = [p for p in args.portal if p not in by_portal]
    if unknown:
        raise UsageError(f"{args.results}: không có kết quả của cổng {', '.join(unknown)}")
    selected = [p for p in by_portal if not args.portal or p in args.portal]
    charts = overview_charts(results, inputs.history, summary, settings, all_categories=categories(settings.labels))
    taken: set[str] = set()
    reports: dict[str, str] = {}
    for portal in selected:
        name = file_name(portal, taken)
        records = by_portal[portal]
        view = replace(agency_view(portal, records, results, inputs.allure, inputs.history, summary, settings),
                       digest=inputs.digest, trend=[(r.label, r.scores.get(portal)) for r in charts.rounds])
        write_atomic(args.out / f"{name}.html", render_agency(view))
        write_atomic(args.out / f"{name}.xlsx",
                     agency_workbook(portal, records, summary, settings, results.evaluation, inputs.digest))
        reports[portal] = f"{name}.html"
    write_atomic(args.out / INDEX, render_overview(summary, settings.labels.groups, reports, results.evaluation,
                                                   charts))
    for warning in inputs.warnings:
        print(f"{PROG}: cảnh báo: {warning}", file=sys.stderr)
    print(f"{PROG}: {len(reports)} báo cáo cơ quan (HTML, Excel) và trang tổng hợp {args.out / INDEX}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(PROG, run, argv)
