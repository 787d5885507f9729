"""The audit of one pytest process: its options and cases, read once at start-up and kept in one
place (the config's stash) for every part of the plugin."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from portal_audit.visit.lighthouse_service import LighthouseService
from pytest_portal_audit.collection import AuditCase, cases_of, escaped_id, order_of
from pytest_portal_audit.options import AuditOptions, inventory_option, read_options


@dataclass
class Audit:
    options: AuditOptions
    cases: list[AuditCase]  # the selected portals' cases, in inventory order
    order: dict[tuple[str, str], list[int]]  # (site URL, criterion) -> position in the whole inventory
    started_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    browser_version: str | None = None  # the Chromium this process (or a worker) started
    # This process's Lighthouse service, started once its cases are collected when they need
    # Lighthouse (pytest_portal_audit.plugin), handed to the site_gatherer fixture.
    lighthouse: LighthouseService | None = None
    by_id: dict[str, AuditCase] = field(init=False)

    def __post_init__(self) -> None:
        # Test ids as pytest writes them in node ids: escaped (\xe0, \u1ed9) when not ASCII, as
        # given with the ini option that disables escaping; both find the case.
        self.by_id = {form: case for case in self.cases for form in (case.id, escaped_id(case.id))}


AUDIT_KEY = pytest.StashKey[Audit]()


def start_audit(config: pytest.Config) -> Audit | None:
    """Reads everything the options name (a problem stops the run with one line); None when this
    pytest run is not an audit."""
    inventory = inventory_option(config)
    if inventory is None:
        return None
    options = read_options(config, inventory)
    audit = Audit(options, cases_of(options.selected, options.criteria), order_of(options.inventory, options.criteria))
    config.stash[AUDIT_KEY] = audit
    return audit


def audit_of(config: pytest.Config) -> Audit:
    try:
        return config.stash[AUDIT_KEY]
    except KeyError:
        raise pytest.UsageError("portal-audit: cần --inventory TỆP để đánh giá (hoặc khóa audit_inventory "
                                "trong cấu hình pytest)") from None


def is_audit(config: pytest.Config) -> bool:
    return AUDIT_KEY in config.stash
