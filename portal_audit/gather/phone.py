"""Gatherer `mobile`: the homepage loaded again at a phone's width (portal_audit.visit.mobile), where
the visit landed when there was one (a moved site is measured where it is)."""

from __future__ import annotations

from portal_audit.evidence.artifacts import MobileView
from portal_audit.evidence.gatherers import MOBILE, VISIT
from portal_audit.gather.unit import GatherContext, Gatherer
from portal_audit.visit.mobile import mobile_view


def page_address(context: GatherContext) -> str:
    visit = context.found.get(VISIT)
    return visit.capture.final_url if visit is not None else context.site.url


def run(context: GatherContext) -> MobileView:
    visits = context.tools.visits
    return mobile_view(visits.browser.get(), page_address(context), context.settings,
                       ignore_https_errors=visits.ignore_https_errors, resolve=visits.resolve)


GATHERER = Gatherer(MOBILE, run, after=(VISIT,))
