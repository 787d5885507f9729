"""How two addresses are judged to be the same site: by host, ignoring scheme, a leading
'www.', letter case and the path (Official Letter 2820 speaks of sites, not pages)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit


def normalize_host(host: str) -> str:
    host = host.strip().strip(".").lower()
    return host[4:] if host.startswith("www.") else host


def host_of(address: str, bare_host_pattern: str | None = None) -> str | None:
    """The normalised host of an absolute URL, or of a bare 'host/path' when the pattern allows it."""
    address = address.strip()
    if bare_host_pattern and "://" not in address and re.match(bare_host_pattern, address, re.IGNORECASE):
        address = "http://" + address
    if address.startswith("//"):
        address = "http:" + address
    try:
        parts = urlsplit(address)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return normalize_host(host)


def site_key(url: str) -> str:
    """Identity of an inventory entry: the same host and path count as the same site."""
    parts = urlsplit(url.strip())
    return f"{normalize_host(parts.hostname or '')}{parts.path.rstrip('/').lower()}"
