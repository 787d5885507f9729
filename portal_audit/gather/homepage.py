"""Gatherer `visit`: the homepage loaded once in the browser and watched until the criteria are
satisfied or it settled (portal_audit.visit.page), with the in-page gatherers the criteria need run
in that same page (portal_audit.gather.in_page hands them on). Its artifact is the Visit."""

from __future__ import annotations

from portal_audit.evidence.gatherers import IN_VISIT, VISIT
from portal_audit.gather.unit import GatherContext, Gatherer
from portal_audit.visit.page import Visit


def run(context: GatherContext) -> Visit:
    return context.tools.visits.visit(context.site.url, context.is_complete, extras=context.wanted & IN_VISIT,
                                      links_complete=context.links_complete)


GATHERER = Gatherer(VISIT, run)
