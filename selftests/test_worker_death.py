"""An xdist worker that dies mid-case (killed, out of memory) costs that one case: it ends as a
broken record naming what happened, xdist starts another worker, and the run completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from portal_audit.visit.watchdog import process_children


from .audit_runner import REPO, WORLD_CONFIG, write_inventory
from .world.emc import emc_routes, emc_snippet, EMC_HOST
from .world.hostile_sites import Once
from .world.catalog import page
from .world.server import Request, Response, World

pytestmark = pytest.mark.world  # starts the simulated world, a browser or the audit

SLOW = "https://cham.thu-nghiem.gov.vn/"
GOOD = "https://tot.thu-nghiem.gov.vn/"


def _children(pid: int) -> list[int]:
    return process_children().get(pid, [])


def test_a_killed_worker_costs_only_its_case(tmp_path: Path) -> None:
    arrived, release = threading.Event(), threading.Event()

    def held(request: Request) -> Response:
        arrived.set()  # the worker's browser is now loading this site: the worker is mid-case
        release.wait(120)
        return Response(body="")

    good = page("Trang tốt", "<h1>Trang tốt</h1>", head=emc_snippet("900"))
    sites = {EMC_HOST: emc_routes(),
             "cham.thu-nghiem.gov.vn": {"/": Once(held, Response(body=good))},
             "tot.thu-nghiem.gov.vn": {"/": Response(body=good)}}
    inventory = write_inventory(tmp_path / "inventory.yaml", {"portals": [
        {"id": "cham", "name": "Cổng chậm", "group": "province", "url": SLOW, "emc_site_id": "900"},
        {"id": "tot", "name": "Cổng tốt", "group": "province", "url": GOOD, "emc_site_id": "900"}]})
    results = tmp_path / "results.json"
    with World(sites, tmp_path / "world") as world:
        process = subprocess.Popen(
            [sys.executable, "-m", "pytest", "tests/portals", "--inventory", str(inventory), "--results",
             str(results), "--audit-config", str(WORLD_CONFIG), "-p", "no:cacheprovider", "-q", "-n", "1",
             *world.resolve_args(), "--ignore-https-errors"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert arrived.wait(240), "the audit never reached the held site"
            workers = _children(process.pid)
            assert workers, "no xdist worker found"
            for pid in workers:
                os.kill(pid, signal.SIGKILL)
        finally:
            release.set()
            output, _ = process.communicate(timeout=600)
    document = json.loads(results.read_text(encoding="utf-8"))
    records = {(r["site"], r["criterion"]): r for r in document["records"]}
    killed = records[SLOW, "3.1"]
    assert killed["status"] == "broken", output[-3000:]
    assert "tiến trình đánh giá bị dừng đột ngột khi đang đánh giá trang này" in killed["message"]
    assert killed["evidence"]["error_kind"] == "worker_died"
    # The site's other criteria ran on the worker xdist started instead, and so did the other site.
    assert records[SLOW, "3.2a"]["status"] == "passed", output[-3000:]
    assert {records[GOOD, code]["status"] for code in ("3.1", "3.2a")} == {"passed"}
    assert document["complete"] is True
    assert len(records) == 6
