"""The audit's fixtures, in layers a conftest.py can override one at a time (as pytest-playwright's):

    audit_options  →  audit_launch_args  →  audit_browser  →  site_visits

`audit_launch_args` starts from pytest-playwright's `browser_type_launch_args` (so --headed,
--browser-channel and --slowmo apply) and adds Chromium's executable and flags; `audit_browser`
launches it, or connects to a remote browser when pytest-playwright's `connect_options` fixture
returns options. The audit does not use pytest-playwright's `browser_name`, so no case carries a
browser parameter."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from playwright.sync_api import Browser, Playwright

from portal_audit.visit import LiveBrowser, SiteVisits, launch_options
from pytest_portal_audit.options import AuditOptions
from pytest_portal_audit.session import audit_of


@pytest.fixture(scope="session")
def audit_options(pytestconfig: pytest.Config) -> AuditOptions:
    return audit_of(pytestconfig).options


@pytest.fixture(scope="session")
def audit_launch_args(playwright: Playwright, browser_type_launch_args: dict[str, Any],
                      audit_options: AuditOptions) -> dict[str, Any]:
    return {**browser_type_launch_args,
            **launch_options(playwright, audit_options.settings.browser, audit_options.resolve)}


@pytest.fixture(scope="session")
def audit_browser(playwright: Playwright, audit_launch_args: dict[str, Any],
                  connect_options: dict[str, Any] | None, pytestconfig: pytest.Config) -> Iterator[LiveBrowser]:
    def start() -> Browser:
        if connect_options:
            browser = playwright.chromium.connect(**connect_options)
        else:
            browser = playwright.chromium.launch(**audit_launch_args)
        audit_of(pytestconfig).browser_version = browser.version  # for the evaluation's environment block
        return browser

    browser = LiveBrowser(start)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def site_visits(audit_browser: LiveBrowser, audit_options: AuditOptions) -> Iterator[SiteVisits]:
    visits = SiteVisits(audit_browser, audit_options.settings, audit_options.ignore_https_errors,
                        audit_options.resolve)
    yield visits
    visits.close()
