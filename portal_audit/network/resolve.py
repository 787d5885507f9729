"""--resolve PATTERN=ADDRESS: connect hosts matching a glob to a fixed address, like curl --resolve.

The browser gets them as Chromium host-resolver rules; non-browser requests use `address_for`."""

from __future__ import annotations

import fnmatch
import ipaddress
from dataclasses import dataclass


class ResolveError(ValueError):
    pass


@dataclass(frozen=True)
class ResolveRule:
    pattern: str  # hostname glob, e.g. "*.gov.vn"
    ip: str
    port: int | None

    @property
    def address(self) -> str:
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"{host}:{self.port}" if self.port else host


def parse_rule(text: str) -> ResolveRule:
    pattern, sep, address = text.partition("=")
    pattern, address = pattern.strip().lower(), address.strip()
    if not sep or not pattern or not address:
        raise ResolveError(f"--resolve '{text}': cần dạng MẪU=ĐỊA_CHỈ, ví dụ '*.gov.vn=127.0.0.1:8443'")
    if any(c in pattern for c in " ,=/"):
        raise ResolveError(f"--resolve '{text}': mẫu tên miền không hợp lệ '{pattern}'")
    port: int | None = None
    host = address
    if address.startswith("["):
        host, _, rest = address[1:].partition("]")
        if rest:
            port = _port(text, rest.lstrip(":"))
    elif address.count(":") == 1:
        host, port_text = address.split(":")
        port = _port(text, port_text)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ResolveError(f"--resolve '{text}': '{host}' không phải địa chỉ IP") from None
    return ResolveRule(pattern, host, port)


def _port(text: str, value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ResolveError(f"--resolve '{text}': cổng không hợp lệ '{value}'")
    return int(value)


def chromium_rules(rules: list[ResolveRule]) -> str | None:
    """Chromium's --host-resolver-rules value; the first matching rule wins, as on the command line."""
    if not rules:
        return None
    return ", ".join([f"MAP {r.pattern} {r.address}" for r in rules] + ["EXCLUDE localhost"])


def address_for(host: str, rules: list[ResolveRule]) -> ResolveRule | None:
    host = host.lower().rstrip(".")
    return next((r for r in rules if fnmatch.fnmatchcase(host, r.pattern)), None)
