"""Gatherer `item_pages`: the pages the homepage's links to the required content items lead to
(criterion CONTENT), chosen as the judge chooses them (portal_audit.evidence.item_links) and loaded
side by side in the site's worker (portal_audit.visit.item_pages), within content.max_pages and
content.budget. Shared by every criterion that reads item pages; run only when one is selected."""

from __future__ import annotations

from portal_audit.evidence.artifacts import ItemPages
from portal_audit.evidence.gatherers import ITEM_PAGES, VISIT
from portal_audit.evidence.item_links import pages_to_load
from portal_audit.gather.unit import GatherContext, Gatherer
from portal_audit.visit.item_pages import load_item_pages


def run(context: GatherContext) -> ItemPages:
    capture = context.found[VISIT].capture
    urls, skipped = pages_to_load(capture, context.site, context.settings)
    visits = context.tools.visits
    return load_item_pages(visits.browser.get(), urls, context.settings, ignore_https_errors=visits.ignore_https_errors,
                           resolve=visits.resolve, skipped=skipped)


GATHERER = Gatherer(ITEM_PAGES, run, needs=(VISIT,))
