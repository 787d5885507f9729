"""One visit of a homepage in a real browser: load it once, watch it until the caller says
everything it needs has appeared (or the settle budget runs out), and return a Capture."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from playwright.sync_api import Browser, Frame, Page, Request, Response
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from portal_audit.settings import Settings
from portal_audit.status import ErrorKind
from portal_audit.visit.browser import new_context
from portal_audit.visit.capture import BadgeCandidate, Capture, Link, NetworkRequest
from portal_audit.visit.errors import VisitError, classify, hung
from portal_audit.visit.guard import NetworkGuard
from portal_audit.visit.resolve import ResolveRule
from portal_audit.visit.watchdog import Watchdog

_JS = Path(__file__).with_name("js")
QUEUE_RECORDER = (_JS / "queue_recorder.js").read_text(encoding="utf-8")
PAGE_PROBE = (_JS / "page_probe.js").read_text(encoding="utf-8")

# Decides when the page has shown what the caller needs; called after every snapshot.
Readiness = Callable[[Capture], bool]


@dataclass
class _Recorder:
    """Collects what the browser does during the visit, from Playwright events."""

    requests: dict[Request, NetworkRequest] = field(default_factory=dict)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        try:
            frame_url = request.frame.url
        except PlaywrightError:
            frame_url = ""
        self.requests[request] = NetworkRequest(request.url, request.method, request.resource_type, frame_url=frame_url)

    def on_response(self, response: Response) -> None:
        record = self.requests.get(response.request)
        if record is not None:
            record.status = response.status

    def on_failed(self, request: Request) -> None:
        record = self.requests.get(request)
        if record is not None:
            record.failure = request.failure or "failed"

    def on_console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.console.append(message.text[:500])

    def on_dialog(self, dialog: Any) -> None:
        # Dismissed at once so that alert/confirm/prompt never hang the visit.
        self.dialogs.append(f"{dialog.type}: {dialog.message[:200]}")
        try:
            dialog.dismiss()
        except PlaywrightError:
            pass


def _probe_frame(frame: Frame, options: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return frame.evaluate(PAGE_PROBE, options)
    except PlaywrightError:
        return None  # a frame detached or navigating mid-probe: the next snapshot sees it


class _Visit:
    def __init__(self, page: Page, recorder: _Recorder, settings: Settings, url: str) -> None:
        self.page = page
        self.recorder = recorder
        self.settings = settings
        self.url = url
        self.status: int | None = None
        self.redirects: list[str] = []
        self.html_mentions_emc = False
        self.options = {"selectors": list(settings.badge.selectors), "texts": list(settings.badge.texts),
                        "imagePattern": settings.badge.image_pattern}

    def load(self) -> None:
        visit = self.settings.visit
        try:
            response = self.page.goto(self.url, wait_until="domcontentloaded",
                                      timeout=visit.navigation_timeout * 1000)
        except PlaywrightError as err:
            raise classify(self.url, err, visit.navigation_timeout) from None
        if response is not None:
            self.status = response.status
            request = response.request.redirected_from
            while request is not None:
                self.redirects.insert(0, request.url)
                request = request.redirected_from
            if response.status >= 400:
                kind = ErrorKind.HTTP_5XX if response.status >= 500 else ErrorKind.HTTP_4XX
                raise VisitError(self.url, kind, f"máy chủ trả về mã lỗi HTTP {response.status}",
                                 final_url=response.url)
            content_type = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
            if content_type and "html" not in content_type:
                raise VisitError(self.url, ErrorKind.NOT_HTML, f"trang chủ không phải trang web (Content-Type: {content_type})",
                                 final_url=response.url)
            try:
                self.html_mentions_emc = self.settings.emc.host in response.text()
            except PlaywrightError:
                pass
        try:
            self.page.wait_for_load_state("load", timeout=visit.load_timeout * 1000)
        except PlaywrightTimeout:
            pass  # a slow image or widget: judge the page as it is

    def snapshot(self) -> Capture:
        links: list[Link] = []
        badges: list[BadgeCandidate] = []
        title = ""
        for frame in self.page.frames:
            probe = _probe_frame(frame, self.options)
            if probe is None:
                continue
            if frame is self.page.main_frame:
                title = probe["title"]
            links += [Link(frame_url=frame.url, **link) for link in probe["links"]]
            badges += [BadgeCandidate(frame_url=frame.url, **badge) for badge in probe["badges"]]
        try:
            commands = self.page.evaluate("() => window.__portalAuditQueueLog || []")
        except PlaywrightError:
            commands = []
        return Capture(
            requested_url=self.url, final_url=self.page.url, status=self.status, redirects=list(self.redirects),
            title=title, queue_commands=commands,
            requests=[NetworkRequest(**vars(r)) for r in self.recorder.requests.values()],
            console=list(self.recorder.console), dialogs=list(self.recorder.dialogs),
            links=links, badges=badges, html_mentions_emc=self.html_mentions_emc,
        )

    def screenshots(self, capture: Capture) -> None:
        visit = self.settings.visit
        try:
            height = self.page.evaluate("() => document.documentElement.scrollHeight") or visit.viewport.height
            capture.screenshot = self.page.screenshot(
                type="jpeg", quality=60, full_page=True, timeout=15000,
                clip={"x": 0, "y": 0, "width": visit.viewport.width,
                      "height": max(1, min(int(height), visit.screenshot_max_height))})
            main_url = self.page.main_frame.url
            shown = [b for b in capture.badges if b.visible and b.rect and b.frame_url == main_url]
            if shown:
                r = shown[0].rect
                assert r is not None
                pad = 12
                capture.badge_clip = self.page.screenshot(
                    type="png", full_page=True, timeout=15000,
                    clip={"x": max(0, r["x"] - pad), "y": max(0, r["y"] - pad),
                          "width": max(1, r["width"] + 2 * pad), "height": max(1, r["height"] + 2 * pad)})
        except PlaywrightError:
            pass  # evidence only: a missing screenshot never changes a verdict


def visit_site(browser: Browser, url: str, settings: Settings, *, ignore_https_errors: bool,
               is_complete: Readiness, resolve: tuple[ResolveRule, ...] = ()) -> Capture:
    """Load `url` in a fresh context and watch it until `is_complete(capture)` or the settle budget ends;
    the whole visit never takes longer than the hard budget."""
    budget = settings.visit.hard_budget
    with Watchdog(budget) as watchdog:
        try:
            return _visit(browser, url, settings, ignore_https_errors=ignore_https_errors, is_complete=is_complete,
                          guard=NetworkGuard(resolve))
        except VisitError:
            if watchdog.fired:
                raise hung(url, budget) from None
            raise
        except PlaywrightError as err:
            if watchdog.fired:
                raise hung(url, budget) from None
            raise classify(url, err, settings.visit.navigation_timeout) from None


def _visit(browser: Browser, url: str, settings: Settings, *, ignore_https_errors: bool,
           is_complete: Callable[[Capture], bool], guard: NetworkGuard) -> Capture:
    visit = settings.visit
    context = new_context(browser, visit, ignore_https_errors)
    recorder = _Recorder()
    try:
        context.add_init_script(script=f"({QUEUE_RECORDER})({settings.emc.queue!r});")
        context.route("**/*", lambda route: route.continue_() if guard.allows(route.request.url)
                      else route.abort("blockedbyclient"))
        context.on("request", recorder.on_request)
        context.on("response", recorder.on_response)
        context.on("requestfailed", recorder.on_failed)
        context.on("console", recorder.on_console)
        context.on("dialog", recorder.on_dialog)
        page = context.new_page()
        # Pop-ups opened by the homepage are recorded by their requests, then closed.
        context.on("page", lambda popup: popup.close() if popup is not page else None)
        session = _Visit(page, recorder, settings, url)
        session.load()
        started = time.monotonic()
        while True:
            try:
                capture = session.snapshot()
            except PlaywrightError as err:
                raise classify(url, err, visit.navigation_timeout) from None
            if _ready(is_complete, capture) or time.monotonic() - started >= visit.settle_budget:
                break
            page.wait_for_timeout(visit.poll_interval * 1000)
        capture.settle_seconds = round(time.monotonic() - started, 2)
        session.screenshots(capture)
        return capture
    finally:
        try:
            context.close()
        except PlaywrightError:
            pass


def _ready(is_complete: Readiness, capture: Capture) -> bool:
    try:
        return is_complete(capture)
    except Exception:  # noqa: BLE001 - a defect in a readiness test only means "keep watching"
        return False
