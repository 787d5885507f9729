"""The pages a site's content items link to (criterion CONTENT), loaded side by side in one fresh
browser context: each page is requested in turn (only until its response begins), then all of them
load at once, and each is read when its load event came or its time ran out. Bounded per site by
content.max_pages (the caller) and content.budget (all pages together, whatever they do); the same
network guard and --resolve rules as the homepage. A page is read as text (its main part: header,
menus, sidebars and footer left out) and shot only when it looks wrong (error or little text)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from portal_audit.evidence.artifacts import ItemPage, ItemPages
from portal_audit.network.guard import NetworkGuard
from portal_audit.network.resolve import ResolveRule
from portal_audit.settings import Settings
from portal_audit.visit.browser import new_context
from portal_audit.visit.watchdog import Watchdog

MAX_TEXT = 8000
_PROBE = """() => {
  const body = document.body ? document.body.cloneNode(true) : null;
  if (!body) return {title: document.title || '', text: '', entries: 0, search: false};
  const chrome = 'header, nav, footer, aside, script, style, noscript, template, [role=navigation], [role=banner], ' +
    '[role=contentinfo], [hidden], #header, .header, #footer, .footer, #menu, .menu, .navbar, .sidebar, #sidebar';
  for (const el of body.querySelectorAll(chrome)) el.remove();
  const text = (body.textContent || '').replace(/\\s+/g, ' ').trim();
  const entries = [...body.querySelectorAll('a[href]')].filter((a) => (a.textContent || '').trim().length >= 12).length;
  const search = [...body.querySelectorAll('form')].some((f) =>
    f.querySelector('input[type=text], input[type=search], input:not([type]), select'));
  return {title: document.title || '', text: text.slice(0, %d), entries, search};
}""" % MAX_TEXT


@dataclass
class _Opened:
    url: str
    page: Page | None
    started: float
    status: int | None = None
    error: str | None = None


def _reason(err: Exception) -> str:
    text = str(err)
    code = re.search(r"net::(ERR_[A-Z_]+)", text)
    if code:
        return f"lỗi mạng ({code.group(1)})"
    if isinstance(err, PlaywrightTimeout):
        return "quá thời gian chờ"
    if "Download is starting" in text:
        return "liên kết dẫn tới một tệp tải về, không phải trang web"
    return (text.splitlines()[0][:200] if text else type(err).__name__)


def load_item_pages(browser: Browser, urls: list[str], settings: Settings, *, ignore_https_errors: bool,
                    resolve: tuple[ResolveRule, ...] = (), skipped: list[str] | None = None) -> ItemPages:
    """`urls` loaded side by side, each read or its reason; the whole within content.budget."""
    started = time.monotonic()
    budget = settings.content.budget
    if not urls:
        return ItemPages(skipped=list(skipped or []))
    # The browser is ended (and started again for the next site) if pages hold it past the budget.
    with Watchdog(budget + settings.visit.navigation_timeout):
        context = new_context(browser, settings.visit, ignore_https_errors)
        try:
            pages = _load_all(context, urls, settings, NetworkGuard(resolve), started + budget)
        finally:
            try:
                context.close()
            except PlaywrightError:
                pass
    return ItemPages(pages, list(skipped or []), round(time.monotonic() - started, 2))


def _load_all(context: BrowserContext, urls: list[str], settings: Settings, guard: NetworkGuard,
              deadline: float) -> list[ItemPage]:
    # Requests to the hosts of the pages, once allowed, are not held (each held request is a round trip).
    context.route(guard.held_pattern(urls), lambda route: route.continue_() if guard.allows(route.request.url)
                  else route.abort("blockedbyclient"))
    context.on("dialog", _dismiss)
    opened = [_open(context, url, deadline) for url in urls]
    ours = {id(o.page) for o in opened if o.page is not None}
    # Pop-ups an item page opens from now on are closed (the audit reads the page itself; those opened
    # while the pages were requested end with the context). Set after: new_page announces our own pages.
    context.on("page", lambda popup: popup.close() if id(popup) not in ours else None)
    return [_read(one, settings, deadline) for one in opened]


def _open(context: BrowserContext, url: str, deadline: float) -> _Opened:
    started = time.monotonic()
    remaining = deadline - started
    if remaining <= 0:
        return _Opened(url, None, started, error="không tải kịp trong thời gian dành cho các trang nội dung")
    page = context.new_page()
    try:
        response = page.goto(url, wait_until="commit", timeout=remaining * 1000)
    except PlaywrightError as err:
        return _Opened(url, page, started, error=_reason(err))
    status = response.status if response is not None else None
    if status is not None and status >= 400:
        return _Opened(url, page, started, status, f"máy chủ trả về mã lỗi HTTP {status}")
    return _Opened(url, page, started, status)


def _read(one: _Opened, settings: Settings, deadline: float) -> ItemPage:
    item = ItemPage(one.url, status=one.status, error=one.error)
    page = one.page
    if page is None:
        return item
    try:
        if item.error is None:
            page.wait_for_load_state("load", timeout=max(1.0, deadline - time.monotonic()) * 1000)
            page.wait_for_timeout(settings.content.settle * 1000)
        item.final_url = page.url
        if item.error is None:
            probe: dict[str, Any] = page.evaluate(_PROBE)
            item.title, item.main_text = str(probe["title"])[:300], str(probe["text"])
            item.entries, item.search_form = int(probe["entries"]), bool(probe["search"])
    except PlaywrightError as err:
        item.error = item.error or _reason(err)
    if item.error is not None or len(item.main_text) < settings.content.min_text:
        item.screenshot = _shot(page)
    item.seconds = round(time.monotonic() - one.started, 2)
    return item


def _shot(page: Page) -> bytes | None:
    try:
        return page.screenshot(type="jpeg", quality=50, timeout=5000)
    except PlaywrightError:
        return None  # evidence only


def _dismiss(dialog: Any) -> None:
    try:
        dialog.dismiss()
    except PlaywrightError:
        pass
