"""The gatherers' names and what each needs first: what a criterion declares (checks.Criterion.needs)
and the runner orders by (portal_audit.gather.runner). Each gatherer gives one artifact
(portal_audit.evidence.artifacts) or its reason for giving none, and only the criteria that need it
are broken. Data only: the judges import it, and it imports nothing that drives a browser."""

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
PAGE_TEXT = "page_text"  # the homepage's text and its links, buttons, forms and frames, with where they sit
ITEM_PAGES = "item_pages"  # the pages the required content items' links lead to (criterion CONTENT)

# What each gatherer needs first.
# In the order the runner runs them when several are ready.
REQUIRES: dict[str, frozenset[str]] = {
    VISIT: frozenset(), HTML: frozenset({VISIT}), AXE: frozenset({VISIT}), DATES: frozenset({VISIT}),
    FEEDS: frozenset({VISIT}), METADATA: frozenset({HTML}), NEWS: frozenset({DATES, FEEDS, METADATA}),
    DNS: frozenset(), HTTPS: frozenset(), MOBILE: frozenset(), LIGHTHOUSE: frozenset(),
    PAGE_TEXT: frozenset({HTML}), ITEM_PAGES: frozenset({VISIT}),
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


def in_order(names: Iterable[str]) -> tuple[str, ...]:
    """`names` (with what they require) ordered so that each comes after what it needs; ties in
    the order of REQUIRES, so every run of a site gathers in the same order."""
    wanted = expand(names)
    done: list[str] = []
    while len(done) < len(wanted):
        done += [name for name in REQUIRES if name in wanted and name not in done
                 and REQUIRES[name] <= set(done)]
    return tuple(done)
