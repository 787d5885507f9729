"""HTTPS seen from outside (criterion HTTPS), with the standard library only: the certificate
(checked against the system's CAs plus https.extra_ca_file, and the host name), the protocol
negotiated, whether TLS 1.0 and 1.1 are still accepted (a handshake pinned to each), what
http://HOST/ answers (a redirect to HTTPS or the page itself) and the Strict-Transport-Security
header of the HTTPS answer.

Connections follow --resolve like the browser's (a mapped host goes to its address and port, for
both schemes, as Chromium's MAP rules do), and keep away from internal addresses the same way
(portal_audit.network.guard)."""

from __future__ import annotations

import http.client
import socket
import ssl
import warnings
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from portal_audit.evidence.artifacts import Certificate, HttpRedirect, HttpsProbe
from portal_audit.evidence.gatherers import HTTPS, VISIT
from portal_audit.gather.unit import GatherContext, Gatherer
from portal_audit.settings import HttpsSettings
from portal_audit.urls import parse_address
from portal_audit.network.guard import NetworkGuard
from portal_audit.network.resolve import ResolveRule, address_for

MAX_REDIRECTS = 5
USER_AGENT = "portal-audit (HTTPS check)"
# OpenSSL verification codes -> the problem an auditor reads about.
_PROBLEMS = {9: "not_yet_valid", 10: "expired", 18: "self_signed", 19: "self_signed", 20: "untrusted",
             21: "untrusted", 2: "untrusted", 62: "hostname"}
OLD_PROTOCOLS = {"TLSv1": "TLSv1", "TLSv1.1": "TLSv1_1"}


class Blocked(Exception):
    """The host points to an internal address and was not mapped with --resolve."""


class _Target:
    def __init__(self, host: str, rules: tuple[ResolveRule, ...], guard: NetworkGuard, timeout: float) -> None:
        self.host, self.rules, self.guard, self.timeout = host, rules, guard, timeout

    def connect(self, scheme: str, port: int | None) -> socket.socket:
        if not self.guard.allows(f"{scheme}://{self.host}/"):
            raise Blocked(f"{self.host} trỏ tới địa chỉ nội bộ (dùng --resolve nếu đây là chủ ý)")
        rule = address_for(self.host, list(self.rules))
        default = 443 if scheme == "https" else 80
        if rule is not None:
            return socket.create_connection((rule.ip, rule.port or port or default), timeout=self.timeout)
        return socket.create_connection((self.host, port or default), timeout=self.timeout)


def _context(extra_ca: Path | None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if extra_ca is not None:
        context.load_verify_locations(cafile=str(extra_ca))
    return context


def _unverified() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _name(parts: tuple[tuple[tuple[str, str], ...], ...] | None) -> str | None:
    if not parts:
        return None
    fields = dict(item for group in parts for item in group)
    return fields.get("commonName") or fields.get("organizationName") or ", ".join(f"{k}={v}" for k, v in fields.items())


def _get(sock: socket.socket, host: str, path: str = "/") -> http.client.HTTPResponse:
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {USER_AGENT}\r\nAccept: text/html\r\n"
               "Connection: close\r\n\r\n")
    sock.sendall(request.encode("latin-1"))
    response = http.client.HTTPResponse(sock, method="GET")
    response.begin()
    return response


def _reason(err: Exception) -> str:
    if isinstance(err, ConnectionRefusedError):
        return "máy chủ từ chối kết nối"
    if isinstance(err, (socket.timeout, TimeoutError)):
        return "quá thời gian chờ kết nối"
    if isinstance(err, socket.gaierror):
        return "không phân giải được tên miền"
    if isinstance(err, ssl.SSLError):
        return f"lỗi bắt tay TLS ({err.reason or err})"
    return f"{type(err).__name__}: {err}"


def probe_https(url: str, settings: HttpsSettings, rules: tuple[ResolveRule, ...] = ()) -> HttpsProbe:
    address = parse_address(url, bare=True)
    if address is None:
        raise ValueError(f"'{url}' không phải địa chỉ http(s)")
    host = address.host
    extra = Path(settings.extra_ca_file) if settings.extra_ca_file else None
    target = _Target(host, rules, NetworkGuard(rules), settings.timeout)
    https_port = address.port if address.scheme == "https" else None
    probe = HttpsProbe(host=host, https=False, extra_ca=extra is not None)
    probe.http = _http_redirect(target, address.port if address.scheme == "http" else None)
    try:
        _tls(probe, target, https_port, _context(extra))
    except Blocked:
        raise
    except (OSError, ssl.SSLError, http.client.HTTPException) as err:
        probe.error = _reason(err)
        return probe
    probe.old_protocols = {label: _accepts(target, https_port, name) for label, name in OLD_PROTOCOLS.items()}
    return probe


def _tls(probe: HttpsProbe, target: _Target, port: int | None, context: ssl.SSLContext) -> None:
    host = probe.host
    with target.connect("https", port) as raw:
        try:
            sock = context.wrap_socket(raw, server_hostname=host)
        except ssl.SSLCertVerificationError as err:
            probe.certificate = Certificate(valid=False, problem=_PROBLEMS.get(err.verify_code, "other"),
                                            detail=err.verify_message or str(err))
            sock = None
        if sock is not None:
            with sock:
                cert = sock.getpeercert() or {}
                probe.certificate = Certificate(valid=True, subject=_name(cert.get("subject")),
                                                issuer=_name(cert.get("issuer")), not_before=cert.get("notBefore"),
                                                not_after=cert.get("notAfter"))
                probe.https, probe.protocol = True, sock.version()
                probe.hsts = _get(sock, host).getheader("strict-transport-security")
            return
    # An invalid certificate: the rest is still measured, as a browser that was told to go on sees it.
    with target.connect("https", port) as raw, _unverified().wrap_socket(raw, server_hostname=host) as sock:
        probe.https, probe.protocol = True, sock.version()
        probe.hsts = _get(sock, host).getheader("strict-transport-security")


def _accepts(target: _Target, port: int | None, version_name: str) -> bool | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        version = getattr(ssl.TLSVersion, version_name)
        context = _unverified()
        try:
            context.minimum_version = context.maximum_version = version
            context.set_ciphers("ALL:@SECLEVEL=0")
        except (ValueError, ssl.SSLError):
            return None  # this machine's OpenSSL cannot speak it: not measured
    try:
        with target.connect("https", port) as raw, context.wrap_socket(raw, server_hostname=target.host):
            return True
    except ssl.SSLError:
        return False
    except OSError:
        return None


def _http_redirect(target: _Target, port: int | None) -> HttpRedirect:
    result = HttpRedirect()
    current = f"http://{target.host}/"
    current_target, current_port = target, port
    for _ in range(MAX_REDIRECTS + 1):
        try:
            with current_target.connect("http", current_port) as sock:
                parts = urlsplit(current)
                response = _get(sock, current_target.host, parts.path or "/")
                location = response.getheader("location")
        except Blocked as err:
            result.error = str(err)
            return result
        except (OSError, http.client.HTTPException) as err:
            result.error = _reason(err)
            if not result.chain:
                return result  # nothing answers HTTP: no page is served without encryption either
            result.to_https = False
            return result
        if response.status in (301, 302, 303, 307, 308) and location:
            following = urljoin(current, location.strip())
            result.chain.append(f"{response.status} {current} -> {following}")
            if following.startswith("https://"):
                result.final_url, result.to_https = following, True
                return result
            next_address = parse_address(following)
            if next_address is None:
                break
            current = following
            current_target = _Target(next_address.host, target.rules, target.guard, target.timeout)
            current_port = next_address.port
            continue
        result.chain.append(f"{response.status} {current}")
        result.final_url, result.to_https = current, False
        return result
    result.to_https = False
    result.error = "chuyển hướng quá nhiều lần trên HTTP"
    return result


def run(context: GatherContext) -> HttpsProbe:
    return probe_https(context.site.url, context.settings.https, context.tools.visits.resolve)


GATHERER = Gatherer(HTTPS, run, after=(VISIT,))
