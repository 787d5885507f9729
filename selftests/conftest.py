"""Fixtures for the self-tests: the simulated world and audit runs against it.

Two speeds: a test that starts the world, a browser or any other process (an audit run, openssl,
Chromium) carries the `world` marker; `pytest selftests -m "not world"` runs the others, the judges
on saved captures, in seconds. The marker is enforced: in an unmarked test, starting a World or a
process raises UnmarkedWorld. And a bug in the world (a route or the name server raising) fails the
test that met it (World.check_faults), instead of reading as a site's expected *broken*."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from .audit_runner import WAITING_WORKERS, WORLD_CONFIG, AuditRun, CatalogAudits, run_audit, write_inventory
from .together import run_together
from .world.catalog import EXTRA_RESOLVE, NEW_BADGE, build_inventory, build_sites
from .world.server import World


# Where the Python processes the suite starts keep their bytecode (see pytest_configure).
BYTECODE_CACHE = Path(tempfile.gettempdir()) / f"portal-audit-selftests-pyc-{os.getuid()}"


def pytest_configure(config: pytest.Config) -> None:
    """Every audit, its xdist workers, rejudge, report, merge... is a new Python process importing the
    same few hundred modules (pytest, Playwright, pydantic, the audit). Where bytecode is not written
    (PYTHONDONTWRITEBYTECODE, as on the development machines), each one compiled them all again: about
    0.7 s of CPU per process, 2 s per audit at -n 2. The processes the suite starts write and reuse
    their bytecode in one folder outside the checkout instead (PYTHONPYCACHEPREFIX), which keeps the
    tree free of .pyc files as the setting meant; the audits themselves run unchanged."""
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(BYTECODE_CACHE))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


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


def _new_badge_config(folder: Path) -> Path:
    config = folder / "new-badge.yaml"
    config.write_text(WORLD_CONFIG.read_text(encoding="utf-8") + f"badge:\n  texts: [\"{NEW_BADGE}\"]\n",
                      encoding="utf-8")
    return config


@pytest.fixture(scope="session")
def catalog_audits(world: World, world_inventory: Path, tmp_path_factory: pytest.TempPathFactory) -> CatalogAudits:
    """The whole catalog audited twice at once, each on four workers (WAITING_WORKERS): as it is,
    without an EMC export (full_audit), and with a new badge text for 3.2a only, on a second World
    of the same sites so that the first run's requests stay its own (test_rejudge.py compares its
    records with the first run's, judged again with that text). Both mostly wait on the sites."""
    folder = tmp_path_factory.mktemp("new-badge")
    config = _new_badge_config(folder)

    def full() -> AuditRun:
        world.clear_requests()
        run = run_audit(tmp_path_factory.mktemp("audit"), world_inventory, *WAITING_WORKERS,
                        *world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors")
        run.world_requests = world.requests()  # type: ignore[attr-defined]
        return run

    def new_badge() -> AuditRun:
        with World(build_sites(), folder / "world") as other:
            return run_audit(folder / "fresh", world_inventory, *WAITING_WORKERS, "--criteria", "3.2a",
                             *other.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors",
                             config=config)

    audits = CatalogAudits(*run_together(full, new_badge), config)
    print(f"\nfull audit {' '.join(WAITING_WORKERS)}: {audits.full.seconds:.1f}s, "
          f"new badge text: {audits.new_badge.seconds:.1f}s")
    return audits


@pytest.fixture(scope="session")
def full_audit(catalog_audits: CatalogAudits) -> AuditRun:
    """The whole catalog audited once (catalog_audits); the tests of the world-catalog xdist group
    read its results, its evidence and its captures (test_world_audit.py, test_failure_kinds_world.py,
    test_rejudge.py, test_captures_current.py, test_overview_world.py: one worker runs them all, so
    this runs once). That -n 0 and -n 2 agree is checked on a smaller run (test_summary_world.py)."""
    return catalog_audits.full
