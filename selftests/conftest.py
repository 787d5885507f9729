"""Fixtures for the self-tests: the simulated world and audit runs against it.

Two speeds: a test that starts the world, a browser or any other process (an audit run, openssl,
Chromium) carries the `world` marker; `pytest selftests -m "not world"` runs the others, the judges
on saved captures, in seconds. The marker is enforced: in an unmarked test, starting a World or a
process raises UnmarkedWorld. And a bug in the world (a route or the name server raising) fails the
test that met it (World.check_faults), instead of reading as a site's expected *broken*."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest

from .audit_runner import AuditRun, run_audit, write_inventory
from .world.catalog import EXTRA_RESOLVE, build_inventory, build_sites
from .world.server import World


class UnmarkedWorld(Exception):
    """A test without the `world` marker tried to start the world or a process."""


def _refuse(item: pytest.Item, what: str) -> Any:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise UnmarkedWorld(f"{item.nodeid} starts {what} but has no `world` marker "
                            "(pytest.mark.world): `-m \"not world\"` would run it")
    return refuse


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    if item.get_closest_marker("world") is not None:
        return (yield)
    # Setup, call and teardown of an unmarked test: no World, no process (the audit, openssl and
    # Playwright's driver all start through Popen._execute_child).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(World, "start", _refuse(item, "the simulated world"))
        patch.setattr(subprocess.Popen, "_execute_child", _refuse(item, "a process"))
        return (yield)


def _worlds(item: pytest.Item) -> list[World]:
    values = getattr(item, "funcargs", {}).values()  # every fixture of the test, used directly or not
    return [v for v in values if isinstance(v, World)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """The world's own faults met during the test's setup or call fail it (WorldFault); a World
    the test made itself raises them on leaving its `with` block."""
    try:
        return (yield)
    finally:
        for world in _worlds(item):
            world.check_faults()


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
