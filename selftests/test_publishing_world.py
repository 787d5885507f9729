"""Publishing an evaluation round, end to end on the simulated world: the real audit (-n 2) with a
period, a history file and an auditors' reviews file; the Allure 3 report the repository's
allurerc.mjs makes of it (name, categories, environment, tree, history between two rounds); and the
agency reports of `python -m portal_audit.report`, opened from file:// in Chromium with every
network request refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from . import required
from .audit_runner import REPO, AuditRun, run_audit, write_inventory
from .offline_page import offline_page
from .world.catalog import EXPECTED, EXTRA_RESOLVE, build_inventory
from .world.server import World

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("publishing")]

# Bộ Mẫu (portal with no EMC code, Cục A without a link back), Long Lợi (portal down, good
# component), Hòa Thịnh (plain-HTTP portal, all good).
PORTALS = ("bo-mau", "tinh-loi", "tinh-http")
BO_MAU, CUC_A, HTTP = "https://bo-mau.gov.vn/", "https://cuc-a.bo-mau.gov.vn/", "http://tinh-http.gov.vn/"
REVIEWS = """\
reviews:
  - site: https://www.cuc-a.bo-mau.gov.vn
    criterion: "3.2c"
    status: passed
    reason: "Liên kết về cổng nằm trong menu 'Liên kết', đã kiểm tra thủ công"
    reviewer: "Nguyễn Văn A"
    date: 2026-11-20
    automatic_status: failed
  - site: https://bo-mau.gov.vn/
    criterion: "3.2b"
    status: failed
    reason: "Danh sách đơn vị trực thuộc trỏ tới trang cũ"
    reviewer: "Trần Thị B"
    date: 2026-11-21
  - site: http://tinh-http.gov.vn/
    criterion: "3.1"
    status: passed
    reason: "Mã EMC gắn lại sau khi nâng cấp"
    reviewer: "Lê Văn C"
    date: 2026-11-21
    automatic_status: failed
  - site: https://khong-co.gov.vn/
    criterion: "3.1"
    status: passed
    reason: "x"
    reviewer: "Lê Văn C"
    date: 2026-11-22
"""
# (site, criterion) -> (status after the review, review applied)
REVIEWED = {(CUC_A, "3.2c"): ("passed", True), (BO_MAU, "3.2b"): ("failed", True), (HTTP, "3.1"): ("passed", False)}
FIXTURE_NAMES = ("pytestconfig", "delete_output_dir", "_pw_api_request_contexts", "browser_type_launch_args",
                 "browser_name", "test_criteria.py", "audit_case", "site_visits")
SCREENSHOTS = os.environ.get("PORTAL_AUDIT_SCREENSHOTS")  # keep the agency report's screenshot there


def needs_allure() -> None:
    required.command("allure", why="bin/setup installs it")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("publishing")


@pytest.fixture(scope="module")
def round_one(world: World, workdir: Path) -> AuditRun:
    portals = [p for p in build_inventory()["portals"] if p["id"] in PORTALS]
    inventory = write_inventory(workdir / "inventory.yaml", {"portals": portals})
    reviews = workdir / "ra-soat.yaml"
    reviews.write_text(REVIEWS, encoding="utf-8")
    run = run_audit(workdir / "round-1", inventory, *world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors",
                    "-n", "2", "--period", "2026-Q4", "--reviews", str(reviews),
                    "--history", str(workdir / "lich-su.jsonl"))
    print(f"\npublishing round 1: {run.seconds:.1f}s")
    return run


def generate(run: AuditRun, out: Path) -> Path:
    """`allure generate` with the repository's allurerc.mjs, run from the folder that holds the
    history file (allurerc.mjs only writes a history inside the folder allure runs from or beside the
    results folder)."""
    done = subprocess.run(["allure", "generate", "--config", str(REPO / "allurerc.mjs"), str(run.allure_dir),
                           "-o", str(out)], cwd=run.allure_dir.parent.parent,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def publish(run: AuditRun, out: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "portal_audit.report", "--allure-results", str(run.allure_dir),
                           "--results", str(run.results_path), "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def allure_report(round_one: AuditRun, workdir: Path) -> Path:
    needs_allure()
    return generate(round_one, workdir / "allure-report-1")


@pytest.fixture(scope="module")
def agency_reports(round_one: AuditRun, workdir: Path) -> Path:
    return publish(round_one, workdir / "gui-co-quan")


def test_reviews_change_exactly_the_reviewed_records(round_one: AuditRun) -> None:
    records = round_one.results["records"]
    assert {(r["site"], r["criterion"]) for r in records} == {k for k in EXPECTED if k[0] in {
        s for p in build_inventory()["portals"] if p["id"] in PORTALS for s in [p["url"], *(c["url"] for c in
                                                                                           p["components"])]}}
    for r in records:
        key = (r["site"], r["criterion"])
        if key not in REVIEWED:
            assert r["status"] == EXPECTED[key] and "review" not in r and "automatic_status" not in r, key
            continue
        status, applied = REVIEWED[key]
        assert (r["status"], r["review_applied"], r["automatic_status"]) == (status, applied, EXPECTED[key]), key
        assert r["review"]["reviewer"] and r["review_note"]
    cuc_a = round_one.record(CUC_A, "3.2c")
    assert cuc_a["message"].startswith("Đã rà soát thủ công (Nguyễn Văn A, 2026-11-20): Liên kết về cổng nằm trong")
    assert cuc_a["automatic_message"].startswith("Trang chủ không có liên kết hiển thị về cổng")
    assert cuc_a["review"]["date"] == "2026-11-20" and cuc_a["review"]["automatic_status"] == "failed"
    changed = round_one.record(HTTP, "3.1")
    assert changed["review_note"].startswith("Kết quả tự động đã thay đổi sau lần rà soát thủ công ngày 2026-11-21")
    block = round_one.results["reviews"]
    assert block["applied"] == 2 and [c["site"] for c in block["changed"]] == [HTTP]
    assert len(block["warnings"]) == 1 and "ra-soat.yaml:22: mục rà soát không khớp" in block["warnings"][0]
    assert "ra-soat.yaml:22: mục rà soát không khớp trường hợp nào: https://khong-co.gov.vn/" in round_one.output
    # The summary counts the reviewed statuses: Bộ Mẫu's 3.2b failed, Cục A's 3.2c passed.
    bo_mau = next(c for c in round_one.results["compliance"] if c["portal"] == "bo-mau")
    assert bo_mau["criteria"]["3.2b"]["failed"] == 1 and bo_mau["criteria"]["3.2c"]["passed"] == 1


def test_evaluation_round_in_the_results(round_one: AuditRun) -> None:
    evaluation = round_one.results["evaluation"]
    assert evaluation["period"] == "2026-Q4"
    assert evaluation["reviews"].endswith("ra-soat.yaml") and evaluation["history"].endswith("lich-su.jsonl")
    assert evaluation["chromium"] and evaluation["chromium"][0].isdigit()  # from an xdist worker
    assert evaluation["tool_version"].startswith("0.")
    properties = (round_one.allure_dir / "environment.properties").read_text(encoding="utf-8")
    assert "K\\u1ef3\\ \\u0111\\u00e1nh\\ gi\\u00e1=2026-Q4" in properties
    info = json.loads((round_one.allure_dir / "portal-audit.json").read_text(encoding="utf-8"))
    assert info["report_name"] == "Đánh giá cổng/trang thông tin điện tử — kỳ 2026-Q4"


def test_allure_results_of_the_reviewed_cases(round_one: AuditRun) -> None:
    results = {(r["fullName"].rsplit("#", 1)[0], r["fullName"].rsplit("#", 1)[1]): r
               for r in round_one.allure_results()}
    for key, result in results.items():
        expected = REVIEWED.get(key, (EXPECTED[key], False))[0]
        assert result["status"] == expected, key
        assert result.get("parameters", []) == []
        text = json.dumps(result, ensure_ascii=False)
        assert not [name for name in FIXTURE_NAMES if name in text], key
    cuc_a = results[CUC_A, "3.2c"]
    tags = {label["value"] for label in cuc_a["labels"] if label["name"] == "tag"}
    assert "đã rà soát thủ công" in tags
    steps = [step["name"] for step in cuc_a["steps"]]
    assert steps == [f"Truy cập trang chủ {CUC_A}", "Đánh giá tiêu chí 3.2c: Trang thành phần có liên kết về cổng",
                     "Rà soát thủ công"]
    assert [s["status"] for s in cuc_a["steps"]] == ["passed", "failed", "passed"]
    assert "Đạt thay cho kết quả tự động Không đạt" in cuc_a["statusDetails"]["message"]
    kinds = {label["value"] for label in results[BO_MAU, "3.1"]["labels"] if label["name"] == "failure_kind"}
    assert kinds == {"emc_missing"}
    reviewed_fail = {label["value"] for label in results[BO_MAU, "3.2b"]["labels"] if label["name"] == "failure_kind"}
    assert reviewed_fail == {"manual_review"}
    broken = {label["value"] for label in results["https://tinh-loi.gov.vn/", "3.1"]["labels"]
              if label["name"] == "failure_kind"}
    assert broken == {"http_5xx"}
    changed_tags = {label["value"] for label in results[HTTP, "3.1"]["labels"] if label["name"] == "tag"}
    assert "cần rà soát lại" in changed_tags
    # The homepage as the audit saw it, on the visit of a case that failed.
    visit = results[BO_MAU, "3.1"]["steps"][0]
    assert [a["name"] for a in visit["attachments"] if a["type"] == "image/jpeg"] == ["Ảnh toàn trang"]


def test_workbook_shows_the_reviews(round_one: AuditRun) -> None:
    book = openpyxl.load_workbook(round_one.results_path.parent / "ket-qua-danh-gia.xlsx")
    detail = book["Kết quả chi tiết"]
    headers = [c.value for c in detail[1]]
    rows = [dict(zip(headers, (c.value for c in row))) for row in detail.iter_rows(min_row=2)]
    reviewed = {(r["Địa chỉ"], r["Tiêu chí"]): r for r in rows if r["Rà soát thủ công"]}
    assert set(reviewed) == set(REVIEWED)
    assert reviewed[CUC_A, "3.2c"]["Kết quả"] == "Đạt" and reviewed[CUC_A, "3.2c"]["Kết quả tự động"] == "Không đạt"
    assert reviewed[BO_MAU, "3.2b"]["Nhóm lỗi"] == "Không đạt theo rà soát thủ công"
    assert next(r for r in rows if (r["Địa chỉ"], r["Tiêu chí"]) == (BO_MAU, "3.1"))["Nhóm lỗi"] == \
        "Chưa gắn mã giám sát EMC"


def _widget(report: Path, name: str) -> Any:
    return json.loads((report / "widgets" / name).read_text(encoding="utf-8"))


def tree_paths(tree: dict[str, Any]) -> list[tuple[str, ...]]:
    """Every case of Allure's tree widget as its path of group names and its own name."""
    groups, leaves = tree["groupsById"], tree["leavesById"]
    paths: list[tuple[str, ...]] = []

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        paths.extend((*path, leaves[leaf]["name"]) for leaf in node.get("leaves", []))
        for group in node.get("groups", []):
            walk(groups[group], (*path, groups[group]["name"]))

    walk(tree["root"], ())
    return paths


def test_allure_report_is_the_evaluation(allure_report: Path, round_one: AuditRun) -> None:
    index = (allure_report / "index.html").read_text(encoding="utf-8")
    assert "Đánh giá cổng/trang thông tin điện tử — kỳ 2026-Q4" in index
    names = {node["name"] for node in _widget(allure_report, "categories.json")["nodes"].values()
             if node["type"] == "category"}
    assert names == {"Chưa gắn mã giám sát EMC", "Thiếu nhãn 'Đã kết nối EMC'", "Không đạt theo rà soát thủ công",
                     "Không truy cập được: lỗi máy chủ (HTTP 5xx)"}
    # The two summary entries are informational (passed, tag "thông tin"): nothing counts as "Unknown".
    assert "unknown" not in _widget(allure_report, "statistic.json")
    assert '"reportLanguage":"en"' in index  # allurerc.mjs: Allure 3.18 has no Vietnamese interface
    environment = {item["name"]: item["values"] for item in _widget(allure_report, "allure_environment.json")}
    assert environment["Kỳ đánh giá"] == ["2026-Q4"]
    assert environment["Phiên bản Chromium"] == [round_one.results["evaluation"]["chromium"]]
    paths = tree_paths(_widget(allure_report, "tree.json"))
    assert ("Bộ, ngành", "Cổng TTĐT Bộ Mẫu", "Cục A (https://cuc-a.bo-mau.gov.vn/)",
            "3.2c Trang thành phần có liên kết về cổng — Cục A") in paths
    assert {path[0] for path in paths} == {"Tổng hợp đánh giá", "Bộ, ngành", "Tỉnh, thành phố"}
    assert all(len(path) == 4 for path in paths if path[0] != "Tổng hợp đánh giá")
    assert not [name for name in FIXTURE_NAMES if name in json.dumps(paths, ensure_ascii=False)]
    # The round is in the history file once, however often its report is generated.
    history = Path(round_one.results["evaluation"]["history"])
    assert len(history.read_text(encoding="utf-8").splitlines()) == 1
    generate(round_one, allure_report.parent / "allure-report-1-again")
    assert len(history.read_text(encoding="utf-8").splitlines()) == 1


def test_agency_report_in_a_browser(agency_reports: Path) -> None:
    """What an agency's staff sees opening its file: its own sites, reasons, categories, the
    homepage screenshot; nothing of another portal, no test machinery, no network."""
    page_file = agency_reports / "bo-mau.html"
    with offline_page(page_file, 1280) as (page, requests):
        text = page.inner_text("body")
        screenshot_loaded = page.evaluate(
            "() => [...document.querySelectorAll('.shot img')].map(i => i.complete && i.naturalWidth > 0)")
        site_titles = page.eval_on_selector_all(".site h3", "nodes => nodes.map(n => n.textContent)")
        shot = agency_reports / "bo-mau.png"
        page.screenshot(path=str(shot), full_page=True)
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(SCREENSHOTS) / "bo-mau.png")
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert site_titles == ["Cổng TTĐT Bộ Mẫu", "Cục A"]
    assert screenshot_loaded == [True]  # Bộ Mẫu's homepage; Cục A's one failure was reviewed as passed
    for expected in ("Kỳ đánh giá\n2026-Q4", "Không tìm thấy mã giám sát EMC trên trang chủ",
                     "Chưa gắn mã giám sát EMC (1)", "Thiếu nhãn 'Đã kết nối EMC' (1)",
                     "Không đạt theo rà soát thủ công (1)", "Đạt (đã rà soát thủ công)",
                     "Liên kết về cổng nằm trong menu 'Liên kết', đã kiểm tra thủ công"):
        assert expected in text, expected
    for foreign in ("Long Lợi", "Hòa Thịnh", "tinh-loi", "tinh-http", *FIXTURE_NAMES):
        assert foreign not in text, foreign
    index = (agency_reports / "index.html").read_text(encoding="utf-8")
    assert '<a href="bo-mau.html">Cổng TTĐT Bộ Mẫu</a>' in index and '<a href="tinh-loi.html">' in index
    # No earlier round yet: no trend, in the agency's report or the overview; the scores are there.
    assert "<svg" not in page_file.read_text(encoding="utf-8") and 'data-chart="trend' not in index
    assert index.count('data-chart="scores"') == 2 and index.count('data-chart="failures"') == 1


def test_next_round_shows_each_sites_trend(world: World, workdir: Path, round_one: AuditRun,
                                           allure_report: Path) -> None:
    """A second round (one portal) with the same history file: the Allure report and the agency
    report show the first round's result beside this one."""
    round_two = run_audit(workdir / "round-2", workdir / "inventory.yaml", *world.resolve_args(EXTRA_RESOLVE),
                          "--ignore-https-errors", "--portal", "tinh-http", "--period", "2027-Q1",
                          "--history", str(workdir / "lich-su.jsonl"))
    report = generate(round_two, workdir / "allure-report-2")
    history = (workdir / "lich-su.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(history) == 2
    results = [json.loads(p.read_text(encoding="utf-8")) for p in (report / "data" / "test-results").glob("*.json")]
    case = next(r for r in results if r["fullName"] == f"{HTTP}#3.1")
    assert [h["status"] for h in case["history"]] == ["passed"]  # round one's, reviewed or not
    pages = publish(round_two, workdir / "gui-co-quan-2")
    page = (pages / "tinh-http.html").read_text(encoding="utf-8")
    assert "Kỳ trước" in page and "kỳ 2026-Q4" in page
    # Its own score across the two rounds (round one's from the history, this one's from results.json).
    assert page.count('data-chart="trend-agency"') == 1
    assert "Mức độ tuân thủ của Cổng TTĐT tỉnh Hòa Thịnh qua các kỳ đánh giá" in page
    assert ">kỳ 2026-Q4</text>" in page and ">kỳ 2027-Q1</text>" in page
