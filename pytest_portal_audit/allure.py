"""Allure results of the audit cases, written by this plugin with allure_commons' model and file
writer, and only when --alluredir is given (allure-pytest's option). allure-pytest's own listener is
set aside for an audit: it would report every pytest fixture as a set-up step and write each case
a second time; here a case is the site's visit and the criterion's judgement, with their evidence.

Each process writes the cases it ran; the xdist controller writes the case of a worker that died.
At the end the controller removes results superseded by this run's (a re-run replaces a portal's
results only once the new ones exist)."""

from __future__ import annotations

import time
from typing import Any, Generator

import pytest

from portal_audit.records import Record
from portal_audit.render.allure_results import (AllureOutput, Step, case_description, case_item, case_labels,
                                                 case_title, json_evidence, prune_superseded)
from portal_audit.render.categories import KIND_LABEL, record_kinds
from portal_audit.status import NOT_PASSING, Status
from portal_audit.verdicts import PAGE_SCREENSHOT, Attachment
from pytest_portal_audit.cases import OUTCOME_KEY, RECORD_PROPERTY, Outcome
from pytest_portal_audit.collection import AuditCase, case_of
from pytest_portal_audit.coverage import case_from_nodeid
from pytest_portal_audit.results_writer import CRASHED_WHEN, record_without_verdict
from pytest_portal_audit.session import Audit

ALLURE_PYTEST_LISTENER = "allure_listener"
REVIEWED_TAG = "đã rà soát thủ công"
REVIEW_CHANGED_TAG = "cần rà soát lại"


def set_aside_allure_pytest(config: pytest.Config) -> None:
    # Only from pytest: allure-pytest unregisters it from allure_commons itself at the end.
    listener = config.pluginmanager.get_plugin(ALLURE_PYTEST_LISTENER)
    if listener is not None:
        config.pluginmanager.unregister(listener)


def case_steps(url: str, code: str, title: str, record: Record, outcome: Outcome | None) -> list[Step]:
    """The visit and the judgement as named steps with their evidence, and the auditor's review."""
    if outcome is None:
        return []
    verdict, capture = outcome.verdict, outcome.capture
    if outcome.visit_failed:
        return [Step(f"Truy cập trang chủ {url}", "broken", verdict.message,
                     evidence=[json_evidence("Bằng chứng", verdict.evidence)])]
    judgement = Step(f"Đánh giá tiêu chí {code}: {title}", str(verdict.status),
                     None if verdict.status == Status.PASSED else verdict.message,
                     evidence=[json_evidence("Bằng chứng", verdict.evidence), *verdict.attachments])
    steps = [judgement]
    if capture is not None:  # a criterion that needs no homepage (the domain name) judges without a visit
        visit_evidence = [json_evidence("Bằng chứng truy cập", {
            "requested_url": capture.requested_url, "final_url": capture.final_url, "redirects": capture.redirects,
            "dialogs": capture.dialogs, "settle_seconds": capture.settle_seconds, "attempts": capture.attempts,
            # The page's own Web Vitals during this visit (no throttling): evidence only.
            "web_vitals_ms": capture.web_vitals})]
        # The page as the audit saw it, for every case that did not pass (once: a judge may attach it).
        attached = any(a.content is capture.screenshot for a in verdict.attachments)
        if capture.screenshot and {verdict.status, record["status"]} & NOT_PASSING and not attached:
            visit_evidence.append(Attachment(PAGE_SCREENSHOT, capture.screenshot, "image/jpeg", "jpg"))
        steps.insert(0, Step(f"Truy cập trang chủ {url}", "passed", parameters={
            "Địa chỉ cuối cùng": capture.final_url, "Số lần thử": capture.attempts,
            "Thời gian chờ trang ổn định (giây)": capture.settle_seconds}, evidence=visit_evidence))
    review = record.get("review")
    if review is not None:
        steps.append(Step("Rà soát thủ công", record["status"], record.get("review_note"), parameters={
            "Người rà soát": review["reviewer"], "Ngày": review["date"], "Kết quả rà soát": review["status"],
            "Kết quả tự động": record.get("automatic_status"), "Lý do": review["reason"]}))
    return steps


class AllureReporter:
    def __init__(self, config: pytest.Config, audit: Audit) -> None:
        assert audit.options.allure_dir is not None
        self.config = config
        self.audit = audit
        self.output = AllureOutput(audit.options.allure_dir)

    @pytest.hookimpl
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        # Here, not at registration: allure-pytest registers its listener in its own pytest_configure.
        set_aside_allure_pytest(self.config)

    def _write(self, case: AuditCase, record: Record, outcome: Outcome | None) -> None:
        settings = self.audit.options.settings
        site = case.site
        started = outcome.started if outcome else time.time()
        stopped = outcome.stopped if outcome and outcome.stopped else time.time()
        steps = case_steps(site.url, case.code, case.title, record, outcome)
        title = case_title(site, case.code, case.title)
        labels = case_labels(site, case.code, case.title, settings.labels)
        labels += [(KIND_LABEL, kind) for kind in record_kinds(record)]
        description = case_description(site, case.code, case.title, settings.labels)
        message = None
        if record.get("informative"):
            # Reported, not scored: said in the title, a tag and the message Allure shows.
            title += " (tham khảo)"
            labels.append(("tag", "tham-khao"))
            if record["status"] != "passed":
                message = f"[Tham khảo, không tính điểm] {record['message']}"
        if "review" in record:
            labels.append(("tag", REVIEWED_TAG if record.get("review_applied") else REVIEW_CHANGED_TAG))
            description += f"\n\n**{record['review_note']}**"
            message = f"{record['review_note']}\n\nKết quả tự động: {record.get('automatic_message')}"
        item = case_item(record, title=title, description=description,
                         labels=labels, steps=steps, start_ms=int(started * 1000), stop_ms=int(stopped * 1000),
                         message=message)
        self.output.write(item)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
        report = yield
        case = case_of(item)
        if case is None or not (report.when == "call" or (report.when == "setup" and report.failed)):
            return report
        outcome = item.stash.get(OUTCOME_KEY, None)
        record = dict(report.user_properties).get(RECORD_PROPERTY) if report.when == "call" else None
        if outcome is None or record is None:
            record, outcome = record_without_verdict(case, report), None
        self._write(case, record, outcome)
        return report

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != CRASHED_WHEN:
            return
        case = case_from_nodeid(self.audit, report.nodeid)
        if case is not None:
            self._write(case, record_without_verdict(case, report), None)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not hasattr(self.config, "workerinput"):
            prune_superseded(self.output.directory, self.audit.started_ms,
                             self.audit.options.settings.artifacts.allure_result_max_bytes)

