"""Scale-out end to end, on a small inventory of the simulated world (two ministries, two provinces)
with an EMC export: two shards (--shard 1/2, 2/2) audited separately and merged with
`python -m portal_audit.merge` give exactly the records, summary, rankings and workbook of one run;
a run on the browsers of two local `playwright run-server`s shared by two workers gives the same
verdicts; a page that freezes a remote browser costs only that site."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import openpyxl
import pytest
from playwright.sync_api import sync_playwright

from portal_audit.inventory import load_inventory
from portal_audit.settings import load_settings
from portal_audit.visit import launch_options

from .audit_runner import REPO, WORLD_CONFIG, AuditRun, run_audit, write_inventory
from .ports import unused_port
from .together import run_together
from .world.catalog import EXPECTED, EXTRA_RESOLVE, build_inventory
from .world.hostile_sites import SITES, build_hostile_inventory, build_hostile_sites, url
from .world.server import World

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("scale-out")]

# bo-mau (2 sites) and tinh-http in one shard, bo-doi-ten and tinh-loi (2 sites) in the other: each
# shard holds a ministry and a province, so the rankings of both groups are merged.
PORTALS = ("bo-mau", "bo-doi-ten", "tinh-http", "tinh-loi")
EXPORT = [("201", "", "153.214.000"), ("", "bo-doi-ten.gov.vn", "90.000"), ("301", "", "5.000"),
          ("502", "", "7.000"), ("999", "khong-co.gov.vn", "12")]
SUMMARY_KEYS = ("summary", "emc_data", "ranking", "compliance", "compliance_ranking")
SHEETS = ("Tổng hợp theo cổng", "Kết quả chi tiết", "Xếp hạng lượt truy cập", "Xếp hạng tuân thủ")


@pytest.fixture(scope="module")
def small_inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    portals = [p for p in build_inventory()["portals"] if p["id"] in PORTALS]
    return write_inventory(tmp_path_factory.mktemp("scale-out") / "inventory.yaml", {"portals": portals})


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("emc") / "luot-truy-cap.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Mã website", "Tên miền", "Lượt truy cập"])
        writer.writerows(EXPORT)
    return path


def audit(world: World, workdir: Path, inventory: Path, *args: str, config: Path | None = WORLD_CONFIG) -> AuditRun:
    run = run_audit(workdir, inventory, *world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors", *args,
                    config=config)
    print(f"\n{workdir.name} {' '.join(args)}: {run.seconds:.1f}s")
    return run


@dataclass
class Runs:
    """Every audit run of this module, made side by side (selftests/together.py): they share nothing
    but the session's world, which none of these tests reads the requests of."""
    single: AuditRun
    shards: dict[int, AuditRun]
    remote: AuditRun
    remote_connections: list[int]  # each of the two servers' connections right after the remote run
    frozen: AuditRun


@pytest.fixture(scope="module")
def runs(world: World, small_inventory: Path, export: Path, browser_servers: list[BrowserServer],
         remote_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    def local(name: str, *args: str) -> Callable[[], AuditRun]:
        folder = tmp_path_factory.mktemp(name)
        return lambda: audit(world, folder, small_inventory, "-n", "0", *args, "--emc-data", str(export))

    remote_folder, frozen_folder = tmp_path_factory.mktemp("remote"), tmp_path_factory.mktemp("remote-frozen")

    def remote() -> tuple[AuditRun, list[int]]:
        # The first two servers only: the third is the frozen page's, so that these counts are this run's.
        endpoints = [arg for server in browser_servers[:2] for arg in ("--browser-endpoint", server.endpoint)]
        run = audit(world, remote_folder, small_inventory, "-n", "2", *endpoints, config=remote_config)
        return run, [server.connections() for server in browser_servers[:2]]

    # The longest first: the frozen page waits out its hard budget while the others run.
    frozen, (remote_run, connections), single_run, first, second = run_together(
        lambda: frozen_run(frozen_folder, browser_servers[2], remote_config), remote, local("single"),
        local("shard-1", "--shard", "1/2"), local("shard-2", "--shard", "2/2"))
    return Runs(single_run, {1: first, 2: second}, remote_run, connections, frozen)


@pytest.fixture(scope="module")
def single(runs: Runs) -> AuditRun:
    return runs.single


@pytest.fixture(scope="module")
def shards(runs: Runs) -> dict[int, AuditRun]:
    return runs.shards


@dataclass
class Merge:
    done: subprocess.CompletedProcess[str]
    run: AuditRun  # the merged outputs, read as a run's


def merge(folder: Path, runs: list[AuditRun]) -> Merge:
    """What the CI's last job does: the Allure folders copied together, then the merge."""
    allure_dir = folder / "allure-results"
    allure_dir.mkdir(parents=True)
    for run in runs:
        for path in run.allure_dir.iterdir():
            shutil.copy(path, allure_dir / path.name)
    out = folder / "results.json"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "portal_audit.merge", str(out),
                           *(str(run.results_path) for run in runs), "--alluredir", str(allure_dir)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - started
    return Merge(done, AuditRun(done.returncode, done.stdout + done.stderr, out, allure_dir, seconds))


@pytest.fixture(scope="module")
def merged(shards: dict[int, AuditRun], tmp_path_factory: pytest.TempPathFactory) -> Merge:
    return merge(tmp_path_factory.mktemp("merged"), [shards[1], shards[2]])


def test_shards_split_by_portal(shards: dict[int, AuditRun], single: AuditRun) -> None:
    portals = {k: {r["portal"] for r in run.results["records"]} for k, run in shards.items()}
    assert portals == {1: {"bo-mau", "tinh-http"}, 2: {"bo-doi-ten", "tinh-loi"}}, [r.output for r in shards.values()]
    for k, run in shards.items():
        results = run.results
        assert results["complete"] is True
        assert results["selection"] == {"portals": ["bo-mau", "tinh-http", "bo-doi-ten", "tinh-loi"], "shard": f"{k}/2"}
        assert results["inventory_digest"] == single.results["inventory_digest"]


def expected_table(inventory: Path) -> dict[tuple[str, str], str]:
    """The hand-written verdicts (world/catalog.py) of the sites of `inventory`."""
    urls = {site.url for site in load_inventory(inventory).sites()}
    table = {key: status for key, status in EXPECTED.items() if key[0] in urls}
    assert len({url for url, _ in table}) == len(urls), urls - {url for url, _ in table}
    return table


def statuses(run: AuditRun) -> dict[tuple[str, str], str]:
    return {(r["site"], r["criterion"]): r["status"] for r in run.results["records"]}


def test_merged_results_equal_a_single_run(merged: Merge, single: AuditRun, small_inventory: Path) -> None:
    assert merged.done.returncode == 0, merged.run.output
    results = merged.run.results
    assert results["complete"] is True
    # Against the expected table, not only against another run that might be wrong the same way.
    assert statuses(merged.run) == expected_table(small_inventory)
    assert merged.run.stable_records() == single.stable_records()
    for key in SUMMARY_KEYS:
        assert results[key] == single.results[key], key
    assert results["ranking"][0] == {"group": "ministry", "portal": "bo-mau", "name": "Cổng TTĐT Bộ Mẫu",
                                     "visits": 153214000, "rank": 1}
    assert results["selection"] == {"portals": ["bo-mau", "tinh-http", "bo-doi-ten", "tinh-loi"], "shard": None}
    assert "Tổng hợp đánh giá (tiêu chí 3.3 và mức độ tuân thủ)" in merged.run.output
    assert f"portal-audit: gộp 2 tệp, {len(results['records'])} kết quả ghi vào {merged.run.results_path}" \
        in merged.run.output


def workbook(run: AuditRun) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(run.results_path.parent / "ket-qua-danh-gia.xlsx")
    return {sheet.title: [[c.value for c in row] for row in sheet.iter_rows()] for sheet in book.worksheets}


def test_merged_workbook_equals_a_single_run(merged: Merge, single: AuditRun, shards: dict[int, AuditRun]) -> None:
    merged_sheets, single_sheets = workbook(merged.run), workbook(single)
    for sheet in SHEETS:
        assert merged_sheets[sheet] == single_sheets[sheet], sheet
    notes = dict(row for row in merged_sheets["Ghi chú"][1:])
    assert notes["Đánh giá hoàn tất"] == "có"
    assert notes["Gộp từ"] == f"{shards[1].results_path}, {shards[2].results_path}"


def test_merged_allure_results(merged: Merge, single: AuditRun) -> None:
    # Every case once, and only the merged summary (the shards' partial ones replaced).
    assert len(merged.run.allure_results()) == len(single.results["records"])
    summaries = {r["name"]: r for r in merged.run.allure_summary_results()}
    assert set(summaries) == {"Xếp hạng lượt truy cập", "Tổng hợp mức độ tuân thủ"}

    def tables(run: AuditRun, name: str) -> list[str]:
        result = next(r for r in run.allure_summary_results() if r["name"] == name)
        return sorted((run.allure_dir / a["source"]).read_text(encoding="utf-8")
                      for a in result["attachments"] if a["type"] == "text/csv")
    for name in summaries:
        assert tables(merged.run, name) == tables(single, name), name


def test_a_missing_shard_leaves_the_merge_incomplete(shards: dict[int, AuditRun], tmp_path: Path) -> None:
    alone = merge(tmp_path, [shards[1]])
    assert alone.done.returncode == 1, alone.run.output
    assert alone.run.results["complete"] is False
    assert "portal-audit: CHƯA ĐỦ: thiếu kết quả của phần 2/2" in alone.run.output
    assert "portal-audit: CHƯA ĐỦ: cổng tinh-loi: thiếu kết quả của 2/2 trang" in alone.run.output
    notes = dict(row for row in workbook(alone.run)["Ghi chú"][1:])
    assert notes["Đánh giá hoàn tất"].startswith("không (thiếu kết quả: thiếu kết quả của phần 2/2;")


def test_rerun_of_a_shard_keeps_only_its_part(merged: Merge, small_inventory: Path, tmp_path: Path) -> None:
    # Earlier merged results in which only bo-mau (shard 1) failed: shard 2 has nothing to re-audit,
    # visits nothing, and hands in its part of the earlier results, complete, for the next merge.
    previous = merged.run.results
    records = [r if r["portal"] == "bo-mau" else {**r, "status": "passed"} for r in previous["records"]]
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps({**previous, "records": records}, ensure_ascii=False), encoding="utf-8")
    run = run_audit(tmp_path / "run", small_inventory, "--rerun-failed-portals", str(earlier), "--shard", "2/2")
    assert run.returncode == 0, run.output
    assert run.results["complete"] is True
    assert run.results["records"] == [r for r in records if r["portal"] in ("bo-doi-ten", "tinh-loi")]
    assert run.results["selection"] == {"portals": ["bo-mau", "tinh-http", "bo-doi-ten", "tinh-loi"], "shard": "2/2"}


# -- remote browsers --------------------------------------------------------------------------------

@dataclass
class BrowserServer:
    endpoint: str
    log: Path

    def connections(self) -> int:
        return self.log.read_text(encoding="utf-8", errors="replace").count("serving connection")


@pytest.fixture(scope="module")
def browser_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[BrowserServer]]:
    """Two Playwright browser servers, from the installed Playwright. --unsafe lets them accept the
    audit's Chromium flags and a system Chromium where there is no Playwright build."""
    folder = tmp_path_factory.mktemp("browser-servers")
    started: list[tuple[subprocess.Popen[bytes], BrowserServer]] = []
    try:
        for number in range(3):  # two for the remote run, one for the frozen page's run beside it
            port = unused_port()
            server = BrowserServer(f"ws://127.0.0.1:{port}/", folder / f"server-{number}.log")
            with server.log.open("wb") as log:
                process = subprocess.Popen(
                    [sys.executable, "-m", "playwright", "run-server", "--port", str(port), "--host", "127.0.0.1",
                     "--unsafe"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                    env={**os.environ, "DEBUG": "pw:server"})
            started.append((process, server))
        deadline = time.monotonic() + 120  # the three start side by side
        for process, server in started:
            while "Listening on" not in server.log.read_text(encoding="utf-8", errors="replace"):
                assert process.poll() is None and time.monotonic() < deadline, server.log.read_text()
                time.sleep(0.2)
        yield [server for _, server in started]
    finally:
        for process, _ in started:  # the server and the browsers it launched: its own process group
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def remote_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The world's settings, with the servers told to start the Chromium a local audit would: a
    system one where this machine has no Playwright build (the servers run on this machine)."""
    with sync_playwright() as playwright:
        executable = launch_options(playwright, load_settings().browser, ()).get("executable_path")
    path = tmp_path_factory.mktemp("remote-config") / "audit.yaml"
    extra = f"browser:\n  remote_executable: {executable}\n" if executable else ""
    path.write_text(WORLD_CONFIG.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def _verdicts(run: AuditRun) -> list[tuple[str, str, str, str]]:
    return [(r["site"], r["criterion"], r["status"], r["message"]) for r in run.results["records"]]


def test_remote_browsers_give_the_same_verdicts(runs: Runs, small_inventory: Path, single: AuditRun,
                                                browser_servers: list[BrowserServer]) -> None:
    run = runs.remote
    assert run.results["complete"] is True, run.output
    assert statuses(run) == expected_table(small_inventory)
    assert _verdicts(run) == _verdicts(single)
    assert run.stable_records() == single.stable_records()
    # Each server: the start-up check, then one worker's browser (gw0 on the first, gw1 on the second).
    assert [count >= 2 for count in runs.remote_connections] == [True, True], \
        [server.log.read_text() for server in browser_servers[:2]]


def frozen_run(folder: Path, server: BrowserServer, remote_config: Path) -> AuditRun:
    """A hostile world's frozen page and the site after it, on one remote browser."""
    holder: dict[str, int] = {}
    sites = [s for s in SITES if s[1] in (url("treo"), url("sau-khi-treo"))]
    with World(build_hostile_sites(holder), folder / "world") as hostile:
        holder["port"] = hostile.port
        inventory = write_inventory(folder / "inventory.yaml", build_hostile_inventory(sites))
        run = run_audit(folder / "run", inventory, "-n", "0", "--browser-endpoint", server.endpoint,
                        *hostile.resolve_args(), "--ignore-https-errors", config=remote_config)
    print(f"\nremote frozen page: {run.seconds:.1f}s")
    return run


def test_frozen_page_on_a_remote_browser_costs_only_that_site(runs: Runs) -> None:
    run = runs.frozen
    frozen = run.record(url("treo"), "3.1")
    assert frozen["status"] == "broken", run.output
    assert "trang không phản hồi, vượt quá ngân sách 15 giây cho một lần truy cập" in frozen["message"]
    assert run.record(url("sau-khi-treo"), "3.1")["status"] == "passed", run.output
