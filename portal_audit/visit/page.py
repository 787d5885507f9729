"""One visit of a homepage in a real browser: load it once, watch it until the caller says
everything it needs has appeared (or the settle budget runs out), and return a Capture."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from playwright.sync_api import Browser, Frame, Page, Request, Response
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from portal_audit import gather
from portal_audit.gather.results import DateCandidate, FeedDocument, Gathered
from portal_audit.settings import Settings
from portal_audit.status import ErrorKind
from portal_audit.visit.axe import run_axe
from portal_audit.visit.browser import new_context
from portal_audit.visit.capture import BadgeCandidate, Capture, Link, NetworkRequest
from portal_audit.visit.errors import VisitError, classify, hung
from portal_audit.visit.guard import NetworkGuard
from portal_audit.visit.resolve import ResolveRule
from portal_audit.visit.watchdog import Watchdog

_JS = Path(__file__).with_name("js")
QUEUE_RECORDER = (_JS / "queue_recorder.js").read_text(encoding="utf-8")
PAGE_PROBE = (_JS / "page_probe.js").read_text(encoding="utf-8")
WEB_VITALS = (_JS / "web_vitals.js").read_text(encoding="utf-8")
DATES_PROBE = (_JS / "dates_probe.js").read_text(encoding="utf-8")
# Dates and links read from a page at most, and the shortest link text taken for an article's title.
MAX_DATES = 300
MIN_ARTICLE_LINK_TEXT = 12

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
        self.headers: dict[str, str] = {}
        self.visited_at = ""
        self.html_mentions_emc = False
        self.options = {"selectors": list(settings.badge.selectors), "texts": list(settings.badge.texts),
                        "imagePattern": settings.badge.image_pattern}

    def load(self) -> None:
        visit = self.settings.visit
        self.visited_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            response = self.page.goto(self.url, wait_until="domcontentloaded",
                                      timeout=visit.navigation_timeout * 1000)
        except PlaywrightError as err:
            raise classify(self.url, err, visit.navigation_timeout) from None
        if response is not None:
            self.status = response.status
            try:
                self.headers = {k.lower(): v[:2000] for k, v in response.all_headers().items()}
            except PlaywrightError:
                pass
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
            visited_at=self.visited_at, headers=dict(self.headers),
        )

    def web_vitals(self, capture: Capture) -> None:
        try:
            vitals = self.page.evaluate("() => window.__portalAuditVitals || null")
        except PlaywrightError:
            return  # evidence only
        if isinstance(vitals, dict):
            capture.web_vitals = {k: (round(float(v), 3) if isinstance(v, (int, float)) else None)
                                  for k, v in vitals.items()}

    def extras(self, capture: Capture, wanted: frozenset[str]) -> None:
        """The in-page gatherers the selected criteria need, each on its own: one that fails leaves
        its reason on the capture and the others still run. The feeds come last: reading them
        navigates the page away."""
        found = capture.gathered
        feed_urls: list[str] = []
        if gather.HTML in wanted:
            _isolated(found, gather.HTML, lambda: setattr(
                found, "html", self.page.content()[:self.settings.visit.html_max_bytes]))
        if gather.DATES in wanted or gather.FEEDS in wanted:
            def dates() -> None:
                probe = self.page.evaluate(DATES_PROBE, {"max": MAX_DATES, "minLinkText": MIN_ARTICLE_LINK_TEXT})
                found.page_dates = [DateCandidate(**d) for d in probe["dates"]]
                feed_urls.extend(dict.fromkeys(probe["feeds"]))
            _isolated(found, gather.DATES, dates)
        if gather.AXE in wanted:
            _isolated(found, gather.AXE, lambda: setattr(found, "axe", run_axe(self.page, self.settings.accessibility)))
        if gather.FEEDS in wanted:
            if gather.DATES in found.errors:
                found.errors[gather.FEEDS] = found.errors[gather.DATES]
            else:
                found.feeds = [self.feed(url) for url in feed_urls[:self.settings.freshness.max_feeds]]

    def feed(self, url: str) -> FeedDocument:
        try:
            response = self.page.goto(url, wait_until="commit", timeout=self.settings.visit.navigation_timeout * 1000)
            if response is None:
                return FeedDocument(url, error="không có phản hồi")
            if response.status >= 400:
                return FeedDocument(url, error=f"HTTP {response.status}")
            return FeedDocument(url, body=response.body()[:self.settings.visit.html_max_bytes].decode("utf-8", "replace"))
        except PlaywrightError as err:
            return FeedDocument(url, error=str(err).splitlines()[0][:200])

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


def _isolated(found: Gathered, name: str, run: Callable[[], None]) -> None:
    try:
        run()
    except Exception as err:  # noqa: BLE001 - one gatherer's failure breaks only the criteria needing it
        found.errors[name] = f"{type(err).__name__}: {str(err).splitlines()[0][:300] if str(err) else ''}"


def visit_site(browser: Browser, url: str, settings: Settings, *, ignore_https_errors: bool,
               is_complete: Readiness, resolve: tuple[ResolveRule, ...] = (),
               extras: frozenset[str] = frozenset()) -> Capture:
    """Load `url` in a fresh context and watch it until `is_complete(capture)` or the settle budget ends,
    then run the in-page gatherers named in `extras` (portal_audit.gather.IN_VISIT); the whole visit
    never takes longer than the hard budget."""
    budget = settings.visit.hard_budget
    with Watchdog(budget) as watchdog:
        try:
            return _visit(browser, url, settings, ignore_https_errors=ignore_https_errors, is_complete=is_complete,
                          guard=NetworkGuard(resolve), extras=extras)
        except VisitError:
            if watchdog.fired:
                raise hung(url, budget) from None
            raise
        except PlaywrightError as err:
            if watchdog.fired:
                raise hung(url, budget) from None
            raise classify(url, err, settings.visit.navigation_timeout) from None


def _visit(browser: Browser, url: str, settings: Settings, *, ignore_https_errors: bool,
           is_complete: Callable[[Capture], bool], guard: NetworkGuard, extras: frozenset[str]) -> Capture:
    visit = settings.visit
    context = new_context(browser, visit, ignore_https_errors)
    recorder = _Recorder()
    try:
        context.add_init_script(script=f"({QUEUE_RECORDER})({settings.emc.queue!r});")
        context.add_init_script(script=WEB_VITALS)
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
        session.web_vitals(capture)
        session.screenshots(capture)
        session.extras(capture, extras & gather.IN_VISIT)
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
