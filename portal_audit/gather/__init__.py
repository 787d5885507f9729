"""Gatherers: what the criteria need beyond the rendered homepage of the one visit, each run once
per site and only when a selected criterion needs it.

A criterion declares the gatherers it needs (checks.Criterion.needs); the names and what each one
requires are here. Gatherers that drive a browser live in the visit layer (portal_audit.visit: the
visit itself and its in-page extras, the phone-width load, Lighthouse); the others in this package
(DNS records, HTTPS probes, metadata and article dates read from what the visit saw). Their results
are plain data on the capture (portal_audit.evidence.artifacts.Gathered): a gatherer that fails leaves
its reason instead, and only the criteria that need it are broken."""

from __future__ import annotations

from typing import Iterable

VISIT = "visit"  # the homepage load (portal_audit.visit.page), needed by the 2024 criteria
HTML = "html"  # the rendered HTML kept on the capture (in the visit)
AXE = "axe"  # axe-core run on the loaded page (in the visit)
DATES = "dates"  # dates shown next to article links, read in the page (in the visit)
FEEDS = "feeds"  # the RSS/Atom feeds the homepage links, fetched in the visit's browser context
METADATA = "metadata"  # metadata extracted from the rendered HTML (extruct)
NEWS = "news"  # the dated articles: page dates, article:published_time, feeds
LIGHTHOUSE = "lighthouse"  # Lighthouse runs (their own Chromium)
MOBILE = "mobile"  # the homepage loaded again at a phone's width
DNS = "dns"  # A and AAAA records
HTTPS = "https"  # certificate, TLS versions, HTTP redirect, HSTS (stdlib probes)

# What each gatherer needs first.
REQUIRES: dict[str, frozenset[str]] = {
    VISIT: frozenset(), HTML: frozenset({VISIT}), AXE: frozenset({VISIT}), DATES: frozenset({VISIT}),
    FEEDS: frozenset({VISIT}), METADATA: frozenset({HTML}), NEWS: frozenset({DATES, FEEDS, METADATA}),
    LIGHTHOUSE: frozenset(), MOBILE: frozenset(), DNS: frozenset(), HTTPS: frozenset(),
}
# The extras the visit itself performs when asked.
IN_VISIT = frozenset({HTML, AXE, DATES, FEEDS})


def expand(needs: Iterable[str]) -> frozenset[str]:
    """`needs` with everything they require."""
    result: set[str] = set()
    stack = list(needs)
    while stack:
        name = stack.pop()
        if name not in REQUIRES:
            raise KeyError(f"unknown gatherer '{name}'")
        if name not in result:
            result.add(name)
            stack.extend(REQUIRES[name])
    return frozenset(result)
