"""One visit per site per worker, with retries for transient network errors and a fresh
browser whenever the last one died (a crash, or the watchdog ended a frozen page)."""

from __future__ import annotations

import time
from typing import Callable

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from checks import criteria_for
from portal_audit.capture import Capture
from portal_audit.config import Settings
from portal_audit.inventory import Site
from portal_audit.resolve import ResolveRule
from portal_audit.verdict import PASSED, SKIPPED
from portal_audit.visit import RETRYABLE, VisitError, visit_site


class SiteVisits:
    """The capture is kept until the site's last criterion has used it, then dropped."""

    def __init__(self, launch: Callable[[], Browser], settings: Settings, ignore_https_errors: bool,
                 resolve: tuple[ResolveRule, ...]) -> None:
        self.launch = launch
        self.settings = settings
        self.ignore_https_errors = ignore_https_errors
        self.resolve = resolve
        self.browser: Browser | None = None
        self.cache: dict[str, Capture | VisitError] = {}
        self.pending: dict[str, int] = {}

    def capture(self, site: Site) -> Capture:
        if site.key not in self.cache:
            self.pending[site.key] = len(criteria_for(site))
            self.cache[site.key] = self._visit_with_retries(site)
        result = self.cache[site.key]
        self.pending[site.key] -= 1
        if self.pending[site.key] <= 0:
            del self.cache[site.key]
        if isinstance(result, VisitError):
            raise result
        return result

    def close(self) -> None:
        if self.browser is not None:
            try:
                self.browser.close()
            except PlaywrightError:
                pass

    def _live_browser(self) -> Browser:
        if self.browser is None or not self.browser.is_connected():
            self.close()
            self.browser = self.launch()
        return self.browser

    def _visit_with_retries(self, site: Site) -> Capture | VisitError:
        settings = self.settings
        criteria = criteria_for(site)

        def complete(capture: Capture) -> bool:
            return all(c.judge(capture, site, settings).status in (PASSED, SKIPPED) for c in criteria)

        attempts = 1 + max(0, settings.visit.retries)
        delay = settings.visit.retry_backoff
        for attempt in range(1, attempts + 1):
            try:
                capture = visit_site(self._live_browser(), site.url, settings,
                                     ignore_https_errors=self.ignore_https_errors, is_complete=complete,
                                     resolve=self.resolve)
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
        raise AssertionError("unreachable")
