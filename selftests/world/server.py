"""A simulated web: many sites, chosen by Host header, over HTTP and HTTPS on one loopback port.

The audit runs a real Chromium whose host resolver is pointed at this port, so
every portal, component site and the EMC service of a self-test is served from
here. Scheme is decided per connection by sniffing the first byte (a TLS
ClientHello starts with 0x16), which lets one port stand in for both :80 and
:443 of every host.
"""

from __future__ import annotations

import html
import http
import socket
import ssl
import subprocess
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from portal_audit.network_watch import CANARY_USER_AGENT

from .dns_server import WorldDns

__all__ = [
    "Headers",
    "Request",
    "Response",
    "Route",
    "Site",
    "World",
]

# Idle keep-alive and speculative (never-used) connections are dropped after
# this; Chromium simply reconnects, and it keeps stray threads from piling up.
IDLE_TIMEOUT = 30.0
MAX_LINE = 65536
MAX_HEADERS = 200


class Headers(dict[str, str]):
    """Header dict with lower-cased keys that also accepts any casing on lookup."""

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        super().__init__()
        for key, value in (items or {}).items():
            self[key] = value

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key.lower(), value)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(key.lower(), default)


@dataclass
class Request:
    host: str
    method: str
    path: str  # includes the query string
    scheme: str  # "http" | "https"
    headers: dict[str, str]  # a Headers: keys lower-cased, lookups case-insensitive
    body: bytes
    time: float

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}{self.path}"


@dataclass
class Response:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds to wait before answering


# A site maps a path without query string ("/", "/api/x.json") to a Route; the
# optional key "*" catches every other path of that host.
Route = Union[Response, Callable[[Request], Response]]


class Site(dict[str, Route]):
    """A site's routes (path without query -> Route), plus how it is reachable.

    A plain dict works everywhere a Site does; the subclass only exists so a
    catalog can say "this host has no HTTPS" without a separate argument to
    World. Such hosts fail the TLS handshake, the way a real HTTP-only server
    that has nothing on :443 fails an HTTPS attempt, so a browser that tries
    HTTPS first falls back to HTTP.
    """

    def __init__(self, routes: Mapping[str, Route] | None = None, *, https: bool = True, ipv6: bool = True,
                 cert: str = "valid", tls_min: str | None = None) -> None:
        super().__init__(routes or {})
        self.https = https
        self.ipv6 = ipv6  # the world's name server gives it an AAAA record
        # In a world with its own CA (World(..., ca=True)): "valid" (signed by the world's CA),
        # "expired" (signed by it, expired yesterday) or "self-signed".
        self.cert = cert
        self.tls_min = tls_min  # e.g. "TLSv1": the host still accepts TLS 1.0 and 1.1


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Status"


def _error_page(status: int, title: str, message: str) -> bytes:
    return (
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
        f"<title>{status} {html.escape(title)}</title></head><body>"
        f"<h1>{status} {html.escape(title)}</h1><p>{html.escape(message)}</p>"
        "</body></html>"
    ).encode()


def _split_host(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):  # IPv6 literal
        end = value.find("]")
        return value[: end + 1] if end != -1 else value
    return value.rsplit(":", 1)[0] if ":" in value else value


# The audit's network checks (portal_audit.network_watch) say so in their User-Agent: they are left
# out of the requests the world records, which are the sites' traffic.
CANARY_AGENT = CANARY_USER_AGENT


class WorldFault(Exception):
    """A bug in the world itself (a route or the server raised): the test that met it must fail, not
    read the 500 or the missing answer it produced as a site's expected *broken*."""


class _ConnectionClosed(Exception):
    pass


class World:
    """Serves `sites` (host -> routes) on one ephemeral 127.0.0.1 port.

    By default every host shares one self-signed certificate. With `ca=True` the world has its own
    certificate authority (`ca_file`, to be trusted by whoever should) and each host its own
    certificate, chosen by its Site (`cert`, `tls_min`); the server reads the name the client asks
    for from its ClientHello and answers with that host's certificate and TLS versions."""

    def __init__(self, sites: Mapping[str, Mapping[str, Route]], workdir: Path, *, ca: bool = False) -> None:
        self.sites: dict[str, Mapping[str, Route]] = {h.lower(): s for h, s in sites.items()}
        self.workdir = Path(workdir)
        self.port: int = 0
        self.cert_file: Path = self.workdir / "world-cert.pem"
        self.key_file: Path = self.workdir / "world-key.pem"
        self._lock = threading.Lock()
        self._requests: list[Request] = []
        # Tracebacks of the world's own bugs since the last check_faults() (see WorldFault).
        self._faults: list[str] = []
        self._stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()
        self._ssl: ssl.SSLContext | None = None
        self._no_https = {h for h, s in self.sites.items() if getattr(s, "https", True) is False}
        self.dns = WorldDns(self.sites)
        self.ca = ca
        self.ca_file: Path = self.workdir / "world-ca.pem"
        self._host_ssl: dict[str, ssl.SSLContext] = {}
        # The blackout switch (blackout()): the world as the auditor sees it when its own line is cut.
        self._dark_trigger: str | None = None
        self._dark_seconds: float | None = None
        self._dark_since: float | None = None

    # -- lifecycle -----------------------------------------------------------

    def __enter__(self) -> World:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.stop()
        if kind is None:  # an exception already on its way out says more than the world's faults
            self.check_faults()

    def fault(self, where: str) -> None:
        """Records the exception being handled as a bug of the world (also printed, for the log)."""
        text = f"{where}:\n{traceback.format_exc()}"
        print(text, file=sys.stderr)
        with self._lock:
            self._faults.append(text)

    def check_faults(self) -> None:
        """Raises WorldFault if a route, the server or the name server raised since the last check."""
        with self._lock:
            faults, self._faults = self._faults, []
        faults += self.dns.take_faults()
        if faults:
            raise WorldFault(f"the simulated world raised {len(faults)} time(s):\n" + "\n".join(faults))

    def start(self) -> None:
        if self._listener is not None:
            return
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._make_certificate()
        self._ssl = self._make_ssl_context()
        if self.ca:
            self._make_host_contexts()
        self._stopping.clear()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(256)
        # A timeout lets the accept loop notice stop() even where closing a
        # socket does not wake a blocked accept().
        listener.settimeout(0.2)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name=f"world-accept-{self.port}", daemon=True
        )
        self._accept_thread.start()
        self.dns.start()

    def stop(self) -> None:
        self.dns.stop()
        self._stopping.set()  # also wakes handlers sleeping out a Response.delay
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes a blocked accept() on Linux
            except OSError:
                pass
            try:
                listener.close()
            except OSError:
                pass
        if self._accept_thread is not None:
            self._accept_thread.join(timeout=2)
            self._accept_thread = None
        with self._lock:
            conns = list(self._conns)
            self._conns.clear()
        for conn in conns:
            try:
                # The base-class call works for SSLSocket too without touching
                # its TLS state, which another thread may be using.
                socket.socket.shutdown(conn, socket.SHUT_RDWR)
            except OSError:
                pass

    # -- the auditor's network ----------------------------------------------

    def blackout(self, *, on_host: str | None = None, seconds: float | None = None) -> None:
        """Every host (sites, the EMC host, the audit's canaries) becomes unreachable, as when the
        auditor's own network is cut: each connection is closed without an answer. From the first
        request to `on_host` (that one included), or now without it; for `seconds`, or until
        light() without them."""
        with self._lock:
            self._dark_trigger, self._dark_seconds = (on_host.lower() if on_host else None), seconds
            self._dark_since = None if on_host else time.monotonic()

    def light(self) -> None:
        with self._lock:
            self._dark_trigger = self._dark_seconds = self._dark_since = None

    def _dark(self, host: str | None = None) -> bool:
        with self._lock:
            now = time.monotonic()
            if self._dark_since is None and host is not None and host == self._dark_trigger:
                self._dark_since = now
            if self._dark_since is None:
                return False
            if self._dark_seconds is not None and now - self._dark_since >= self._dark_seconds:
                self._dark_trigger = self._dark_seconds = self._dark_since = None
                return False
            return True

    # -- observation ---------------------------------------------------------

    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, host: str) -> list[Request]:
        host = host.lower()
        return [r for r in self.requests() if r.host == host]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def resolve_args(self, extra: Mapping[str, str] | None = None) -> list[str]:
        """The audit's `--resolve PATTERN=ADDR` options that point every host here.

        `extra` comes first because the first matching pattern wins there.
        Hosts are folded into one `*.<last two labels>` wildcard per suffix
        (`*` matches across dots, as in Chromium's MAP rules), which also
        sends hosts the world does not serve here, to get "unknown host".
        The EMC host is listed by name as well, as the audit's docs show it.
        """
        args: list[str] = []
        for pattern, address in (extra or {}).items():
            args += ["--resolve", f"{pattern}={address}"]
        patterns: list[str] = []
        for host in sorted(self.sites):
            labels = host.split(".")
            if len(labels) > 2:
                pattern = "*." + ".".join(labels[-2:])
            else:
                pattern = host
            if pattern not in patterns:
                patterns.append(pattern)
        from .emc import EMC_HOST  # late: emc builds on this module

        if EMC_HOST in self.sites and EMC_HOST not in patterns:
            patterns.append(EMC_HOST)
        for pattern in patterns:
            args += ["--resolve", f"{pattern}={self.address}"]
        return args

    def settings(self, base: Path | None = None) -> str:
        """YAML of an --audit-config: `base`'s settings plus this world's name server."""
        text = base.read_text(encoding="utf-8") if base is not None else ""
        return text + f"\ndns:\n  nameservers: [\"{self.dns.address}\"]\n"

    def host_resolver_rules(self, extra: Mapping[str, str] | None = None) -> str:
        """The same mapping as Chromium's --host-resolver-rules value (for manual runs)."""
        args = self.resolve_args(extra)
        rules = [f"MAP {p.replace('=', ' ', 1)}" for p in args[1::2]]
        return ", ".join(rules + ["EXCLUDE localhost"])

    # -- TLS -----------------------------------------------------------------

    def _make_certificate(self) -> None:
        names = [h for h in self.sites if not h.startswith("[")]
        san = ",".join([f"DNS:{h}" for h in names] + ["DNS:localhost", "IP:127.0.0.1"])
        cmd = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
            "-subj", "/CN=portal-audit-world",
            "-addext", f"subjectAltName={san}",
            "-keyout", str(self.key_file), "-out", str(self.cert_file),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"openssl failed to make the world's certificate:\n{proc.stderr}")

    def _openssl(self, *args: str) -> None:
        proc = subprocess.run(["openssl", *args], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"openssl {args[0]} failed for the world's certificates:\n{proc.stderr}")

    def _make_host_contexts(self) -> None:
        """The world's CA, and per host a certificate as its Site asks (one key shared by all)."""
        folder = self.workdir / "certs"
        folder.mkdir(exist_ok=True)
        ca_key, key = folder / "ca-key.pem", folder / "host-key.pem"
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                      "-days", "30", "-subj", "/CN=portal-audit world CA", "-keyout", str(ca_key),
                      "-out", str(self.ca_file), "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        self._openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", str(key))
        for index, (host, site) in enumerate(sorted(self.sites.items())):
            if host.startswith("[") or host in self._no_https:
                continue
            kind = getattr(site, "cert", "valid")
            cert = folder / f"host-{index}.pem"
            extensions = folder / f"host-{index}.ext"
            extensions.write_text(f"subjectAltName=DNS:{host}\nbasicConstraints=CA:FALSE\n"
                                  "extendedKeyUsage=serverAuth\n", encoding="ascii")
            if kind == "self-signed":
                self._openssl("req", "-x509", "-key", str(key), "-days", "30", "-subj", f"/CN={host}",
                              "-addext", f"subjectAltName=DNS:{host}", "-out", str(cert))
            else:
                request = folder / f"host-{index}.csr"
                self._openssl("req", "-new", "-key", str(key), "-subj", f"/CN={host}", "-out", str(request))
                # -days -1: valid until yesterday, an expired certificate.
                self._openssl("x509", "-req", "-in", str(request), "-CA", str(self.ca_file), "-CAkey", str(ca_key),
                              "-set_serial", str(1000 + index), "-days", "-1" if kind == "expired" else "30",
                              "-extfile", str(extensions), "-out", str(cert))
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            ctx.set_alpn_protocols(["http/1.1"])
            tls_min = getattr(site, "tls_min", None)
            if tls_min:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    ctx.minimum_version = getattr(ssl.TLSVersion, tls_min.replace(".", "_"))
                ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            self._host_ssl[host] = ctx

    def _context_for(self, conn: socket.socket) -> ssl.SSLContext:
        """The context of the host named in the ClientHello (a world with its own CA), else the default."""
        assert self._ssl is not None
        if not self._host_ssl:
            return self._ssl
        data = b""
        for _ in range(50):
            data = conn.recv(16384, socket.MSG_PEEK)
            if len(data) >= 5 and len(data) >= 5 + int.from_bytes(data[3:5], "big"):
                break
            time.sleep(0.01)
        name = _server_name(data)
        return self._host_ssl.get(name or "", self._ssl)

    def _make_ssl_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        # Pin HTTP/1.1: this server does not speak h2.
        ctx.set_alpn_protocols(["http/1.1"])
        no_https = self._no_https

        def sni(sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> int | None:
            if name and name.lower() in no_https:
                return ssl.ALERT_DESCRIPTION_HANDSHAKE_FAILURE
            return None

        ctx.sni_callback = sni  # type: ignore[assignment]
        return ctx

    # -- connections -----------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            listener = self._listener
            if listener is None:
                return
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                if self._stopping.is_set():
                    return
                time.sleep(0.05)
                continue
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            # The accept loop never blocks on a client: sniffing and the TLS
            # handshake happen in the connection's own thread.
            threading.Thread(
                target=self._serve_connection, args=(conn,), name="world-conn", daemon=True
            ).start()

    def _track(self, conn: socket.socket, old: socket.socket | None = None) -> bool:
        with self._lock:
            if old is not None:
                self._conns.discard(old)
            if self._stopping.is_set():
                return False
            self._conns.add(conn)
            return True

    def _untrack(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.discard(conn)

    def _serve_connection(self, conn: socket.socket) -> None:
        sock = conn
        try:
            if not self._track(conn) or self._dark():
                return
            conn.settimeout(IDLE_TIMEOUT)
            first = conn.recv(1, socket.MSG_PEEK)
            if not first:
                return  # speculative connection closed without a request
            if first[0] == 0x16:
                sock = self._context_for(conn).wrap_socket(conn, server_side=True)
                if not self._track(sock, old=conn):
                    return
                scheme = "https"
            else:
                scheme = "http"
            self._serve_requests(sock, scheme)
        except (OSError, ssl.SSLError, ValueError, _ConnectionClosed):
            pass  # disconnects, resets, failed handshakes: routine with a browser
        except Exception:  # a bug here must fail the test (check_faults), but must not kill the world
            self.fault("the world's server")
        finally:
            self._untrack(sock)
            self._untrack(conn)
            try:
                sock.close()
            except OSError:
                pass

    def _serve_requests(self, sock: socket.socket, scheme: str) -> None:
        reader = sock.makefile("rb")
        try:
            while not self._stopping.is_set():
                request_line = reader.readline(MAX_LINE + 1)
                if not request_line:
                    return
                if request_line in (b"\r\n", b"\n"):
                    continue  # tolerated stray CRLF between requests
                arrived = time.time()
                parts = request_line.decode("latin-1").strip().split()
                if len(parts) != 3:
                    self._send(sock, "GET", Response(400, "bad request", content_type="text/plain"), close=True)
                    return
                method, target, version = parts
                headers = Headers()
                for _ in range(MAX_HEADERS + 1):
                    line = reader.readline(MAX_LINE + 1)
                    if not line:
                        raise _ConnectionClosed
                    if line in (b"\r\n", b"\n"):
                        break
                    name, sep, value = line.decode("latin-1").partition(":")
                    if sep:
                        headers[name.strip()] = value.strip()
                body = self._read_body(reader, headers)
                host = _split_host(headers.get("host") or "")
                if target.startswith(("http://", "https://")):  # absolute-form
                    rest = target.split("://", 1)[1]
                    slash = rest.find("/")
                    host = host or _split_host(rest if slash == -1 else rest[:slash])
                    target = "/" if slash == -1 else rest[slash:]
                request = Request(
                    host=host, method=method.upper(), path=target, scheme=scheme,
                    headers=headers, body=body, time=arrived,
                )
                if self._dark(host):
                    return  # closed without an answer
                if (headers.get("user-agent") or "") != CANARY_AGENT:  # the audit's network check, not a site's traffic
                    with self._lock:
                        self._requests.append(request)
                response = self._dispatch(request)
                if response.delay > 0 and self._stopping.wait(response.delay):
                    return
                connection = (headers.get("connection") or "").lower()
                close = (
                    "close" in connection
                    or (version.upper() == "HTTP/1.0" and "keep-alive" not in connection)
                )
                self._send(sock, request.method, response, close=close)
                if close:
                    return
        finally:
            reader.close()

    @staticmethod
    def _read_body(reader, headers: Headers) -> bytes:  # type: ignore[no-untyped-def]
        if "chunked" in (headers.get("transfer-encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size_line = reader.readline(MAX_LINE + 1)
                if not size_line:
                    raise _ConnectionClosed
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while reader.readline(MAX_LINE + 1) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(reader.read(size))
                reader.readline(MAX_LINE + 1)
        length = int(headers.get("content-length") or "0")
        if length <= 0:
            return b""
        body = reader.read(length)
        if len(body) < length:
            raise _ConnectionClosed
        return body

    def _dispatch(self, request: Request) -> Response:
        site = self.sites.get(request.host)
        if site is None:
            return Response(404, "unknown host", content_type="text/plain; charset=utf-8")
        path = request.path.split("?", 1)[0].split("#", 1)[0] or "/"
        route = site.get(path)
        if route is None:
            route = site.get("*")  # optional catch-all, e.g. for redirecting hosts
        if route is None:
            return Response(
                404,
                _error_page(404, "Không tìm thấy trang", f"Trang {path} không tồn tại trên {request.host}."),
            )
        if isinstance(route, Response):
            return route
        try:
            return route(request)
        except Exception:
            self.fault(f"route {path} of {request.host}")
            return Response(500, _error_page(500, "Lỗi máy chủ", "Route handler raised."))

    @staticmethod
    def _send(sock: socket.socket, method: str, response: Response, *, close: bool) -> None:
        body = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
        status = response.status
        bodyless = status < 200 or status in (204, 304)
        head = Headers(
            {
                "Date": time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime()),
                "Server": "portal-audit-world",
                # Every self-test starts from a cold browser state; a cache
                # would hide requests the tests want to see.
                "Cache-Control": "no-store",
                "Connection": "close" if close else "keep-alive",
            }
        )
        if not bodyless:
            head["Content-Type"] = response.content_type
            head["Content-Length"] = str(len(body))
        for name, value in response.headers.items():
            head[name] = value
        if bodyless or method == "HEAD":
            body = b""
        lines = [f"HTTP/1.1 {status} {_reason(status)}"]
        lines += [f"{_title_case(k)}: {v}" for k, v in head.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace") + body)


def _server_name(hello: bytes) -> str | None:
    """The server_name of a TLS ClientHello record (None when absent or unreadable)."""
    try:
        if hello[0] != 0x16 or hello[5] != 0x01:
            return None
        at = 5 + 4 + 2 + 32  # record header, handshake header, client version, random
        at += 1 + hello[at]  # session id
        at += 2 + int.from_bytes(hello[at:at + 2], "big")  # cipher suites
        at += 1 + hello[at]  # compression methods
        end = at + 2 + int.from_bytes(hello[at:at + 2], "big")
        at += 2
        while at + 4 <= end:
            kind, size = int.from_bytes(hello[at:at + 2], "big"), int.from_bytes(hello[at + 2:at + 4], "big")
            if kind == 0:  # server_name: list length, name type, name length, name
                length = int.from_bytes(hello[at + 7:at + 9], "big")
                return hello[at + 9:at + 9 + length].decode("ascii").lower()
            at += 4 + size
    except (IndexError, UnicodeDecodeError):
        return None
    return None


def _title_case(name: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))


if __name__ == "__main__":
    import tempfile

    # Run as `python -m selftests.world.server`: use the package's own module
    # so the catalog's Response objects are instances of the same class.
    from .catalog import EXTRA_RESOLVE, build_sites
    from .server import World as PackageWorld

    with tempfile.TemporaryDirectory(prefix="portal-audit-world-") as tmp:
        with PackageWorld(build_sites(), Path(tmp)) as world:
            print(f"port: {world.port}")
            print("resolve args:", " ".join(world.resolve_args(EXTRA_RESOLVE)))
            print(f'chromium: --host-resolver-rules="{world.host_resolver_rules(EXTRA_RESOLVE)}"')
            print(f"curl: curl -k --connect-to ::127.0.0.1:{world.port} https://tinh-mau.gov.vn/")
            print("Ctrl-C to stop.", flush=True)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
