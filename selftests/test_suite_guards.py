"""The suite's own guards: a bug in the simulated world fails the test that met it, and a test without
the `world` marker cannot start the world or any process (selftests/conftest.py)."""

from __future__ import annotations

import http.client
import subprocess
from pathlib import Path

import dns.message
import dns.query
import pytest

from .audit_runner import run_audit, write_inventory
from .conftest import UnmarkedWorld
from .standin import stand_in_chromium
from .world.server import Request, Response, World, WorldFault

HOST = "loi.kiem-tra.gov.vn"


def _broken_route(request: Request) -> Response:
    raise KeyError("a bug in the world")


def _sites() -> dict[str, dict[str, object]]:
    return {HOST: {"/": Response(200, "<p>ổn</p>"), "/loi": _broken_route}}


def _get(world: World, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", world.port, timeout=30)
    connection.request("GET", path, headers={"Host": HOST})
    status = connection.getresponse().status
    connection.close()
    return status


def test_unmarked_test_cannot_start_the_world(tmp_path: Path) -> None:
    with pytest.raises(UnmarkedWorld, match="has no `world` marker"):
        World(_sites(), tmp_path / "world").start()
    with pytest.raises(UnmarkedWorld, match="test_unmarked_test_cannot_start_the_world starts a process"):
        subprocess.run(["true"], check=False)


@pytest.mark.world
def test_marked_test_may_start_a_process() -> None:
    assert subprocess.run(["true"], check=False).returncode == 0


@pytest.mark.world
def test_raising_route_is_a_fault_of_the_world(tmp_path: Path) -> None:
    with World(_sites(), tmp_path / "world") as world:
        assert _get(world, "/") == 200
        world.check_faults()  # a healthy answer: nothing to report
        assert _get(world, "/loi") == 500
        with pytest.raises(WorldFault, match=f"(?s)raised 1 time.*route /loi of {HOST}.*a bug in the world"):
            world.check_faults()
        world.check_faults()  # reported once
    # not checked before leaving: leaving the `with` block raises it
    fault = _leave_with_a_fault(tmp_path / "again")
    assert "route /loi" in str(fault)


def _leave_with_a_fault(folder: Path) -> WorldFault:
    try:
        with World(_sites(), folder) as world:
            _get(world, "/loi")
    except WorldFault as fault:
        return fault
    raise AssertionError("leaving the world with an unreported fault did not raise")


@pytest.mark.world
def test_raising_name_server_is_a_fault_of_the_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with World(_sites(), tmp_path / "world") as world:
        host, port = world.dns.address.split(":")
        answer = dns.query.udp(dns.message.make_query(HOST, "A"), host, port=int(port), timeout=10)
        assert answer.answer, answer
        world.check_faults()

        def broken(query: dns.message.Message) -> dns.message.Message:
            raise ValueError("a bug in the name server")
        monkeypatch.setattr(world.dns, "answer", broken)
        with pytest.raises(dns.exception.Timeout):
            dns.query.udp(dns.message.make_query(HOST, "A"), host, port=int(port), timeout=1)
        with pytest.raises(WorldFault, match="(?s)the world's name server.*a bug in the name server"):
            world.check_faults()


@pytest.mark.world
def test_the_stand_in_chromium_records_an_audit_that_starts_a_browser(tmp_path: Path) -> None:
    # The other side of the "stops before any browser" tests: an audit that does start one is seen.
    inventory = write_inventory(tmp_path / "inventory.yaml", {"portals": [
        {"id": "p", "name": "Cổng", "group": "province", "url": "https://p.kiem-tra.gov.vn/"}]})
    chromium = stand_in_chromium(tmp_path / "chromium")
    assert not chromium.started
    sites = {"p.kiem-tra.gov.vn": {"/": Response(200, "<p>ổn</p>")}, "mang.kiem-tra.gov.vn": {"/": Response()}}
    with World(sites, tmp_path / "world") as world:  # the network canary answers: the run goes on
        run = run_audit(tmp_path / "run", inventory, "--criteria", "3.1", *world.resolve_args(), env=chromium.env,
                        timeout=300)
    assert chromium.started, run.output
