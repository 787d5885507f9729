"""Keeps audited pages away from the auditor's own network: a request to a loopback, private,
link-local or otherwise internal address is refused, unless the auditor mapped that host with
--resolve (staging copies and the self-tests' simulated world live on such addresses on purpose).

Every request the browser holds for a verdict costs a round trip to this process, and a homepage
makes dozens, mostly to its own host: hosts already found allowed (the site's own, checked before
its homepage is requested; the EMC host) are left out of the requests held (`held_pattern`), so
only the first request to any other host waits for the guard."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from portal_audit.network.resolve import ResolveRule, address_for


def is_internal(ip: str) -> bool:
    """A loopback, private, link-local or otherwise non-public address."""
    try:
        address = ipaddress.ip_address(ip.split("%")[0])
    except ValueError:
        return False
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
            or address.is_reserved or address.is_unspecified)


class NetworkGuard:
    def __init__(self, rules: tuple[ResolveRule, ...]) -> None:
        self.rules = rules
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
            ipaddress.ip_address(host)
            return not is_internal(host)
        except ValueError:
            pass
        try:
            answers = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return True  # the browser will fail to resolve it as well, and say so
        return not any(is_internal(str(answer[4][0])) for answer in answers)
