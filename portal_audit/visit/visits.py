"""One visit per site: the capture of the site being judged is kept, and dropped as soon as a case
of another site asks for its own. A site's cases run one after another (pytest's order, and
--dist loadgroup keeps them on one worker), so each site is loaded once and at most one capture is
held, whatever subset of cases a run selected (-k, --lf, --portal). Transient network errors are
retried, and a browser that died is started again for the next attempt."""

from __future__ import annotations

import time

from portal_audit.settings import Settings
from portal_audit.status import RETRYABLE
from portal_audit.visit.browser import LiveBrowser
from portal_audit.evidence.capture import Capture
from portal_audit.visit.errors import VisitError
from portal_audit.visit.page import Readiness, visit_site
from portal_audit.network.resolve import ResolveRule


class SiteVisits:
    def __init__(self, browser: LiveBrowser, settings: Settings, ignore_https_errors: bool,
                 resolve: tuple[ResolveRule, ...]) -> None:
        self.browser = browser
        self.settings = settings
        self.ignore_https_errors = ignore_https_errors
        self.resolve = resolve
        self.cache: dict[str, Capture | VisitError] = {}

    def capture(self, key: str, url: str, is_complete: Readiness, extras: frozenset[str] = frozenset(),
                links_complete: Readiness | None = None) -> Capture:
        """The capture of the site `key` at `url`, visiting it on first use (with the in-page
        gatherers `extras`); VisitError when it could not be evaluated. `links_complete`: see
        visit_site (acting on the page)."""
        if key not in self.cache:
            self.cache.clear()
            self.cache[key] = self._visit_with_retries(url, is_complete, extras, links_complete)
        result = self.cache[key]
        if isinstance(result, VisitError):
            raise result
        return result

    def close(self) -> None:
        self.cache.clear()
        self.browser.close()

    def _visit_with_retries(self, url: str, is_complete: Readiness, extras: frozenset[str],
                            links_complete: Readiness | None) -> Capture | VisitError:
        visit = self.settings.visit
        attempts = 1 + visit.retries
        delay = visit.retry_backoff
        for attempt in range(1, attempts + 1):
            try:
                capture = visit_site(self.browser.get(), url, self.settings, ignore_https_errors=self.ignore_https_errors,
                                     is_complete=is_complete, resolve=self.resolve, extras=extras,
                                     links_complete=links_complete)
                capture.attempts = attempt
                return capture
            except VisitError as err:
                err.attempts = attempt
                # Only the network can be blamed for a transient failure; a compliance failure is
                # a verdict and is never retried into a pass.
                if err.kind not in RETRYABLE or attempt == attempts:
                    return err
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable: the last attempt returns")
