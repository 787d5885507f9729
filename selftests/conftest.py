"""Fixtures for the self-tests: the simulated world and audit runs against it."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from .audit_runner import AuditRun, run_audit, write_inventory
from .world.catalog import EXTRA_RESOLVE, build_inventory, build_sites
from .world.server import World


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with World(build_sites(), tmp_path_factory.mktemp("world")) as running:
        yield running


@pytest.fixture(scope="session")
def world_inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inventory(tmp_path_factory.mktemp("inventory") / "inventory.yaml", build_inventory())


@pytest.fixture(scope="session")
def full_audit(world: World, world_inventory: Path, tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    """The whole catalog audited once, on two workers, without an EMC export; most tests of
    test_world_audit.py read its results (that module's tests share one xdist worker, so this runs
    once). That -n 0 and -n 2 agree is checked on a smaller run (test_summary_world.py)."""
    world.clear_requests()
    run = run_audit(tmp_path_factory.mktemp("audit"), world_inventory, "-n", "2",
                    *world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors")
    run.world_requests = world.requests()  # type: ignore[attr-defined]
    print(f"\nfull audit -n 2: {run.seconds:.1f}s")
    return run
