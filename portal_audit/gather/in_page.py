"""Gatherers `html`, `dates`, `feeds` and `axe`: they need the loaded page itself, so the visit runs
them in its page before closing it (portal_audit.visit.page, `extras`); these units hand on what
each found there, or its reason."""

from __future__ import annotations

from typing import Any

from portal_audit.evidence.gatherers import AXE, DATES, FEEDS, HTML, VISIT
from portal_audit.gather.unit import GatherContext, GatherError, Gatherer
from portal_audit.visit.page import Visit

# The in-page gatherer -> its attribute among the visit's in-page artifacts.
_FIELDS = {HTML: "html", DATES: "page_dates", FEEDS: "feeds", AXE: "axe"}


def _handed_on(name: str) -> Gatherer:
    def run(context: GatherContext) -> Any:
        visit: Visit = context.found[VISIT]
        value = getattr(visit.in_page, _FIELDS[name])
        if value is None:
            raise GatherError(visit.in_page.errors.get(name) or f"không có kết quả thu thập '{name}'")
        return value

    return Gatherer(name, run, needs=(VISIT,))


GATHERERS = tuple(_handed_on(name) for name in (HTML, AXE, DATES, FEEDS))
