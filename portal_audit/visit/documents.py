"""Single documents fetched through the browser (sitemaps, a candidate site's title), so that
--resolve, --ignore-https-errors and the internal-network guard apply to them as to the audit."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from playwright.sync_api import Browser, Route
from playwright.sync_api import Error as PlaywrightError

from portal_audit.settings import Settings
from portal_audit.visit.browser import new_context
from portal_audit.network.guard import NetworkGuard
from portal_audit.network.resolve import ResolveRule

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Homepage:
    """What an address answered: where it landed, with which status and type, and its title."""

    url: str  # after redirects
    status: int
    content_type: str  # e.g. "text/html", '' when none was given
    title: str

    @property
    def is_html(self) -> bool:
        return self.status < 400 and "html" in self.content_type


def title_of(text: str) -> str:
    found = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    return " ".join(html.unescape(found.group(1)).split())[:150] if found else ""


class DocumentFetcher:
    """Loads only the document of each address: no script, image or style, so no page can stall it."""

    def __init__(self, browser: Browser, settings: Settings, ignore_https_errors: bool,
                 rules: tuple[ResolveRule, ...]) -> None:
        self.settings = settings
        self.context = new_context(browser, settings.visit, ignore_https_errors)
        guard = NetworkGuard(rules)

        def route(route: Route) -> None:
            request = route.request
            if request.resource_type == "document" and guard.allows(request.url):
                route.continue_()
            else:
                route.abort("blockedbyclient")

        self.context.route("**/*", route)
        self.page = self.context.new_page()

    def body(self, url: str, timeout: float) -> str | None:
        """The text of the document at `url`, or None when there is none (an error status, no answer)."""
        try:
            response = self.page.goto(url, wait_until="commit", timeout=timeout * 1000)
            if response is None or response.status >= 400:
                return None
            data = response.body()
        except PlaywrightError:
            return None
        return data[:MAX_DOCUMENT_BYTES].decode("utf-8", "replace")

    def title(self, url: str, timeout: float) -> str:
        return title_of(self.body(url, timeout) or "")

    def homepage(self, url: str, timeout: float) -> Homepage | None:
        """What `url` answers (following redirects), or None when nothing answered (DNS, refused, TLS,
        timeout, or refused by the network guard)."""
        try:
            response = self.page.goto(url, wait_until="commit", timeout=timeout * 1000)
            if response is None:
                return None
            content_type = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
            body = response.body()[:MAX_DOCUMENT_BYTES].decode("utf-8", "replace") if "html" in content_type else ""
        except PlaywrightError:
            return None
        return Homepage(response.url, response.status, content_type, title_of(body))

    def close(self) -> None:
        try:
            self.context.close()
        except PlaywrightError:
            pass
