"""Which Chromium to start, with which flags, and a browser that is started again when a page
killed it (a crash, or the watchdog ending a frozen page)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Callable

from playwright.sync_api import Browser, BrowserContext, Playwright
from playwright.sync_api import Error as PlaywrightError

from portal_audit.settings import BrowserSettings, VisitSettings
from portal_audit.visit.remote import drop_connection
from portal_audit.network.resolve import ResolveRule, chromium_rules
from portal_audit.visit.watchdog import end_on_fire

EXECUTABLE_ENV = "PORTAL_AUDIT_CHROMIUM"


def launch_options(playwright: Playwright, settings: BrowserSettings, rules: tuple[ResolveRule, ...],
                   headless: bool = True) -> dict[str, Any]:
    """Launch options for Chromium: Playwright's own build when installed (its headless shell when
    headless, chosen by Playwright), else the system's, its headless shell first when headless."""
    options: dict[str, Any] = {"args": list(settings.args)}
    resolver = chromium_rules(list(rules))
    if resolver:
        options["args"].append(f"--host-resolver-rules={resolver}")
    explicit = os.environ.get(EXECUTABLE_ENV)
    if explicit:
        options["executable_path"] = explicit
    elif not Path(playwright.chromium.executable_path).exists():
        candidates = (*settings.headless_executables, *settings.fallback_executables) if headless \
            else settings.fallback_executables
        fallback = next((p for p in candidates if Path(p).exists()), None)
        if fallback:
            options["executable_path"] = fallback
    return options


def lighthouse_chromium(playwright: Playwright, settings: BrowserSettings, launch_args: dict[str, Any]) -> str | None:
    """The Chromium Lighthouse measures in: the audit's own, except its headless shell, for which
    the full browser (as PageSpeed Insights measures) when one is installed."""
    executable = launch_args.get("executable_path") or playwright.chromium.executable_path
    if executable and str(executable) in settings.headless_executables:
        executable = next((p for p in settings.fallback_executables if Path(p).exists()), executable)
    return str(executable) if executable else None


def user_agent_for(browser: Browser, suffix: str) -> str:
    # Headless Chromium announces itself as "HeadlessChrome", which some portals block.
    return (f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{browser.version} Safari/537.36 {suffix}").strip()


def new_context(browser: Browser, visit: VisitSettings, ignore_https_errors: bool, **extra: Any) -> BrowserContext:
    """A fresh context as every audited page gets it: no downloads, no service workers, the
    audit's viewport, locale and user agent."""
    return browser.new_context(
        ignore_https_errors=ignore_https_errors, accept_downloads=False, service_workers="block",
        viewport=visit.viewport.model_dump(), locale=visit.locale,
        user_agent=user_agent_for(browser, visit.user_agent_suffix), **extra)


class LiveBrowser:
    """One browser at a time, started on first use and again whenever the last one died. A remote
    one (`remote`: `launch` connects to a browser server) is ended by the watchdog through its
    connection, and replaced at the next use."""

    def __init__(self, launch: Callable[[], Browser], remote: bool = False) -> None:
        self._launch = launch
        self._remote = remote
        self._browser: Browser | None = None
        self._dropped = threading.Event()
        self._unregister: Callable[[], None] | None = None

    def get(self) -> Browser:
        if self._browser is None or self._dropped.is_set() or not self._browser.is_connected():
            self.close()
            self._browser = self._launch()
            if self._remote:
                self._unregister = end_on_fire(self._drop)
        return self._browser

    def _drop(self) -> None:
        # The watchdog's thread: the audit's thread is blocked in a call into the frozen page.
        browser = self._browser
        if browser is not None:
            self._dropped.set()
            drop_connection(browser)

    def close(self) -> None:
        if self._unregister is not None:
            self._unregister()
            self._unregister = None
        self._dropped.clear()
        if self._browser is not None:
            try:
                self._browser.close()
            except PlaywrightError:
                pass
            self._browser = None
