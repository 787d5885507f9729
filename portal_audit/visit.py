"""One visit of a homepage in a real browser: load it once, watch it until every criterion can be
judged (or a time budget runs out), and return a Capture. The only module that drives the browser."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from playwright.sync_api import Browser, BrowserContext, Frame, Page, Request, Response
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from portal_audit.capture import BadgeCandidate, Capture, Link, NetworkRequest
from portal_audit.config import Settings
from portal_audit.network_guard import NetworkGuard
from portal_audit.resolve import ResolveRule

_JS = Path(__file__).with_name("js")
QUEUE_RECORDER = (_JS / "queue_recorder.js").read_text(encoding="utf-8")
PAGE_PROBE = (_JS / "page_probe.js").read_text(encoding="utf-8")

# "Could not evaluate" states, as a fixed vocabulary (Chromium net error → kind, Vietnamese reason).
_NET_ERRORS: tuple[tuple[str, str, str], ...] = (
    ("ERR_NAME_NOT_RESOLVED", "dns", "không phân giải được tên miền (lỗi DNS)"),
    ("ERR_NAME_RESOLUTION_FAILED", "dns", "không phân giải được tên miền (lỗi DNS)"),
    ("ERR_CONNECTION_REFUSED", "refused", "máy chủ từ chối kết nối"),
    ("ERR_CERT_", "tls", "chứng chỉ TLS không hợp lệ"),
    ("ERR_SSL_", "tls", "lỗi kết nối TLS"),
    ("ERR_BAD_SSL_CLIENT_AUTH_CERT", "tls", "lỗi kết nối TLS"),
    ("ERR_TIMED_OUT", "timeout", "quá thời gian chờ kết nối"),
    ("ERR_CONNECTION_TIMED_OUT", "timeout", "quá thời gian chờ kết nối"),
    ("ERR_TOO_MANY_REDIRECTS", "redirect_loop", "chuyển hướng lặp vô hạn"),
    ("ERR_CONNECTION_RESET", "network", "kết nối bị máy chủ ngắt"),
    ("ERR_CONNECTION_CLOSED", "network", "kết nối bị máy chủ đóng"),
    ("ERR_EMPTY_RESPONSE", "network", "máy chủ không trả về dữ liệu"),
    ("ERR_ADDRESS_UNREACHABLE", "network", "không tới được địa chỉ máy chủ"),
    ("ERR_INTERNET_DISCONNECTED", "network", "không có kết nối mạng"),
    ("ERR_ABORTED", "network", "trình duyệt hủy tải trang"),
    ("ERR_BLOCKED_BY_CLIENT", "blocked", "tên miền trỏ tới địa chỉ nội bộ (loopback/mạng riêng) nên bị chặn; "
                                         "dùng --resolve nếu đây là chủ ý"),
)


# Failures the network can be blamed for, worth another attempt; "hung" (a page that froze the
# browser) and HTTP 4xx would only fail the same way again.
RETRYABLE = frozenset({"dns", "refused", "network", "timeout", "http_5xx", "crash"})


class VisitError(Exception):
    """The site could not be evaluated (a 'broken' verdict, never a 'failed' one)."""

    def __init__(self, url: str, kind: str, reason: str, detail: str = "", final_url: str | None = None,
                 attempts: int = 1) -> None:
        self.url = url
        self.kind = kind
        self.reason = reason
        self.detail = detail
        self.final_url = final_url
        self.attempts = attempts
        super().__init__(self.message)

    @property
    def message(self) -> str:
        tries = f" (sau {self.attempts} lần thử)" if self.attempts > 1 else ""
        return f"Không đánh giá được {self.url}: {self.reason}" + (f" [{self.detail}]" if self.detail else "") + tries

    def __str__(self) -> str:
        return self.message

    @property
    def evidence(self) -> dict[str, Any]:
        return {"error_kind": self.kind, "detail": self.detail, "final_url": self.final_url,
                "attempts": self.attempts}


def classify(url: str, error: Exception, navigation_timeout: float) -> VisitError:
    text = str(error)
    if isinstance(error, PlaywrightTimeout):
        return VisitError(url, "timeout", f"quá thời gian chờ ({navigation_timeout:g} giây) khi tải trang chủ")
    code = re.search(r"net::(ERR_[A-Z_]+)", text)
    if code:
        for prefix, kind, reason in _NET_ERRORS:
            if code.group(1).startswith(prefix):
                return VisitError(url, kind, reason, code.group(1))
        return VisitError(url, "network", "lỗi mạng khi tải trang chủ", code.group(1))
    if "Download is starting" in text:
        return VisitError(url, "download", "trang chủ là một tệp tải về, không phải trang web")
    if "closed" in text.lower() or "crash" in text.lower():
        return VisitError(url, "crash", "trình duyệt bị dừng khi tải trang", text.splitlines()[0][:200])
    return VisitError(url, "network", "lỗi khi tải trang chủ", text.splitlines()[0][:200] if text else type(error).__name__)


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


def user_agent_for(browser: Browser, suffix: str) -> str:
    # Headless Chromium announces itself as "HeadlessChrome", which some portals block.
    return (f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{browser.version} Safari/537.36 {suffix}").strip()


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
                kind = "http_5xx" if response.status >= 500 else "http_4xx"
                raise VisitError(self.url, kind, f"máy chủ trả về mã lỗi HTTP {response.status}",
                                 final_url=response.url)
            content_type = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
            if content_type and "html" not in content_type:
                raise VisitError(self.url, "not_html", f"trang chủ không phải trang web (Content-Type: {content_type})",
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
            height = self.page.evaluate("() => document.documentElement.scrollHeight") or visit.viewport["height"]
            capture.screenshot = self.page.screenshot(
                type="jpeg", quality=60, full_page=True, timeout=15000,
                clip={"x": 0, "y": 0, "width": visit.viewport["width"],
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


def _own_browser_pids() -> list[int]:
    """Main Chromium processes started by this process (through the Playwright driver), from /proc."""
    children: dict[int, list[int]] = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return []
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found: list[int] = []
    stack = list(children.get(os.getpid(), []))
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                args = cmdline.read().split(b"\0")
        except OSError:
            continue
        if b"--remote-debugging-pipe" in args and not any(a.startswith(b"--type=") for a in args):
            found.append(pid)
    return found


class _Watchdog:
    """Ends a visit that outlives its hard budget. A page in a JavaScript busy loop blocks every
    call into it, so the only way out is to kill the browser; the blocked call then fails and the
    next site gets a fresh browser. Only the site being visited is lost."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.fired = False
        self._timer = threading.Timer(budget, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        for pid in _own_browser_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def visit_site(browser: Browser, url: str, settings: Settings, *, ignore_https_errors: bool,
               is_complete: Callable[[Capture], bool], resolve: tuple[ResolveRule, ...] = ()) -> Capture:
    """Load `url` in a fresh context and watch it until `is_complete(capture)` or the settle budget ends;
    the whole visit never takes longer than the hard budget."""
    budget = settings.visit.hard_budget
    with _Watchdog(budget) as watchdog:
        try:
            return _visit(browser, url, settings, ignore_https_errors=ignore_https_errors, is_complete=is_complete,
                          guard=NetworkGuard(resolve))
        except VisitError:
            if watchdog.fired:
                raise VisitError(url, "hung", f"trang không phản hồi, vượt quá ngân sách {budget:g} giây "
                                              "cho một lần truy cập") from None
            raise
        except PlaywrightError as err:
            if watchdog.fired:
                raise VisitError(url, "hung", f"trang không phản hồi, vượt quá ngân sách {budget:g} giây "
                                              "cho một lần truy cập") from None
            raise classify(url, err, settings.visit.navigation_timeout) from None


def _visit(browser: Browser, url: str, settings: Settings, *, ignore_https_errors: bool,
           is_complete: Callable[[Capture], bool], guard: NetworkGuard) -> Capture:
    visit = settings.visit
    context: BrowserContext = browser.new_context(
        ignore_https_errors=ignore_https_errors, accept_downloads=False, service_workers="block",
        viewport=visit.viewport, locale=visit.locale, user_agent=user_agent_for(browser, visit.user_agent_suffix),
    )
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
            if is_complete(capture) or time.monotonic() - started >= visit.settle_budget:
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
