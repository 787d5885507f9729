"""The audit: one case per (site, criterion) of the inventory, judged from a single visit of the site."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from portal_audit.allure_report import attach_verdict, label_case
from portal_audit.plugin import VERDICT_PROPERTY, AuditOptions
from portal_audit.verdict import BROKEN, FAILED, SKIPPED, Verdict
from portal_audit.visit import VisitError


def _record(request: pytest.FixtureRequest, verdict: Verdict) -> None:
    request.node.user_properties.append(
        (VERDICT_PROPERTY, {"status": verdict.status, "message": verdict.message, "evidence": verdict.evidence,
                            "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}))


def test_criterion(audit_case, site_visits, audit_options: AuditOptions, request: pytest.FixtureRequest) -> None:
    __tracebackhide__ = True
    site, criterion = audit_case.site, audit_case.criterion
    label_case(site, criterion.code, criterion.title, audit_options.settings.labels)
    try:
        capture = site_visits.capture(site)
    except VisitError as err:
        verdict = Verdict(BROKEN, err.message, err.evidence)
        _record(request, verdict)
        attach_verdict(verdict)
        # Not an assertion: Allure reports it as broken, never as a compliance failure.
        raise VisitError(err.url, err.kind, err.reason, err.detail, err.final_url, err.attempts) from None
    verdict = criterion.judge(capture, site, audit_options.settings)
    verdict.evidence["attempts"] = capture.attempts
    _record(request, verdict)
    attach_verdict(verdict, {"requested_url": capture.requested_url, "redirects": capture.redirects,
                             "dialogs": capture.dialogs, "settle_seconds": capture.settle_seconds})
    if verdict.status == FAILED:
        pytest.fail(verdict.message, pytrace=False)
    if verdict.status == SKIPPED:
        pytest.skip(verdict.message)
