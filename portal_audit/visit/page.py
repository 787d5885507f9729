"""One visit of a homepage in a real browser: load it once, watch it until the caller says
everything it needs has appeared (or the settle budget runs out), and return a Capture. When the
caller still misses a link then, the visit acts on the page as a visitor would (interact.py).

The page is watched from the moment its document arrives, not from its load event: a third-party
script that hangs (an advertising or statistics server that never answers) delays the load event
indefinitely, and must neither delay nor change a verdict."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from playwright.sync_api import Browser, BrowserContext, Frame, Page, Request, Response, Route
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from portal_audit.evidence import gatherers as gather
from portal_audit.evidence.artifacts import DateCandidate, FeedDocument, Gathered
from portal_audit.settings import Settings
from portal_audit.status import ErrorKind
from portal_audit.visit.axe import run_axe
from portal_audit.visit.browser import new_context
from portal_audit.evidence.capture import BadgeCandidate, Capture, Link, NetworkRequest
from portal_audit.visit.errors import VisitError, classify, content_type_of, hung, not_html
from portal_audit.network.guard import NetworkGuard
from portal_audit.visit.interact import Hold, Interaction
from portal_audit.network.resolve import ResolveRule
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
OTHER_QUEUE_LOG = "__portalAuditQueueLog_"
# The main frame's snapshot in one round trip (issue 20: a light page's visit is mostly round trips):
# the page probe, and what used to be read by evaluates of their own after it: the document's state,
# the EMC queue logs and the Web Vitals. A probe that throws is no probe; the rest is still read.
MAIN_PROBE = (
    "([options, log, others]) => { let probe = null;"
    f" try {{ probe = ({PAGE_PROBE.strip()})(options); }} catch (e) {{ probe = null; }}\n"
    " return { probe, readyState: document.readyState, queue: window.__portalAuditQueueLog || [],"
    " others: others.map((q) => window[log + q] || []), vitals: window.__portalAuditVitals || null }; }")


@dataclass(frozen=True)
class Visit:
    """What one visit gave: the capture of the page, and what the in-page gatherers found in it
    (html, dates, feeds, axe: only those asked for; each one's reason where it gave nothing)."""

    capture: Capture
    in_page: Gathered = field(default_factory=Gathered)


@dataclass
class _Recorder:
    """Collects what the browser does during the visit, from Playwright events."""

    hold: Hold
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
        # Answered at once so that alert/confirm/prompt never hang the visit: dismissed, except while
        # the visit acts on the page ("Bạn sắp rời khỏi trang...": a visitor who goes on says yes).
        self.dialogs.append(f"{dialog.type}: {dialog.message[:200]}")
        try:
            if self.hold.active and dialog.type == "confirm":
                dialog.accept()
            else:
                dialog.dismiss()
        except PlaywrightError:
            pass


def _leaves_page(request: Request) -> bool:
    """A navigation of a whole page (this one, or a pop-up it opens), not of a frame inside it."""
    if not request.is_navigation_request():
        return False
    try:
        return request.frame.parent_frame is None
    except PlaywrightError:
        return True  # a pop-up's first request comes before its frame exists


def _probe_frame(frame: Frame, options: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return frame.evaluate(PAGE_PROBE, options)
    except PlaywrightError:
        return None  # a frame detached or navigating mid-probe: the next snapshot sees it


def _probe_main(page: Page, options: dict[str, Any], others: list[str]) -> dict[str, Any]:
    """The main frame's probe with the page-wide reads (MAIN_PROBE); a page navigating mid-probe
    gives nothing, as each of those reads did on its own."""
    try:
        return page.main_frame.evaluate(MAIN_PROBE, [options, OTHER_QUEUE_LOG, others])
    except PlaywrightError:
        return {"probe": None, "readyState": "loading", "queue": [], "others": [[] for _ in others], "vitals": None}


class _Visit:
    def __init__(self, page: Page, recorder: _Recorder, settings: Settings, url: str) -> None:
        self.page = page
        self.recorder = recorder
        self.settings = settings
        self.url = url
        self.status: int | None = None
        self.redirects: list[str] = []
        self.response: Response | None = None
        self.headers: dict[str, str] = {}
        self.visited_at = ""
        self.html_mentions_emc = False
        self.committed = 0.0
        self.parsed_at: float | None = None  # when the document was first seen parsed (DOMContentLoaded)
        self.loaded_at: float | None = None  # when the load event was first seen
        self.unparsed_at: float | None = None  # when a document still not parsed was taken as it shows
        self.ready_state = "loading"  # document.readyState, as the last snapshot read it
        self.vitals: Any = None  # window.__portalAuditVitals, as the last snapshot read it
        self.options = {"selectors": list(settings.badge.selectors), "texts": list(settings.badge.texts),
                        "imagePattern": settings.badge.image_pattern}

    def load(self) -> None:
        """Requests the homepage and checks its response; the document is then watched as it arrives."""
        visit = self.settings.visit
        self.visited_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        latest: dict[str, Response] = {}  # the main frame's last response, read when the navigation fails

        def main_document(response: Response) -> None:
            try:
                if response.request.is_navigation_request() and response.request.frame == self.page.main_frame:
                    latest["document"] = response
            except PlaywrightError:
                pass  # a request without a frame (a worker's) is no document of the page

        self.page.on("response", main_document)
        try:
            response = self.page.goto(self.url, wait_until="commit", timeout=visit.navigation_timeout * 1000)
        except PlaywrightError as err:
            raise classify(self.url, err, visit.navigation_timeout, latest.get("document")) from None
        finally:
            self.page.remove_listener("response", main_document)
        self.committed = time.monotonic()
        self.response = response
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
            content_type = content_type_of(response)
            if content_type and "html" not in content_type:
                raise not_html(self.url, content_type, response.url)

    def settle_from(self) -> float | None:
        """When the settle budget starts: at the load event, or `load_timeout` after the document was
        parsed when the load event does not come (a slow image, a script server that never answers).
        A document never parsed within the navigation timeout is judged as it shows, if it shows
        anything; a blank one is a timeout, as before."""
        visit = self.settings.visit
        now = time.monotonic()
        state = self.ready_state  # read by the snapshot just taken (one round trip for both)
        if state in ("interactive", "complete") and self.parsed_at is None:
            self.parsed_at = now
        if state == "complete" and self.loaded_at is None:
            self.loaded_at = now
        if self.loaded_at is not None:
            return self.loaded_at
        if self.parsed_at is not None:
            return self.parsed_at + visit.load_timeout if now >= self.parsed_at + visit.load_timeout else None
        if self.unparsed_at is None and now >= self.committed + visit.navigation_timeout:
            if not self._shows_content():
                raise VisitError(self.url, ErrorKind.TIMEOUT,
                                 f"quá thời gian chờ ({visit.navigation_timeout:g} giây) khi tải trang chủ")
            self.unparsed_at = now
        return self.unparsed_at

    def wait(self, seconds: float) -> None:
        """Until the next snapshot: `seconds`; while the page is still loading, until its load event
        or `visit.loading_poll_interval` (most pages show what the criteria need once loaded and are
        released right then: snapshots of a half-loaded page would only slow the load)."""
        if self.loaded_at is None:
            try:
                self.page.wait_for_load_state("load", timeout=self.settings.visit.loading_poll_interval * 1000)
            except (PlaywrightTimeout, PlaywrightError):
                pass  # not yet loaded (or navigating): the next snapshot tells
            return
        self.page.wait_for_timeout(seconds * 1000)

    def _shows_content(self) -> bool:
        try:
            return bool(self.page.evaluate("() => !!(document.body && document.body.innerText.trim())"))
        except PlaywrightError:
            return False

    def snapshot(self) -> Capture:
        links: list[Link] = []
        badges: list[BadgeCandidate] = []
        others = list(self.settings.emc.other_queues)
        main = _probe_main(self.page, self.options, others)
        self.ready_state, self.vitals = main["readyState"], main["vitals"]
        commands, other_commands = main["queue"], main["others"]
        title = main["probe"]["title"] if main["probe"] is not None else ""
        for frame in self.page.frames:
            probe = main["probe"] if frame is self.page.main_frame else _probe_frame(frame, self.options)
            if probe is None:
                continue
            links += [Link(frame_url=frame.url, **link) for link in probe["links"]]
            badges += [BadgeCandidate(frame_url=frame.url, **badge) for badge in probe["badges"]]
        return Capture(
            requested_url=self.url, final_url=self.page.url, status=self.status, redirects=list(self.redirects),
            title=title, queue_commands=commands,
            requests=[NetworkRequest(**vars(r)) for r in self.recorder.requests.values()],
            console=list(self.recorder.console), dialogs=list(self.recorder.dialogs),
            links=links, badges=badges, html_mentions_emc=self.html_mentions_emc,
            other_queue_commands={q: c for q, c in zip(others, other_commands) if c},
            visited_at=self.visited_at, headers=dict(self.headers),
        )

    def mentions_emc(self) -> bool:
        """Whether the served HTML mentions the EMC host (lets 3.1 say "present but not executed").
        Read once the document is parsed, so a body that never ends cannot hold the visit."""
        if self.response is None or self.parsed_at is None:
            return False
        try:
            return self.settings.emc.host in self.response.text()
        except PlaywrightError:
            return False

    def web_vitals(self) -> dict[str, float | None]:
        """The Web Vitals as the last snapshot read them (evidence only)."""
        vitals = self.vitals
        if not isinstance(vitals, dict):
            return {}
        return {k: (round(float(v), 3) if isinstance(v, (int, float)) else None) for k, v in vitals.items()}

    def extras(self, wanted: frozenset[str]) -> Gathered:
        """The in-page gatherers the selected criteria need, each on its own: one that fails leaves
        its reason and the others still run. The feeds come last: reading them navigates the page
        away."""
        found = Gathered()
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
        return found

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

    def screenshots(self, capture: Capture, whole_page: bool) -> Capture:
        """`capture` with the whole page (when asked) and the visible badge shot."""
        visit = self.settings.visit
        shots: dict[str, bytes] = {}
        try:
            if whole_page:
                height = self.page.evaluate("() => document.documentElement.scrollHeight") or visit.viewport.height
                shots["screenshot"] = self.page.screenshot(
                    type="jpeg", quality=60, full_page=True, timeout=15000,
                    clip={"x": 0, "y": 0, "width": visit.viewport.width,
                          "height": max(1, min(int(height), visit.screenshot_max_height))})
            main_url = self.page.main_frame.url
            shown = [b for b in capture.badges if b.visible and b.rect and b.frame_url == main_url]
            if shown:
                shots["badge_clip"] = self.badge_clip(shown[0].rect or {})
        except PlaywrightError:
            pass  # evidence only: a missing screenshot never changes a verdict
        return replace(capture, **shots)

    def badge_clip(self, rect: dict[str, float]) -> bytes:
        """The badge as the viewport shows it. A shot beyond the viewport makes Chromium lay out and
        paint the page at its full height (most of the evidence's cost on a site that passes), so a
        badge below the fold is scrolled to, shot, and the page scrolled back; only a page that does
        not scroll the window (its own scrolling box) is shot beyond the viewport.
        `rect` is in page coordinates, read at scroll 0; a badge pinned to the viewport is inside it."""
        pad = 12
        x, y = rect.get("x", 0), rect.get("y", 0)
        width, height = rect.get("width", 0), rect.get("height", 0)
        viewport = self.settings.visit.viewport.height
        scrolled = 0
        if y + height > viewport:
            scrolled = self.page.evaluate("(y) => { window.scrollTo(0, y); return window.scrollY; }",
                                          max(0, int(y + height / 2 - viewport / 2)))
        try:
            beyond = y + height - scrolled > viewport
            top = max(0, y - pad - (0 if beyond else scrolled))
            bottom = y + height + pad - (0 if beyond else scrolled)
            # caret="initial": a badge holds no text cursor, and hiding one costs Playwright a style
            # injected into every frame and removed again (a third of the shot's time, issue 20).
            return self.page.screenshot(
                type="png", timeout=15000, full_page=beyond, caret="initial",
                clip={"x": max(0, x - pad), "y": top, "width": max(1, width + 2 * pad),
                      "height": max(1, (bottom if beyond else min(bottom, viewport)) - top)})
        finally:
            if scrolled:
                self.page.evaluate("() => window.scrollTo(0, 0)")


def _isolated(found: Gathered, name: str, run: Callable[[], None]) -> None:
    try:
        run()
    except Exception as err:  # noqa: BLE001 - one gatherer's failure breaks only the criteria needing it
        found.errors[name] = f"{type(err).__name__}: {str(err).splitlines()[0][:300] if str(err) else ''}"


def visit_site(browser: Browser, url: str, settings: Settings, *, ignore_https_errors: bool,
               is_complete: Readiness, resolve: tuple[ResolveRule, ...] = (),
               extras: frozenset[str] = frozenset(), links_complete: Readiness | None = None) -> Visit:
    """Load `url` in a fresh context and watch it until `is_complete(capture)` or the settle budget ends;
    then, if `links_complete` is given and does not hold, act on the page as a visitor would until it
    does or the interaction budget ends; last, run the in-page gatherers named in `extras`
    (portal_audit.evidence.gatherers.IN_VISIT). The whole visit never takes longer than the hard budget."""
    budget = settings.visit.hard_budget
    with Watchdog(budget) as watchdog:
        try:
            return _visit(browser, url, settings, ignore_https_errors=ignore_https_errors, is_complete=is_complete,
                          guard=NetworkGuard(resolve), extras=extras, links_complete=links_complete)
        except VisitError:
            if watchdog.fired:
                raise hung(url, budget) from None
            raise
        except PlaywrightError as err:
            if watchdog.fired:
                raise hung(url, budget) from None
            raise classify(url, err, settings.visit.navigation_timeout) from None


def _init_script(settings: Settings) -> str:
    recorders = [f"({QUEUE_RECORDER})({settings.emc.queue!r});"]
    recorders += [f"({QUEUE_RECORDER})({queue!r}, {OTHER_QUEUE_LOG + queue!r});" for queue in settings.emc.other_queues]
    return "\n".join(recorders)


def _router(hold: Hold, guard: NetworkGuard) -> Callable[[Route], None]:
    def route(route: Route) -> None:
        request = route.request
        if hold.active and _leaves_page(request):
            # Acting on the page: where it would go is recorded; the page stays.
            hold.record(request.url)
            route.abort("aborted")
        elif guard.allows(request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    return route


def _watch(context: BrowserContext, recorder: _Recorder, settings: Settings, url: str,
           route: Callable[[Route], None], guard: NetworkGuard) -> _Visit:
    """The context's scripts, routes and listeners set, and the homepage requested in a new page."""
    context.add_init_script(script=_init_script(settings))
    context.add_init_script(script=WEB_VITALS)
    context.route(guard.held_pattern([url, f"https://{settings.emc.host}/"]), route)
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
    return session


def _settle(session: _Visit, is_complete: Readiness) -> Capture:
    """Snapshots until the caller is satisfied or the settle budget runs out; the last one."""
    visit = session.settings.visit
    session.wait(visit.poll_interval)  # the document has only begun to arrive: nothing to read yet
    while True:
        try:
            capture = session.snapshot()
        except PlaywrightError as err:
            raise classify(session.url, err, visit.navigation_timeout) from None
        if _ready(is_complete, capture):
            break
        since = session.settle_from()
        if since is not None and time.monotonic() - since >= visit.settle_budget:
            break
        session.wait(visit.poll_interval)
    session.settle_from()
    settled = round(time.monotonic() - (session.loaded_at or session.parsed_at or session.committed), 2)
    capture = replace(capture, settle_seconds=settled, html_mentions_emc=session.mentions_emc(),
                      web_vitals=session.web_vitals())
    # The whole page is evidence for a criterion that does not pass: a site on which every
    # criterion watching the page is ready (passes) gets only its badge clip.
    return session.screenshots(capture, whole_page=not _ready(is_complete, capture))


def _visit(browser: Browser, url: str, settings: Settings, *, ignore_https_errors: bool,
           is_complete: Readiness, guard: NetworkGuard, extras: frozenset[str],
           links_complete: Readiness | None) -> Visit:
    visit = settings.visit
    started_visit = time.monotonic()
    context = new_context(browser, visit, ignore_https_errors)
    hold = Hold()
    route = _router(hold, guard)
    try:
        session = _watch(context, _Recorder(hold), settings, url, route, guard)
        capture = _settle(session, is_complete)
        if links_complete is not None and settings.interaction.budget > 0 and not _ready(links_complete, capture):
            # Every request is held while acting on the page, so that any navigation can be stopped.
            context.route("**/*", route)
            # Never past most of the hard budget: what interaction found is kept, the visit is not lost.
            deadline = min(time.monotonic() + settings.interaction.budget, started_visit + 0.8 * visit.hard_budget)
            Interaction(session.page, settings, hold, deadline, PAGE_PROBE, session.options).run(capture, links_complete)
        in_page = session.extras(extras & gather.IN_VISIT)  # last: reading feeds navigates the page away
        return Visit(capture, in_page)
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
