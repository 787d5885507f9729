"""Hostile and broken pages each get a clear verdict and the run goes on; transient network errors
are retried; a browser that dies or freezes loses only the site being visited; audited pages
cannot reach the auditor's internal network; an interrupted run keeps what it measured."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from portal_audit.settings import load_settings
from portal_audit.visit import VisitError, launch_options, parse_rule, visit_site

from . import required
from .audit_runner import REPO, WORLD_CONFIG, AuditRun, audit_command, run_audit, write_inventory
from .together import run_together
from .world.hostile_sites import HEAVY_SITES, SITES, build_hostile_inventory, build_hostile_sites, host, url
from .world.server import World

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("hostile")]

MESSAGES = {
    url("tai-ve"): "trang chủ là một tệp tải về, không phải trang web",
    url("pdf"): "trang chủ không phải trang web (Content-Type: application/pdf)",
    url("vong-lap"): "chuyển hướng lặp vô hạn",
    url("treo"): "trang không phản hồi, vượt quá ngân sách 15 giây cho một lần truy cập",
    url("loi-mai"): "máy chủ trả về mã lỗi HTTP 502 (sau 2 lần thử)",
}


@pytest.fixture(scope="module")
def hostile_world(tmp_path_factory: pytest.TempPathFactory):
    holder: dict[str, int] = {}
    with World(build_hostile_sites(holder), tmp_path_factory.mktemp("hostile-world")) as world:
        holder["port"] = world.port
        yield world


@pytest.fixture(scope="module")
def heavy_world(tmp_path_factory: pytest.TempPathFactory):
    """The heavy page in a world of its own (its own port), so that its run can overlap the hostile
    run: the hostile run's crashing page kills the browsers of its world's port only."""
    holder: dict[str, int] = {}
    with World(build_hostile_sites(holder), tmp_path_factory.mktemp("heavy-world")) as world:
        holder["port"] = world.port
        yield world


@dataclass
class Interrupted:
    output: str  # the audit's output after it was stopped
    document: dict[str, Any]  # the results.json it wrote


def _interrupted_run(folder: Path) -> Interrupted:
    """The hostile sites' audit stopped the way a scheduler does, in the middle of a visit: once the
    visit has reached the frozen page, the fifth site (the four before it are done). On a hostile world
    of its own, whose requests tell when that is."""
    holder: dict[str, int] = {}
    with World(build_hostile_sites(holder), folder / "world") as world:
        holder["port"] = world.port
        inventory = write_inventory(folder / "inventory.yaml", build_hostile_inventory())
        process = subprocess.Popen(audit_command(folder / "run", inventory, "-n", "0", *world.resolve_args(),
                                                 "--ignore-https-errors"),
                                   cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not world.requests_to(host("treo")):
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=240)
    return Interrupted(output, json.loads((folder / "run" / "results.json").read_text(encoding="utf-8")))


@dataclass
class HostileRuns:
    heavy: AuditRun  # the heavy page, default settings
    hostile: AuditRun  # every hostile site, with .world_requests
    interrupted: Interrupted


@pytest.fixture(scope="module")
def runs(hostile_world: World, heavy_world: World, tmp_path_factory: pytest.TempPathFactory) -> HostileRuns:
    """The hostile run (the world's short waits), the heavy page's (the default settings, the time
    limits of a real audit) and the interrupted one at the same time: all mostly wait."""
    heavy_dir, workdir = tmp_path_factory.mktemp("heavy"), tmp_path_factory.mktemp("hostile")
    interrupted_dir = tmp_path_factory.mktemp("interrupted")

    def hostile() -> AuditRun:
        inventory = write_inventory(workdir / "inventory.yaml", build_hostile_inventory())
        run = run_audit(workdir / "run", inventory, "-n", "0", *hostile_world.resolve_args(), "--ignore-https-errors")
        run.world_requests = hostile_world.requests()  # type: ignore[attr-defined]
        return run

    done = HostileRuns(*run_together(
        lambda: run_audit(heavy_dir / "run", write_inventory(heavy_dir / "inventory.yaml",
                                                             build_hostile_inventory(HEAVY_SITES)),
                          "-n", "0", *heavy_world.resolve_args(), "--ignore-https-errors", config=None),
        hostile, lambda: _interrupted_run(interrupted_dir)))
    print(f"\nhostile audit: {done.hostile.seconds:.1f}s, heavy page: {done.heavy.seconds:.1f}s")
    return done


@pytest.fixture(scope="module")
def hostile_run(runs: HostileRuns) -> AuditRun:
    return runs.hostile


@pytest.fixture(scope="module")
def heavy_run(runs: HostileRuns) -> AuditRun:
    return runs.heavy


@pytest.mark.parametrize("name,site,status", HEAVY_SITES, ids=[s[0] for s in HEAVY_SITES])
def test_heavy_page_verdict(heavy_run: AuditRun, name: str, site: str, status: str) -> None:
    assert heavy_run.record(site, "3.1")["status"] == status, heavy_run.record(site, "3.1")["message"]


def test_run_completes_with_a_record_per_case(hostile_run: AuditRun) -> None:
    results = hostile_run.results
    assert results["complete"] is True, hostile_run.output[-3000:]
    assert len(results["records"]) == 3 * len(SITES)


@pytest.mark.parametrize("name,site,status", SITES, ids=[s[0] for s in SITES])
def test_verdict(hostile_run: AuditRun, name: str, site: str, status: str) -> None:
    record = hostile_run.record(site, "3.1")
    assert record["status"] == status, record["message"]
    if site in MESSAGES:
        assert MESSAGES[site] in record["message"]
    if status == "broken":
        assert {r["status"] for r in hostile_run.results["records"] if r["site"] == site} == {"broken"}


# The full browser shows a PDF in its viewer; the headless shell (the audit's headless browser where
# installed) downloads it. The verdict is the same in both (portal_audit/visit/errors.py VIEWER_TYPES).
BROWSERS = {"chromium": ("chromium", "chromium-browser", "google-chrome"),
            "headless-shell": ("chromium-headless-shell",)}


@pytest.mark.parametrize("build", sorted(BROWSERS))
@pytest.mark.parametrize("site", [url("pdf"), url("tai-ve")], ids=["pdf", "tai-ve"])
def test_a_file_homepage_is_one_verdict_in_either_browser(hostile_world: World, build: str, site: str) -> None:
    executable = required.command(*BROWSERS[build], why="the same verdict in both of Debian's Chromium builds")
    rules = tuple(parse_rule(value) for value in hostile_world.resolve_args()[1::2])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**{**launch_options(playwright, load_settings().browser, rules),
                                                "executable_path": executable})
        try:
            with pytest.raises(VisitError) as caught:
                visit_site(browser, site, load_settings(WORLD_CONFIG), ignore_https_errors=True,
                           is_complete=lambda capture: True, resolve=rules)
        finally:
            browser.close()
    assert caught.value.reason == MESSAGES[site]


def test_transient_errors_are_retried_and_counted(hostile_run: AuditRun) -> None:
    assert hostile_run.record(url("chap-chon"), "3.1")["evidence"]["attempts"] == 2
    assert hostile_run.record(url("loi-mai"), "3.1")["evidence"]["attempts"] == 2
    # A 404 or a frozen page would only fail the same way again.
    assert hostile_run.record(url("treo"), "3.1")["evidence"]["attempts"] == 1


def test_a_killed_browser_loses_only_the_site_being_visited(hostile_run: AuditRun) -> None:
    crashed = hostile_run.record(url("lam-sap"), "3.1")
    assert crashed["status"] == "passed" and crashed["evidence"]["attempts"] == 2
    assert hostile_run.record(url("sau-khi-treo"), "3.2a")["status"] == "passed"


def test_http_page_redirecting_to_another_domain_is_judged_at_the_final_page(hostile_run: AuditRun) -> None:
    record = hostile_run.record("http://cu.thu-nghiem-khac.gov.vn/", "3.1")
    assert record["evidence"]["final_url"] == url("moi")


def test_pages_cannot_reach_the_auditors_network(hostile_run: AuditRun) -> None:
    probes = [r for r in hostile_run.world_requests if r.path.startswith("/bi-mat")]  # type: ignore[attr-defined]
    assert probes == []
    assert any(r.host == "do-tham.thu-nghiem.gov.vn" for r in hostile_run.world_requests)  # type: ignore[attr-defined]


def test_interrupted_run_writes_what_it_measured(runs: HostileRuns) -> None:
    output, document = runs.interrupted.output, runs.interrupted.document
    assert document["complete"] is False, output[-2000:]
    assert 0 < len(document["records"]) < 3 * len(SITES)
    assert all(r["status"] in ("passed", "failed", "broken", "skipped") for r in document["records"])
