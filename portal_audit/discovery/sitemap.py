"""Reading sitemap.xml (https://www.sitemaps.org/protocol.html): the page URLs of a <urlset>, or
the nested sitemaps of a <sitemapindex>. Pure parsing; fetching is the caller's job (through the
browser, so that --resolve applies)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Sitemap:
    urls: list[str] = field(default_factory=list)  # <url><loc>
    sitemaps: list[str] = field(default_factory=list)  # <sitemap><loc> of a sitemap index


class SitemapError(ValueError):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]  # the namespace varies (sitemaps.org 0.9, old Google 0.84, none)


def parse_sitemap(text: str) -> Sitemap:
    # ElementTree never fetches external entities, and expat (>= 2.4) bounds entity expansion.
    try:
        root = ET.fromstring(text.lstrip("\ufeff \r\n\t"))
    except ET.ParseError as err:
        raise SitemapError(f"không phải XML hợp lệ ({err})") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise SitemapError(f"không phải sơ đồ trang (phần tử gốc <{kind}>)")
    found = Sitemap()
    for entry in root:
        loc = next((c.text for c in entry if _local(c.tag) == "loc" and c.text), None)
        if loc is None:
            continue
        if _local(entry.tag) == "url":
            found.urls.append(loc.strip())
        elif _local(entry.tag) == "sitemap":
            found.sitemaps.append(loc.strip())
    return found


def read_sitemaps(start: str, fetch: Callable[[str], str | None], max_files: int) -> tuple[list[str], list[str]]:
    """Page URLs reachable from the sitemap at `start` (following an index up to max_files files),
    and the sitemap files actually read. `fetch` returns the body, or None when there is none."""
    queue, read, urls = [start], [], []
    while queue and len(read) < max_files:
        address = queue.pop(0)
        if address in read:
            continue
        body = fetch(address)
        if body is None:
            continue
        try:
            sitemap = parse_sitemap(body)
        except SitemapError:
            continue  # a soft 404 page or another format: no sitemap there
        read.append(address)
        urls += sitemap.urls
        queue += sitemap.sitemaps
    return urls, read
