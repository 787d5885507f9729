"""Which links of a portal homepage (and of its sitemap) point to component sites. Pure functions
over a capture's links, so the rules can be tested without a browser.

A candidate is a site, not a page: every link is reduced to its site root, and links to the same
host (whatever the scheme, a leading 'www.', or the path) are one candidate."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from portal_audit.settings import DiscoverySettings
from portal_audit.text import plain
from portal_audit.urls import Address, is_subdomain_of, parse_address
from portal_audit.evidence.capture import Link

__all__ = ["Candidate", "CandidateFinder", "HOMEPAGE", "SITEMAP", "host_key", "plain"]

SITEMAP = "sitemap.xml"
HOMEPAGE = "trang chủ"
# How a candidate was found, in the proposals file: a homepage link, the sitemap, the domain scan's
# DNS lookups, a Certificate Transparency export.
LINK, SITEMAP_METHOD = "link", "sitemap"


@dataclass
class Candidate:
    url: str  # the site root, e.g. https://stc.tinh-a.gov.vn/
    name: str  # from the first usable link text; '' when none (the site's title is used then)
    found_in: list[str] = field(default_factory=list)  # e.g. "trang chủ: Liên kết website", "sitemap.xml"
    found_by: list[str] = field(default_factory=list)  # "link" | "sitemap" | "dns" | "ct", in the order found

    @property
    def host(self) -> str:
        return host_key(self.url)


def host_key(url: str) -> str:
    address = parse_address(url, bare=True)
    return address.match_host if address else ""


def _usable_name(text: str) -> str:
    text = " ".join(text.split()).strip(" -–—:|»>")
    if len(plain(text)) < 2 or "://" in text or parse_address(text, bare=True) is not None:
        return ""  # empty, punctuation, or just the address: the site's title says more
    return text


class CandidateFinder:
    """Applies the configured rules for one portal."""

    def __init__(self, portal_urls: Iterable[str], settings: DiscoverySettings) -> None:
        # The inventory's URL and, when the homepage redirected to another host, the one it landed on.
        self.domains = {host_key(url) for url in portal_urls} - {""}
        self.settings = settings
        self.blocks = [plain(b) for b in settings.link_blocks if plain(b)]
        self.exclude_hosts = [re.compile(p, re.IGNORECASE) for p in settings.exclude_hosts]
        self.exclude_paths = [re.compile(p, re.IGNORECASE) for p in settings.exclude_paths]
        self._found: dict[str, tuple[Candidate, set[str], set[str]]] = {}  # match host -> (candidate, schemes, netlocs)

    def is_subdomain(self, host: str) -> bool:
        return any(is_subdomain_of(host, domain) for domain in self.domains)

    def in_link_block(self, section: str) -> bool:
        text = plain(section)
        return any(block in text for block in self.blocks)

    def excluded_host(self, host: str) -> bool:
        """The portal itself, or a host the settings leave out (dịch vụ công, mail, social networks)."""
        return host in self.domains or any(p.search(host) for p in self.exclude_hosts)

    def _excluded(self, target: Address) -> bool:
        return self.excluded_host(target.match_host) or any(p.search(target.path) for p in self.exclude_paths)

    def _other_host(self, host: str) -> bool:
        return any(host.endswith(suffix.lower()) for suffix in self.settings.other_host_suffixes)

    def add_links(self, links: Iterable[Link]) -> None:
        for link in links:
            target = link.address()
            if target is None or self._excluded(target):
                continue
            host = target.match_host
            if self.is_subdomain(host) or (self._other_host(host) and self.in_link_block(link.section)):
                section = link.section.strip(" -–—:")
                where = f"{HOMEPAGE}: {section}" if section else HOMEPAGE
                if link.reached_by and link.kind != "option":
                    where += f" ({link.reached_by})"
                self._add(target, _usable_name(link.text), where, LINK)

    def add_sitemap(self, urls: Iterable[str]) -> None:
        # A sitemap has no link blocks: only the portal's own subdomains are taken from it.
        for url in urls:
            target = parse_address(url)
            if target is not None and not self._excluded(target) and self.is_subdomain(target.match_host):
                self._add(target, "", SITEMAP, SITEMAP_METHOD)

    def add_scanned(self, url: str, name: str, where: str, how: str) -> None:
        """A site the domain scan found (`how`: "dns" or "ct")."""
        target = parse_address(url)
        if target is not None and not self._excluded(target):
            self._add(target, _usable_name(name), where, how)

    def _add(self, target: Address, name: str, where: str, how: str) -> None:
        if target.match_host not in self._found:
            self._found[target.match_host] = (Candidate("", name), set(), set())
        candidate, schemes, netlocs = self._found[target.match_host]
        schemes.add(target.scheme)
        netlocs.add(target.netloc)
        if not candidate.name and name:
            candidate.name = name
        if where not in candidate.found_in:
            candidate.found_in.append(where)
        if how not in candidate.found_by:
            candidate.found_by.append(how)

    def candidates(self) -> list[Candidate]:
        """In the order first seen; each URL the site root, preferring https and the host without 'www.'."""
        result = []
        for candidate, schemes, netlocs in self._found.values():
            scheme = "https" if "https" in schemes else "http"
            netloc = min(netlocs, key=lambda n: (n.startswith("www."), n))
            candidate.url = f"{scheme}://{netloc}/"
            result.append(candidate)
        return result
