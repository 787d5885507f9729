"""Criteria CONTENT and RATING end to end, against their own simulated world
(selftests/world/content_sites.py): every site's verdict and the reason an auditor reads, each
required item with the link and page that satisfied it or why not (items behind a hover menu, named
differently, a 404, an empty category, a link back to the homepage, no search form, no leader's
name, contact details only in an image), the rating found in the footer, a modal form or a widget;
the per-agency report's one line per missing item; a review settling one item; and a run of 3.1
alone that loads no item page."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from portal_audit.report.command import main as report_main

from .audit_runner import REPO, WORLD_CONFIG, AuditRun, run_audit, write_inventory
from .together import run_together
from .world.content_sites import (BO_DAT, CRITERIA, CUC_A, EXPECTED, ITEM_PATHS, SO_B, TINH_DAT, TINH_THIEU,
                                  build_inventory, build_sites)
from .world.server import World
from .world_configs import SHORT_SETTLE, world_config_with

# The tests of this module share their audit runs: one xdist worker runs them all, once.
pytestmark = [pytest.mark.world, pytest.mark.xdist_group("content")]

MESSAGES: dict[tuple[str, str], str] = {
    (SO_B, "CONTENT"): "Thiếu thông tin bắt buộc phải cung cấp: Thông tin lãnh đạo: trang "
                       "https://so-b.tinh-dat.gov.vn/lanh-dao (liên kết 'Ban Giám đốc') không có chức vụ và họ tên "
                       "lãnh đạo",
    (TINH_THIEU, "CONTENT"): "Thiếu thông tin bắt buộc phải cung cấp: Lịch sử hình thành: không có liên kết trên "
                             "trang chủ; Thông tin lãnh đạo: trang https://tinh-thieu.gov.vn/lanh-dao (liên kết "
                             "'Lãnh đạo tỉnh') không tải được: máy chủ trả về mã lỗi HTTP 404; ",
    (CUC_A, "RATING"): "Trang chủ không có chức năng đánh giá mức độ hài lòng trực tuyến",
    (TINH_DAT, "RATING"): "Có chức năng đánh giá mức độ hài lòng: liên kết 'Đánh giá mức độ hài lòng' (chân trang) "
                          "→ https://tinh-dat.gov.vn/danh-gia",
    (TINH_THIEU, "RATING"): "Có chức năng đánh giá mức độ hài lòng: biểu mẫu 'Khảo sát mức độ hài lòng",
    (BO_DAT, "RATING"): "Có chức năng đánh giá mức độ hài lòng: khung nhúng (nội dung trang) → /widget/khao-sat-hai-long",
    (TINH_DAT, "CONTENT"): "Đủ 10 mục thông tin bắt buộc: Cơ cấu tổ chức, chức năng, nhiệm vụ: 'Sơ đồ tổ chức' → "
                           "https://tinh-dat.gov.vn/gioi-thieu/so-do (hiển thị khi di chuột vào 'Giới thiệu')",
    (BO_DAT, "CONTENT"): "Đủ 7 mục thông tin bắt buộc",
}
REASONS: dict[tuple[str, str], list[str]] = {
    (SO_B, "CONTENT"): ["item_page_empty"],
    (TINH_THIEU, "CONTENT"): ["item_missing", "item_page_broken", "no_search_form", "item_page_empty",
                              "contact_incomplete"],
    (CUC_A, "RATING"): ["rating_missing"],
}
# tinh-thieu: every item, with its reason ("" when it passes) and what the verdict says of it.
THIEU_ITEMS: dict[str, tuple[str, str]] = {
    "to_chuc": ("", "'Bộ máy tổ chức' → https://tinh-thieu.gov.vn/bo-may"),
    "lich_su": ("item_missing", "không có liên kết trên trang chủ"),
    "lanh_dao": ("item_page_broken", "không tải được: máy chủ trả về mã lỗi HTTP 404"),
    "van_ban": ("no_search_form", "không có công cụ tìm kiếm, lọc văn bản"),
    "tthc": ("item_page_empty", "không có nội dung (trang ghi 'đang cập nhật', không có mục nào)"),
    "ke_hoach": ("item_page_empty", "trang https://tinh-thieu.gov.vn/ (liên kết 'Kế hoạch') dẫn lại trang chủ"),
    "lien_he": ("contact_incomplete", "trang chủ không ghi địa chỉ, số điện thoại, thư điện tử dưới dạng chữ "
                                      "(ảnh không được tính)"),
    "ban_do": ("", "'Bản đồ hành chính' → https://tinh-thieu.gov.vn/ban-do"),
    "tu_nhien": ("item_page_empty", "không có nội dung (phần nội dung chính chỉ có"),
    "van_hoa": ("", "'Văn hóa' → https://tinh-thieu.gov.vn/van-hoa"),
}


@pytest.fixture(scope="module")
def content_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with World(build_sites(), tmp_path_factory.mktemp("content-world")) as world:
        yield world


@dataclass
class ContentRuns:
    content: AuditRun  # CONTENT and RATING, with .world_requests
    alone: AuditRun  # 3.1 alone, with .world_requests
    reviewed: AuditRun  # CONTENT of tinh-dat with REVIEWS


def _run_on(world: World, folder: Path, *args: str, config: Path = WORLD_CONFIG) -> AuditRun:
    """An audit of the content world, with the requests it made as .world_requests."""
    inventory = write_inventory(folder / "inventory.yaml", build_inventory())
    world.clear_requests()
    run = run_audit(folder / "audit", inventory, *args, *world.resolve_args(), "--ignore-https-errors",
                    config=config)
    run.world_requests = world.requests()  # type: ignore[attr-defined]
    print(f"\ncontent world, {' '.join(args)}: {run.seconds:.1f}s")
    return run


def _own_world_run(folder: Path, *args: str, config: Path = WORLD_CONFIG) -> AuditRun:
    """The same on a content world of its own: the runs of this module go side by side, and no
    run's requests may be read from a world another run was visiting."""
    with World(build_sites(), folder / "world") as world:
        return _run_on(world, folder, *args, config=config)


@pytest.fixture(scope="module")
def content_runs(content_world: World, tmp_path_factory: pytest.TempPathFactory) -> ContentRuns:
    """The module's three audits, two at a time (selftests/together.py): the CONTENT and RATING run
    beside the run of 3.1 alone, then the review run. The CONTENT and RATING run has the module's
    world to itself (test_rejudged... checks that world is not visited again)."""
    content, alone, reviewed = (tmp_path_factory.mktemp(name) for name in ("content-run", "alone", "reviewed"))
    reviews = reviewed / "reviews.yaml"
    reviews.write_text(REVIEWS, encoding="utf-8")
    return ContentRuns(*run_together(
        # Two workers: the records cross the process boundary as plain data.
        lambda: _run_on(content_world, content, "-n", "2", "--criteria", ",".join(CRITERIA)),
        # Which pages 3.1 alone loads, not its verdicts (every site fails it): no long watch on each.
        lambda: _own_world_run(alone, "-n", "0", "--criteria", "3.1",
                               config=world_config_with(alone / "config", settle_budget=SHORT_SETTLE)),
        lambda: _own_world_run(reviewed, "-n", "0", "--criteria", "CONTENT", "--portal", "tinh-dat",
                               "--reviews", str(reviews))))


@pytest.fixture(scope="module")
def content_run(content_runs: ContentRuns) -> AuditRun:
    return content_runs.content


def test_every_expected_record_and_nothing_else(content_run: AuditRun) -> None:
    seen = [(r["site"], r["criterion"]) for r in content_run.results["records"]]
    assert sorted(seen) == sorted(EXPECTED), content_run.output[-3000:]


@pytest.mark.parametrize("site,criterion", sorted(EXPECTED), ids=lambda v: v)
def test_status(content_run: AuditRun, site: str, criterion: str) -> None:
    record = content_run.record(site, criterion)
    assert record["status"] == EXPECTED[site, criterion], record["message"]
    if (site, criterion) in MESSAGES:
        assert MESSAGES[site, criterion] in record["message"], record["message"]
    assert record["evidence"]["reasons"] == REASONS.get((site, criterion), [])


def test_every_failure_has_its_message_and_reason_asserted() -> None:
    failing = {key for key, status in EXPECTED.items() if status == "failed"}
    assert failing <= set(MESSAGES) and failing <= set(REASONS)


def test_each_item_with_its_reason(content_run: AuditRun) -> None:
    evidence = content_run.record(TINH_THIEU, "CONTENT")["evidence"]
    items = {i["code"]: i for i in evidence["items"]}
    assert list(items) == list(THIEU_ITEMS)
    for code, (reason, detail) in THIEU_ITEMS.items():
        assert (items[code]["passed"], items[code]["reason"]) == (not reason, reason), code
        assert detail in items[code]["detail"], (code, items[code]["detail"])
    assert evidence["missing"] == [c for c, (reason, _) in THIEU_ITEMS.items() if reason]
    # A ministry's portal and a component are not asked for the provinces' items.
    codes = [i["code"] for i in content_run.record(BO_DAT, "CONTENT")["evidence"]["items"]]
    assert codes == ["to_chuc", "lich_su", "lanh_dao", "van_ban", "tthc", "ke_hoach", "lien_he"]
    assert [i["code"] for i in content_run.record(CUC_A, "CONTENT")["evidence"]["items"]] == codes


def test_items_behind_the_hover_menu_and_the_service_portal(content_run: AuditRun) -> None:
    items = {i["code"]: i for i in content_run.record(TINH_DAT, "CONTENT")["evidence"]["items"]}
    for code in ("to_chuc", "lich_su", "lanh_dao", "tu_nhien", "ban_do", "van_hoa"):
        assert items[code]["reached_by"] == "hiển thị khi di chuột vào 'Giới thiệu'", items[code]
    assert items["van_ban"]["reached_by"] == "" and items["van_ban"]["link_text"] == "Hệ thống văn bản"
    assert items["tthc"]["url"].startswith("https://dichvucong.gov.vn/")
    # The National Public Service Portal counts without being loaded (nor is it reachable here).
    assert not [r for r in content_run.world_requests if "dichvucong" in r.host]  # type: ignore[attr-defined]


def test_failing_item_pages_are_shot_passing_ones_not(content_run: AuditRun) -> None:
    result = next(r for r in content_run.allure_results()
                  if r["name"].startswith("CONTENT Thông tin bắt buộc phải cung cấp — Cổng TTĐT tỉnh Thiếu"))
    names = {a["name"] for step in result["steps"] for a in step.get("attachments", [])}
    assert {"Trang 'Thông tin lãnh đạo'", "Trang 'Điều kiện tự nhiên'"} <= names, names
    passing = next(r for r in content_run.allure_results()
                   if r["name"].startswith("CONTENT Thông tin bắt buộc phải cung cấp — Cổng TTĐT tỉnh Đạt"))
    assert not [a for step in passing["steps"] for a in step.get("attachments", []) if a["name"].startswith("Trang '")]


def test_agency_report_lists_each_missing_item(content_run: AuditRun, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao"
    assert report_main(["--allure-results", str(content_run.allure_dir), "--results", str(content_run.results_path),
                        "--out", str(out), "--portal", "tinh-thieu"]) == 0
    page = (out / "tinh-thieu.html").read_text(encoding="utf-8")
    section = page.split("<h2>Nội dung cần khắc phục</h2>", 1)[1].split("<h2>", 1)[0]
    lines = [line for line in section.split("<li>") if "tiêu chí CONTENT" in line]
    assert len(lines) == 7, section
    assert any("mục Lịch sử hình thành: không có liên kết trên trang chủ" in line for line in lines)
    assert any("mục Thông tin liên hệ (địa chỉ, điện thoại, thư điện tử): trang chủ không ghi địa chỉ" in line
               for line in lines)


def test_a_run_of_3_1_alone_loads_no_item_page(content_runs: ContentRuns) -> None:
    run = content_runs.alone
    assert {r["criterion"] for r in run.results["records"]} == {"3.1"}
    paths = {r.path for r in run.world_requests}  # type: ignore[attr-defined]
    assert "/" in paths and not paths & set(ITEM_PATHS), paths


def test_item_pages_are_loaded_in_a_content_run(content_run: AuditRun) -> None:
    """The counterpart of the run of 3.1 alone: the same world's item pages are requested."""
    paths = {r.path for r in content_run.world_requests}  # type: ignore[attr-defined]
    assert {"/lanh-dao", "/van-ban", "/chuyen-muc/tu-nhien"} <= paths


REVIEWS = """\
reviews:
  - site: https://so-b.tinh-dat.gov.vn/
    criterion: CONTENT
    item: lanh_dao
    status: passed
    reason: "Trang lãnh đạo ghi họ tên trong ảnh, đã kiểm tra thủ công"
    reviewer: "Nguyễn Văn A"
    date: 2026-11-20
  - site: https://tinh-dat.gov.vn/
    criterion: CONTENT
    item: ban_do
    status: failed
    reason: "Bản đồ chưa cập nhật địa giới sau sắp xếp"
    reviewer: "Nguyễn Văn A"
    date: 2026-11-20
"""


def test_a_review_settles_one_item(content_runs: ContentRuns) -> None:
    run = content_runs.reviewed
    settled = run.record(SO_B, "CONTENT")
    assert (settled["status"], settled["automatic_status"]) == ("passed", "failed"), settled["message"]
    assert settled["message"] == "Đã rà soát thủ công mục lanh_dao: đủ các mục thông tin bắt buộc"
    assert settled["items_missing"] == [] and settled["item_reviews"][0]["item"] == "lanh_dao"
    failed = run.record(TINH_DAT, "CONTENT")
    assert (failed["status"], failed["items_missing"]) == ("failed", ["ban_do"])
    assert failed["message"] == "Đã rà soát thủ công mục ban_do: còn thiếu ban_do"


def test_an_unknown_item_in_a_review_stops_the_run(content_world: World, tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inventory.yaml", build_inventory())
    reviews = tmp_path / "reviews.yaml"
    reviews.write_text(REVIEWS.replace("item: lanh_dao", "item: lanh_dao_so"), encoding="utf-8")
    run = run_audit(tmp_path / "audit", inventory, "--criteria", "CONTENT", "--reviews", str(reviews))
    assert run.returncode == 4
    assert f"{reviews}:4: reviews[1].item: không có mục 'lanh_dao_so' (có: to_chuc, lich_su" in run.output


def test_rejudged_from_the_saved_evidence_with_a_renamed_rating(content_run: AuditRun, content_world: World,
                                                                tmp_path: Path) -> None:
    """The item pages and the homepage's text are saved evidence: judged again without a visit, the
    same records; with the footer's rating text no longer in settings, tinh-dat fails RATING."""
    content_world.clear_requests()
    run_dir = content_run.results_path.parent
    done = subprocess.run([sys.executable, "-m", "portal_audit.rejudge", str(run_dir), "--results",
                           str(tmp_path / "again.json")], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))["records"]
    assert [(r["site"], r["criterion"], r["status"], r["message"]) for r in again] == [
        (r["site"], r["criterion"], r["status"], r["message"]) for r in content_run.results["records"]]
    config = tmp_path / "rating.yaml"
    config.write_text("rating:\n  texts: [\"khảo sát mức độ hài lòng\"]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "portal_audit.rejudge", str(run_dir), "--results",
                           str(tmp_path / "renamed.json"), "--audit-config", str(config)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    renamed = {(r["site"], r["criterion"]): r["status"]
               for r in json.loads((tmp_path / "renamed.json").read_text(encoding="utf-8"))["records"]}
    assert (renamed[TINH_DAT, "RATING"], renamed[TINH_THIEU, "RATING"]) == ("failed", "passed")
    assert content_world.requests() == []  # nothing visited
