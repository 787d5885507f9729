"""The auditor's own outage is never published as an agency's failure (issue 16, finding 3).

- No canary answers at start: the run stops before any browser with one line about the network
  (exit status 4), writes and ranks nothing; so does the repository's own audit over inventory.yaml.
- The network goes away in the middle of a run (the world's blackout switch): the sites visited
  meanwhile are visited again once it is back, or recorded `auditor_network`, left out of the score
  and ranks, with results.json incomplete; --rerun-failed-portals audits them again.
- The browser closed under the audit (Playwright's driver interrupted): `auditor_browser`.
- The terminal's last lines count the records by status in Vietnamese, the auditor-side kinds apart."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest

from portal_audit.auditor import browser_gone
from portal_audit.inventory import load_inventory
from portal_audit.network_watch import NetworkWatch
from portal_audit.records.counts import StatusCounts
from portal_audit.settings import load_settings
from portal_audit.network.resolve import parse_rule

from portal_audit.yamlio import dump_plain
from portal_audit.visit.watchdog import process_children
from pytest_portal_audit.collection import cases_of
from pytest_portal_audit.results_writer import record_without_verdict

from .audit_runner import REPO, WORLD_CONFIG, AuditRun, audit_command, load_yaml, run_audit, write_inventory
from .ports import unused_port
from .together import run_together
from .world.catalog import page
from .world.emc import EMC_HOST, emc_routes, emc_snippet
from .world.server import Request, Response, World

HOSTS = ("mot.thu-nghiem.gov.vn", "hai.thu-nghiem.gov.vn", "ba.thu-nghiem.gov.vn")
URLS = tuple(f"https://{host}/" for host in HOSTS)
NETWORK_LINE = "không đánh giá được do mạng của máy đánh giá: "
BROWSER_LINE = "không đánh giá được do trình duyệt của máy đánh giá bị đóng: "
GOOD = page("Trang tốt", "<h1>Trang tốt</h1>", head=emc_snippet("900"))


def _inventory(folder: Path) -> Path:
    return write_inventory(folder / "inventory.yaml", {"portals": [
        {"id": host.split(".")[0], "name": f"Cổng {host.split('.')[0]}", "group": "province", "url": url,
         "emc_site_id": "900"} for host, url in zip(HOSTS, URLS)]})


def _config(folder: Path, **network: Any) -> Path:
    """The world's settings with the network watch's given keys."""
    settings = load_yaml(WORLD_CONFIG.read_text(encoding="utf-8"))
    settings["network"].update(network)
    path = folder / "audit.yaml"
    path.write_text(dump_plain(settings), encoding="utf-8")
    return path


def _sites(held: Any = None) -> dict[str, Any]:
    return {EMC_HOST: emc_routes(), **{host: {"/": Response(body=GOOD)} for host in HOSTS},
            **({HOSTS[1]: {"/": held}} if held is not None else {})}


def _fake_chromium(folder: Path) -> tuple[Path, Path]:
    """An executable standing in for Chromium that leaves a mark when anything starts it."""
    mark = folder / "chromium-started"
    script = folder / "chromium"
    script.write_text(f"#!/bin/sh\ntouch '{mark}'\nexit 1\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, mark


def _status_lines(output: str) -> list[str]:
    lines = output.splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("portal-audit: kết quả theo trạng thái"))
    return lines[start:]


# -- the canaries ------------------------------------------------------------------------------------

@pytest.mark.world
def test_a_canary_is_reached_when_it_answers_anything(tmp_path: Path) -> None:
    settings = load_settings().network
    busy = Response(503, "bận", content_type="text/plain; charset=utf-8")
    with World({"mang.kiem-tra.gov.vn": {"/": busy}}, tmp_path / "world") as world:
        rules = (parse_rule(f"*.gov.vn={world.address}"),)
        answering = NetworkWatch.of(settings.model_copy(update={"canaries": ("https://mang.kiem-tra.gov.vn/",)}),
                                    rules, ignore_https_errors=True)
        assert answering.check().reached  # an HTTP 503 is an answer: the network is there
        # The world's certificate is self-signed: not trusted, it is not an answer (a captive portal).
        assert not NetworkWatch.of(answering.settings, rules, ignore_https_errors=False).check().reached
        world.blackout()
        cut = answering.check()
        assert not cut.reached
        assert cut.reason() == "https://mang.kiem-tra.gov.vn/: kết nối bị đóng, không có câu trả lời"
    refused = parse_rule(f"*.gov.vn=127.0.0.1:{unused_port()}")
    gone = NetworkWatch.of(settings.model_copy(update={"canaries": ("http://a.gov.vn/", "http://b.gov.vn/")}),
                           (refused,), ignore_https_errors=False).check()
    assert gone.failures == ("http://a.gov.vn/: từ chối kết nối", "http://b.gov.vn/: từ chối kết nối")


def test_browser_gone_is_told_from_a_page_crash() -> None:
    assert browser_gone("TargetClosedError: Page.goto: Target page, context or browser has been closed")
    assert browser_gone("Playwright connection closed")
    assert not browser_gone("Page.goto: Navigation failed because page crashed!")


def test_status_counts_keep_the_auditor_side_apart() -> None:
    records = [{"status": "passed"}, {"status": "failed"}, {"status": "failed", "informative": True},
               {"status": "broken", "evidence": {"error_kind": "dns"}},
               {"status": "broken", "evidence": {"error_kind": "auditor_network"}},
               {"status": "broken", "evidence": {"error_kind": "auditor_browser"}}, {"status": "skipped"}]
    assert StatusCounts.of(records).lines(load_settings().labels) == [
        'portal-audit: kết quả theo trạng thái (pytest ghi "failed" cả cho trang không đánh giá được):',
        "  đạt: 1", "  không đạt: 1 (và 1 kết quả tham khảo, không tính điểm)", "  không đánh giá được: 1",
        f"  {NETWORK_LINE}1 (không tính cho cơ quan; đánh giá lại bằng --rerun-failed-portals)",
        f"  {BROWSER_LINE}1 (không tính cho cơ quan; đánh giá lại bằng --rerun-failed-portals)",
        "  không áp dụng: 1"]


@pytest.mark.parametrize("when,text,kind", [
    ("call", "E   playwright._impl._errors.TargetClosedError: Playwright connection closed", "auditor_browser"),
    ("call", "E   ValueError: a defect of the audit", "audit_error"),
    ("???", "worker 'gw0' crashed while running 'test_criterion[mot/mot.thu-nghiem.gov.vn/3.1]'", "worker_died")],
    # Ids of their own: an id holding the text above reads as an audit case to the plugin (coverage.py).
    ids=["browser-closed", "audit-defect", "worker-died"])
def test_a_case_ended_by_a_closed_browser_is_the_auditors(tmp_path: Path, when: str, text: str, kind: str) -> None:
    # A case that ends without a verdict, as the process that writes results.json sees it.
    case = cases_of(load_inventory(_inventory(tmp_path)), ("3.1",))[0]
    report = SimpleNamespace(when=when, longreprtext=f"Traceback (most recent call last):\n{text}\n")
    record = record_without_verdict(case, report, load_settings().labels)  # type: ignore[arg-type]
    assert (record["status"], record["evidence"]["error_kind"]) == ("broken", kind)
    if kind == "auditor_browser":
        assert record["message"] == (
            "Không đánh giá được https://mot.thu-nghiem.gov.vn/: không đánh giá được do trình duyệt của máy đánh giá "
            "bị đóng [E   playwright._impl._errors.TargetClosedError: Playwright connection closed]; không tính là "
            "lỗi của cơ quan, cần đánh giá lại (--rerun-failed-portals)")


# -- before the first site ---------------------------------------------------------------------------

def _stopped(done: subprocess.CompletedProcess[str], results: Path, mark: Path) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 4, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and "máy đánh giá không kết nối được mạng" in lines[0], output
    assert not results.exists() and not mark.exists()  # nothing written, no browser started


@pytest.mark.world
def test_no_network_stops_the_run_before_any_browser(tmp_path: Path) -> None:
    chromium, mark = _fake_chromium(tmp_path)
    with World(_sites(), tmp_path / "world") as world:
        world.blackout()  # the world's hosts and its canary stay silent
        command = audit_command(tmp_path / "run", _inventory(tmp_path), "-n", "2", *world.resolve_args(),
                                "--ignore-https-errors")
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PORTAL_AUDIT_CHROMIUM": str(chromium)})
    _stopped(done, tmp_path / "run" / "results.json", mark)
    assert "http://mang.kiem-tra.gov.vn/: kết nối bị đóng, không có câu trả lời" in done.stderr


@pytest.mark.world
def test_the_repository_audit_stops_on_a_machine_without_network(tmp_path: Path) -> None:
    # The default canaries, sent to a closed port, stand for a machine without network (whether this
    # one has it or not); the repository's own inventory, as `python3 -m pytest -n auto` audits it.
    chromium, mark = _fake_chromium(tmp_path)
    closed = f"127.0.0.1:{unused_port()}"
    results = tmp_path / "results.json"
    command = [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "--results", str(results),
               *[arg for host in ("f-emc.ngsp.gov.vn", "dichvucong.gov.vn", "chinhphu.vn")
                 for arg in ("--resolve", f"{host}={closed}")]]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PORTAL_AUDIT_CHROMIUM": str(chromium)})
    _stopped(done, results, mark)
    assert "https://chinhphu.vn/: từ chối kết nối" in done.stderr


# -- during the run ----------------------------------------------------------------------------------

def _outage_run(folder: Path, world: World, seconds: float | None, budget: float) -> AuditRun:
    # From the second site's homepage on, the auditor's network is gone (for `seconds`).
    world.blackout(on_host=HOSTS[1], seconds=seconds)
    return run_audit(folder / "run", _inventory(folder), "-n", "0", *world.resolve_args(),
                     "--ignore-https-errors", config=_config(folder, outage_budget=budget))


OUTAGES = "auditor-network-outages"


@dataclass
class Outages:
    lasting: AuditRun  # the outage that lasts: the run's outputs, kept apart before the re-run
    again: AuditRun  # then, the network back, --rerun-failed-portals in the same folder
    again_hosts: set[str]  # the hosts the re-run requested
    ended: AuditRun  # the outage of 8 s
    ended_requests: list[Request]


def _lasting(folder: Path) -> tuple[AuditRun, AuditRun, set[str]]:
    with World(_sites(), folder / "world") as world:
        run = _outage_run(folder, world, seconds=None, budget=2)
        # The re-run rewrites the run's folder: what the first run wrote is kept apart for its test.
        kept = folder / "first"
        kept.mkdir()
        for name in ("results.json", "ket-qua-danh-gia.xlsx"):
            if (run.results_path.parent / name).exists():
                shutil.copy(run.results_path.parent / name, kept / name)
        lasting = AuditRun(run.returncode, run.output, kept / "results.json", run.allure_dir, run.seconds)
        # The network back, the re-run audits the two portals the outage left.
        world.light()
        world.clear_requests()
        again = run_audit(folder / "run", _inventory(folder), "--rerun-failed-portals", "-n", "0",
                          *world.resolve_args(), "--ignore-https-errors", fresh=False)
        return lasting, again, {r.host for r in world.requests()}


def _ended(folder: Path) -> tuple[AuditRun, list[Request]]:
    with World(_sites(), folder / "world") as world:
        return _outage_run(folder, world, seconds=8, budget=120), world.requests()


@pytest.fixture(scope="module")
def outages(tmp_path_factory: pytest.TempPathFactory) -> Outages:
    """Both outages side by side (selftests/together.py), each in a world of its own: they are
    mostly waiting (the outage budget, the outage itself)."""
    lasting_folder, ended_folder = tmp_path_factory.mktemp("lasting"), tmp_path_factory.mktemp("ended")
    (lasting, again, hosts), (ended, requests) = run_together(lambda: _lasting(lasting_folder),
                                                              lambda: _ended(ended_folder))
    return Outages(lasting, again, hosts, ended, requests)


@pytest.mark.world
@pytest.mark.xdist_group(OUTAGES)  # one worker makes the shared runs, once
def test_an_outage_that_lasts_is_the_auditors_not_the_agencies(outages: Outages) -> None:
    run = outages.lasting
    results = run.results
    assert results["complete"] is False, run.output
    first = {r["criterion"]: r for r in results["records"] if r["site"] == URLS[0]}
    assert first["3.1"]["status"] == "passed", run.output
    cut = [r for r in results["records"] if r["site"] in URLS[1:]]
    assert cut and all(r["status"] == "broken" and r["evidence"]["error_kind"] == "auditor_network" for r in cut)
    assert ("Không đánh giá được https://hai.thu-nghiem.gov.vn/: không đánh giá được do mạng của máy đánh giá "
            "[http://mang.kiem-tra.gov.vn/: kết nối bị đóng, không có câu trả lời]; không tính là lỗi của cơ quan"
            in cut[0]["message"])
    scores = {c["portal"]: (c["score"], c["rank"]) for c in results["compliance"]}
    assert scores["mot"][1] == 1 and scores["hai"] == (None, None) and scores["ba"] == (None, None), scores
    tail = _status_lines(run.output)
    assert f"  {NETWORK_LINE}{len(cut)} (không tính cho cơ quan; đánh giá lại bằng --rerun-failed-portals)" in tail
    assert f"  {BROWSER_LINE}0 (không tính cho cơ quan)" in tail
    assert "  không đánh giá được: 0" in tail
    book = openpyxl.load_workbook(run.results_path.parent / "ket-qua-danh-gia.xlsx")
    notes = {row[0].value: row[1].value for row in book["Ghi chú"].iter_rows(min_row=2)}
    assert notes["Đánh giá hoàn tất"] == (f"không ({len(cut)} trường hợp không đánh giá được do máy đánh giá; "
                                          "đánh giá lại bằng --rerun-failed-portals)")
    # The network back, the re-run audited the two portals the outage left.
    again = outages.again
    assert outages.again_hosts >= set(HOSTS[1:]), again.output
    assert again.results["complete"] is True, again.output
    assert again.record(URLS[1], "3.1")["status"] == "passed"
    assert {c["portal"]: c["rank"] for c in again.results["compliance"]} == {"mot": 1, "hai": 1, "ba": 1}


@pytest.mark.world
@pytest.mark.xdist_group(OUTAGES)  # one worker makes the shared runs, once
def test_an_outage_that_ends_is_waited_for(outages: Outages) -> None:
    run = outages.ended
    results = run.results
    assert results["complete"] is True, run.output
    assert [r["status"] for r in results["records"] if r["criterion"] == "3.1"] == ["passed"] * 3, run.output
    # Visited again once the network was back: the homepage then answered.
    assert [r.path for r in outages.ended_requests if r.host == HOSTS[1]][:1] == ["/"]
    assert f"  {NETWORK_LINE}0 (không tính cho cơ quan)" in _status_lines(run.output)


# -- the browser closed under the audit --------------------------------------------------------------

def _children(pid: int) -> list[int]:
    return process_children().get(pid, [])


def _command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


@pytest.mark.world
def test_a_browser_closed_under_the_audit_is_the_auditors(tmp_path: Path) -> None:
    arrived, release = threading.Event(), threading.Event()

    def held(request: Request) -> Response:
        arrived.set()  # the browser is now loading the second site
        release.wait(120)
        return Response(body=GOOD)

    with World(_sites(held), tmp_path / "world") as world:
        command = audit_command(tmp_path / "run", _inventory(tmp_path), "-n", "0", *world.resolve_args(),
                                "--ignore-https-errors")
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert arrived.wait(240), "the audit never reached the held site"
            drivers = [pid for pid in _children(process.pid) if "playwright" in _command_of(pid)
                       or "node" in _command_of(pid)]
            assert drivers, [_command_of(pid) for pid in _children(process.pid)]
            for pid in drivers:
                os.kill(pid, signal.SIGINT)  # an interrupt that reaches only Playwright's driver
        finally:
            release.set()
            output, _ = process.communicate(timeout=600)
    (tmp_path / "run" / "output.txt").write_text(output, encoding="utf-8")
    run = AuditRun(process.returncode, output, tmp_path / "run" / "results.json", tmp_path / "run" / "allure-results",
                   seconds=0)
    results = run.results
    assert results["complete"] is False, output[-3000:]
    assert run.record(URLS[0], "3.1")["status"] == "passed", output[-3000:]
    closed = [r for r in results["records"] if r["site"] in URLS[1:]]
    kinds = {r["evidence"].get("error_kind") for r in closed}
    assert kinds == {"auditor_browser"}, [r["message"] for r in closed]
    assert ("không đánh giá được do trình duyệt của máy đánh giá bị đóng" in closed[0]["message"]
            and "không tính là lỗi của cơ quan" in closed[0]["message"])
    assert {c["portal"]: c["rank"] for c in results["compliance"]} == {"mot": 1, "hai": None, "ba": None}
    assert f"  {BROWSER_LINE}{len(closed)} (không tính cho cơ quan; đánh giá lại bằng --rerun-failed-portals)" \
        in _status_lines(output)


@pytest.mark.parametrize("canary", ["ftp://a.gov.vn/", "https:///"])
def test_a_canary_must_be_an_http_address(tmp_path: Path, canary: str) -> None:
    from portal_audit.settings import SourceError
    config = tmp_path / "audit.yaml"
    config.write_text(f'network:\n  canaries: ["{canary}"]\n', encoding="utf-8")
    with pytest.raises(SourceError, match="không phải địa chỉ http:// hoặc https:// có tên máy chủ"):
        load_settings(config)
