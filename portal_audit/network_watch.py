"""Whether the auditor's own machine reaches the network: a few well-known addresses (settings
`network.canaries`) asked at once, the first answer ending the check. A site the audit cannot
reach while no canary answers either is not the agency's failure.

A canary is reached when it answers anything over HTTP(S), whatever the status; a DNS failure, a
refused connection, a TLS failure (a certificate the audit would not trust: a captive portal) or
silence is not reached. Canaries follow the --resolve rules as the sites do, so a staging world
can play them. They are the auditor's own addresses, not a site's, so the private-address guard
does not apply to them."""

from __future__ import annotations

import queue
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from portal_audit.settings import NetworkSettings
from portal_audit.network.resolve import ResolveRule, address_for

# Bytes read of a canary's answer: its status line is all that counts.
ANSWER_BYTES = 64
CLOSED = "kết nối bị đóng, không có câu trả lời"
# The User-Agent of the checks, so that a server (the self-tests' world) can tell them from a visit.
CANARY_USER_AGENT = "portal-audit-canary"


@dataclass(frozen=True)
class Reach:
    """One check: whether any canary answered, and why each that did not failed."""

    reached: bool
    failures: tuple[str, ...] = ()

    def reason(self) -> str:
        return "; ".join(self.failures) or "không có địa chỉ kiểm tra nào"


@dataclass(frozen=True)
class Canary:
    url: str
    host: str
    port: int
    tls: bool
    path: str

    @classmethod
    def of(cls, url: str) -> Canary:
        parts = urlsplit(url)
        tls = parts.scheme == "https"
        return cls(url, parts.hostname or "", parts.port or (443 if tls else 80), tls, parts.path or "/")


def tls_context(ignore_https_errors: bool, extra_ca_file: str = "") -> ssl.SSLContext:
    """The trust the audit's browser has: the system's authorities, https.extra_ca_file, or none
    with --ignore-https-errors."""
    context = ssl.create_default_context()
    if ignore_https_errors:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif extra_ca_file:
        context.load_verify_locations(cafile=extra_ca_file)
    return context


def ask(canary: Canary, rules: tuple[ResolveRule, ...], context: ssl.SSLContext, timeout: float) -> str | None:
    """None when the canary answered over HTTP(S); otherwise why not, in one line."""
    rule = address_for(canary.host, list(rules))
    address = (rule.ip, rule.port or canary.port) if rule is not None else (canary.host, canary.port)
    try:
        with socket.create_connection(address, timeout=timeout) as raw:
            sock = context.wrap_socket(raw, server_hostname=canary.host) if canary.tls else raw
            request = (f"HEAD {canary.path} HTTP/1.1\r\nHost: {canary.host}\r\nUser-Agent: {CANARY_USER_AGENT}\r\n"
                       "Connection: close\r\n\r\n")
            sock.sendall(request.encode("ascii", "replace"))
            answer = sock.recv(ANSWER_BYTES)
    except (OSError, UnicodeError, ValueError) as err:
        return f"{canary.url}: {_why(err)}"
    if not answer:
        return f"{canary.url}: {CLOSED}"
    return None if answer.startswith(b"HTTP/") else f"{canary.url}: trả lời không phải HTTP"


def _why(err: Exception) -> str:
    if isinstance(err, socket.gaierror):
        return "không phân giải được tên miền"
    if isinstance(err, ssl.SSLError) and not isinstance(err, ssl.SSLEOFError):
        return f"lỗi TLS ({getattr(err, 'reason', None) or type(err).__name__})"
    if isinstance(err, ConnectionRefusedError):
        return "từ chối kết nối"
    if isinstance(err, (ConnectionError, ssl.SSLEOFError)):  # reset, broken pipe: closed without an answer
        return CLOSED
    if isinstance(err, (socket.timeout, TimeoutError)):
        return "quá thời gian chờ"
    return " ".join(str(err).split())[:120] or type(err).__name__


def check(canaries: tuple[str, ...], rules: tuple[ResolveRule, ...], context: ssl.SSLContext,
          timeout: float) -> Reach:
    """Every canary asked at once; returns at the first answer, or when all failed or `timeout`
    passed. The askers are daemon threads: one stuck in the system's name lookup past the timeout
    neither holds the check nor the process's exit."""
    answers: queue.Queue[str | None] = queue.Queue()
    for url in canaries:
        canary = Canary.of(url)
        threading.Thread(target=lambda c=canary: answers.put(ask(c, rules, context, timeout)),
                         name="portal-audit-canary", daemon=True).start()
    deadline = time.monotonic() + timeout
    failures: list[str] = []
    while len(failures) < len(canaries):
        try:
            failure = answers.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            failures.append(f"quá thời gian chờ {timeout:g} giây")
            break
        if failure is None:
            return Reach(True)
        failures.append(failure)
    return Reach(False, tuple(sorted(failures)))


@dataclass
class NetworkWatch:
    """The watch of one audit process: when it last saw the network, and how much of the run's
    outage budget it has waited already."""

    settings: NetworkSettings
    rules: tuple[ResolveRule, ...]
    context: ssl.SSLContext
    last_checked: float = field(default=float("-inf"))
    waited: float = 0.0
    down: bool = False  # the last check found no canary
    last: Reach = field(default_factory=lambda: Reach(True))

    @classmethod
    def of(cls, settings: NetworkSettings, rules: tuple[ResolveRule, ...], ignore_https_errors: bool,
           extra_ca_file: str = "") -> NetworkWatch:
        return cls(settings, rules, tls_context(ignore_https_errors, extra_ca_file))

    @property
    def active(self) -> bool:
        return bool(self.settings.canaries)

    def check(self) -> Reach:
        if not self.active:
            return Reach(True)
        self.last = check(self.settings.canaries, self.rules, self.context, self.settings.timeout)
        self.last_checked = time.monotonic()
        self.down = not self.last.reached
        return self.last

    def due(self) -> bool:
        """Whether a site that did not fail on the network is followed by a check."""
        return self.active and (self.down or time.monotonic() - self.last_checked >= self.settings.check_interval)

    def wait_until_back(self) -> bool:
        """Checks every poll_interval until a canary answers (True) or the run's outage budget is
        spent (False); the time spent, checks included, is taken from the budget."""
        started = time.monotonic()
        try:
            while not self.check().reached:
                left = self.settings.outage_budget - self.waited - (time.monotonic() - started)
                if left <= 0:
                    return False
                time.sleep(min(self.settings.poll_interval, left))
            return True
        finally:
            self.waited += time.monotonic() - started
