"""Re-auditing only the portals that failed (--rerun-failed-portals) and pytest's --lf: the merged
results are complete and current, and passing portals are not contacted at all."""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
from collections import Counter
from pathlib import Path

import pytest

from portal_audit.records.reader import ResultsError
from portal_audit.records.rerun import load_previous

from .audit_runner import REPO, AuditRun, audit_command, run_audit, write_inventory
from .world.catalog import EXTRA_RESOLVE, build_inventory, page
from .world.emc import emc_snippet
from .world.server import Request, Response, World
from .standin import stand_in_chromium

pytestmark = pytest.mark.xdist_group("rerun")

PORTALS = ("bo-mau", "tinh-http", "bo-doi-ten")
UNTOUCHED_HOSTS = {"tinh-http.gov.vn", "bo-doi-ten.gov.vn", "bo-moi.gov.vn"}


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    portals = [p for p in build_inventory()["portals"] if p["id"] in PORTALS]
    return write_inventory(tmp_path_factory.mktemp("rerun") / "inventory.yaml", {"portals": portals})


def _args(world: World) -> tuple[str, ...]:
    return (*world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors")


@pytest.fixture(scope="module")
def first(world: World, inventory: Path, tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    """The first audit, whose folder (results, Allure results, pytest cache) each test copies; on two
    workers (its time is the settle waits of two failing sites)."""
    run = run_audit(tmp_path_factory.mktemp("first") / "audit", inventory, "-n", "2", *_args(world), fresh=False)
    assert run.record("https://cuc-a.bo-mau.gov.vn/", "3.2c")["status"] == "failed"
    return run


def _copy(first: AuditRun, tmp_path: Path) -> Path:
    return Path(shutil.copytree(first.results_path.parent, tmp_path / "audit"))


@pytest.mark.world
def test_rerun_failed_portals(world: World, inventory: Path, first: AuditRun, tmp_path: Path) -> None:
    workdir = _copy(first, tmp_path)
    # Meanwhile the agency fixes the link back from its component site.
    routes = world.sites["cuc-a.bo-mau.gov.vn"]
    original = routes["/"]
    routes["/"] = Response(body=page("Cục A", '<a href="https://bo-mau.gov.vn/">Cổng TTĐT Bộ Mẫu</a>',
                                     head=emc_snippet("202")))
    world.clear_requests()
    try:
        second = run_audit(workdir, inventory, "--rerun-failed-portals", *_args(world), fresh=False)
    finally:
        routes["/"] = original

    contacted = {r.host for r in world.requests()}
    assert not contacted & UNTOUCHED_HOSTS
    assert "bo-mau.gov.vn" in contacted
    results = second.results
    assert results["complete"] is True
    assert [(r["site"], r["criterion"]) for r in results["records"]] == \
           [(r["site"], r["criterion"]) for r in first.results["records"]]
    kept_before = [r for r in first.results["records"] if r["portal"] != "bo-mau"]
    assert [r for r in results["records"] if r["portal"] != "bo-mau"] == kept_before
    assert all(r["measured_at"] for r in results["records"])
    assert second.record("https://cuc-a.bo-mau.gov.vn/", "3.2c")["status"] == "passed"
    assert second.record("https://bo-mau.gov.vn/", "3.1")["status"] == "failed"
    assert "Đánh giá lại 1 cổng: 1 kết quả đã khắc phục, 2 vẫn chưa đạt, 0 mới không đạt" in second.output
    assert "đã khắc phục: bo-mau https://cuc-a.bo-mau.gov.vn/ 3.2c (passed)" in second.output

    # The Allure results hold every case once, with the current verdict for the re-audited portal.
    allure = second.allure_results()
    assert len(allure) == len(results["records"])
    fixed = [a for a in allure if a["name"] == "3.2c Trang thành phần có liên kết về cổng — Cục A"]
    assert [a["status"] for a in fixed] == ["passed"]


@pytest.mark.world
def test_an_interrupted_rerun_keeps_the_results_it_did_not_replace(world: World, inventory: Path,
                                                                    first: AuditRun, tmp_path: Path) -> None:
    workdir = _copy(first, tmp_path)
    arrived, release = threading.Event(), threading.Event()
    routes = world.sites["cuc-a.bo-mau.gov.vn"]
    original = routes["/"]

    def held(request: Request) -> Response:
        arrived.set()  # the portal's own cases are done; its component is being visited
        release.wait(120)
        return original if isinstance(original, Response) else original(request)

    routes["/"] = held
    try:
        process = subprocess.Popen(audit_command(workdir, inventory, "--rerun-failed-portals", *_args(world),
                                                 fresh=False), cwd=REPO, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        assert arrived.wait(300), "the re-run never reached the component site"
        process.send_signal(signal.SIGTERM)
        release.set()
        output, _ = process.communicate(timeout=300)
    finally:
        release.set()
        routes["/"] = original
    rerun = AuditRun(process.returncode, output, workdir / "results.json", workdir / "allure-results", 0)
    assert rerun.results["complete"] is False, output[-2000:]
    # Every case still has exactly one Allure result: the new ones for what the re-run measured,
    # the earlier ones for what it did not reach.
    results = rerun.allure_results()
    by_case = Counter(r["fullName"] for r in results)
    assert set(by_case.values()) == {1} and len(by_case) == len(first.results["records"]), by_case
    portal_ids = {r["fullName"] for r in results if r["start"] > _latest_start(first)}
    assert portal_ids >= {"https://bo-mau.gov.vn/#3.1", "https://bo-mau.gov.vn/#3.2a"}, output[-2000:]
    assert not {name for name in portal_ids if "cuc-a" in name}


def _latest_start(run: AuditRun) -> int:
    return max(r["start"] for r in run.allure_results())


@pytest.mark.world
def test_rerun_with_nothing_failed_stops_cleanly(world: World, inventory: Path, first: AuditRun,
                                                 tmp_path: Path) -> None:
    workdir = _copy(first, tmp_path)
    chromium = stand_in_chromium(tmp_path / "chromium")
    world.clear_requests()
    again = run_audit(workdir, inventory, "--rerun-failed-portals", "--portal", "tinh-http", *_args(world),
                      fresh=False, env=chromium.env)
    assert again.returncode == 0
    assert "không có cổng nào không đạt hoặc lỗi, không cần đánh giá lại" in again.output
    # Stopped cleanly means stopped before anything: no site contacted, no browser started.
    assert world.requests() == []
    assert not chromium.started


def test_unreadable_earlier_results_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "old.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ResultsError, match=f"^{bad}: không đọc được tệp kết quả"):
        load_previous(bad)
    bad.write_text('{"records": [{"site": "x"}]}', encoding="utf-8")
    with pytest.raises(ResultsError, match="bản ghi thứ 1 thiếu criterion, group, message, portal, status"):
        load_previous(bad)
    bad.write_text('{"records": {}}', encoding="utf-8")
    with pytest.raises(ResultsError, match="không phải tệp results.json của portal-audit"):
        load_previous(bad)
    with pytest.raises(ResultsError, match="không tìm thấy tệp kết quả"):
        load_previous(tmp_path / "none.json")


@pytest.mark.world
def test_last_failed_under_xdist(world: World, inventory: Path, first: AuditRun, tmp_path: Path) -> None:
    workdir = _copy(first, tmp_path)
    world.clear_requests()
    second = run_audit(workdir, inventory, "--lf", "-n", "2", *_args(world), fresh=False)
    # Only the three failed cases ran again (xdist with -q does not print pytest's --lf banner).
    summary = [line for line in second.output.splitlines() if " in " in line and "failed" in line][-1]
    assert "3 failed" in summary and "passed" not in summary, second.output[-2000:]
    assert not {r.host for r in world.requests()} & UNTOUCHED_HOSTS
    assert second.results["complete"] is True
    assert second.stable_records() == first.stable_records()
