"""Component-site discovery, run as an auditor runs it (`python -m portal_audit.discovery` in a
subprocess) against a world of its own (selftests/world/discovery_sites.py): the proposals YAML,
the merge into an inventory (order and comments kept), errors as one line; plus the pure rules."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from portal_audit.discovery.candidates import CandidateFinder, plain
from portal_audit.discovery.command import main as discovery_main
from portal_audit.discovery.sitemap import parse_sitemap
from portal_audit.inventory import load_inventory
from portal_audit.settings import load_settings
from portal_audit.evidence.capture import Link
from portal_audit.yamlio import dump_plain

from .audit_runner import REPO, WORLD_CONFIG, load_yaml
from .world.discovery_sites import (BROKEN_PORTAL, EXPECTED_NEW, LISTED, NOISE_HOSTS, NOT_LINKED, OTHER_PORTAL,
                                    PORTAL, PORTAL_NAME, build_discovery_sites)
from .world.server import World

pytestmark = pytest.mark.xdist_group("discovery")

INVENTORY = f"""\
# Danh mục thử nghiệm cho việc đề xuất trang thành phần.
portals:
  # Cổng tỉnh: một trang đã có, một trang không còn liên kết
  - id: tinh-kham
    name: {PORTAL_NAME}
    group: province
    url: {PORTAL}
    components:
      - name: Sở Tài chính
        url: {LISTED}
        emc_site_id: "902"  # mã EMC đã đăng ký
      - name: Sở Nội vụ
        url: {NOT_LINKED}

  # Cổng không truy cập được (HTTP 500)
  - id: bo-hong
    name: Cổng TTĐT Bộ Hỏng
    group: ministry
    url: {BROKEN_PORTAL}

  # Cổng khác trong danh mục: không bao giờ là trang thành phần của tinh-kham
  - id: tinh-mau
    name: Cổng TTĐT tỉnh Mẫu
    group: province
    url: {OTHER_PORTAL}
    components: []
"""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def discover(*args: str) -> Run:
    done = subprocess.run([sys.executable, "-m", "portal_audit.discovery", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def discovery_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with World(build_discovery_sites(), tmp_path_factory.mktemp("discovery-world")) as running:
        yield running


@dataclass
class Discovery:
    run: Run
    workdir: Path
    inventory: Path  # merged in place by --merge
    proposals: Path

    @property
    def document(self) -> dict[str, Any]:
        return load_yaml(self.proposals.read_text(encoding="utf-8"))

    def portal(self, portal_id: str) -> dict[str, Any]:
        return next(p for p in self.document["portals"] if p["id"] == portal_id)


@pytest.fixture(scope="module")
def discovery(discovery_world: World, tmp_path_factory: pytest.TempPathFactory) -> Discovery:
    """One browser run over tinh-kham and bo-hong, proposing and merging every new site."""
    workdir = tmp_path_factory.mktemp("discovery")
    inventory, proposals = workdir / "inventory.yaml", workdir / "proposals.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    run = discover("--inventory", str(inventory), "--portal", "tinh-kham", "--portal", "bo-hong",
                   "--out", str(proposals), "--merge", "--audit-config", str(WORLD_CONFIG),
                   "--ignore-https-errors", *discovery_world.resolve_args())
    return Discovery(run, workdir, inventory, proposals)


def _pairs(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(item["name"], item["url"]) for item in items]


@pytest.mark.world
def test_proposals_sort_candidates_into_new_listed_and_no_longer_linked(discovery: Discovery) -> None:
    tinh = discovery.portal("tinh-kham")
    assert sorted(_pairs(tinh["new"])) == sorted(EXPECTED_NEW), discovery.run.stdout + discovery.run.stderr
    assert _pairs(tinh["listed"]) == [("Sở Tài chính", LISTED)]
    assert _pairs(tinh["not_linked"]) == [("Sở Nội vụ", NOT_LINKED)]
    # Where each was found, so the auditor can judge it.
    found = {item["url"]: item["found_in"] for item in tinh["new"]}
    assert found["https://sxd.tinh-kham.gov.vn/"] == ["trang chủ: Sở, ban, ngành"]
    assert found["https://ttxtdt-kham.gov.vn/"] == ["trang chủ: Liên kết website"]
    assert found["https://xa-an.tinh-kham.gov.vn/"] == ["trang chủ: Xã, phường"]  # inside the iframe
    assert found["https://phuong-binh.tinh-kham.gov.vn/"] == ["sitemap.xml"]
    assert tinh["sitemap"] == ["https://tinh-kham.gov.vn/sitemap.xml", "https://tinh-kham.gov.vn/sitemap-pages.xml"]


@pytest.mark.world
def test_noise_is_left_out(discovery: Discovery) -> None:
    urls = [item["url"] for section in ("new", "listed") for item in discovery.portal("tinh-kham")[section]]
    hosts = {url.split("/")[2] for url in urls}
    assert not hosts & set(NOISE_HOSTS)
    assert all(url.endswith(".gov.vn/") and url.count("/") == 3 for url in urls)  # site roots only
    assert len(hosts) == len(urls)  # one entry per site (www., http:// and path variants folded)


@pytest.mark.world
def test_unreachable_portal_is_reported_and_skipped(discovery: Discovery) -> None:
    assert discovery.run.returncode == 1  # not everything could be seen
    lines = [line for line in discovery.run.stdout.splitlines() if line.startswith("bo-hong")]
    assert lines == ["bo-hong: bỏ qua — Không đánh giá được https://bo-hong.gov.vn/: máy chủ trả về mã lỗi HTTP 500"]
    assert discovery.portal("bo-hong")["error"].endswith("mã lỗi HTTP 500")
    assert "tinh-kham: 9 trang thành phần mới, 1 đã có trong danh mục" in discovery.run.stdout
    assert discovery.run.stderr == ""


def _kept_in_order(original: str, merged: str) -> bool:
    lines = iter(merged.splitlines())
    return all(any(line == candidate for candidate in lines) for line in original.splitlines())


@pytest.mark.world
def test_merge_appends_every_new_site_keeping_order_and_comments(discovery: Discovery) -> None:
    merged = discovery.inventory.read_text(encoding="utf-8")
    assert _kept_in_order(INVENTORY, merged), merged
    assert "Đã gộp 9 trang thành phần vào" in discovery.run.stdout
    portals = load_inventory(discovery.inventory).portals
    assert [p.id for p in portals] == ["tinh-kham", "bo-hong", "tinh-mau"]
    assert [c.url for c in portals[0].components] == [LISTED, NOT_LINKED] + [url for _, url in EXPECTED_NEW]
    # The new entries sit inside tinh-kham, before the next portal's comment, each with a source note.
    block = merged[merged.index("  - id: tinh-kham"):merged.index("  # Cổng không truy cập được")]
    assert block.count("source: 'inferred: found by portal_audit.discover on") == 9


@pytest.mark.world
def test_merge_of_an_edited_proposals_file(discovery: Discovery, tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    document = discovery.document
    tinh = next(p for p in document["portals"] if p["id"] == "tinh-kham")
    # The auditor keeps two proposals and renames one.
    tinh["new"] = [item for item in tinh["new"] if item["url"] in ("https://sxd.tinh-kham.gov.vn/",
                                                                   "https://kcn-kham.gov.vn/")]
    tinh["new"][1]["name"] = "Ban Quản lý các khu công nghiệp tỉnh Khám Phá"
    edited = tmp_path / "edited.yaml"
    edited.write_text(dump_plain(document), encoding="utf-8")

    run = discover("--inventory", str(inventory), "--merge", "--proposals", str(edited))
    assert run.returncode == 0, run.stderr
    merged = inventory.read_text(encoding="utf-8")
    assert _kept_in_order(INVENTORY, merged)
    components = load_inventory(inventory).portals[0].components
    assert [(c.name, c.url) for c in components[2:]] == [
        ("Sở Xây dựng", "https://sxd.tinh-kham.gov.vn/"),
        ("Ban Quản lý các khu công nghiệp tỉnh Khám Phá", "https://kcn-kham.gov.vn/")]

    again = discover("--inventory", str(inventory), "--merge", "--proposals", str(edited))
    assert again.returncode == 0
    assert "Đã gộp 0 trang thành phần" in again.stdout and "đã có trong danh mục, bỏ qua" in again.stdout
    assert inventory.read_text(encoding="utf-8") == merged


def discover_here(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    """The command called in this process: for what stops before any browser starts."""
    code = discovery_main(list(args))
    out = capsys.readouterr()
    return Run(code, out.out, out.err)


@pytest.mark.parametrize("args, message", [
    (["--portal", "khong-co"], "--portal 'khong-co': không có trong danh mục"),
    (["--group", "district"], "invalid choice: 'district'"),
    (["--proposals", "x.yaml"], "--proposals chỉ dùng cùng --merge"),
    (["--resolve", "tinh-kham.gov.vn"], "--resolve 'tinh-kham.gov.vn': cần dạng MẪU=ĐỊA_CHỈ"),
    (["--audit-config", "nope.yaml"], "nope.yaml: không tìm thấy tệp cấu hình"),
])
def test_usage_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                   message: str) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    run = discover_here(capsys, "--inventory", str(inventory), *args)
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) == 1 and message in run.stderr, run.stderr


@pytest.mark.world
def test_the_command_reports_a_usage_error_in_one_line(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    run = discover("--inventory", str(inventory), "--group", "district")
    assert run.returncode == 2
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("python -m portal_audit.discovery: lỗi: argument --group: invalid choice: 'district'")


def test_a_bad_proposals_file_leaves_the_inventory_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("portals:\n  - id: tinh-kham\n    new:\n      - name: Sở A\n        url: sa.tinh-kham.gov.vn\n",
                   encoding="utf-8")
    run = discover_here(capsys, "--inventory", str(inventory), "--merge", "--proposals", str(bad))
    assert run.returncode == 2
    assert run.stderr.strip().endswith(f"{bad}:5: mục new thứ 1 của cổng 'tinh-kham' có địa chỉ không hợp lệ "
                                       "'sa.tinh-kham.gov.vn'")
    assert inventory.read_text(encoding="utf-8") == INVENTORY
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("portals:\n  - id: tinh-khac\n    new:\n      - {name: Sở A, url: 'https://sa.tinh-khac.gov.vn/'}\n",
                       encoding="utf-8")
    run = discover_here(capsys, "--inventory", str(inventory), "--merge", "--proposals", str(unknown))
    assert run.returncode == 2 and "đề xuất cho cổng không có trong danh mục: tinh-khac" in run.stderr
    assert inventory.read_text(encoding="utf-8") == INVENTORY
    typo = tmp_path / "typo.yaml"
    typo.write_text("portals:\n  - id: tinh-kham\n    new:\n      - {name: Sở A, url: 'https://sa.tinh-kham.gov.vn/', "
                    "urll: x}\n", encoding="utf-8")
    run = discover_here(capsys, "--inventory", str(inventory), "--merge", "--proposals", str(typo))
    assert run.returncode == 2 and f"{typo}:4: portals[1].new[1].urll: khóa không hợp lệ" in run.stderr


# ---- the pure rules ----

def _link(href: str, text: str = "", section: str = "", kind: str = "a", raw: str | None = None) -> Link:
    return Link(href, href if raw is None else raw, text, kind, True, None, "", section)


def test_candidate_rules_without_a_browser() -> None:
    settings = load_settings()
    finder = CandidateFinder(["https://tinh-a.gov.vn/"], settings.discovery)
    finder.add_links([
        _link("https://WWW.Sxd.tinh-a.gov.vn/trang-chu", "Sở Xây dựng", "Tin tức"),  # subdomain: anywhere
        _link("http://sxd.tinh-a.gov.vn/", "http://sxd.tinh-a.gov.vn/"),  # same site, text is an address
        _link("https://bql.gov.vn/", "Ban Quản lý", "LIÊN KẾT WEBSITE"),  # other .gov.vn in a link block
        _link("https://bo-x.gov.vn/tin", "Tin của Bộ X", "Tin tức - Sự kiện"),  # not a link block
        _link("https://tinh-a.gov.vn/sa.tinh-a.gov.vn", "Sở A", "Sở ban ngành", "option", "sa.tinh-a.gov.vn"),
        _link("https://dvc.tinh-a.gov.vn/", "Dịch vụ công", "Sở, ban, ngành"),  # public-service system
        _link("https://stc.tinh-a.gov.vn/a.PDF", "Báo cáo"),  # a file
        _link("https://www.tinh-a.gov.vn/gioi-thieu", "Giới thiệu"),  # the portal itself
        _link("https://baotinh-a.vn/", "Báo tỉnh A", "Liên kết website"),  # not .gov.vn
    ])
    finder.add_sitemap(["https://tinh-a.gov.vn/x", "https://xa-b.tinh-a.gov.vn/trang-chu", "https://bo-y.gov.vn/"])
    assert [(c.name, c.url, c.found_in) for c in finder.candidates()] == [
        ("Sở Xây dựng", "https://sxd.tinh-a.gov.vn/", ["trang chủ: Tin tức", "trang chủ"]),
        ("Ban Quản lý", "https://bql.gov.vn/", ["trang chủ: LIÊN KẾT WEBSITE"]),
        ("Sở A", "https://sa.tinh-a.gov.vn/", ["trang chủ: Sở ban ngành"]),
        ("", "https://xa-b.tinh-a.gov.vn/", ["sitemap.xml"]),
    ]
    assert plain("Xã, Phường") == plain("xa phuong") == "xa phuong"


def test_sitemap_parsing() -> None:
    index = parse_sitemap('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          "<sitemap><loc> https://a.gov.vn/s1.xml </loc></sitemap></sitemapindex>")
    assert index.sitemaps == ["https://a.gov.vn/s1.xml"] and index.urls == []
    urls = parse_sitemap("<urlset><url><loc>https://a.gov.vn/</loc></url><url><lastmod>x</lastmod></url></urlset>")
    assert urls.urls == ["https://a.gov.vn/"]
