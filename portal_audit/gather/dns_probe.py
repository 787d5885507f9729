"""The DNS records of a site's host (criterion DOMAIN): A and AAAA, asked of the name servers of
the `dns` settings or the system's resolver. --resolve decides where connections go, not what DNS
says, so it does not change these answers."""

from __future__ import annotations

from portal_audit.dns import Resolver
from portal_audit.evidence.artifacts import UNANSWERED, DomainRecords
from portal_audit.evidence.gatherers import DNS
from portal_audit.gather.unit import GatherContext, Gatherer
from portal_audit.settings import DnsSettings



class DnsUnavailable(Exception):
    """The name servers did not answer: nothing can be said about the records."""


def domain_records(host: str, settings: DnsSettings) -> DomainRecords:
    resolver = Resolver(settings)
    a, aaaa = resolver.lookup(host, "A"), resolver.lookup(host, "AAAA")
    if a.error in UNANSWERED and aaaa.error in UNANSWERED:
        raise DnsUnavailable(f"máy chủ tên miền không trả lời khi tra {host} ({aaaa.error})")
    return DomainRecords(host=host, a=list(a.addresses), aaaa=list(aaaa.addresses), a_error=a.error,
                         aaaa_error=aaaa.error, nameservers=list(settings.nameservers))


def run(context: GatherContext) -> DomainRecords:
    return domain_records(context.host(), context.settings.dns)


GATHERER = Gatherer(DNS, run)
