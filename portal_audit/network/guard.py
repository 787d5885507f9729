"""Keeps audited pages away from the auditor's own network: a request to an address that is not
globally routable (loopback, private, link-local, shared 100.64.0.0/10, or an IPv6 form embedding
one: ::ffff:10.0.0.1, 64:ff9b::a00:1, 2002:a00:1::), or to a name with any such address, is
refused, unless the auditor mapped that host with --resolve (staging copies and the self-tests'
simulated world live on such addresses on purpose).

Every request the browser holds for a verdict costs a round trip to this process, and a homepage
makes dozens, mostly to its own host: hosts already found allowed (the site's own, checked before
its homepage is requested; the EMC host) are left out of the requests held (`held_pattern`), so
only the first request to any other host waits for the guard."""

from __future__ import annotations

import ipaddress
import re
import socket
from typing import Callable
from urllib.parse import urlsplit

from portal_audit.network.resolve import ResolveRule, address_for


# NAT64's well-known prefix: the last 32 bits are an IPv4 address, reached through a translator.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _not_global(address: Address) -> bool:
    # is_global is the IANA special-purpose registry's "globally reachable" (100.64.0.0/10, the
    # shared address space of carrier NAT and of cloud metadata services such as 100.100.100.200,
    # is not); multicast is added because Python counts 224.0.0.0/4 as global.
    return (not address.is_global or address.is_private or address.is_loopback or address.is_link_local
            or address.is_multicast or address.is_reserved or address.is_unspecified)


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries: IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96)
    or 6to4 (2002::/16); None for any other."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def is_internal(ip: str) -> bool:
    """An address that is not globally routable: loopback, private, link-local, shared (100.64/10),
    reserved ... and an IPv6 address that embeds such an IPv4 address. Not an address: False."""
    try:
        address = ipaddress.ip_address(ip.split("%")[0].strip("[]"))
    except ValueError:
        return False
    embedded = embedded_ipv4(address)
    # An embedded address is judged alone: a DNS64 resolver (IPv6-only networks) gives every site
    # a 64:ff9b:: address, which Python counts as private whatever IPv4 address it carries.
    return _not_global(embedded) if embedded is not None else _not_global(address)


def system_addresses(host: str) -> list[str]:
    """Every address the system's resolver gives `host` (IPv4 and IPv6)."""
    return [str(answer[4][0]) for answer in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]


class NetworkGuard:
    def __init__(self, rules: tuple[ResolveRule, ...],
                 lookup: Callable[[str], list[str]] = system_addresses) -> None:
        self.rules = rules
        self.lookup = lookup  # host -> its addresses; OSError when it has none
        self._verdicts: dict[str, bool] = {}

    def allows(self, url: str) -> bool:
        try:
            # Any scheme that opens a connection (http, ws, ftp ...), not only the addresses of sites.
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            return True
        if not host:
            return True
        if host not in self._verdicts:
            self._verdicts[host] = self._host_allowed(host)
        return self._verdicts[host]

    def held_pattern(self, trusted_urls: list[str]) -> re.Pattern[str]:
        """The requests the browser must hold for the guard: all but those over http(s) to the hosts
        of `trusted_urls` that the guard allows."""
        hosts = sorted({h for h in ((urlsplit(u).hostname or "").lower() for u in trusted_urls)
                        if h and self.allows(f"http://{h}/")})
        if not hosts:
            return re.compile(".*")
        names = "|".join(re.escape(h) for h in hosts)
        return re.compile(rf"^(?!https?://(?:{names})(?::\d+)?(?:[/?#]|$)).*", re.IGNORECASE)

    def _host_allowed(self, host: str) -> bool:
        if address_for(host, list(self.rules)) is not None:
            return True
        if host == "localhost" or host.endswith(".localhost"):
            return False
        try:
            ipaddress.ip_address(host.strip("[]"))
            return not is_internal(host)
        except ValueError:
            pass
        try:
            addresses = self.lookup(host)
        except (OSError, UnicodeError):
            return True  # the browser will fail to resolve it as well, and say so
        # One internal address is enough: the browser may connect to any of them.
        return not any(is_internal(address) for address in addresses)
