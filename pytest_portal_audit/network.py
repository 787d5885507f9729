"""The auditor's own network and browser, watched so that their failures are never published as an
agency's (portal_audit.network_watch, portal_audit.auditor).

- At start-up, on the process that starts the workers and before any browser: when no canary
  answers, the run stops with one line and exit status 4, and nothing is written or ranked.
- On each process that visits sites, after a site's visit: when it failed on the network (or
  settings network.check_interval passed), the canaries are asked. While none answers, the site is
  not judged: it is visited again once the network is back within the run's outage budget, or
  recorded broken with kind auditor_network. A browser closed under the audit (its driver
  interrupted, Chromium killed) is started again and the site visited once more, or the site is
  recorded auditor_browser."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from portal_audit.auditor import auditor_verdict, browser_gone
from portal_audit.gather.site import SiteGatherer
from portal_audit.network_watch import NetworkWatch
from portal_audit.records import Record
from portal_audit.records.counts import StatusCounts
from portal_audit.settings import Labels, Settings
from portal_audit.status import NETWORK_SUSPECT, ErrorKind
from portal_audit.verdicts import Verdict
from pytest_portal_audit import cases
from pytest_portal_audit.collection import AuditCase
from pytest_portal_audit.session import Audit, audit_of

# Visits of one site at most when the auditor's side failed under it (each retry waits for the
# network, or needs a browser that started again).
MAX_VISITS = 3
# A test module importing the audit's cases (tests/portals/test_criteria.py does), read in its first
# HEAD_CHARS; folders never searched for one, and how many modules are looked at at most.
CASES_IMPORT = "import test_criterion"
HEAD_CHARS = 20_000
SKIPPED_FOLDERS = frozenset({"node_modules", "venv", "site-packages", "reports", "allure-results"})
MAX_TEST_MODULES = 2000
# The kinds after which the browser is asked whether it is still there.
BROWSER_SUSPECT = frozenset({ErrorKind.CRASH, ErrorKind.NETWORK})


def network_watch(audit: Audit) -> NetworkWatch:
    options = audit.options
    settings = options.settings
    return NetworkWatch.of(settings.network, options.resolve, options.ignore_https_errors,
                           settings.https.extra_ca_file)


def check_at_start(config: pytest.Config, audit: Audit) -> None:
    """Stops the run (exit status 4, one line) when no canary answers; not on a worker, nor when
    nothing would be visited."""
    if hasattr(config, "workerinput") or config.option.collectonly or not audit.cases:
        return
    if not collects_cases(config, audit.options.inventory.path):
        return  # e.g. `pytest selftests` in a repository whose pytest settings name an inventory
    watch = network_watch(audit)
    reach = watch.check()
    if not reach.reached:
        pytest.exit(f"portal-audit: máy đánh giá không kết nối được mạng: không địa chỉ kiểm tra nào trả lời "
                    f"({reach.reason()}); dừng trước khi đánh giá, không ghi và không xếp hạng kết quả nào "
                    "(kiểm tra mạng, --resolve hoặc network.canaries trong tệp cấu hình)",
                    returncode=pytest.ExitCode.USAGE_ERROR)


def collects_cases(config: pytest.Config, inventory: Path) -> bool:
    """Whether this session collects the audit's cases (before collection, which happens on the
    workers): a path it is given is the inventory or holds it, or is, or holds, a test module
    importing the cases (tests/portals/test_criteria.py)."""
    testpaths = config.args_source == pytest.Config.ArgsSource.TESTPATHS
    base = config.rootpath if testpaths else config.invocation_params.dir
    inventory = inventory.resolve()
    for arg in config.args:
        path = (base / arg.split("::")[0]).resolve()
        if path == inventory or (path.is_dir() and inventory.is_relative_to(path)):
            return True
        if any(CASES_IMPORT in _head(module) for module in _test_modules(path)):
            return True
    return False


def _test_modules(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found: list[Path] = []
    for folder, subfolders, files in os.walk(path):
        subfolders[:] = [d for d in subfolders if not d.startswith((".", "__")) and d not in SKIPPED_FOLDERS]
        found += [Path(folder) / f for f in files if f.endswith(".py") and f.startswith("test")]
        if len(found) > MAX_TEST_MODULES:
            break
    return found


def _head(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return file.read(HEAD_CHARS)
    except OSError:
        return ""


@dataclass
class SiteWatch:
    """The watch of one process: its network, and the auditor-side verdict of the site being judged
    (its other cases share it)."""

    network: NetworkWatch
    labels: Labels
    site: str | None = None
    verdict: Verdict | None = None

    def blame(self, kind: ErrorKind, case: AuditCase, detail: str) -> cases.Outcome:
        self.verdict = auditor_verdict(kind, case.site.url, detail, self.labels)
        return self.replay()

    def replay(self) -> cases.Outcome:
        assert self.verdict is not None
        return cases.Outcome(Verdict(self.verdict.status, self.verdict.message, dict(self.verdict.evidence)), None)


WATCH_KEY = pytest.StashKey[SiteWatch]()


def watch_of(config: pytest.Config) -> SiteWatch:
    if WATCH_KEY not in config.stash:
        audit = audit_of(config)
        config.stash[WATCH_KEY] = SiteWatch(network_watch(audit), audit.options.settings.labels)
    return config.stash[WATCH_KEY]


def judge_watched(case: AuditCase, gatherer: SiteGatherer, settings: Settings, selected: tuple[str, ...] | None,
                  watch: SiteWatch) -> cases.Outcome:
    """cases.judge_case, with the auditor's side checked after the site's visit (its first case)."""
    if case.site.key == watch.site:
        return watch.replay() if watch.verdict is not None else cases.judge_case(case, gatherer, settings, selected)
    watch.site, watch.verdict = case.site.key, None
    network = watch.network
    for visit in range(1, MAX_VISITS + 1):
        if network.down and not network.wait_until_back():
            # Known down, the budget spent: not one more visit that would only time out.
            return watch.blame(ErrorKind.AUDITOR_NETWORK, case, network.last.reason())
        outcome, gone = _judge(case, gatherer, settings, selected)
        kind, detail = _blame(outcome, gone, gatherer, network)
        if kind is None and outcome is not None:
            return outcome
        assert kind is not None
        if visit == MAX_VISITS or not _recovered(kind, network, gatherer, visit):
            return watch.blame(kind, case, detail)
        gatherer.close()  # what was gathered while the auditor's side was down is dropped
    raise AssertionError("unreachable: the last visit returns")


def _judge(case: AuditCase, gatherer: SiteGatherer, settings: Settings,
           selected: tuple[str, ...] | None) -> tuple[cases.Outcome | None, str]:
    """The case's outcome, or None and what was said when the browser went away under the call."""
    try:
        return cases.judge_case(case, gatherer, settings, selected), ""
    except Exception as err:
        text = f"{type(err).__name__}: {err}"
        if not browser_gone(text):
            raise
        return None, " ".join(text.split())[:200]


def _blame(outcome: cases.Outcome | None, gone: str, gatherer: SiteGatherer,
           network: NetworkWatch) -> tuple[ErrorKind | None, str]:
    """Whether the auditor's side failed under the visit: the kind and what was seen."""
    if outcome is None:
        return ErrorKind.AUDITOR_BROWSER, gone
    failure = outcome.visit_failure
    kind = failure.evidence.get("error_kind") if failure is not None else None
    if failure is not None and kind in BROWSER_SUSPECT:
        if browser_gone(failure.message) or not _browser_alive(gatherer):
            return ErrorKind.AUDITOR_BROWSER, str(failure.evidence.get("detail") or failure.reason)
    if (failure is not None and kind in NETWORK_SUSPECT) or network.due():
        if not network.check().reached:
            return ErrorKind.AUDITOR_NETWORK, network.last.reason()
    return None, ""


def _recovered(kind: ErrorKind, network: NetworkWatch, gatherer: SiteGatherer, visit: int) -> bool:
    """Whether the site is worth another visit: the network came back within the run's budget, or
    (once) the browser could be started again."""
    if kind == ErrorKind.AUDITOR_NETWORK:
        return network.wait_until_back()
    return visit == 1 and _browser_alive(gatherer)


def _browser_alive(gatherer: SiteGatherer) -> bool:
    """Whether the audit has a browser: the one it had, or one started again (not when Playwright's
    driver itself is gone)."""
    try:
        return gatherer.tools.visits.browser.get().is_connected()
    except Exception:  # noqa: BLE001 - any failure to get a browser means there is none
        return False


class StatusCountsReport:
    """The terminal's last lines: the records of results.json counted by status in Vietnamese, the
    auditor-side kinds apart. Written when pytest has printed its own summary line ("N failed")."""

    def __init__(self, config: pytest.Config, records: Callable[[], list[Record]]) -> None:
        self.config = config
        self.records = records

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config: pytest.Config) -> None:
        records = self.records()
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if not records or reporter is None:
            return
        for line in StatusCounts.of(records).lines(audit_of(config).options.settings.labels):
            reporter.write_line(line)
