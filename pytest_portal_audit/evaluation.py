"""The evaluation round of this run (period, inputs, versions, where it ran): in results.json and,
with --alluredir, as Allure's environment block and the run info the repository's allurerc.mjs
reads (report name, history file, Vietnamese categories).

Only a process that started a browser knows its Chromium version: xdist workers hand it to the
controller in their workeroutput when they finish."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from portal_audit.render.categories import categories
from portal_audit.render.evaluation import (
    Evaluation,
    tool_version,
    where_it_ran,
    write_allure_run_info,
)
from pytest_portal_audit.session import Audit

CHROMIUM_KEY = "portal_audit_chromium"


def evaluation_of(audit: Audit, version: str) -> Evaluation:
    options = audit.options
    started = datetime.datetime.fromtimestamp(audit.started_ms / 1000, datetime.timezone.utc)
    return Evaluation(
        period=options.period, started_at=started.isoformat(timespec="seconds"),
        inventory=str(options.inventory.path),
        emc_data=str(options.emc_data_path) if options.emc_data_path else None,
        reviews=str(options.reviews.path) if options.reviews is not None else None,
        history=str(options.history_path), tool_version=version, chromium=audit.browser_version, host=where_it_ran())


class EvaluationWriter:
    """On the process that writes the results (the xdist controller, or the only process)."""

    def __init__(self, audit: Audit) -> None:
        self.audit = audit
        self.version = tool_version()  # once: it asks git

    def evaluation(self) -> Evaluation:
        return evaluation_of(self.audit, self.version)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        version = getattr(node, "workeroutput", {}).get(CHROMIUM_KEY)
        if version and self.audit.browser_version is None:
            self.audit.browser_version = version

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        directory = self.audit.options.allure_dir
        if directory is not None:
            write_allure_run_info(directory, self.evaluation(), categories(self.audit.options.settings.labels))


class WorkerEvaluation:
    """On an xdist worker: hands the Chromium version it started to the controller."""

    def __init__(self, config: pytest.Config, audit: Audit) -> None:
        self.config = config
        self.audit = audit

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.audit.browser_version:
            self.config.workeroutput[CHROMIUM_KEY] = self.audit.browser_version  # type: ignore[attr-defined]
