"""Criterion DOMAIN (Decree 224/2026, Art. 11.4): a portal's domain is registered under gov.vn (or
one of the configured exceptions); a component site is a subdomain of its portal's registrable
domain (tendonvi.tenbonganh.gov.vn, tencoquan.tentinhthanh.gov.vn); the host has an AAAA record
(IPv6). Every rule that fails is named."""

from __future__ import annotations

from portal_audit.evidence.artifacts import UNANSWERED, DomainRecords
from portal_audit.evidence.gatherers import DNS
from portal_audit.evidence.site import GatherMissing, SiteEvidence
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.urls import host_of, is_subdomain_of, parse_address, registrable_domain
from portal_audit.verdicts import Verdict


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    rules = settings.domain
    address = parse_address(site.url, bare=True)
    if address is None:
        raise ValueError(f"địa chỉ không hợp lệ: {site.url}")
    host = address.host
    domain = registrable_domain(host)
    problems: list[str] = []
    codes: list[FailureKind] = []
    evidence: dict = {"host": host, "registrable_domain": domain}
    if site.role == "portal":
        if not (domain.endswith("." + rules.suffix) or domain in rules.exceptions):
            problems.append(f"tên miền {domain} không thuộc .{rules.suffix}")
            codes.append(FailureKind.NOT_GOV_VN)
    else:
        portal = site.link_targets[0]
        portal_host = host_of(portal.url, bare=True) or portal.url
        portal_domain = registrable_domain(portal_host)
        evidence["portal_domain"] = portal_domain
        if not is_subdomain_of(host, portal_domain):
            if host_of(site.url, bare=True) == portal_host:
                problems.append(f"trang dùng chung tên miền {portal_host} của cổng (theo đường dẫn), không phải "
                                f"tên miền con của {portal_domain}")
            else:
                problems.append(f"{host} không phải tên miền con của {portal_domain} (tên miền của {portal.name})")
            codes.append(FailureKind.OUTSIDE_PORTAL_DOMAIN)
    records: DomainRecords = site_evidence.artifact(DNS)
    evidence.update(a=records.a, aaaa=records.aaaa, a_error=records.a_error, aaaa_error=records.aaaa_error,
                    nameservers=records.nameservers)
    if records.a_error == "nxdomain" and records.aaaa_error == "nxdomain":
        problems.append(f"tên miền {host} không tồn tại (DNS trả lời NXDOMAIN)")
        codes.append(FailureKind.NXDOMAIN)
    elif rules.require_ipv6 and not records.aaaa:
        if records.aaaa_error in UNANSWERED:
            raise GatherMissing(DNS, f"không tra được bản ghi AAAA của {host} ({records.aaaa_error})")
        problems.append(f"không có bản ghi AAAA (IPv6) cho {host}")
        codes.append(FailureKind.NO_AAAA)
    evidence["reasons"] = [str(code) for code in codes]  # plain strings: they cross xdist
    if problems:
        return Verdict(Status.FAILED, "Tên miền không đạt: " + "; ".join(problems), evidence)
    parts = [f"{host} thuộc {domain}" if site.role == "portal" else f"{host} là tên miền con của {evidence['portal_domain']}"]
    if records.aaaa:
        parts.append(f"có bản ghi AAAA ({', '.join(records.aaaa[:2])})")
    return Verdict(Status.PASSED, "Tên miền đạt: " + "; ".join(parts), evidence)
