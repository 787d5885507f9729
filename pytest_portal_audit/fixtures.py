"""The audit's fixtures, in layers a conftest.py can override one at a time (as pytest-playwright's):

    audit_options  →  audit_launch_args  →  audit_connect_options  →  audit_browser  →  site_visits
    →  site_gatherer

`audit_launch_args` starts from pytest-playwright's `browser_type_launch_args` (so --headed,
--browser-channel and --slowmo apply) and adds Chromium's executable and flags; `audit_browser`
launches it, or connects to a remote browser when `audit_connect_options` lists any: the
options of pytest-playwright's `connect_options` fixture when a conftest.py returns some,
otherwise one per --browser-endpoint, this worker's own first. The launch options go to the
browser server with the connection. The audit does not use pytest-playwright's `browser_name`,
so no case carries a browser parameter."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import Browser, Playwright

from portal_audit.evidence.store import folder_for
from portal_audit.gather.site import SiteGatherer
from portal_audit.gather.unit import Tools
from portal_audit.visit import LiveBrowser, SiteVisits, launch_options, lighthouse_chromium
from portal_audit.visit.remote import (connect, connect_options as endpoint_options, endpoints_for_worker,
                                       remote_launch_options, with_launch_options)
from portal_audit.visit.lighthouse import service_for
from portal_audit.visit.trust import TrustError, browser_env, nss_home
from pytest_portal_audit.options import AuditOptions
from pytest_portal_audit.session import audit_of


def worker_number(config: pytest.Config) -> int:
    """This xdist worker's number (gw3 -> 3); 0 without xdist."""
    worker_id = str(getattr(config, "workerinput", {}).get("workerid", "gw0"))
    return int(worker_id[2:]) if worker_id[2:].isdigit() else 0


@pytest.fixture(scope="session")
def audit_options(pytestconfig: pytest.Config) -> AuditOptions:
    return audit_of(pytestconfig).options


@pytest.fixture(scope="session")
def audit_trust_home(audit_options: AuditOptions, tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A HOME whose NSS database trusts https.extra_ca_file (None without one), for every browser."""
    ca_file = audit_options.settings.https.extra_ca_file
    if not ca_file:
        return None
    try:
        return nss_home(Path(ca_file), tmp_path_factory.mktemp("trust"))
    except TrustError as err:
        raise pytest.UsageError(str(err)) from None


@pytest.fixture(scope="session")
def audit_launch_args(playwright: Playwright, browser_type_launch_args: dict[str, Any],
                      audit_options: AuditOptions, audit_trust_home: Path | None) -> dict[str, Any]:
    options = {**browser_type_launch_args,
               **launch_options(playwright, audit_options.settings.browser, audit_options.resolve,
                                headless=browser_type_launch_args.get("headless", True))}
    env = browser_env(audit_trust_home)
    if env is not None:
        options["env"] = env
    return options


@pytest.fixture(scope="session")
def audit_connect_options(pytestconfig: pytest.Config, audit_launch_args: dict[str, Any],
                          audit_options: AuditOptions, connect_options: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The remote browsers to try, in order (keyword arguments of BrowserType.connect); empty:
    launch Chromium here."""
    launch = remote_launch_options(audit_launch_args, audit_options.settings.browser.remote_executable)
    if connect_options:
        return [with_launch_options(connect_options, launch)]
    return [endpoint_options(endpoint, launch)
            for endpoint in endpoints_for_worker(audit_options.browser_endpoints, worker_number(pytestconfig))]


@pytest.fixture(scope="session")
def audit_browser(playwright: Playwright, audit_launch_args: dict[str, Any],
                  audit_connect_options: list[dict[str, Any]], pytestconfig: pytest.Config) -> Iterator[LiveBrowser]:
    def start() -> Browser:
        if audit_connect_options:
            browser = connect(playwright, audit_connect_options)
        else:
            browser = playwright.chromium.launch(**audit_launch_args)
        audit_of(pytestconfig).browser_version = browser.version  # for the evaluation's environment block
        return browser

    browser = LiveBrowser(start, remote=bool(audit_connect_options))
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def site_visits(audit_browser: LiveBrowser, audit_options: AuditOptions) -> Iterator[SiteVisits]:
    visits = SiteVisits(audit_browser, audit_options.settings, audit_options.ignore_https_errors,
                        audit_options.resolve)
    yield visits
    visits.close()


@pytest.fixture(scope="session")
def site_gatherer(site_visits: SiteVisits, playwright: Playwright, audit_launch_args: dict[str, Any],
                  audit_trust_home: Path | None, audit_options: AuditOptions,
                  pytestconfig: pytest.Config) -> Iterator[SiteGatherer]:
    """Everything gathered about a site for the selected criteria, saved next to results.json for
    `python -m portal_audit.rejudge`; Lighthouse runs the audit's Chromium, the full one where the
    audit's is the headless shell (one Lighthouse process and browser for the worker's whole
    session, see speed.engine)."""
    chromium = lighthouse_chromium(playwright, audit_options.settings.browser, audit_launch_args)
    # The service the plugin started after collection when the cases need Lighthouse; otherwise one
    # started at the worker's first Lighthouse run (a run without SPEED starts no Node).
    service = audit_of(pytestconfig).lighthouse or service_for(audit_options.settings, chromium, audit_trust_home)
    if service is not None:
        service.chromium, service.home = chromium, audit_trust_home  # for the browser of its first run
    tools = Tools(site_visits, chromium=chromium, trust_home=audit_trust_home, lighthouse=service)
    gatherer = SiteGatherer(tools, evidence_dir=folder_for(audit_options.results_path))
    yield gatherer
    gatherer.close()
    if service is not None:
        service.close()
