"""A homepage visit with retries: transient network errors are tried again, and a browser that
died is started again for the next attempt. What a visit gave is the caller's to keep (the runner,
portal_audit.gather.runner, runs each gatherer once per site)."""

from __future__ import annotations

import time
from dataclasses import replace

from portal_audit.network.resolve import ResolveRule
from portal_audit.settings import Settings
from portal_audit.status import RETRYABLE
from portal_audit.visit.browser import LiveBrowser
from portal_audit.visit.errors import VisitError
from portal_audit.visit.page import Readiness, Visit, visit_site


class SiteVisits:
    def __init__(self, browser: LiveBrowser, settings: Settings, ignore_https_errors: bool,
                 resolve: tuple[ResolveRule, ...]) -> None:
        self.browser = browser
        self.settings = settings
        self.ignore_https_errors = ignore_https_errors
        self.resolve = resolve

    def visit(self, url: str, is_complete: Readiness, extras: frozenset[str] = frozenset(),
              links_complete: Readiness | None = None) -> Visit:
        """The homepage at `url`, with the in-page gatherers `extras`; VisitError when it could not be
        evaluated (after the retries). `links_complete`: see visit_site (acting on the page)."""
        visit = self.settings.visit
        attempts = 1 + visit.retries
        delay = visit.retry_backoff
        for attempt in range(1, attempts + 1):
            try:
                found = visit_site(self.browser.get(), url, self.settings, ignore_https_errors=self.ignore_https_errors,
                                   is_complete=is_complete, resolve=self.resolve, extras=extras,
                                   links_complete=links_complete)
                return replace(found, capture=replace(found.capture, attempts=attempt))
            except VisitError as err:
                err.attempts = attempt
                # Only the network can be blamed for a transient failure; a compliance failure is
                # a verdict and is never retried into a pass.
                if err.kind not in RETRYABLE or attempt == attempts:
                    raise
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable: the last attempt raises or returns")

    def close(self) -> None:
        self.browser.close()
