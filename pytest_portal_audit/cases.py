"""The audit itself: one test per (site, criterion), judged from a single visit of the site.

Collected from tests/portals/ in this repository and from the inventory file elsewhere (see
pytest_portal_audit.collection)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from checks import criteria_for
from portal_audit.records import make_record
from portal_audit.settings import Settings
from portal_audit.status import Status
from portal_audit.verdicts import Verdict
from portal_audit.visit import Capture, SiteVisits, VisitError
from pytest_portal_audit.collection import AuditCase
from pytest_portal_audit.options import AuditOptions

RECORD_PROPERTY = "portal_audit_record"


@dataclass
class Outcome:
    """What the case found, kept on the test item for the reporters of this process."""

    verdict: Verdict
    capture: Capture | None  # None when the site could not be loaded
    started: float = field(default_factory=time.time)
    stopped: float = 0.0


OUTCOME_KEY = pytest.StashKey[Outcome]()


class SiteBroken(Exception):
    """The site could not be evaluated: reported as broken, never as a compliance failure."""


def judge_case(case: AuditCase, visits: SiteVisits, settings: Settings) -> Outcome:
    site = case.site
    criteria = criteria_for(site)
    started = time.time()

    def ready(capture: Capture) -> bool:
        return all(c.is_ready(capture, site, settings) for c in criteria)

    interactive = [c for c in criteria if c.interactive]

    def links_ready(capture: Capture) -> bool:
        return all(c.is_ready(capture, site, settings) for c in interactive)

    try:
        capture = visits.capture(site.key, site.url, ready, links_ready if interactive else None)
    except VisitError as err:
        return Outcome(Verdict(Status.BROKEN, err.message, err.evidence), None, started, time.time())
    assert case.criterion is not None
    verdict = case.criterion.evaluate(capture, site, settings)
    verdict.evidence.update(attempts=capture.attempts, settle_seconds=capture.settle_seconds)
    return Outcome(verdict, capture, started, time.time())


def test_criterion(audit_case: AuditCase, site_visits: SiteVisits, audit_options: AuditOptions,
                   request: pytest.FixtureRequest) -> None:
    __tracebackhide__ = True
    outcome = judge_case(audit_case, site_visits, audit_options.settings)
    request.node.stash[OUTCOME_KEY] = outcome
    verdict = outcome.verdict
    request.node.user_properties.append((RECORD_PROPERTY, make_record(audit_case.fields(), verdict)))
    if verdict.status == Status.FAILED:
        pytest.fail(verdict.message, pytrace=False)
    if verdict.status == Status.BROKEN:
        raise SiteBroken(verdict.message)
    if verdict.status == Status.SKIPPED:
        pytest.skip(verdict.message)
