"""Which links of a portal homepage (and of its sitemap) point to component sites. Pure functions
over a capture's links, so the rules can be tested without a browser.

A candidate is a site, not a page: every link is reduced to its site root, and links to the same
host (whatever the scheme, a leading 'www.', or the path) are one candidate."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import urlsplit

from portal_audit.capture import Link
from portal_audit.config import DiscoverySettings
from portal_audit.hosts import normalize_host

SITEMAP = "sitemap.xml"
HOMEPAGE = "trang chủ"


def plain(text: str) -> str:
    """Text compared without letter case, Vietnamese accents or punctuation ('Sở, ban, ngành' = 'so ban nganh')."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass
class Candidate:
    url: str  # the site root, e.g. https://stc.tinh-a.gov.vn/
    name: str  # from the first usable link text; '' when none (the site's title is used then)
    found_in: list[str] = field(default_factory=list)  # e.g. "trang chủ: Liên kết website", "sitemap.xml"

    @property
    def host(self) -> str:
        return normalize_host(urlsplit(self.url).hostname or "")


@dataclass(frozen=True)
class _Target:
    scheme: str
    netloc: str  # host[:port] as written, lower case
    host: str  # normalised: no 'www.'
    path: str


def _target(address: str, bare_host_pattern: str | None) -> _Target | None:
    address = address.strip()
    if bare_host_pattern and "://" not in address and re.match(bare_host_pattern, address, re.IGNORECASE):
        # A link-list option holding a bare host ("stc.tinh-a.gov.vn"): today's sites are HTTPS.
        address = "https://" + address
    if address.startswith("//"):
        address = "https:" + address
    try:
        parts = urlsplit(address)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    netloc = host.lower().rstrip(".") + (f":{port}" if port else "")
    return _Target(parts.scheme, netloc, normalize_host(host), parts.path)


def link_target(link: Link, bare_host_pattern: str) -> _Target | None:
    if link.kind == "option":
        # The browser resolved a bare host in an option value as a path of the portal: use the raw value.
        return _target(link.raw, bare_host_pattern) or _target(link.href, None)
    return _target(link.href, None)


def _usable_name(text: str, bare_host_pattern: str) -> str:
    text = " ".join(text.split()).strip(" -–—:|»>")
    if len(plain(text)) < 2 or "://" in text or re.match(bare_host_pattern, text, re.IGNORECASE):
        return ""  # empty, punctuation, or just the address: the site's title says more
    return text


class CandidateFinder:
    """Applies the configured rules for one portal."""

    def __init__(self, portal_urls: Iterable[str], settings: DiscoverySettings, bare_host_pattern: str) -> None:
        # The inventory's URL and, when the homepage redirected to another host, the one it landed on.
        self.domains = {normalize_host(urlsplit(url).hostname or "") for url in portal_urls} - {""}
        self.settings = settings
        self.bare_host_pattern = bare_host_pattern
        self.blocks = [plain(b) for b in settings.link_blocks if plain(b)]
        self.exclude_hosts = [re.compile(p, re.IGNORECASE) for p in settings.exclude_hosts]
        self.exclude_paths = [re.compile(p, re.IGNORECASE) for p in settings.exclude_paths]
        self._found: dict[str, tuple[Candidate, set[str], set[str]]] = {}  # host -> (candidate, schemes, netlocs)

    def is_subdomain(self, host: str) -> bool:
        return any(host.endswith("." + domain) for domain in self.domains)

    def in_link_block(self, section: str) -> bool:
        text = plain(section)
        return any(block in text for block in self.blocks)

    def _excluded(self, target: _Target) -> bool:
        return (target.host in self.domains
                or any(p.search(target.host) for p in self.exclude_hosts)
                or any(p.search(target.path) for p in self.exclude_paths))

    def _other_host(self, host: str) -> bool:
        return any(host.endswith(suffix.lower()) for suffix in self.settings.other_host_suffixes)

    def add_links(self, links: Iterable[Link]) -> None:
        for link in links:
            target = link_target(link, self.bare_host_pattern)
            if target is None or self._excluded(target):
                continue
            if self.is_subdomain(target.host) or (self._other_host(target.host) and self.in_link_block(link.section)):
                section = link.section.strip(" -–—:")
                where = f"{HOMEPAGE}: {section}" if section else HOMEPAGE
                self._add(target, _usable_name(link.text, self.bare_host_pattern), where)

    def add_sitemap(self, urls: Iterable[str]) -> None:
        # A sitemap has no link blocks: only the portal's own subdomains are taken from it.
        for url in urls:
            target = _target(url, None)
            if target is not None and not self._excluded(target) and self.is_subdomain(target.host):
                self._add(target, "", SITEMAP)

    def _add(self, target: _Target, name: str, where: str) -> None:
        if target.host not in self._found:
            self._found[target.host] = (Candidate("", name), set(), set())
        candidate, schemes, netlocs = self._found[target.host]
        schemes.add(target.scheme)
        netlocs.add(target.netloc)
        if not candidate.name and name:
            candidate.name = name
        if where not in candidate.found_in:
            candidate.found_in.append(where)

    def candidates(self) -> list[Candidate]:
        """In the order first seen; each URL the site root, preferring https and the host without 'www.'."""
        result = []
        for candidate, schemes, netlocs in self._found.values():
            scheme = "https" if "https" in schemes else "http"
            netloc = min(netlocs, key=lambda n: (n.startswith("www."), n))
            candidate.url = f"{scheme}://{netloc}/"
            result.append(candidate)
        return result
