"""python -m portal_audit.discovery: propose each portal's component sites from its rendered
homepage (links, <select> link lists, iframes), its sitemap.xml and, with --domain-scan or
--ct-export, a scan of the names under its domain (domain_scan.py), and merge accepted proposals
into the inventory. Drives the browser with Playwright's sync API directly (no pytest)."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import urljoin

from playwright.sync_api import Browser, Playwright, sync_playwright

from portal_audit.command import Parser, UsageError, run_command
from portal_audit.discovery.candidates import CandidateFinder, host_key
from portal_audit.discovery.domain_scan import (CT, DNS, CtExportError, Progress, grouped, judge_names, names_under,
                                                read_ct_export, resolve_all, scan_labels)
from portal_audit.dns import DnsAnswer, Resolver
from portal_audit.discovery.inventory_update import MergeError, merge_proposals
from portal_audit.discovery.proposals import (PortalProposals, Proposal, compare, read_accepted,
                                              write_proposals)
from portal_audit.discovery.sitemap import read_sitemaps
from portal_audit.discovery.stopping import StopRequest
from portal_audit.inventory import GROUPS, Inventory, Portal, SelectionError, load_inventory, select_portals
from portal_audit.settings import Settings, load_settings
from portal_audit.urls import registrable_domain
from portal_audit.visit import (Capture, LiveBrowser, ResolveError, ResolveRule, VisitError, launch_options,
                                parse_rule, visit_site)
from portal_audit.visit.documents import DocumentFetcher
from portal_audit.network.resolve import address_for
from portal_audit.yamlio import SourceError

PROG = "python -m portal_audit.discovery"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = Parser(prog=PROG, example="portal-audit discover --portal thai-nguyen --domain-scan --out reports/proposals.yaml",
                    description="Đề xuất trang thông tin điện tử thành phần của từng cổng "
                                           "từ trang chủ (liên kết, danh sách chọn, khung nhúng) và sitemap.xml.")
    parser.add_argument("--inventory", default="inventory.yaml", type=Path, metavar="FILE",
                        help="danh mục cổng (mặc định: inventory.yaml)")
    parser.add_argument("--portal", action="append", default=[], metavar="ID",
                        help="chỉ xét cổng có mã ID; lặp lại được")
    parser.add_argument("--group", choices=GROUPS, help="chỉ xét một nhóm: ministry hoặc province")
    parser.add_argument("--resolve", action="append", default=[], metavar="PATTERN=ADDRESS",
                        help="kết nối mọi tên miền khớp mẫu tới ADDRESS (IP[:PORT]) thay cho DNS; lặp lại được")
    parser.add_argument("--ignore-https-errors", action="store_true",
                        help="chấp nhận chứng chỉ tự ký / không rõ nguồn (chỉ dùng cho bản thử nghiệm)")
    parser.add_argument("--audit-config", type=Path, metavar="FILE",
                        help="tệp cấu hình ghi đè cấu hình mặc định (mục visit, discovery ...)")
    parser.add_argument("--domain-scan", action="store_true",
                        help="rà quét tên miền: tra DNS các tên thường gặp của sở, ban, ngành dưới tên miền của cổng "
                             "(discovery.scan, dns.nameservers) và đề xuất những tên trả về trang web")
    parser.add_argument("--ct-export", action="append", default=[], type=Path, metavar="FILE",
                        help="tệp JSON/CSV tải từ dịch vụ tra cứu chứng chỉ số (crt.sh, Cert Spotter): các tên "
                             "dưới tên miền của cổng được tra DNS và đề xuất như khi rà quét; lặp lại được")
    parser.add_argument("--out", default=Path("reports/proposals.yaml"), type=Path, metavar="FILE",
                        help="tệp đề xuất để rà soát (mặc định: reports/proposals.yaml)")
    parser.add_argument("--merge", action="store_true",
                        help="gộp các đề xuất 'new' vào tệp danh mục (giữ thứ tự và chú thích)")
    parser.add_argument("--proposals", type=Path, metavar="FILE",
                        help="cùng --merge: gộp mục 'new' của tệp đề xuất đã rà soát, không truy cập lại các cổng")
    args = parser.parse_args(argv)
    if args.proposals and not args.merge:
        raise UsageError("--proposals chỉ dùng cùng --merge")
    return args


class _LinksSettled:
    """Visit completion for discovery: the homepage's links stayed the same for `seconds`, so link
    lists rendered late (AJAX, tag managers) are waited for while a static page is read at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.seen: tuple[tuple[str, ...], ...] | None = None
        self.since = 0.0

    def __call__(self, capture: Capture) -> bool:
        links = tuple((link.href, link.raw, link.text, link.section) for link in capture.links)
        now = time.monotonic()
        if links != self.seen:
            self.seen, self.since = links, now
            return False
        return now - self.since >= self.seconds


class _Browsing:
    """The browser of one discovery run (started again if a page killed it) and its document fetcher."""

    def __init__(self, playwright: Playwright, settings: Settings, ignore_https_errors: bool,
                 rules: tuple[ResolveRule, ...]) -> None:
        self.settings = settings
        self.ignore_https_errors = ignore_https_errors
        self.rules = rules
        self.browser = LiveBrowser(lambda: playwright.chromium.launch(
            headless=True, **launch_options(playwright, settings.browser, rules)))
        self._fetcher: tuple[Browser, DocumentFetcher] | None = None

    def fetcher(self) -> DocumentFetcher:
        browser = self.browser.get()
        if self._fetcher is None or self._fetcher[0] is not browser:
            self._fetcher = (browser, DocumentFetcher(browser, self.settings, self.ignore_https_errors, self.rules))
        return self._fetcher[1]

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher[1].close()
        self.browser.close()


class _DomainScan:
    """The domain scan of one run: the labels, the names of the CT exports, the DNS lookups (one
    resolver per thread) and the homepage loads (through the browser)."""

    def __init__(self, settings: Settings, rules: tuple[ResolveRule, ...], labels: bool, ct_names: set[str]) -> None:
        self.settings = settings
        self.rules = rules
        self.labels = scan_labels(settings.discovery.scan) if labels else []
        self.ct_names = ct_names
        self._local = threading.local()

    def _lookup(self, name: str, rdtype: str) -> DnsAnswer:
        if not hasattr(self._local, "resolver"):
            self._local.resolver = Resolver(self.settings.dns)
        return self._local.resolver.lookup(name, rdtype)

    def run(self, portal_hosts: set[str], home: str, finder: CandidateFinder, fetcher: DocumentFetcher,
            stopped: Callable[[], bool]) -> dict:
        settings = self.settings.discovery.scan
        domain = registrable_domain(host_key(home)) or host_key(home)
        sources = {f"{label}.{domain}": DNS for label in self.labels}
        sources.update({name: CT for name in names_under(self.ct_names, domain)})
        names = sorted(sources)
        answers = resolve_all(names, self._lookup, settings, stopped,
                              Progress(f"rà quét {domain}: đã tra DNS", len(names), settings.progress_seconds).step)
        existing = sum(1 for answer in answers.values() if answer.exists)
        loads = Progress(f"rà quét {domain}: đã tải trang chủ", existing, settings.progress_seconds)
        result = judge_names(domain, portal_hosts, sources, answers,
                             lambda url: fetcher.homepage(url, settings.homepage_timeout),
                             lambda host: address_for(host, list(self.rules)) is not None, finder.excluded_host,
                             stopped, loads.step)
        if stopped():
            judged = len(result.found) + len(result.not_proposed)
            result.stopped = (f"đã dừng (Ctrl-C): đã tra DNS {grouped(len(answers))}/{grouped(len(names))} tên, "
                              f"đã tải {grouped(judged)}/{grouped(existing)} tên có trong DNS")
        for found in result.found:
            finder.add_scanned(found.url, found.name, found.where, found.how)
        print(f"  {result.summary()}", flush=True)
        return result.as_yaml()


def discover_portal(browsing: _Browsing, portal: Portal, inventory: Inventory, scan: _DomainScan | None = None,
                    stopped: Callable[[], bool] = lambda: False) -> PortalProposals:
    settings = browsing.settings
    try:
        # Links a visitor reaches only by acting on the homepage (a link list of ids, a hover menu, a
        # tab) are wanted too: the visit acts on the page until it has tried everything or its
        # interaction budget is spent.
        capture = visit_site(browsing.browser.get(), portal.url, settings, ignore_https_errors=browsing.ignore_https_errors,
                             is_complete=_LinksSettled(min(settings.discovery.stable_seconds, settings.visit.settle_budget)),
                             resolve=browsing.rules, links_complete=lambda capture: False).capture
    except VisitError as err:
        return PortalProposals(portal, error=err.message)
    fetcher = browsing.fetcher()  # the visit may have lost the browser (a frozen page)
    home = capture.final_url or portal.url
    sitemap_urls: list[str] = []
    sitemaps_read: list[str] = []
    for path in settings.discovery.sitemap_paths:
        urls, read = read_sitemaps(urljoin(home, path), lambda url: fetcher.body(url, settings.visit.navigation_timeout),
                                   settings.discovery.sitemap_max_files)
        sitemap_urls += urls
        sitemaps_read += read
    finder = CandidateFinder([portal.url, home], settings.discovery)
    finder.add_links(capture.links)
    finder.add_sitemap(sitemap_urls)
    scanned = scan.run(finder.domains, home, finder, fetcher, stopped) if scan is not None else None
    candidates = finder.candidates()
    listed_hosts = {host_key(site.url) for site in inventory.sites()}
    for candidate in candidates:
        # A link without usable text (a logo, a bare address, a sitemap entry): the site names itself
        # (not once Ctrl-C was pressed: the proposal keeps its address as its name).
        if not candidate.name and candidate.host not in listed_hosts and not stopped():
            candidate.name = fetcher.title(candidate.url, settings.discovery.title_timeout)
    linked = {address.match_host for address in (link.address() for link in capture.links) if address}
    linked |= {host_key(url) for url in sitemap_urls} - {""}
    result = compare(portal, inventory, candidates, linked)
    result.sitemap = sitemaps_read
    result.domain_scan = scanned
    if stopped():
        result.stopped = "đã dừng (Ctrl-C) trước khi xét xong: chỉ gồm những gì tìm được đến lúc đó"
    return result


def _load(args: argparse.Namespace) -> tuple[Settings, tuple[ResolveRule, ...], Inventory, Inventory, _DomainScan | None]:
    try:
        settings = load_settings(args.audit_config)
        rules = tuple(parse_rule(text) for text in args.resolve)
        inventory = load_inventory(args.inventory)
        selected = select_portals(inventory, args.portal, args.group)
        ct_names = {name for path in args.ct_export for name in read_ct_export(path)}
    except (SourceError, ResolveError, SelectionError, CtExportError) as err:
        raise UsageError(str(err)) from None
    scan = _DomainScan(settings, rules, args.domain_scan, ct_names) if args.domain_scan or args.ct_export else None
    return settings, rules, inventory, selected, scan


def _merge(inventory_path: Path, accepted: dict[str, list[Proposal]]) -> None:
    try:
        report = merge_proposals(inventory_path, accepted)
    except (MergeError, SourceError) as err:
        raise UsageError(str(err)) from None
    for line in report.skipped:
        print(line)
    print(f"Đã gộp {report.count} trang thành phần vào {inventory_path}")


def _quietly(step: Callable[[], None], stopped: Callable[[], bool]) -> None:
    """`step`, whose failure once Ctrl-C was pressed is expected (the terminal's interrupt also
    reaches the Playwright driver) and must not keep the proposals from being written."""
    if not stopped():
        step()
        return
    # Playwright's asyncio loop then logs "Future exception was never retrieved ... Connection
    # closed while reading from the driver": expected, and no concern of the auditor.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    try:
        step()
    except Exception:  # noqa: BLE001 - see above
        pass


def _discover_all(args: argparse.Namespace, settings: Settings, rules: tuple[ResolveRule, ...], inventory: Inventory,
                  selected: Inventory, scan: _DomainScan | None, stopped: Callable[[], bool]) -> list[PortalProposals]:
    results: list[PortalProposals] = []
    playwright = sync_playwright().start()
    try:
        browsing = _Browsing(playwright, settings, args.ignore_https_errors, rules)
        try:
            for portal in selected.portals:
                if stopped():
                    break
                result = discover_portal(browsing, portal, inventory, scan, stopped)
                if stopped() and result.error:  # the visit was cut by the interrupt, not the site's fault
                    result = PortalProposals(portal, error="đã dừng (Ctrl-C) trước khi xét xong cổng này")
                print(result.summary(), flush=True)
                results.append(result)
        finally:
            _quietly(browsing.close, stopped)
    finally:
        _quietly(playwright.stop, stopped)
    return results


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.proposals:
        try:
            accepted = read_accepted(args.proposals)
        except SourceError as err:
            raise UsageError(str(err)) from None
        _merge(args.inventory, accepted)
        return 0
    settings, rules, inventory, selected, scan = _load(args)
    with StopRequest(PROG) as stopped:
        results = _discover_all(args, settings, rules, inventory, selected, scan, stopped)
        write_proposals(args.out, inventory, results, stopped=stopped())
        print(f"Đã ghi đề xuất vào {args.out}")
        if stopped():
            print(f"{PROG}: đã dừng (Ctrl-C) sau {len(results)}/{len(selected.portals)} cổng; "
                  f"các đề xuất tìm được đã ghi vào {args.out}", file=sys.stderr)
            return 130
    if args.merge:
        _merge(args.inventory, {r.portal.id: r.new for r in results if r.new})
    # Unreachable portals were skipped: the run did not see everything, say so in the exit status.
    return 1 if any(r.error for r in results) else 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(PROG, run, argv)

