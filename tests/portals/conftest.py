"""Turns the inventory into one test case per (site, criterion) and provides the site visits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

import pytest
from playwright.sync_api import Browser, Playwright

from checks import Criterion, criteria_for
from portal_audit.browser import launch_options
from portal_audit.capture import Capture
from portal_audit.hosts import site_key
from portal_audit.inventory import Inventory, InventoryError, Site, load_inventory
from portal_audit.plugin import CASE_PROPERTY, AuditOptions, audit_options as get_audit_options
from portal_audit.verdict import PASSED, SKIPPED
from portal_audit.visit import VisitError, visit_site

INVENTORY_KEY = pytest.StashKey[Inventory]()


@dataclass(frozen=True)
class AuditCase:
    site: Site
    criterion: Criterion
    index: int  # position of the criterion among those of the site

    def __repr__(self) -> str:  # shown as the Allure parameter
        return f"{self.criterion.code} {self.site.url}"


def pytest_configure(config: pytest.Config) -> None:
    # Validated here, before any worker or browser starts, so that a broken inventory stops the run
    # with one line naming the file and line.
    options = get_audit_options(config)
    try:
        config.stash[INVENTORY_KEY] = load_inventory(options.inventory_path)
    except InventoryError as err:
        raise pytest.UsageError(str(err)) from None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "audit_case" not in metafunc.fixturenames:
        return
    params = []
    for site in metafunc.config.stash[INVENTORY_KEY].sites():
        for index, criterion in enumerate(criteria_for(site)):
            case = AuditCase(site, criterion, index)
            # loadgroup keeps a site's criteria on one worker, so the site is loaded once.
            params.append(pytest.param(case, id=f"{site.portal_id}/{site_key(site.url)}/{criterion.code}",
                                       marks=pytest.mark.xdist_group(site.key)))
    metafunc.parametrize("audit_case", params)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        case = callspec.params.get("audit_case") if callspec else None
        if isinstance(case, AuditCase):
            site = case.site
            item.user_properties.append((CASE_PROPERTY, {
                "portal": site.portal_id, "group": site.group, "site": site.url, "site_name": site.name,
                "role": site.role, "criterion": case.criterion.code,
                "sort_key": [site.order[0], site.order[1], case.index],
            }))


@pytest.fixture(scope="session")
def audit_options(pytestconfig: pytest.Config) -> AuditOptions:
    return get_audit_options(pytestconfig)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], playwright: Playwright,
                             audit_options: AuditOptions) -> dict[str, Any]:
    return {**browser_type_launch_args,
            **launch_options(playwright, audit_options.settings.browser, audit_options.resolve)}


class SiteVisits:
    """One visit per site per worker: the capture is kept until the site's last criterion used it."""

    def __init__(self, browser: Browser, options: AuditOptions) -> None:
        self.browser = browser
        self.options = options
        self.cache: dict[str, Capture | VisitError] = {}
        self.pending: dict[str, int] = {}

    def capture(self, case: AuditCase) -> Capture:
        site = case.site
        if site.key not in self.cache:
            self.pending[site.key] = len(criteria_for(site))
            self.cache[site.key] = self._visit(site)
        result = self.cache[site.key]
        self.pending[site.key] -= 1
        if self.pending[site.key] <= 0:
            del self.cache[site.key]
        if isinstance(result, VisitError):
            raise result
        return result

    def _visit(self, site: Site) -> Capture | VisitError:
        settings = self.options.settings
        criteria = criteria_for(site)

        def complete(capture: Capture) -> bool:
            return all(c.judge(capture, site, settings).status in (PASSED, SKIPPED) for c in criteria)

        try:
            return visit_site(self.browser, site.url, settings,
                              ignore_https_errors=self.options.ignore_https_errors, is_complete=complete)
        except VisitError as err:
            return err


@pytest.fixture(scope="session")
def site_visits(launch_browser: Callable[..., Browser], audit_options: AuditOptions) -> Iterator[SiteVisits]:
    browser = launch_browser()
    yield SiteVisits(browser, audit_options)
    browser.close()
