"""Re-auditing only the portals that failed (--rerun-failed-portals) and pytest's --lf: the merged
results are complete and current, and passing portals are not contacted at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from .audit_runner import run_audit, write_inventory
from .world.catalog import EXTRA_RESOLVE, build_inventory, page
from .world.emc import emc_snippet
from .world.server import Response, World

PORTALS = ("bo-mau", "tinh-http", "bo-doi-ten")
UNTOUCHED_HOSTS = {"tinh-http.gov.vn", "bo-doi-ten.gov.vn", "bo-moi.gov.vn"}


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    portals = [p for p in build_inventory()["portals"] if p["id"] in PORTALS]
    return write_inventory(tmp_path / "inventory.yaml", {"portals": portals})


def test_rerun_failed_portals(world: World, inventory: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "audit"
    args = (*world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors")
    first = run_audit(workdir, inventory, *args, fresh=False)
    assert first.record("https://cuc-a.bo-mau.gov.vn/", "3.2c")["status"] == "failed"

    # Meanwhile the agency fixes the link back from its component site.
    routes = world.sites["cuc-a.bo-mau.gov.vn"]
    original = routes["/"]
    routes["/"] = Response(body=page("Cục A", '<a href="https://bo-mau.gov.vn/">Cổng TTĐT Bộ Mẫu</a>',
                                     head=emc_snippet("202")))
    world.clear_requests()
    try:
        second = run_audit(workdir, inventory, "--rerun-failed-portals", *args, fresh=False)
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


def test_rerun_with_nothing_failed_stops_cleanly(world: World, tmp_path: Path) -> None:
    portals = [p for p in build_inventory()["portals"] if p["id"] == "tinh-http"]
    inventory = write_inventory(tmp_path / "inventory.yaml", {"portals": portals})
    args = (*world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors")
    run_audit(tmp_path / "audit", inventory, *args, fresh=False)
    again = run_audit(tmp_path / "audit", inventory, "--rerun-failed-portals", *args, fresh=False)
    assert again.returncode == 0
    assert "không có cổng nào không đạt hoặc lỗi, không cần đánh giá lại" in again.output


def test_rerun_with_unreadable_results_is_one_line(world: World, inventory: Path, tmp_path: Path) -> None:
    bad = tmp_path / "old.json"
    bad.write_text("{not json", encoding="utf-8")
    run = run_audit(tmp_path / "audit", inventory, "--rerun-failed-portals", str(bad))
    assert run.returncode == pytest.ExitCode.USAGE_ERROR
    assert f"ERROR: {bad}: không đọc được kết quả lần đánh giá trước" in run.output


def test_last_failed_under_xdist(world: World, inventory: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "audit"
    args = (*world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors")
    first = run_audit(workdir, inventory, *args, fresh=False)
    world.clear_requests()
    second = run_audit(workdir, inventory, "--lf", "-n", "2", *args, fresh=False)
    # Only the three failed cases ran again (xdist with -q does not print pytest's --lf banner).
    summary = [line for line in second.output.splitlines() if " in " in line and "failed" in line][-1]
    assert "3 failed" in summary and "passed" not in summary, second.output[-2000:]
    assert not {r.host for r in world.requests()} & UNTOUCHED_HOSTS
    assert second.results["complete"] is True
    assert second.stable_records() == first.stable_records()
