"""Discovery's domain scan: run as an auditor runs it (`python -m portal_audit.discovery --domain-scan
--ct-export FILE`) against the discovery world with its unlinked component sites and the world's own
name server (selftests/world/domain_scan_sites.py); plus the pure parts (labels, CT exports, which
names are proposed, bounded lookups) without a network."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from portal_audit.discovery.domain_scan import (CtExportError, Progress, judge_names, names_under, read_ct_export,
                                                resolve_all, scan_labels)
from portal_audit.dns import DnsAnswer
from portal_audit.settings import load_settings
from portal_audit.settings.model import DomainScanSettings
from portal_audit.visit.documents import Homepage
from portal_audit.yamlio import dump_plain

from .audit_runner import REPO, WORLD_CONFIG, load_yaml
from .test_discovery import INVENTORY, Discovery, discover
from .together import run_together
from .world.discovery_sites import EXPECTED_NEW, LISTED
from .world.domain_scan_sites import ACTED_NEW, CT_EXPORT, FOUND_BY, NOT_PROPOSED, SCAN_NEW, build_scan_sites
from .world.server import World


# The tests of this module share one discovery run: one xdist worker runs them all, once.
pytestmark = pytest.mark.xdist_group("domain-scan")


@pytest.fixture(scope="module")
def scan_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with World(build_scan_sites(), tmp_path_factory.mktemp("scan-world")) as running:
        yield running


def _scan(scan_world: World, workdir: Path) -> Discovery:
    inventory, proposals = workdir / "inventory.yaml", workdir / "proposals.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    config, ct = workdir / "audit-config.yaml", workdir / "crt.sh.json"
    config.write_text(scan_world.settings(WORLD_CONFIG), encoding="utf-8")  # the world's name server
    ct.write_text(CT_EXPORT, encoding="utf-8")
    run = discover("--inventory", str(inventory), "--portal", "tinh-kham", "--out", str(proposals),
                   "--audit-config", str(config), "--domain-scan", "--ct-export", str(ct),
                   "--ignore-https-errors", *scan_world.resolve_args())
    return Discovery(run, workdir, inventory, proposals)


@dataclass
class Interrupted:
    """A long scan stopped by Ctrl-C once its first progress line was out."""
    returncode: int
    first: str  # that progress line
    out: str
    err: str
    proposals: Path


@pytest.fixture(scope="module")
def scans(scan_world: World, tmp_path_factory: pytest.TempPathFactory) -> tuple[Discovery, Interrupted]:
    """The module's scan and the interrupted one, side by side (selftests/together.py); the
    interrupted one in a scan world of its own, so that the module world's DNS queries are the scan's."""
    workdir, interrupted = tmp_path_factory.mktemp("scan"), tmp_path_factory.mktemp("interrupted")
    scan, stopped = run_together(lambda: _scan(scan_world, workdir), lambda: _interrupted_scan(interrupted))
    return scan, stopped


@pytest.fixture(scope="module")
def scanned(scans: tuple[Discovery, Interrupted]) -> Discovery:
    return scans[0]


@pytest.mark.world
def test_scan_finds_unlinked_component_sites_by_dns_and_ct(scanned: Discovery) -> None:
    assert scanned.run.returncode == 0, scanned.run.stdout + scanned.run.stderr
    tinh = scanned.portal("tinh-kham")
    new = {item["url"]: item for item in tinh["new"]}
    assert set(new) == {url for _, url in EXPECTED_NEW} | {url for _, url, _ in SCAN_NEW} | {url for _, url, _ in ACTED_NEW}
    assert {url: new[url]["found_by"] for url in FOUND_BY} == FOUND_BY
    for name, url, _ in SCAN_NEW:
        assert new[url]["name"] == name
    assert new["https://xa-hoa-son.tinh-kham.gov.vn/"]["found_in"] == ["chứng chỉ số (CT): xa-hoa-son.tinh-kham.gov.vn"]
    assert new["https://skhcn.tinh-kham.gov.vn/"]["found_in"] == ["rà quét tên miền (DNS): skhcn.tinh-kham.gov.vn"]


@pytest.mark.world
def test_links_reached_by_acting_on_the_homepage_are_proposed(scanned: Discovery) -> None:
    new = {item["url"]: item for item in scanned.portal("tinh-kham")["new"]}
    assert [(new[url]["name"], url, new[url]["found_in"]) for _, url, _ in ACTED_NEW] == ACTED_NEW


@pytest.mark.world
def test_a_name_that_lands_on_a_listed_site_is_that_site(scanned: Discovery) -> None:
    listed = scanned.portal("tinh-kham")["listed"]
    assert [item["url"] for item in listed] == [LISTED]
    assert listed[0]["found_by"] == ["link", "sitemap", "dns"]
    assert "rà quét tên miền (DNS): sotc.tinh-kham.gov.vn → stc.tinh-kham.gov.vn" in listed[0]["found_in"]


@pytest.mark.world
def test_names_that_exist_but_are_no_component_site_are_reported_not_proposed(scanned: Discovery) -> None:
    scan = scanned.portal("tinh-kham")["domain_scan"]
    assert scan["domain"] == "tinh-kham.gov.vn"
    for name, reason in NOT_PROPOSED.items():
        assert f"{name}: {reason}" in scan["not_proposed"]
    assert "mail.tinh-kham.gov.vn" in scan["in_dns"] and "sxd.tinh-kham.gov.vn" not in scan["in_dns"]
    assert "rà quét tên miền tinh-kham.gov.vn:" in scanned.run.stdout


@pytest.mark.world
def test_every_label_is_asked_of_the_name_server_and_only_names_under_the_portal(scanned: Discovery,
                                                                                 scan_world: World) -> None:
    asked = {name for name, kind in scan_world.dns.queries if kind == "A"}
    labels = scan_labels(load_settings().discovery.scan)
    assert {f"{label}.tinh-kham.gov.vn" for label in labels} <= asked
    assert "xa-hoa-son.tinh-kham.gov.vn" in asked  # from the CT export
    assert not any(name.endswith("tinh-khac.gov.vn") for name in asked)
    scan = scanned.portal("tinh-kham")["domain_scan"]
    assert scan["names_tried"] == len(asked & {n for n, _ in scan_world.dns.queries})


@pytest.mark.world
def test_a_bad_ct_export_is_one_line(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    bad = tmp_path / "crt.json"
    bad.write_text('[{"name_value": "a.tinh-kham.gov.vn"', encoding="utf-8")
    run = discover("--inventory", str(inventory), "--ct-export", str(bad))
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) == 1 and "crt.json:1: tệp CT không phải JSON hợp lệ" in run.stderr


def _interrupted_scan(folder: Path) -> Interrupted:
    """Ctrl-C as a terminal sends it (to the whole process group, the Playwright driver included)
    while the DNS lookups of a large CT export run."""
    inventory, proposals = folder / "inventory.yaml", folder / "proposals.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    config, ct = folder / "audit-config.yaml", folder / "crt.sh.csv"
    with World(build_scan_sites(), folder / "world") as world:
        # 20 lookups a second over 3,000 names: two and a half minutes if nothing stops it.
        config.write_text(world.settings(WORLD_CONFIG) + "discovery:\n  scan:\n    queries_per_second: 20\n"
                          "    progress_seconds: 0.5\n", encoding="utf-8")
        ct.write_text("common_name\n" + "\n".join(f"ten-{i}.tinh-kham.gov.vn" for i in range(3000)) + "\n",
                      encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, "-m", "portal_audit.discovery", "--inventory", str(inventory), "--portal", "tinh-kham",
             "--out", str(proposals), "--audit-config", str(config), "--ct-export", str(ct), "--ignore-https-errors",
             *world.resolve_args()], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        try:
            assert process.stderr is not None
            first = ""
            while "đã tra DNS" not in first:  # the first progress line: the scan is under way
                line = process.stderr.readline()
                assert line, "the scan ended without a progress line"
                first = line
            os.killpg(process.pid, signal.SIGINT)
            out, err = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    return Interrupted(process.returncode, first, out, err, proposals)


@pytest.mark.world
def test_a_long_scan_shows_progress_and_stops_on_ctrl_c_with_its_proposals(
        scans: tuple[Discovery, Interrupted]) -> None:
    """Ctrl-C during the DNS lookups: exit 130, the proposals found until then written."""
    stopped = scans[1]
    first, out, err = stopped.first, stopped.out, stopped.err
    assert "rà quét tinh-kham.gov.vn: đã tra DNS: " in first and "/3.000 tên miền" in first, first
    assert stopped.returncode == 130, out + first + err
    assert "đang dừng (Ctrl-C)" in err and "đã dừng (Ctrl-C) sau 1/1 cổng" in err
    assert "Traceback" not in err and "Exception" not in err  # nor the dead driver's asyncio noise
    document = load_yaml(stopped.proposals.read_text(encoding="utf-8"))
    assert document["stopped"].startswith("đã dừng bằng Ctrl-C")
    tinh = document["portals"][0]
    assert tinh["stopped"].startswith("đã dừng (Ctrl-C)")
    assert tinh["domain_scan"]["stopped"].startswith("đã dừng (Ctrl-C): đã tra DNS ")
    # What the homepage linked was found before the scan: it is proposed.
    assert {url for _, url in EXPECTED_NEW} <= {item["url"] for item in tinh["new"]}


def test_progress_lines() -> None:
    now = [0.0]
    out = io.StringIO()
    progress = Progress("rà quét tinh-a.gov.vn: đã tra DNS", 100_000, 10, out, clock=lambda: now[0])
    progress.step(1)
    now[0] = 10.0
    progress.step(1200)
    now[0] = 12.0
    progress.step(1300)  # too soon after the last line
    progress.step(100_000)  # the end of a stage that showed a line
    assert out.getvalue().splitlines() == ["  rà quét tinh-a.gov.vn: đã tra DNS: 1.200/100.000 tên miền",
                                           "  rà quét tinh-a.gov.vn: đã tra DNS: 100.000/100.000 tên miền"]


def test_lookups_stop_when_asked_without_waiting_for_the_queue() -> None:
    asked: list[str] = []
    stop = threading.Event()

    def lookup(name: str, rdtype: str) -> DnsAnswer:
        asked.append(name)
        if len(asked) == 5:
            stop.set()
        return DnsAnswer(name, rdtype, (), "nxdomain")

    names = [f"n{i}.tinh-a.gov.vn" for i in range(2000)]
    answers = resolve_all(names, lookup, SCAN, stop.is_set)
    # At 50 a second the 2,000 names would take 40 s: only those under way when it stopped ran.
    assert len(asked) <= 5 + SCAN.concurrency and len(answers) <= len(asked)


# ---- the pure parts ----

SCAN = DomainScanSettings(extra_labels=("xa-hoa-son", "STC", "bad label"), concurrency=3, queries_per_second=50,
                          homepage_timeout=5, progress_seconds=10)


def test_labels_are_the_shipped_list_and_the_settings(tmp_path: Path) -> None:
    shipped = tmp_path / "labels.txt"
    shipped.write_text("# sở\nstc\nsotc  # cũ\n\nsnv\n", encoding="utf-8")
    assert scan_labels(SCAN, shipped) == ["stc", "sotc", "snv", "xa-hoa-son"]
    labels = scan_labels(load_settings().discovery.scan)
    assert {"stc", "sotc", "snv", "syt", "sgddt", "skhcn", "stnmt", "sxd", "sct", "sldtbxh", "stp", "svhttdl",
            "sgtvt", "snnptnt", "skhdt", "stttt"} <= set(labels)
    assert len(labels) == len(set(labels))


def test_ct_exports_json_and_csv(tmp_path: Path) -> None:
    crtsh = tmp_path / "crt.json"
    crtsh.write_text(CT_EXPORT, encoding="utf-8")
    names = read_ct_export(crtsh)
    assert "www.xa-hoa-son.tinh-kham.gov.vn" in names and "tinh-kham.gov.vn" in names
    assert names_under(names, "tinh-kham.gov.vn") == ["api.tinh-kham.gov.vn", "dichvucong.tinh-kham.gov.vn",
                                                      "mail.tinh-kham.gov.vn", "phuong-binh.tinh-kham.gov.vn",
                                                      "xa-hoa-son.tinh-kham.gov.vn"]
    spotter = tmp_path / "certspotter.json"
    spotter.write_text('[{"id": "1", "dns_names": ["snv.tinh-a.gov.vn", "*.snv.tinh-a.gov.vn"], "pubkey_sha256": "ab"}]',
                       encoding="utf-8")
    assert names_under(read_ct_export(spotter), "tinh-a.gov.vn") == ["snv.tinh-a.gov.vn"]
    table = tmp_path / "export.csv"
    table.write_text("id,logged_at,common_name,matching_identities,issuer_name\n"
                     '1,2025-01-02,syt.tinh-a.gov.vn,"syt.tinh-a.gov.vn www.syt.tinh-a.gov.vn","C=US, O=Let\'s Encrypt, CN=R3"\n',
                     encoding="utf-8")
    assert names_under(read_ct_export(table), "tinh-a.gov.vn") == ["syt.tinh-a.gov.vn"]
    with pytest.raises(CtExportError, match="không đọc được tệp CT"):
        read_ct_export(tmp_path / "missing.json")


def test_lookups_are_bounded_in_flight_and_per_second() -> None:
    lock, state = threading.Lock(), {"now": 0, "most": 0}
    starts: list[float] = []

    def lookup(name: str, rdtype: str) -> DnsAnswer:
        with lock:
            starts.append(time.monotonic())
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return DnsAnswer(name, rdtype, ("123.30.1.5",) if name.startswith("a") else (),
                         None if name.startswith("a") else "nxdomain")

    names = [f"{c}{i}.tinh-a.gov.vn" for c in "ab" for i in range(10)]
    began = time.monotonic()
    answers = resolve_all(names, lookup, SCAN)
    assert [n for n in names if answers[n].exists] == names[:10]
    assert state["most"] <= 3
    # Never more than 50 a second: the 20th lookup starts 19/50 s after the first could (a lower
    # bound: a busy machine only makes it later).
    assert max(starts) - began >= 19 / 50


def test_which_names_are_proposed() -> None:
    pages = {
        "https://a.tinh-a.gov.vn/": Homepage("https://a.tinh-a.gov.vn/", 200, "text/html", "Sở A"),
        "https://old.tinh-a.gov.vn/": Homepage("https://a.tinh-a.gov.vn/trang-chu", 200, "text/html", "Sở A"),
        "https://www2.tinh-a.gov.vn/": Homepage("https://www.tinh-a.gov.vn/", 200, "text/html", "Cổng"),
        "http://plain.tinh-a.gov.vn/": Homepage("http://plain.tinh-a.gov.vn/", 200, "text/html", "Sở B"),
        "https://away.tinh-a.gov.vn/": Homepage("https://dichvucong.gov.vn/", 200, "text/html", "DVC"),
    }
    loaded: list[str] = []

    def load(url: str) -> Homepage | None:
        loaded.append(url)
        return pages.get(url)

    def answer(name: str, *addresses: str) -> DnsAnswer:
        return DnsAnswer(name, "A", addresses)

    sources = {n: "dns" for n in ("a.tinh-a.gov.vn", "old.tinh-a.gov.vn", "www2.tinh-a.gov.vn", "plain.tinh-a.gov.vn",
                                  "away.tinh-a.gov.vn", "intranet.tinh-a.gov.vn", "gone.tinh-a.gov.vn",
                                  "mail.tinh-a.gov.vn")}
    answers = {n: answer(n, "123.30.1.10") for n in sources}
    answers["intranet.tinh-a.gov.vn"] = answer("intranet.tinh-a.gov.vn", "10.0.0.7")
    answers["gone.tinh-a.gov.vn"] = DnsAnswer("gone.tinh-a.gov.vn", "A", (), "nxdomain")
    result = judge_names("tinh-a.gov.vn", {"tinh-a.gov.vn"}, sources, answers, load, lambda host: False,
                         lambda host: host.startswith("mail."))
    assert [(f.url, f.how, f.where) for f in result.found] == [
        ("https://a.tinh-a.gov.vn/", "dns", "rà quét tên miền (DNS): a.tinh-a.gov.vn"),
        ("https://a.tinh-a.gov.vn/", "dns", "rà quét tên miền (DNS): old.tinh-a.gov.vn → a.tinh-a.gov.vn"),
        ("http://plain.tinh-a.gov.vn/", "dns", "rà quét tên miền (DNS): plain.tinh-a.gov.vn"),
    ]
    assert result.not_proposed == [
        "away.tinh-a.gov.vn: chuyển tới dichvucong.gov.vn, ngoài tên miền tinh-a.gov.vn",
        "intranet.tinh-a.gov.vn: trỏ tới địa chỉ nội bộ 10.0.0.7, không truy cập",
        "mail.tinh-a.gov.vn: loại trừ theo cấu hình discovery.exclude_hosts",
        "www2.tinh-a.gov.vn: chuyển về trang chủ cổng",
    ]
    # No request to an internal address, a name not in DNS or an excluded one.
    assert not [url for url in loaded if "intranet" in url or "gone" in url or "mail" in url]
    mapped = judge_names("tinh-a.gov.vn", set(), {"intranet.tinh-a.gov.vn": "dns"}, answers, load,
                         lambda host: True, lambda host: False)
    assert mapped.not_proposed == ["intranet.tinh-a.gov.vn: không trả lời qua HTTP/HTTPS"]  # --resolve sent it there
    assert dump_plain(result.as_yaml())
