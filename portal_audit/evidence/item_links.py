"""Which links of a homepage lead to a required content item (criterion CONTENT): pure functions
over the capture's links and the settings, shared by the gatherer that loads the item pages and the
judge, so that both pick the same links.

A link counts when a visitor can reach it (seen as the page loaded, or reached by acting on the page:
`Link.reached_by`), its text contains one of the item's names (letter case, accents and punctuation
ignored) and it is short enough to be a menu entry rather than an article's title."""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

from portal_audit.evidence.capture import Capture, Link
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.settings.model import ContentItem
from portal_audit.text import plain


def site_kind(site: Site) -> str:
    """province_portal | ministry_portal | component (settings content.items[].kinds)."""
    return "component" if site.role == "component" else f"{site.group}_portal"


def items_for(site: Site, settings: Settings) -> tuple[ContentItem, ...]:
    kind = site_kind(site)
    return tuple(item for item in settings.content.items if kind in item.kinds)


def reachable(link: Link) -> bool:
    return link.visible or bool(link.reached_by)


def page_address(link: Link) -> str | None:
    """Where following the link loads a page (http or https, fragment left out); None otherwise."""
    href = link.href or ""
    if urlsplit(href).scheme.lower() not in ("http", "https"):
        return None
    return urldefrag(href)[0]


def names_item(link: Link, item: ContentItem, max_words: int) -> bool:
    text = plain(link.text)
    if not text or len(text.split()) > max_words:
        return False
    padded = f" {text} "
    return any(f" {plain(name)} " in padded for name in item.names if plain(name))


def _host_within(url: str, hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return any(host == h.lower() or host.endswith("." + h.lower()) for h in hosts)


def accepted_link(capture: Capture, item: ContentItem) -> Link | None:
    """A reachable link to one of the item's accepted hosts (the National Public Service Portal)."""
    if not item.accept_hosts:
        return None
    return next((link for link in capture.links if reachable(link) and link.href
                 and _host_within(link.href, item.accept_hosts)), None)


def item_links(capture: Capture, item: ContentItem, settings: Settings) -> list[Link]:
    """The reachable links naming the item, one per address, best first: seen as the page loaded
    before those reached by acting on it, then the shorter text (a menu entry, not an article)."""
    found = [link for link in capture.links
             if reachable(link) and page_address(link) and names_item(link, item, settings.content.max_link_words)]
    found.sort(key=lambda link: (bool(link.reached_by), len(plain(link.text))))
    seen: set[str] = set()
    result = []
    for link in found:
        address = page_address(link) or ""
        if address not in seen:
            seen.add(address)
            result.append(link)
    return result[:settings.content.links_per_item]


def hidden_links(capture: Capture, item: ContentItem, settings: Settings) -> list[Link]:
    """Links naming the item that no visitor reached (hidden, and not opened by acting on the page)."""
    return [link for link in capture.links
            if not reachable(link) and names_item(link, item, settings.content.max_link_words)]


def pages_to_load(capture: Capture, site: Site, settings: Settings) -> tuple[list[str], list[str]]:
    """The item pages to load (each item's first link first, then the second ones), and those left
    out over content.max_pages. Items checked on the homepage or met by an accepted host need none."""
    rounds: list[list[str]] = []
    for item in items_for(site, settings):
        if item.show == "contact" or accepted_link(capture, item) is not None:
            continue
        for index, link in enumerate(item_links(capture, item, settings)):
            while len(rounds) <= index:
                rounds.append([])
            rounds[index].append(page_address(link) or "")
    ordered = list(dict.fromkeys(url for batch in rounds for url in batch))
    limit = settings.content.max_pages
    return ordered[:limit], ordered[limit:]


def same_page(a: str, b: str) -> bool:
    """Two addresses of the same page (scheme, a leading 'www.', a trailing slash and the fragment aside)."""
    def key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(urldefrag(url)[0])
        return ((parts.hostname or "").lower().removeprefix("www."), parts.path.rstrip("/") or "/", parts.query)
    return key(a) == key(b)
