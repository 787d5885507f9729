"""`python -m portal_audit.report` without a browser: results.json and Allure results written here by
the audit's own writers, an Allure history of an earlier round; every portal's file holds its
sites only, with reasons, categories, reviews, evidence and the previous round; the overview ranks
and links them; a bad input stops the command with one line naming it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from portal_audit.records.results import results_document, write_results
from portal_audit.report.command import file_name, main
from portal_audit.report.inputs import load_history
from portal_audit.render.allure_results import AllureOutput, Step, case_item
from portal_audit.render.evaluation import Evaluation
from portal_audit.verdicts import PAGE_SCREENSHOT, Attachment

A, A1, B = "https://bo-a.gov.vn/", "https://cuc1.bo-a.gov.vn/", "https://tinh-b.gov.vn/"
JPEG = b"\xff\xd8\xff\xe0fake-jpeg-of-the-homepage"
PNG = b"\x89PNG\r\n\x1a\nfake-badge"
STARTED = "2026-11-29T01:00:00+00:00"
START_MS = 1795914000000  # STARTED in ms
EARLIER_MS = START_MS - 90 * 24 * 3600 * 1000


def record(portal: str, group: str, site: str, name: str, role: str, criterion: str, status: str, message: str,
           **extra: Any) -> dict[str, Any]:
    evidence = extra.pop("evidence", {})
    return {"portal": portal, "group": group, "site": site, "site_name": name, "role": role, "criterion": criterion,
            "status": status, "message": message, "evidence": evidence, "measured_at": "2026-11-29T01:05:00+00:00",
            **extra}


RECORDS = [
    record("bo-a", "ministry", A, "Bộ A", "portal", "3.1", "failed",
           "Không tìm thấy mã giám sát EMC trên trang chủ", evidence={"reasons": ["emc_missing"]}),
    record("bo-a", "ministry", A, "Bộ A", "portal", "3.2a", "passed", "Nhãn 'Đã kết nối EMC' hiển thị"),
    record("bo-a", "ministry", A, "Bộ A", "portal", "3.2b", "passed", "Đủ liên kết"),
    record("bo-a", "ministry", A1, "Cục A1", "component", "3.1", "passed", "Mã giám sát EMC hoạt động"),
    record("bo-a", "ministry", A1, "Cục A1", "component", "3.2a", "broken", "Không đánh giá được: HTTP 503",
           evidence={"error_kind": "http_5xx"}),
    record("bo-a", "ministry", A1, "Cục A1", "component", "3.2c", "passed",
           "Đã rà soát thủ công (Nguyễn Văn A, 2026-11-20): liên kết trong menu",
           automatic_status="failed", automatic_message="Trang chủ không có liên kết hiển thị về cổng",
           review={"site": A1, "criterion": "3.2c", "status": "passed", "reason": "liên kết trong menu",
                   "reviewer": "Nguyễn Văn A", "date": "2026-11-20"},
           review_applied=True, review_note="Đã rà soát thủ công ngày 2026-11-20 (Nguyễn Văn A): Đạt thay cho "
                                            "kết quả tự động Không đạt. Lý do: liên kết trong menu"),
    record("tinh-b", "province", B, "Tỉnh B", "portal", "3.1", "passed", "Mã giám sát EMC hoạt động"),
    record("tinh-b", "province", B, "Tỉnh B", "portal", "3.2a", "failed", "Nhãn bị ẩn (display:none)",
           evidence={"reasons": ["badge_hidden"]}),
]
SUMMARY = {
    "emc_data": None,
    "ranking": [{"group": "ministry", "portal": "bo-a", "name": "Bộ A", "visits": 1200, "rank": 1},
                {"group": "province", "portal": "tinh-b", "name": "Tỉnh B", "visits": None, "rank": None}],
    "compliance": [
        {"group": "ministry", "portal": "bo-a", "name": "Bộ A", "sites": 2, "score": 62.5, "rank": 1, "criteria": {
            "3.1": {"passed": 1, "failed": 1, "broken": 0, "skipped": 0, "total": 2},
            "3.2a": {"passed": 1, "failed": 0, "broken": 1, "skipped": 0, "total": 2},
            "3.2b": {"passed": 1, "failed": 0, "broken": 0, "skipped": 0, "total": 1},
            "3.2c": {"passed": 1, "failed": 0, "broken": 0, "skipped": 0, "total": 1}}},
        {"group": "province", "portal": "tinh-b", "name": "Tỉnh B", "sites": 1, "score": 50.0, "rank": 1, "criteria": {
            "3.1": {"passed": 1, "failed": 0, "broken": 0, "skipped": 0, "total": 1},
            "3.2a": {"passed": 0, "failed": 1, "broken": 0, "skipped": 0, "total": 1},
            "3.2b": {"passed": 0, "failed": 0, "broken": 0, "skipped": 0, "total": 0},
            "3.2c": {"passed": 0, "failed": 0, "broken": 0, "skipped": 0, "total": 0}}}],
    "compliance_ranking": [],
}


@pytest.fixture
def run(tmp_path: Path) -> dict[str, Path]:
    """A finished run as the audit leaves it: results.json, Allure results, the history of one earlier round."""
    history = tmp_path / "lich-su.jsonl"
    evaluation = Evaluation("2026-Q4", STARTED, "inventory.yaml", None, "ra-soat.yaml", str(history), "0.2.0",
                            "131.0.0", "may-danh-gia (Linux)")
    results = tmp_path / "results.json"
    document = results_document(RECORDS, Path("inventory.yaml"), True,
                                {"evaluation": evaluation.to_json(), **SUMMARY})
    write_results(results, document)
    allure = tmp_path / "allure-results"
    output = AllureOutput(allure)
    for r in RECORDS:
        evidence = [Attachment(PAGE_SCREENSHOT, JPEG, "image/jpeg", "jpg")] if r["status"] != "passed" else []
        judged = [Attachment("Danh sách liên kết trên trang chủ", "loại,địa chỉ\na,https://bo-a.gov.vn/\n",
                             "text/csv", "csv")] if r["criterion"] in ("3.2b", "3.2c") else []
        if r["criterion"] == "3.2a" and r["status"] == "passed":
            judged.append(Attachment("Ảnh nhãn EMC", PNG, "image/png", "png"))
        steps = [Step("Truy cập trang chủ", "passed", evidence=evidence),
                 Step("Đánh giá tiêu chí", r["status"], evidence=judged)]
        output.write(case_item(r, title=r["criterion"], description="", labels=[], steps=steps,
                               start_ms=START_MS + 1000, stop_ms=START_MS + 2000))
    # An earlier round: Cục A1 3.2a passed then, Bộ A 3.1 failed already.
    earlier = {"uuid": "u1", "name": "Đánh giá cổng/trang thông tin điện tử — kỳ 2026-Q3", "timestamp": EARLIER_MS,
               "testResults": {
                   "x.y": {"fullName": f"{A1}#3.2a", "status": "passed", "start": EARLIER_MS},
                   "z.y": {"fullName": f"{A}#3.1", "status": "failed", "start": EARLIER_MS}}}
    # This round, as `allure generate` added it: never "the previous round" of itself.
    current = {"uuid": "u2", "name": "Đánh giá cổng/trang thông tin điện tử — kỳ 2026-Q4", "timestamp": START_MS + 5000,
               "testResults": {"x.y": {"fullName": f"{A1}#3.2a", "status": "broken", "start": START_MS + 1000}}}
    history.write_text(json.dumps(earlier, ensure_ascii=False) + "\n" + json.dumps(current, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    return {"results": results, "allure": allure, "history": history, "out": tmp_path / "gui-co-quan"}


def report(run: dict[str, Path], *extra: str) -> int:
    return main(["--allure-results", str(run["allure"]), "--results", str(run["results"]), "--out", str(run["out"]),
                 *extra])


def test_one_report_per_agency_with_its_sites_only(run: dict[str, Path]) -> None:
    assert report(run) == 0
    out = run["out"]
    assert sorted(p.name for p in out.iterdir()) == ["bo-a.html", "bo-a.xlsx", "index.html", "tinh-b.html",
                                                      "tinh-b.xlsx"]
    page = (out / "bo-a.html").read_text(encoding="utf-8")
    assert "Bộ A" in page and "Cục A1" in page and "Tỉnh B" not in page and "tinh-b" not in page
    assert "kỳ 2026-Q4" in page
    # What to fix, by Vietnamese category, and why.
    assert "Chưa gắn mã giám sát EMC (1)" in page
    assert "Không truy cập được: lỗi máy chủ (HTTP 5xx) (1)" in page
    assert "Không tìm thấy mã giám sát EMC trên trang chủ" in page
    # The reviewed case, with the automatic result it replaced.
    assert "Đạt (đã rà soát thủ công)" in page
    assert "Đạt thay cho kết quả tự động Không đạt. Lý do: liên kết trong menu" in page
    assert "Kết quả tự động: Không đạt — Trang chủ không có liên kết hiển thị về cổng" in page
    # The previous round: the earlier one, not this round's own entry of the history.
    assert "kỳ 2026-Q3" in page and "mới phát sinh" in page
    # Evidence embedded: the homepage of the sites that failed, the badge, the link list.
    assert page.count("data:image/jpeg;base64,") == 2
    assert "data:image/png;base64," in page and "Danh sách liên kết trên trang chủ" in page
    # Self-contained: no script, nothing loaded from elsewhere.
    assert "<script" not in page
    assert not re.findall(r'(?:src|href)="(?!data:|#|https://(?:bo-a|cuc1\.bo-a)\.gov\.vn/)', page)
    other = (out / "tinh-b.html").read_text(encoding="utf-8")
    assert "Nhãn 'Đã kết nối EMC' bị ẩn (1)" in other and "Bộ A" not in other and "cuc1" not in other
    assert "Kỳ trước" not in other  # no earlier round of that portal


def test_national_overview_links_each_report(run: dict[str, Path]) -> None:
    assert report(run) == 0
    page = (run["out"] / "index.html").read_text(encoding="utf-8")
    assert "Kết quả đánh giá cổng/trang thông tin điện tử — kỳ 2026-Q4" in page
    assert page.index("<h2>Bộ, ngành</h2>") < page.index("<h2>Tỉnh, thành phố</h2>")
    assert page.count('<a href="bo-a.html">Bộ A</a>') >= 2  # visit ranking and compliance table
    assert '<a href="tinh-b.html">Tỉnh B</a>' in page
    assert "1.200" in page and "62,5" in page and "1/2" in page
    assert "Phiên bản Chromium" in page and "131.0.0" in page


def test_only_the_portals_asked_for(run: dict[str, Path]) -> None:
    assert report(run, "--portal", "tinh-b") == 0
    assert sorted(p.name for p in run["out"].iterdir()) == ["index.html", "tinh-b.html", "tinh-b.xlsx"]


def test_agency_workbook(run: dict[str, Path]) -> None:
    import openpyxl

    assert report(run) == 0
    book = openpyxl.load_workbook(run["out"] / "bo-a.xlsx")
    detail = book["Kết quả chi tiết"]
    headers = [c.value for c in detail[1]]
    rows = [dict(zip(headers, (c.value for c in row))) for row in detail.iter_rows(min_row=2)]
    assert {r["Mã cổng"] for r in rows} == {"bo-a"} and len(rows) == 6
    reviewed = [r for r in rows if r["Rà soát thủ công"]]
    assert len(reviewed) == 1 and reviewed[0]["Kết quả"] == "Đạt" and reviewed[0]["Kết quả tự động"] == "Không đạt"
    assert {r["Nhóm lỗi"] for r in rows} == {None, "Chưa gắn mã giám sát EMC",
                                             "Không truy cập được: lỗi máy chủ (HTTP 5xx)"}
    assert [c.value for c in book["Tổng hợp theo cổng"]["B"]][1:] == ["bo-a"]


@pytest.mark.parametrize("break_input,problem", [
    (lambda run: run["results"].unlink(), "results.json: không tìm thấy tệp kết quả"),
    (lambda run: run["results"].write_text("{", encoding="utf-8"), "results.json: không đọc được tệp kết quả"),
    (lambda run: run["results"].write_text('{"records": [{"a": 1}]}', encoding="utf-8"),
     "results.json: bản ghi thứ 1 thiếu criterion, group, message, portal, site, status"),
    (lambda run: run["results"].write_text('{"records": 3}', encoding="utf-8"),
     "results.json: không phải tệp results.json của portal-audit"),
    (lambda run: [p.unlink() for p in run["allure"].iterdir()] and run["allure"].rmdir(),
     "allure-results: không tìm thấy thư mục kết quả Allure"),
    (lambda run: (run["allure"] / "broken-result.json").write_text("{", encoding="utf-8"),
     "broken-result.json: không đọc được kết quả Allure"),
    (lambda run: run["history"].write_text("{}\nnot json\n", encoding="utf-8"),
     "lich-su.jsonl:2: không phải dòng lịch sử Allure"),
])
def test_a_bad_input_stops_with_one_line_naming_it(run: dict[str, Path], capsys: pytest.CaptureFixture[str],
                                                   break_input: Any, problem: str) -> None:
    break_input(run)
    assert report(run) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and problem in err
    assert err.startswith("python -m portal_audit.report: lỗi: ")
    assert not run["out"].exists()


def test_usage_errors_are_one_line(run: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--results", str(run["results"])]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("python -m portal_audit.report: lỗi: the following arguments are required: "
                           "--allure-results, --out")
    assert report(run, "--portal", "khong-co") == 2
    assert "không có kết quả của cổng khong-co" in capsys.readouterr().err


def test_history_of_a_case() -> None:
    assert load_history(None, 1000).previous(A, "3.1", None) is None
    assert load_history(Path("/khong/co.jsonl"), 1000).rounds == []


def test_portal_ids_as_file_names() -> None:
    taken: set[str] = set()
    assert [file_name(p, taken) for p in ("bo-a", "Bộ/../x", "index", "BO-A")] == ["bo-a", "Bộ-..-x", "index-2",
                                                                                   "BO-A-2"]
