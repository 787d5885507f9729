"""The audit itself: one test per (site, criterion), judged from what was gathered about the site
once (a single visit of its homepage, and the other gatherers its selected criteria need).

Collected from tests/portals/ in this repository and from the inventory file elsewhere (see
pytest_portal_audit.collection)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from portal_audit.checks import criteria_for, needs_of, verdict_for
from portal_audit.gather.site import SiteGatherer
from portal_audit.records import make_record
from portal_audit.settings import Settings
from portal_audit.status import Status
from portal_audit.verdicts import Verdict
from portal_audit.evidence.capture import Capture
from portal_audit.evidence.site import VisitFailure, of_capture
from pytest_portal_audit.collection import AuditCase, case_of
from pytest_portal_audit.network import judge_watched, watch_of  # uses this module's Outcome, at call time
from pytest_portal_audit.options import AuditOptions

RECORD_PROPERTY = "portal_audit_record"


@dataclass
class Outcome:
    """What the case found, kept on the test item for the reporters of this process."""

    verdict: Verdict
    capture: Capture | None  # the homepage visit; None when there was none
    started: float = field(default_factory=time.time)
    stopped: float = 0.0
    visit_failed: bool = False  # the homepage the criterion needs could not be loaded
    # Why the site's homepage could not be loaded, whatever the criterion needs (the auditor's watch reads it).
    visit_failure: VisitFailure | None = None


OUTCOME_KEY = pytest.StashKey[Outcome]()
SELECTED_KEY = pytest.StashKey[dict[str, tuple[str, ...]]]()


def selected_codes(session: pytest.Session, case: AuditCase) -> tuple[str, ...]:
    """The criteria of `case`'s site that this session runs (after -k, --lf, ...): what the site's
    gatherers are run for, so that `-k 3.1` of a 2025 run does not wait for Lighthouse."""
    if SELECTED_KEY not in session.stash:
        chosen: dict[str, list[str]] = {}
        for item in session.items:
            other = case_of(item)
            if other is not None:
                chosen.setdefault(other.site.key, []).append(other.code)
        session.stash[SELECTED_KEY] = {key: tuple(codes) for key, codes in chosen.items()}
    return session.stash[SELECTED_KEY].get(case.site.key, (case.code,))


class SiteBroken(Exception):
    """The site could not be evaluated: reported as broken, never as a compliance failure."""


def judge_case(case: AuditCase, gatherer: SiteGatherer, settings: Settings,
               selected: tuple[str, ...] | None = None) -> Outcome:
    """`selected`: the criteria of the run (all when None); what the site's selected criteria need is
    gathered once, on its first case."""
    site = case.site
    criteria = criteria_for(site, selected)
    watched = [c for c in criteria if c.needs_visit]
    interactive = [c for c in criteria if c.interactive]
    started = time.time()

    def ready(capture: Capture) -> bool:
        snapshot = of_capture(capture)  # cheap: the readiness tests build no attachment
        return all(c.is_ready(snapshot, site, settings) for c in watched)

    def links_ready(capture: Capture) -> bool:
        snapshot = of_capture(capture)
        return all(c.is_ready(snapshot, site, settings) for c in interactive)

    evidence = gatherer.evidence(site, needs_of(criteria), ready, links_ready if interactive else None)
    verdict = verdict_for(case.criterion, evidence, site, settings)
    failed = evidence.visit_failure is not None and case.criterion.needs_visit
    return Outcome(verdict, evidence.capture, started, time.time(), visit_failed=failed,
                   visit_failure=evidence.visit_failure)


def test_criterion(audit_case: AuditCase, site_gatherer: SiteGatherer, audit_options: AuditOptions,
                   request: pytest.FixtureRequest) -> None:
    __tracebackhide__ = True
    settings = audit_options.settings
    outcome = judge_watched(audit_case, site_gatherer, settings, selected_codes(request.session, audit_case),
                            watch_of(request.config))
    request.node.stash[OUTCOME_KEY] = outcome
    informative = audit_case.code in settings.criteria.informative
    record = make_record(audit_case.fields(), outcome.verdict, informative=informative)
    if audit_options.reviews is not None:
        record = audit_options.reviews.apply(record)  # an auditor's decision replaces the automatic status
    request.node.user_properties.append((RECORD_PROPERTY, record))
    status, message = record["status"], record["message"]
    if status == Status.FAILED and informative:
        # Reported, not scored: the finding is in the results, the run does not fail for it.
        pytest.xfail(f"[Tham khảo, không tính điểm] {message}")
    if status == Status.FAILED:
        pytest.fail(message, pytrace=False)
    if status == Status.BROKEN:
        raise SiteBroken(message)
    if status == Status.SKIPPED:
        pytest.skip(message)
