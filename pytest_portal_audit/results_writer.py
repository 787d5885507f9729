"""results.json, written by the process that sees every report (the xdist controller, or the only
process without xdist), so the file is the same however the run was parallelised.

Each case sends its record in the report's user_properties. A case that ends without one (a
defect, a browser that would not start, a worker that died) still gets a broken record, found by
its test id: no site silently disappears from the results. The file is rewritten every few seconds
and on Ctrl-C/SIGTERM, marked incomplete, so a killed run keeps what it measured."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest

from portal_audit.auditor import auditor_verdict, browser_gone
from portal_audit.records import Record, broken_record, make_record
from portal_audit.records.rerun import compare
from portal_audit.records.results import results_document, write_results
from portal_audit.settings import Labels
from portal_audit.status import ErrorKind, auditor_side
from pytest_portal_audit.cases import RECORD_PROPERTY
from pytest_portal_audit.collection import AuditCase
from pytest_portal_audit.coverage import CollectedCases, case_from_nodeid, missing_lines
from pytest_portal_audit.evaluation import EvaluationWriter
from pytest_portal_audit.session import Audit
from pytest_portal_audit.summary import finish, report, summary_outputs

# How often (seconds) the results file is rewritten while the run goes on.
CHECKPOINT_SECONDS = 5.0
# xdist's report for the case a worker was running when it died.
CRASHED_WHEN = "???"


def stop_on_sigterm() -> None:
    """SIGTERM (a CI timeout, a scheduler) ends the run like Ctrl-C: what was measured is written."""
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def record_without_verdict(case: AuditCase, report: pytest.TestReport, labels: Labels | None = None) -> Record:
    """The broken record of a case that ended without a verdict."""
    lines = [line.strip() for line in report.longreprtext.splitlines() if line.strip()]
    if report.when == CRASHED_WHEN:
        return broken_record(case.fields(), ErrorKind.WORKER_DIED,
                             f"Không đánh giá được {case.site.url}: tiến trình đánh giá bị dừng đột ngột khi đang "
                             f"đánh giá trang này ({lines[0][:200] if lines else 'worker crashed'})")
    if labels is not None and browser_gone(report.longreprtext):
        # The browser was closed under the audit (its driver interrupted): the auditor's failure.
        detail = next((line for line in lines if browser_gone(line)), lines[-1] if lines else "")
        verdict = auditor_verdict(ErrorKind.AUDITOR_BROWSER, case.site.url, detail[:200], labels)
        return make_record(case.fields(), verdict)
    return broken_record(case.fields(), ErrorKind.AUDIT_ERROR,
                         f"Lỗi khi đánh giá ({report.when}): {lines[-1] if lines else ''}")


class ResultsWriter:
    def __init__(self, config: pytest.Config, audit: Audit, evaluation: EvaluationWriter) -> None:
        self.config = config
        self.audit = audit
        self.evaluation = evaluation
        self.summary = summary_outputs(audit)  # reads --emc-data now, before any browser starts
        self.records: dict[tuple[str, str], Record] = {}  # (site, criterion) -> record
        self.measured: set[tuple[str, str]] = set()  # measured by this run (not kept from before)
        self.last_checkpoint = time.monotonic()
        self.collected = CollectedCases(audit)
        self.missing: list[str] = []  # collected cases that ended without a record of this run
        # Earlier results this run completes (a re-run, --lf) stand until this run measures their
        # case; a shard keeps only its own portals', so that the shards' files never overlap.
        options = audit.options
        previous, reviews = options.previous, options.reviews
        for record in previous.kept_records() if previous is not None else []:
            if (record["site"], record["criterion"]) in audit.order and options.in_shard(record["portal"]):
                # This run's reviews apply to the kept records too; without --reviews they keep theirs.
                self.records[record["site"], record["criterion"]] = reviews.apply(record) if reviews else record

    @pytest.hookimpl
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.collected.add([item.nodeid for item in session.items])  # without xdist

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self.collected.add(ids)  # each worker collects every case; the same ids

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        case = case_from_nodeid(self.audit, report.nodeid)
        if case is None:
            return
        key = (case.site.url, case.code)
        record = dict(report.user_properties).get(RECORD_PROPERTY)
        if record is not None:
            self.records[key] = record
            self.measured.add(key)
        elif report.failed and key not in self.measured:
            self.records[key] = record_without_verdict(case, report, self.audit.options.settings.labels)
            self.measured.add(key)
        if time.monotonic() - self.last_checkpoint >= CHECKPOINT_SECONDS:
            self.write(complete=False)

    def ordered(self) -> list[Record]:
        order = self.audit.order
        return [self.records[key] for key in sorted(self.records, key=lambda k: order.get(k, [1 << 30]))]

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        needed = {(case.site.url, case.code) for case in self.audit.cases}
        interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
        # A run stopped some other way (Ctrl-C, pytest.exit, an internal error) already exits non-zero.
        ran = exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
        if ran and not self.config.option.collectonly:
            self.missing = self.collected.missing(self.measured)
            if self.missing and exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        # A site the auditor's network or browser failed is still to be audited: the run is not complete.
        self.write(complete=not interrupted and not self.missing and needed <= set(self.records)
                   and not any(auditor_side(r) for r in self.records.values()))
        if self.records:
            finish(self.summary, self.audit, self.evaluation, self.ordered(), interrupted)

    def write(self, complete: bool) -> None:
        self.last_checkpoint = time.monotonic()
        options = self.audit.options
        # A shard writes even when it has nothing (a small selection): the merge expects every shard's file.
        if not self.records and options.shard is None:
            return
        records = self.ordered()
        fields = {"evaluation": self.evaluation.evaluation().to_json(), **self.summary.results_fields(records)}
        if options.reviews is not None:
            fields["reviews"] = options.reviews.to_json(records)
        write_results(options.results_path, results_document(
            records, options.inventory.path, complete, fields, options.provenance(),
            {"profile": options.profile, "criteria": list(options.criteria)}))

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        for line in missing_lines(self.missing) if self.missing else []:
            terminalreporter.write_line(line, red=True)
        options = self.audit.options
        if not self.records:
            if options.shard is not None:
                terminalreporter.write_line(f"portal-audit: phần {options.shard} không có cổng nào trong lựa chọn; "
                                            f"kết quả rỗng ghi vào {options.results_path}")
            return
        previous = self.audit.options.previous
        if previous is not None:
            new = [self.records[key] for key in self.measured if key in self.records]
            for line in compare(previous, new).lines(len({r["portal"] for r in new})):
                terminalreporter.write_line(line)
        terminalreporter.write_line(f"portal-audit: {len(self.records)} kết quả ghi vào {self.audit.options.results_path}")
        reviews = self.audit.options.reviews
        if reviews is not None:
            for line in review_lines(reviews.to_json(self.ordered())):
                terminalreporter.write_line(line)
        report(self.summary, terminalreporter)


def review_lines(block: dict[str, Any]) -> list[str]:
    lines = [f"portal-audit: rà soát thủ công ({block['file']}): áp dụng {block['applied']}/{block['entries']} mục"]
    lines += [f"Cảnh báo: {change['site']} tiêu chí {change['criterion']}: {change['note']}"
              for change in block["changed"]]
    lines += [f"Cảnh báo: {warning}" for warning in block["warnings"]]
    return lines
