"""Addresses and site identity: the one place that decides what an address means and when two
addresses are the same site.

Official Letter 2820 speaks of sites, not pages: two addresses are the same site when they have the
same host, whatever the scheme, a leading 'www.', letter case, a trailing dot, the default port or
the IDN spelling (Unicode or punycode), and, for a site that lives under a path of a shared host
(`https://tinh-a.gov.vn/so-tai-chinh/`), the same path prefix. Hosts are compared in their ASCII
(punycode) form, as the browser reports them.

The registrable domain comes from the public-suffix list bundled with tldextract (no network):
`gov.vn` is a public suffix, so `stc.tinh-a.gov.vn` belongs to `tinh-a.gov.vn`, and
`vpcp.chinhphu.vn` to `chinhphu.vn`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

DEFAULT_PORTS = {"http": 80, "https": 443}
# A bare host in a link list or an export ("stc.tinh-a.gov.vn", "stc.tinh-a.gov.vn/trang-chu"):
# dotted labels ending in a top-level domain of letters (or punycode), so that an option value such
# as "58" or "1.2" is never taken for a host.
_BARE_HOST = re.compile(r"^(?:[\w-]+\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)\.?(?::\d{1,5})?(?:[/?#].*)?$",
                        re.IGNORECASE)
_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # suffix_list_urls=() and no cache: the snapshot shipped inside the package, never a download.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def ascii_host(host: str) -> str | None:
    """The host in lower-case ASCII (IDN labels as punycode), without a trailing dot; None when it
    is not a usable host name or IP address."""
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    if host.startswith("[") and host.endswith("]"):
        return host  # an IPv6 literal
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    labels = host.split(".")
    if not all(_LABEL.match(label) for label in labels):
        return None
    return host


def match_host(host: str) -> str:
    """The host two addresses are compared on: ASCII, lower case, no leading 'www.'."""
    host = ascii_host(host) or host.strip().rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True)
class Address:
    """A parsed http(s) address."""

    scheme: str  # "http" | "https"
    host: str  # ASCII, lower case, as written otherwise (a leading 'www.' is kept)
    port: int | None  # only a non-default port
    path: str  # "/" when empty
    query: str = ""

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}" if self.port else self.host

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.path}" + (f"?{self.query}" if self.query else "")

    @property
    def root(self) -> str:
        """The site root, e.g. https://stc.tinh-a.gov.vn/."""
        return f"{self.scheme}://{self.netloc}/"

    @property
    def match_host(self) -> str:
        return match_host(self.host) + (f":{self.port}" if self.port else "")

    @property
    def site_key(self) -> str:
        """The identity of the site at this address: match host plus path prefix ('' at the root)."""
        return self.match_host + self.path.rstrip("/").lower()

    @property
    def registrable_domain(self) -> str:
        return registrable_domain(self.host)

    def is_within(self, site: "Address") -> bool:
        """Whether this address belongs to `site` (same host; under its path when it has one)."""
        if self.match_host != site.match_host:
            return False
        prefix = site.path.rstrip("/").lower()
        path = self.path.lower()
        return not prefix or path == prefix or path.startswith(prefix + "/")


def parse_address(text: str | None, *, bare: bool = False, default_scheme: str = "https") -> Address | None:
    """An http(s) address, or None when `text` is not one. With `bare`, a host written without a
    scheme ("stc.tinh-a.gov.vn", "//stc.tinh-a.gov.vn/x") is read as `default_scheme` (today's
    government sites are HTTPS)."""
    if text is None:
        return None
    text = text.strip()
    if text.startswith("//"):
        text = f"{default_scheme}:{text}"
    elif bare and "://" not in text and _BARE_HOST.match(text):
        text = f"{default_scheme}://{text}"
    try:
        parts = urlsplit(text)
        hostname, port = parts.hostname, parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not hostname:
        return None
    host = ascii_host(hostname)
    if host is None:
        return None
    if port == DEFAULT_PORTS[scheme]:
        port = None
    return Address(scheme, host, port, parts.path or "/", parts.query)


def host_of(text: str | None, *, bare: bool = False) -> str | None:
    """The match host of an address (see `match_host`), or None when it is not an http(s) address."""
    address = parse_address(text, bare=bare)
    return address.match_host if address else None


def site_key(url: str) -> str:
    """The identity of an inventory entry; entries with the same key are the same site."""
    address = parse_address(url, bare=True)
    return address.site_key if address else url.strip().lower()


def registrable_domain(host: str) -> str:
    """The domain registered under a public suffix ('' for an IP address or a bare suffix)."""
    result = _extractor()(ascii_host(host) or host)
    return result.top_domain_under_public_suffix


def is_subdomain_of(host: str, domain: str) -> bool:
    """Whether `host` is strictly below `domain` ('www.' of the domain itself does not count)."""
    host, domain = match_host(host), match_host(domain)
    return host != domain and host.endswith("." + domain)
