"""portal-audit's pytest plugin, registered through the `pytest11` entry point `portal_audit`.

Inert in a pytest run that is not an audit. The audit runs when --inventory is given, or when the
ini key `audit_inventory` names one (this repository's pyproject.toml does, so plain `pytest`
audits inventory.yaml). Its parts:

- options: the command line, and everything it names checked before any browser (options.py);
- collection: one case per (site, criterion), a site's cases on one worker (collection.py);
- the cases themselves and their fixtures (cases.py, fixtures.py);
- results.json and the summary, on the process that sees every report (results.py, summary.py), and
  the run's manifest, written after every other file (manifest.py);
- the evaluation round (period, versions, where it ran) for results.json and Allure (evaluation.py);
- Allure results, only with --alluredir (allure.py);
- how xdist hands cases to workers (scheduling.py);
- the auditor's own network and browser, watched so that their failures are not an agency's (network.py)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any, Generator

import pytest

import portal_audit
from portal_audit.checks import by_code, needs_of
from portal_audit.evidence.gatherers import LIGHTHOUSE
from portal_audit.visit.lighthouse import service_for
from pytest_portal_audit.allure import AllureReporter
from pytest_portal_audit.cases import SiteBroken
from pytest_portal_audit.collection import collect_inventory, drop_repeated, parametrize
from pytest_portal_audit.evaluation import EvaluationWriter, WorkerEvaluation
from pytest_portal_audit.fixtures import (audit_browser, audit_connect_options, audit_launch_args, audit_options,
                                          audit_trust_home, site_gatherer, site_visits)
from pytest_portal_audit.manifest import ManifestWriter
from pytest_portal_audit.network import StatusCountsReport, check_at_start
from pytest_portal_audit.options import add_options
from pytest_portal_audit.results_writer import ResultsWriter, stop_on_sigterm
from pytest_portal_audit.scheduling import SiteScheduling
from pytest_portal_audit.session import audit_of, is_audit, start_audit

# Plugins other packages install that have nothing to do in an audit, blocked in it (pytest's `-p no:NAME`
# from inside): hypothesis's terminal summary imports the whole of hypothesis, about 80 modules, each one
# rewritten by pytest's assertion hook wherever bytecode is not cached, on the controller after the last
# site (0.3-1.9 s of a 21-site run, issue 20); pytest-benchmark only warns that xdist disables it.
IDLE_IN_AUDIT = ("hypothesispytest", "benchmark")

__all__ = ["audit_browser", "audit_connect_options", "audit_launch_args", "audit_options", "audit_trust_home",
           "site_gatherer", "site_visits"]  # the fixtures


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    audit = start_audit(config)  # a bad option, inventory or settings file stops the run here
    if audit is None:
        return
    for name in IDLE_IN_AUDIT:
        config.pluginmanager.set_blocked(name)
    if _is_worker(config):
        # The controller cleaned the Allure folder before any worker started; a worker must not
        # clean it again under the results another worker already wrote.
        config.option.clean_alluredir = False
        config.pluginmanager.register(WorkerEvaluation(config, audit), "portal-audit-evaluation")
    else:
        evaluation = EvaluationWriter(audit)
        config.pluginmanager.register(evaluation, "portal-audit-evaluation")
        results = ResultsWriter(config, audit, evaluation)
        config.pluginmanager.register(results, "portal-audit-results")
        config.pluginmanager.register(ManifestWriter(results), "portal-audit-manifest")
        config.pluginmanager.register(StatusCountsReport(config, results.ordered), "portal-audit-status-counts")
        stop_on_sigterm()
        check_at_start(config, audit)  # after every other start-up check: their one line comes first
    if audit.options.allure_dir is not None:
        config.pluginmanager.register(AllureReporter(config, audit), "portal-audit-allure")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if is_audit(config) and config.getvalue("dist") == "loadgroup":
        return SiteScheduling(config, log)
    return None


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    if not is_audit(config):
        return None
    audit = audit_of(config)
    selected = audit.options.selected
    sites = sum(1 + len(p.components) for p in selected.portals)
    shard = f" (phần {audit.options.shard})" if audit.options.shard else ""
    chosen = f"bộ tiêu chí {audit.options.profile}" if audit.options.profile else "tiêu chí chọn"
    lines = [f"portal-audit {portal_audit.__version__} ({Path(portal_audit.__file__).parent.parent}): "
             f"{audit.options.inventory.path}{shard}: {len(selected.portals)} cổng, {sites} trang, "
             f"{len(audit.cases)} trường hợp; kỳ đánh giá {audit.options.period}; "
             f"{chosen}: {', '.join(audit.options.criteria)}"]
    reviews = audit.options.reviews
    if reviews is not None:
        lines.append(f"portal-audit: {len(reviews)} mục rà soát thủ công từ {reviews.path}")
    return lines


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if not is_audit(parent.config):
        return None
    return collect_inventory(file_path, parent, audit_of(parent.config).options.inventory.path)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "audit_case" in metafunc.fixturenames:
        parametrize(metafunc, audit_of(metafunc.config).cases)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if is_audit(config):
        drop_repeated(items, config)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Where this process's cases need Lighthouse (speed.engine: service), its Node process starts
    now: loading Lighthouse (~0.6 s) overlaps the start of the first case instead of delaying its
    first run. Chromium is launched at that run. The xdist controller collects no cases."""
    config = session.config
    if not is_audit(config) or not session.items or config.option.collectonly:
        return
    audit = audit_of(config)
    if LIGHTHOUSE in needs_of(tuple(by_code(code) for code in audit.options.criteria)):
        audit.lighthouse = service_for(audit.options.settings, None, None)
        if audit.lighthouse is not None:
            audit.lighthouse.start()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if call.excinfo is not None and call.excinfo.errisinstance(SiteBroken):
        report.longrepr = str(call.excinfo.value)  # the reason, not a traceback: the site is at fault
    return report


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    if is_audit(session.config):
        if audit_of(session.config).lighthouse is not None:
            audit_of(session.config).lighthouse.close()  # a worker that ran none of its cases (idempotent)
        # What the audit holds (cases, records, captures) lives until the process ends. Frozen, it is
        # left out of the garbage collections pytest's own clean-up runs next, five in each process
        # (0.4 s on the controller after a 21-site run, growing with the run).
        gc.freeze()
