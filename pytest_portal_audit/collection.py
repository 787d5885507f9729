"""The audit's cases: one per (site, criterion) of the selected portals, ordered as the inventory,
each site's cases kept on one xdist worker (--dist loadgroup) so that a site is loaded once.

In this repository the cases are collected from tests/portals/; anywhere else, the inventory file
itself (--inventory) is collected as the audit's test module, so `portal-audit` and
`pytest --inventory FILE` work in any folder that holds an inventory."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from portal_audit.checks import CODES, Criterion, criteria_for
from portal_audit.inventory import Inventory, Site
from portal_audit.records import Case
from portal_audit.urls import site_key

CASES_MODULE = "pytest_portal_audit.cases"


@dataclass(frozen=True)
class AuditCase(Case):
    criterion: Criterion

    @property
    def id(self) -> str:
        """The test id: portal/site/criterion, readable and stable across runs."""
        return f"{self.site.portal_id}/{site_key(self.site.url)}/{self.code}"

    def __repr__(self) -> str:
        return f"{self.code} {self.site.url}"


def escaped_id(test_id: str) -> str:
    """A test id as pytest puts it into node ids: non-ASCII and control characters escaped the way
    Python writes them ('hà' -> 'h\\xe0'), what pytest's own ascii_escaped does for pytest.param ids."""
    return test_id.encode("unicode_escape").decode("ascii")


def cases_of(inventory: Inventory, codes: tuple[str, ...] = CODES) -> list[AuditCase]:
    """The cases of the selected criteria `codes`. A criterion's index is its place among all the
    criteria that apply to the site, so a case sorts the same whichever criteria a run selected."""
    return [AuditCase(site, criterion.code, criterion.title, index, criterion)
            for site in inventory.sites()
            for index, criterion in enumerate(criteria_for(site)) if criterion.code in codes]


def order_of(inventory: Inventory, codes: tuple[str, ...] = CODES) -> dict[tuple[str, str], list[int]]:
    """Position of every (site URL, criterion) of the whole inventory, so that records are in
    inventory order whatever subset of it a run measured."""
    return {(case.site.url, case.code): case.sort_key for case in cases_of(inventory, codes)}


def parametrize(metafunc: pytest.Metafunc, cases: list[AuditCase]) -> None:
    metafunc.parametrize("audit_case", [
        pytest.param(case, id=case.id, marks=pytest.mark.xdist_group(case.site.key)) for case in cases])


def case_of(item: pytest.Item | None) -> AuditCase | None:
    callspec = getattr(item, "callspec", None)
    case = callspec.params.get("audit_case") if callspec else None
    return case if isinstance(case, AuditCase) else None


def site_of(item: pytest.Item | None) -> Site | None:
    case = case_of(item)
    return case.site if case else None


class InventoryModule(pytest.Module):
    """An inventory file collected as the audit's test module (the cases of pytest_portal_audit.cases)."""

    def _getobj(self) -> ModuleType:
        return importlib.import_module(CASES_MODULE)


def collect_inventory(file_path: Path, parent: pytest.Collector, inventory_path: Path) -> pytest.Module | None:
    if file_path.resolve() != inventory_path.resolve():
        return None
    return InventoryModule.from_parent(parent, path=file_path)


def drop_repeated(items: list[pytest.Item], config: pytest.Config) -> None:
    """When both the inventory file and tests/portals were collected, each case runs once."""
    seen: set[str] = set()
    kept: list[pytest.Item] = []
    repeated: list[pytest.Item] = []
    for item in items:
        case = case_of(item)
        if case is not None and case.id in seen:
            repeated.append(item)
            continue
        if case is not None:
            seen.add(case.id)
        kept.append(item)
    if repeated:
        config.hook.pytest_deselected(items=repeated)
        items[:] = kept


def case_properties(case: AuditCase) -> dict[str, Any]:
    return {**case.fields(), "sort_key": case.sort_key}
