"""A report opened as its reader opens it: the file from disk in headless Chromium (the audit's own
launch options), every request that is not the file itself refused and logged."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from playwright.sync_api import Page, sync_playwright

from portal_audit.settings import load_settings
from portal_audit.visit import launch_options

LOCAL = ("file:", "data:")


@contextmanager
def offline_page(file: Path, width: int) -> Iterator[tuple[Page, list[str]]]:
    """The page, and every URL it requested (a report must request nothing but LOCAL ones)."""
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(playwright, load_settings().browser, ()))
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL)
                       else route.abort())
            page.goto(file.as_uri())
            yield page, requests
        finally:
            browser.close()
