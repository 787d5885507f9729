"""Name lookups outside the browser: which names exist (discovery's domain scan) and which records
they have (an AAAA record for IPv6). Asks the system's resolver, or the name servers of the
`dns.nameservers` setting (an auditor's own resolver; the self-tests' simulated world).

--resolve rules decide where connections go, not what DNS says, so they do not change an answer."""

from __future__ import annotations

from dataclasses import dataclass

import dns.exception
import dns.resolver

from portal_audit.settings import DnsSettings
from portal_audit.settings.model import split_nameserver


@dataclass(frozen=True)
class DnsAnswer:
    host: str
    rdtype: str  # "A" | "AAAA" | ...
    addresses: tuple[str, ...]
    error: str | None = None  # "nxdomain" | "noanswer" | "timeout" | "servfail"

    @property
    def exists(self) -> bool:
        """The name exists (it may still lack this record type)."""
        return self.error in (None, "noanswer")


class Resolver:
    def __init__(self, settings: DnsSettings) -> None:
        self._resolver = dns.resolver.Resolver(configure=not settings.nameservers)
        if settings.nameservers:
            hosts, ports = zip(*(split_nameserver(ns) for ns in settings.nameservers))
            self._resolver.nameservers = list(hosts)
            self._resolver.nameserver_ports = {h: p for h, p in zip(hosts, ports)}
        self._resolver.lifetime = settings.timeout
        self._resolver.timeout = settings.timeout

    def lookup(self, host: str, rdtype: str = "A") -> DnsAnswer:
        host = host.rstrip(".").lower()
        try:
            answer = self._resolver.resolve(host, rdtype, search=False)
        except dns.resolver.NXDOMAIN:
            return DnsAnswer(host, rdtype, (), "nxdomain")
        except dns.resolver.NoAnswer:
            return DnsAnswer(host, rdtype, (), "noanswer")
        except (dns.resolver.LifetimeTimeout, dns.exception.Timeout):
            return DnsAnswer(host, rdtype, (), "timeout")
        except (dns.resolver.NoNameservers, dns.exception.DNSException):
            return DnsAnswer(host, rdtype, (), "servfail")
        return DnsAnswer(host, rdtype, tuple(sorted(r.to_text() for r in answer)))
