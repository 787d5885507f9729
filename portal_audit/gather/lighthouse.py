"""Gatherer `lighthouse`: Lighthouse's mobile runs of the homepage in their own Chromium
(portal_audit.visit.lighthouse: the worker's long-lived service, or the CLI), where the visit
landed when there was one."""

from __future__ import annotations

from portal_audit.evidence.artifacts import LighthouseResult
from portal_audit.evidence.gatherers import LIGHTHOUSE, VISIT
from portal_audit.gather.phone import page_address
from portal_audit.gather.unit import GatherContext, Gatherer
from portal_audit.visit.lighthouse import run_lighthouse


def run(context: GatherContext) -> LighthouseResult:
    tools = context.tools
    return run_lighthouse(page_address(context), context.settings, chromium=tools.chromium,
                          ignore_https_errors=tools.visits.ignore_https_errors, resolve=tools.visits.resolve,
                          home=tools.trust_home, service=tools.lighthouse)


GATHERER = Gatherer(LIGHTHOUSE, run, after=(VISIT,))
