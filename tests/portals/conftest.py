"""Turns the inventory into one test case per (site, criterion) and provides the site visits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from playwright.sync_api import Browser, Playwright

from checks import Criterion, criteria_for
from portal_audit.browser import launch_options
from portal_audit.hosts import site_key
from portal_audit.inventory import Inventory, InventoryError, Site, load_inventory
from portal_audit.plugin import (CASE_INDEX_KEY, CASE_PROPERTY, ORDER_KEY, PREVIOUS_KEY, AuditOptions,
                                 audit_options as get_audit_options)
from portal_audit.rerun import RerunError, load_previous
from portal_audit.selection import SelectionError, select_portals
from portal_audit.site_visits import SiteVisits

INVENTORY_KEY = pytest.StashKey[Inventory]()


@dataclass(frozen=True)
class AuditCase:
    site: Site
    criterion: Criterion
    index: int  # position of the criterion among those of the site

    @property
    def sort_key(self) -> list[int]:
        return [*self.site.order, self.index]

    def __repr__(self) -> str:  # shown as the Allure parameter
        return f"{self.criterion.code} {self.site.url}"


def pytest_configure(config: pytest.Config) -> None:
    # Validated here, before any worker or browser starts, so that a broken inventory stops the run
    # with one line naming the file and line.
    options = get_audit_options(config)
    try:
        inventory = load_inventory(options.inventory_path)
        config.stash[ORDER_KEY] = {(case.site.url, case.criterion.code): case.sort_key for case in _cases(inventory)}
        portals = _previous_results(config, inventory, options)
        # --portal / --group: only the selected portals' sites become cases (and count for 'complete').
        config.stash[INVENTORY_KEY] = select_portals(inventory, portals, config.getoption("group"))
    except (InventoryError, SelectionError, RerunError) as err:
        raise pytest.UsageError(str(err)) from None
    config.stash[CASE_INDEX_KEY] = {_case_id(case): _case_properties(case)
                                    for case in _cases(config.stash[INVENTORY_KEY])}


def _previous_results(config: pytest.Config, inventory: Inventory, options: AuditOptions) -> list[str]:
    """The portals to audit, given --portal and --rerun-failed-portals; loads the earlier results
    that this run completes (also for pytest's --lf, which re-runs only some cases)."""
    portals: list[str] = config.getoption("portal")
    rerun = config.getoption("rerun_failed_portals")
    if rerun is not None:
        previous = load_previous(config.invocation_params.dir / rerun if rerun else options.results_path)
        known = {portal.id for portal in inventory.portals}
        failing = sorted(previous.portals_to_reaudit() & known & (set(portals) or known))
        if not failing:
            pytest.exit(f"{previous.path}: không có cổng nào không đạt hoặc lỗi, không cần đánh giá lại", returncode=0)
        config.stash[PREVIOUS_KEY] = previous
        return failing
    if config.getoption("lf", False) and options.results_path.exists():
        try:
            config.stash[PREVIOUS_KEY] = load_previous(options.results_path)
        except RerunError:
            pass  # nothing to complete: this run's results stand alone
    return portals


def _case_id(case: AuditCase) -> str:
    return f"{case.site.portal_id}/{site_key(case.site.url)}/{case.criterion.code}"


def _case_properties(case: AuditCase) -> dict[str, Any]:
    site = case.site
    return {"portal": site.portal_id, "group": site.group, "site": site.url, "site_name": site.name,
            "role": site.role, "criterion": case.criterion.code, "sort_key": case.sort_key}


def _cases(inventory: Inventory) -> list[AuditCase]:
    return [AuditCase(site, criterion, index)
            for site in inventory.sites()
            for index, criterion in enumerate(criteria_for(site))]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "audit_case" not in metafunc.fixturenames:
        return
    # loadgroup keeps a site's criteria on one worker, so the site is loaded once.
    metafunc.parametrize("audit_case", [
        pytest.param(case, id=_case_id(case), marks=pytest.mark.xdist_group(case.site.key))
        for case in _cases(metafunc.config.stash[INVENTORY_KEY])])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        case = callspec.params.get("audit_case") if callspec else None
        if isinstance(case, AuditCase):
            item.user_properties.append((CASE_PROPERTY, _case_properties(case)))


@pytest.fixture(scope="session")
def audit_options(pytestconfig: pytest.Config) -> AuditOptions:
    return get_audit_options(pytestconfig)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], playwright: Playwright,
                             audit_options: AuditOptions) -> dict[str, Any]:
    return {**browser_type_launch_args,
            **launch_options(playwright, audit_options.settings.browser, audit_options.resolve)}


@pytest.fixture(scope="session")
def site_visits(launch_browser: Callable[..., Browser], audit_options: AuditOptions) -> Iterator[SiteVisits]:
    visits = SiteVisits(launch_browser, audit_options.settings, audit_options.ignore_https_errors,
                        audit_options.resolve)
    yield visits
    visits.close()
