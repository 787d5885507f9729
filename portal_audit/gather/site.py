"""Everything gathered about one site for the selected criteria: the homepage visit (with retries,
portal_audit.visit.SiteVisits) and its in-page extras, then each other gatherer the criteria need,
once per site, each on its own: one that fails leaves its reason on the capture, and only the
criteria needing it are broken. A site's evidence is kept until a case of another site asks for
its own (a site's cases run one after another on one worker)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from portal_audit import gather
from portal_audit.gather.dns_probe import domain_records
from portal_audit.gather.https_probe import probe_https
from portal_audit.gather.metadata import extract_metadata
from portal_audit.gather.news import news_dates
from portal_audit.evidence.artifacts import Gathered
from portal_audit.inventory import Site
from portal_audit.urls import parse_address
from portal_audit.evidence.capture import Capture
from portal_audit.visit.errors import VisitError
from portal_audit.visit.lighthouse import run_lighthouse
from portal_audit.visit.mobile import mobile_view
from portal_audit.visit.page import Readiness
from portal_audit.visit.visits import SiteVisits


@dataclass
class SiteEvidence:
    capture: Capture  # Capture.unvisited(...) when the homepage was not loaded
    visit_error: VisitError | None = None  # the homepage could not be loaded


class SiteGatherer:
    def __init__(self, visits: SiteVisits, *, chromium: str | None = None, trust_home: Path | None = None) -> None:
        self.visits = visits
        self.chromium = chromium  # the audit's Chromium, for Lighthouse
        self.trust_home = trust_home  # HOME whose NSS database trusts https.extra_ca_file
        self._cache: dict[str, SiteEvidence] = {}

    def evidence(self, site: Site, needs: frozenset[str], is_complete: Readiness,
                 links_complete: Readiness | None = None) -> SiteEvidence:
        """`links_complete`: whether the links the criteria look for are all there (the visit acts on
        the page while they are not; see portal_audit.visit.page.visit_site)."""
        if site.key not in self._cache:
            self._cache.clear()
            self._cache[site.key] = self._gather(site, gather.expand(needs), is_complete, links_complete)
        return self._cache[site.key]

    def _gather(self, site: Site, needs: frozenset[str], is_complete: Readiness,
                links_complete: Readiness | None) -> SiteEvidence:
        settings = self.visits.settings
        visit_error: VisitError | None = None
        capture: Capture | None = None
        if gather.VISIT in needs:
            try:
                capture = self.visits.capture(site.key, site.url, is_complete, extras=needs & gather.IN_VISIT,
                                              links_complete=links_complete)
            except VisitError as err:
                visit_error = err
        if capture is None:
            capture = Capture.unvisited(site.url, Gathered())
        found = capture.gathered
        failed = f"không tải được trang chủ: {visit_error.reason}" if visit_error else None
        for name in needs & gather.IN_VISIT:
            if failed and name not in found.errors:
                found.errors[name] = failed

        def run(name: str, work: Callable[[], None]) -> None:
            if name not in needs:
                return
            try:
                work()
            except VisitError as err:
                found.errors[name] = err.message
            except Exception as err:  # noqa: BLE001 - one gatherer's failure breaks only the criteria needing it
                found.errors[name] = str(err) or type(err).__name__

        def metadata() -> None:
            if found.html is None:
                found.errors[gather.METADATA] = found.errors.get(gather.HTML) or failed or "không có HTML của trang"
                return
            found.metadata = extract_metadata(found.html, capture.final_url)

        def news() -> None:
            if found.page_dates is None or found.metadata is None:
                found.errors[gather.NEWS] = (found.errors.get(gather.DATES) or found.errors.get(gather.METADATA)
                                             or failed or "không đọc được ngày đăng tin")
                return
            found.news = news_dates(found.page_dates, found.feeds or [], found.metadata, capture.visited_at,
                                    settings.freshness.ignore_context)
            if found.feeds is None and gather.FEEDS in found.errors:
                found.news.feed_errors.append(found.errors[gather.FEEDS])

        def page_address() -> str:
            # Where the visit landed when there was one (a moved site is measured where it is).
            return capture.final_url if capture.visited else site.url

        def host() -> str:
            address = parse_address(site.url, bare=True)
            if address is None:
                raise ValueError(f"địa chỉ không hợp lệ: {site.url}")
            return address.host

        run(gather.METADATA, metadata)
        run(gather.NEWS, news)
        run(gather.DNS, lambda: setattr(found, "dns", domain_records(host(), settings.dns)))
        for name in (gather.HTTPS, gather.MOBILE, gather.LIGHTHOUSE):
            if failed and name in needs:
                # A homepage that did not load would only fail (or hang) the same way again.
                found.errors[name] = failed
        if not failed:
            run(gather.HTTPS, lambda: setattr(found, "https", probe_https(site.url, settings.https,
                                                                          self.visits.resolve)))
            run(gather.MOBILE, lambda: setattr(found, "mobile", mobile_view(
                self.visits.browser.get(), page_address(), settings,
                ignore_https_errors=self.visits.ignore_https_errors, resolve=self.visits.resolve)))
            run(gather.LIGHTHOUSE, lambda: setattr(found, "lighthouse", run_lighthouse(
                page_address(), settings, chromium=self.chromium, ignore_https_errors=self.visits.ignore_https_errors,
                resolve=self.visits.resolve, home=self.trust_home)))
        return SiteEvidence(capture, visit_error)

    def close(self) -> None:
        self._cache.clear()
