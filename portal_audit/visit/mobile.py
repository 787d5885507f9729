"""The homepage as a phone shows it (criterion MOBILE): a second load in a fresh context with a
phone's viewport, touch and user agent, then the viewport meta tag and whether the page is wider
than the screen (horizontal scrolling), with the elements that stick out and a screenshot."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from portal_audit.evidence.artifacts import MobileView
from portal_audit.settings import Settings
from portal_audit.status import ErrorKind
from portal_audit.visit.browser import user_agent_for
from portal_audit.visit.errors import VisitError, classify, hung
from portal_audit.network.guard import NetworkGuard
from portal_audit.network.resolve import ResolveRule
from portal_audit.visit.watchdog import Watchdog

_PROBE = """(tolerance) => {
  const meta = document.querySelector('meta[name="viewport" i]');
  // A page wider than the phone makes Chrome widen the layout viewport and zoom out (tiny text)
  // or scroll sideways: measured against the phone's own width.
  const device = window.screen.width;
  const inner = window.innerWidth;
  const root = document.documentElement;
  const scroll = Math.max(root.scrollWidth, document.body ? document.body.scrollWidth : 0);
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].slice(0, 2).map((c) => '.' + c).join('');
  const wide = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    if (wide.length >= 5) break;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.right <= device + tolerance) continue;
    if (getComputedStyle(el).position === 'fixed') continue;  // pinned to the screen: never scrolls
    const parent = el.parentElement;
    // Only the outermost element that sticks out: its parent still fits.
    if (parent && parent !== document.body && parent.getBoundingClientRect().right > device + tolerance) continue;
    wide.push(describe(el) + ': ' + Math.round(r.width) + 'px');
  }
  if (!wide.length && scroll > device + tolerance && document.body) {
    wide.push(describe(document.body) + ': ' + Math.round(document.body.getBoundingClientRect().width) + 'px');
  }
  return {viewport_meta: meta ? (meta.getAttribute('content') || '') : null, device_width: device,
          inner_width: inner, scroll_width: scroll, wide_elements: wide};
}"""
SCREENSHOT_MAX_HEIGHT = 2400


def mobile_view(browser: Browser, url: str, settings: Settings, *, ignore_https_errors: bool,
                resolve: tuple[ResolveRule, ...] = ()) -> MobileView:
    budget = settings.visit.hard_budget
    with Watchdog(budget) as watchdog:
        try:
            return _load(browser, url, settings, ignore_https_errors, NetworkGuard(resolve))
        except (VisitError, PlaywrightError) as err:
            if watchdog.fired:
                raise hung(url, budget) from None
            if isinstance(err, VisitError):
                raise
            raise classify(url, err, settings.visit.navigation_timeout) from None


def _load(browser: Browser, url: str, settings: Settings, ignore_https_errors: bool, guard: NetworkGuard) -> MobileView:
    mobile, visit = settings.mobile, settings.visit
    context = browser.new_context(
        ignore_https_errors=ignore_https_errors, accept_downloads=False, service_workers="block",
        viewport=mobile.viewport.model_dump(), device_scale_factor=mobile.device_scale_factor, is_mobile=True,
        has_touch=True, locale=visit.locale,
        user_agent=f"{mobile.user_agent} {visit.user_agent_suffix}".strip() if mobile.user_agent
        else user_agent_for(browser, visit.user_agent_suffix))
    try:
        context.route("**/*", lambda route: route.continue_() if guard.allows(route.request.url)
                      else route.abort("blockedbyclient"))
        context.on("dialog", _dismiss)
        page = context.new_page()
        context.on("page", lambda popup: popup.close() if popup is not page else None)
        response = page.goto(url, wait_until="domcontentloaded", timeout=visit.navigation_timeout * 1000)
        if response is not None and response.status >= 400:
            raise VisitError(url, _http_kind(response.status), f"máy chủ trả về mã lỗi HTTP {response.status}")
        try:
            page.wait_for_load_state("load", timeout=visit.load_timeout * 1000)
        except PlaywrightTimeout:
            pass
        page.wait_for_timeout(mobile.settle * 1000)
        probe: dict[str, Any] = page.evaluate(_PROBE, mobile.overflow_tolerance)
        view = MobileView(final_url=page.url, **probe)
        try:
            height = min(int(page.evaluate("() => document.documentElement.scrollHeight") or 0), SCREENSHOT_MAX_HEIGHT)
            view.screenshot = page.screenshot(type="jpeg", quality=60, full_page=True, timeout=15000,
                                              clip={"x": 0, "y": 0, "width": max(1, view.scroll_width),
                                                    "height": max(1, height or mobile.viewport.height)})
        except PlaywrightError:
            pass  # evidence only
        return view
    finally:
        try:
            context.close()
        except PlaywrightError:
            pass


def _http_kind(status: int) -> ErrorKind:
    return ErrorKind.HTTP_5XX if status >= 500 else ErrorKind.HTTP_4XX


def _dismiss(dialog: Any) -> None:
    try:
        dialog.dismiss()
    except PlaywrightError:
        pass
