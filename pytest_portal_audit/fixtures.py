"""The audit's fixtures, in layers a conftest.py can override one at a time (as pytest-playwright's):

    audit_options  →  audit_launch_args  →  audit_browser  →  site_visits  →  site_evidence

`audit_launch_args` starts from pytest-playwright's `browser_type_launch_args` (so --headed,
--browser-channel and --slowmo apply) and adds Chromium's executable and flags; `audit_browser`
launches it, or connects to a remote browser when pytest-playwright's `connect_options` fixture
returns options. The audit does not use pytest-playwright's `browser_name`, so no case carries a
browser parameter."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import Browser, Playwright

from portal_audit.gather.site import SiteGatherer
from portal_audit.visit import LiveBrowser, SiteVisits, launch_options
from portal_audit.visit.trust import TrustError, browser_env, nss_home
from pytest_portal_audit.options import AuditOptions
from pytest_portal_audit.session import audit_of


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
               **launch_options(playwright, audit_options.settings.browser, audit_options.resolve)}
    env = browser_env(audit_trust_home)
    if env is not None:
        options["env"] = env
    return options


@pytest.fixture(scope="session")
def audit_browser(playwright: Playwright, audit_launch_args: dict[str, Any],
                  connect_options: dict[str, Any] | None) -> Iterator[LiveBrowser]:
    def start() -> Browser:
        if connect_options:
            return playwright.chromium.connect(**connect_options)
        return playwright.chromium.launch(**audit_launch_args)

    browser = LiveBrowser(start)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def site_visits(audit_browser: LiveBrowser, audit_options: AuditOptions) -> Iterator[SiteVisits]:
    visits = SiteVisits(audit_browser, audit_options.settings, audit_options.ignore_https_errors,
                        audit_options.resolve)
    yield visits
    visits.close()


@pytest.fixture(scope="session")
def site_evidence(site_visits: SiteVisits, playwright: Playwright, audit_launch_args: dict[str, Any],
                  audit_trust_home: Path | None) -> Iterator[SiteGatherer]:
    """Everything gathered about a site for the selected criteria; Lighthouse runs the audit's Chromium."""
    chromium = audit_launch_args.get("executable_path") or playwright.chromium.executable_path
    gatherer = SiteGatherer(site_visits, chromium=str(chromium) if chromium else None, trust_home=audit_trust_home)
    yield gatherer
    gatherer.close()
