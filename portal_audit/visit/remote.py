"""Remote browsers: Playwright browser servers (`playwright run-server`, or Playwright's container
image) that the audit connects to (--browser-endpoint) instead of launching Chromium itself.

- The audit's launch options travel with the connection, in the `x-playwright-launch-options`
  header (as pytest-playwright sends them), under the names Playwright's server reads
  (`executablePath`, not `executable_path`). The server applies `args` (the audit's Chromium flags,
  --host-resolver-rules for --resolve) and `executablePath` only when started with `--unsafe`;
  otherwise it drops them silently. Since a dropped --resolve would audit the live sites instead of
  the mapped ones, every connection that carries host-resolver rules checks them first: an extra
  rule maps a reserved name to a closed port, and a browser that fails to resolve that name did not
  get the rules.
- The local Chromium's path means nothing on the server: a remote browser is the server's own
  Chromium, or `browser.remote_executable` of the settings.
- Each xdist worker starts at its own endpoint (worker i at endpoint i mod M) and moves on to the
  next one when a connection fails, so several servers share the workers and one that is down
  costs no site.
- A page that freezes a remote browser cannot be killed from here: the watchdog closes the
  connection instead (drop_connection), and the server then closes that browser."""

from __future__ import annotations

import asyncio
import json
import re
import socket
from typing import Any, Sequence
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

LAUNCH_OPTIONS_HEADER = "x-playwright-launch-options"
ENDPOINT_KEYS = ("ws_endpoint", "endpoint", "wsEndpoint")
RESOLVER_FLAG = "--host-resolver-rules="
# A reserved name (RFC 2606) mapped to the discard port, which has no listener: with the rules the
# browser is refused; without them the name does not resolve.
RESOLVE_CHECK_HOST = "portal-audit-resolve-check.invalid"
RESOLVE_CHECK_RULE = f"MAP {RESOLVE_CHECK_HOST} 127.0.0.1:9"
# How long a connection (which launches the browser on the server) may take.
CONNECT_TIMEOUT_MS = 60_000
DROPPED_REASON = "portal-audit: trang không phản hồi, ngắt kết nối tới trình duyệt từ xa"


class RemoteBrowserError(Exception):
    """No remote browser could be used; str() is one line naming the endpoints."""


def parse_endpoint(text: str) -> str:
    value = text.strip()
    url = urlsplit(value)
    try:
        port_ok = url.port is None or 0 < url.port < 65536
    except ValueError:
        port_ok = False
    if url.scheme not in ("ws", "wss") or not url.hostname or not port_ok:
        raise RemoteBrowserError(f"--browser-endpoint '{text}': cần địa chỉ ws://MÁY:CỔNG/ (hoặc wss://) của một máy "
                                 "chủ trình duyệt Playwright (playwright run-server)")
    return value


def check_reachable(endpoint: str, timeout: float = 10.0) -> None:
    """Fails at start-up, in one line, when nothing answers at the endpoint's address."""
    url = urlsplit(endpoint)
    port = url.port or (443 if url.scheme == "wss" else 80)
    try:
        socket.create_connection((url.hostname, port), timeout=timeout).close()
    except OSError as err:
        raise RemoteBrowserError(f"--browser-endpoint '{endpoint}': không kết nối được tới máy chủ trình duyệt "
                                 f"({err.strerror or err})") from None


def endpoints_for_worker(endpoints: Sequence[str], worker: int) -> list[str]:
    """The endpoints in the order worker `worker` tries them: its own (worker mod M) first."""
    if not endpoints:
        return []
    start = worker % len(endpoints)
    return [*endpoints[start:], *endpoints[:start]]


def _camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def remote_launch_options(launch_args: dict[str, Any], executable: str | None) -> dict[str, Any]:
    """The launch options as the server reads them: camelCase names, the server's Chromium
    (`executable`, or the server's own when None) and the resolver rules with their check."""
    options = {_camel(k): v for k, v in launch_args.items() if k not in ("executable_path", "executablePath")}
    if executable:
        options["executablePath"] = executable
    if options.get("args"):
        options["args"] = [f"{RESOLVER_FLAG}{RESOLVE_CHECK_RULE}, {a[len(RESOLVER_FLAG):]}"
                           if a.startswith(RESOLVER_FLAG) else a for a in options["args"]]
    return options


def connect_options(endpoint: str, launch_options: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments of BrowserType.connect (the shape of pytest-playwright's connect_options)."""
    return {"ws_endpoint": endpoint, "timeout": CONNECT_TIMEOUT_MS,
            "headers": {LAUNCH_OPTIONS_HEADER: json.dumps(launch_options)}}


def with_launch_options(options: dict[str, Any], launch_options: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's connect_options with the audit's launch options added (the fixture's own
    header, if it sets one, wins)."""
    headers = {LAUNCH_OPTIONS_HEADER: json.dumps(launch_options), **(options.get("headers") or {})}
    return {**options, "headers": headers}


def _checks_resolver(options: dict[str, Any]) -> bool:
    return RESOLVE_CHECK_HOST in (options.get("headers") or {}).get(LAUNCH_OPTIONS_HEADER, "")


def _endpoint(options: dict[str, Any]) -> str:
    return str(next((options[k] for k in ENDPOINT_KEYS if options.get(k)), ""))


def check_resolver_rules(browser: Browser, endpoint: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        try:
            page.goto(f"http://{RESOLVE_CHECK_HOST}/", timeout=15_000)
        except PlaywrightError as err:
            if "ERR_NAME_NOT_RESOLVED" in str(err):
                raise RemoteBrowserError(
                    f"{endpoint}: máy chủ trình duyệt bỏ qua tham số khởi động của cuộc đánh giá (--resolve không có "
                    "hiệu lực); chạy máy chủ với 'playwright run-server --unsafe'") from None
    finally:
        try:
            context.close()
        except PlaywrightError:
            pass


def connect(playwright: Playwright, candidates: Sequence[dict[str, Any]]) -> Browser:
    """The first remote browser that connects (and got the resolver rules), trying `candidates`
    (connect options) in order."""
    failures: list[str] = []
    for options in candidates:
        # The endpoint by position: its keyword is ws_endpoint in some Playwright versions, endpoint in others.
        rest = {k: v for k, v in options.items() if k not in ENDPOINT_KEYS}
        try:
            browser = playwright.chromium.connect(_endpoint(options), **rest)
        except PlaywrightError as err:
            hint = (" — máy chủ không có Chromium của Playwright: đặt browser.remote_executable (--audit-config) và "
                    "chạy máy chủ với --unsafe" if "Executable doesn't exist" in str(err) else "")
            failures.append(f"{_endpoint(options)}: {_first_line(str(err))}{hint}")
            continue
        try:
            if _checks_resolver(options):
                check_resolver_rules(browser, _endpoint(options))
        except (RemoteBrowserError, PlaywrightError) as err:
            failures.append(_first_line(str(err)))
            _close_quietly(browser)
            continue
        return browser
    raise RemoteBrowserError("không dùng được máy chủ trình duyệt nào (" + "; ".join(failures) + ")")


def drop_connection(browser: Browser) -> None:
    """Closes `browser`'s connection from any thread (the watchdog's timer), while the audit's
    thread is blocked in a call into a frozen page: the blocked call then fails at once, and the
    server closes the browser. The sync API may only be used from its own thread, so the close is
    handed to the event loop that thread is waiting in (the loop of Playwright's client objects)."""
    impl = getattr(browser, "_impl_obj", None)
    loop = getattr(impl, "_loop", None)
    if impl is None or not isinstance(loop, asyncio.AbstractEventLoop) or loop.is_closed():
        return

    async def close() -> None:
        try:
            await impl.close(reason=DROPPED_REASON)
        except Exception:  # noqa: BLE001 - already closed, or the server is gone: either way it is ended
            pass

    try:
        asyncio.run_coroutine_threadsafe(close(), loop)
    except RuntimeError:
        pass  # the loop is closed: so is the connection


def _close_quietly(browser: Browser) -> None:
    try:
        browser.close()
    except PlaywrightError:
        pass


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not set(line.strip()) <= set("═║╔╗╚╝")]
    return lines[0][:300] if lines else text[:300]
