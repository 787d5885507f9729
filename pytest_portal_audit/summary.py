"""The audit summary on the process that sees every result (the xdist controller, or the only
process): reads the EMC visit export at start-up; the summary fields of results.json, the Excel
workbook, the Allure summary results and the terminal tables are made by
portal_audit.render.summary_outputs, as `python -m portal_audit.merge` makes them.

The export is read before any worker or browser starts: a bad export stops the run at once with
one line 'FILE:ROW: problem', instead of being found after an hour-long audit whose summary it
would then spoil."""

from __future__ import annotations

from typing import Any

import pytest

from portal_audit.records import Record
from portal_audit.status import auditor_side
from portal_audit.render.summary_outputs import TERMINAL_TITLE, SummaryOutputs
from portal_audit.summary import EmcDataError, TrafficData, load_traffic_data
from pytest_portal_audit.evaluation import EvaluationWriter
from pytest_portal_audit.session import Audit


def read_traffic_data(audit: Audit) -> TrafficData | None:
    path = audit.options.emc_data_path
    if path is None:
        return None
    try:
        return load_traffic_data(path, audit.options.settings.emc_data)
    except EmcDataError as err:
        raise pytest.UsageError(str(err)) from None


def summary_outputs(audit: Audit) -> SummaryOutputs:
    options = audit.options
    return SummaryOutputs(options.inventory, options.settings, read_traffic_data(audit), options.results_path,
                          options.allure_dir, audit.started_ms)


def finish(outputs: SummaryOutputs, audit: Audit, evaluation: EvaluationWriter, records: list[Record],
           interrupted: bool) -> None:
    """The outputs of the whole run, once results.json holds every record."""
    environment = [(k, v) for k, v in evaluation.evaluation().environment()
                   if k not in ("Danh mục", "Dữ liệu lượt truy cập EMC")]  # the workbook's own notes say these
    reviews = audit.options.reviews
    auditor = sum(1 for record in records if auditor_side(record))
    complete = ("không (bị dừng giữa chừng)" if interrupted
                else f"không ({auditor} trường hợp không đánh giá được do máy đánh giá; đánh giá lại bằng "
                     "--rerun-failed-portals)" if auditor else "có")
    outputs.finish(records, [*environment, ("Đánh giá hoàn tất", complete),
                             *[("Cảnh báo", w) for w in (reviews.warnings if reviews is not None else [])]])


def report(outputs: SummaryOutputs, terminalreporter: Any) -> None:
    if outputs.final is not None:
        terminalreporter.write_sep("=", TERMINAL_TITLE)
        for line in outputs.report_lines():
            terminalreporter.write_line(line)
    for error in outputs.errors:
        terminalreporter.write_line(f"portal-audit: LỖI: {error}", red=True)
