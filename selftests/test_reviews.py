"""Semi-automatic review on hand-made records: reading the reviews file (every malformed input stops
with FILE:LINE), matching a review to its case by site identity, applying it while the automatic
result is the one it was made against, saying so once that result changed; and the failure
categories a record falls under."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portal_audit.checks import CRITERIA
from portal_audit.records.reviews import REVIEW_KEYS, automatic, load_reviews
from portal_audit.render.categories import (
    KIND_LABEL,
    OTHER_BROKEN,
    OTHER_FAILED,
    allure_rules,
    categories,
    category_name,
    record_kinds,
)
from portal_audit.render.evaluation import Evaluation, properties
from portal_audit.settings import load_settings
from portal_audit.status import ErrorKind, FailureKind
from portal_audit.yamlio import SourceError

CODES = [c.code for c in CRITERIA]
STC, SYT, PORTAL = "https://stc.tinh-a.gov.vn/", "https://syt.tinh-a.gov.vn/", "https://tinh-a.gov.vn/"
CASES = [(PORTAL, "3.1"), (PORTAL, "3.2a"), (PORTAL, "3.2b"), (STC, "3.1"), (STC, "3.2a"), (STC, "3.2c"),
         (SYT, "3.1"), (SYT, "3.2a"), (SYT, "3.2c")]
LABELS = load_settings().labels

GOOD = """\
reviews:
  - site: https://www.STC.tinh-a.gov.vn      # another spelling of the inventory's address
    criterion: "3.2c"
    status: passed
    reason: "Liên kết về cổng nằm trong menu 'Liên kết', đã kiểm tra thủ công"
    reviewer: "Nguyễn Văn A"
    date: 2026-11-20
    automatic_status: failed
  - site: https://syt.tinh-a.gov.vn/
    criterion: "3.2a"
    status: failed
    reason: "Nhãn là ảnh chụp, không do EMC hiển thị"
    reviewer: "Trần Thị B"
    date: "2026-11-21"
  - site: https://khong-co.tinh-a.gov.vn/
    criterion: "3.1"
    status: passed
    reason: "x"
    reviewer: "C"
    date: 2026-11-22
  - site: https://tinh-a.gov.vn/
    criterion: "3.2c"
    status: passed
    reason: "x"
    reviewer: "C"
    date: 2026-11-22
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ra-soat.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def rec(site: str, criterion: str, status: str, message: str = "tự động", **evidence: Any) -> dict[str, Any]:
    return {"portal": "tinh-a", "group": "province", "site": site, "site_name": site, "role": "component",
            "criterion": criterion, "status": status, "message": message, "evidence": evidence,
            "measured_at": "2026-11-25T01:00:00+00:00"}


def test_reading_a_reviews_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    reviews = load_reviews(path, CODES, CASES)
    assert len(reviews) == 4
    review = reviews.by_case["stc.tinh-a.gov.vn", "3.2c"]
    assert review.line == 2 and review.entry.date.isoformat() == "2026-11-20"
    assert reviews.by_case["syt.tinh-a.gov.vn", "3.2a"].entry.date.isoformat() == "2026-11-21"  # quoted date
    # Matching nothing in the inventory is a warning naming the line, not an error.
    assert reviews.warnings == [
        f"{path}:15: mục rà soát không khớp trường hợp nào: https://khong-co.tinh-a.gov.vn/ tiêu chí 3.1 "
        "(không có trang này trong danh mục)",
        f"{path}:21: mục rà soát không khớp trường hợp nào: https://tinh-a.gov.vn/ tiêu chí 3.2c "
        "(tiêu chí 3.2c không áp dụng cho trang này)"]


@pytest.mark.parametrize("text,problem", [
    ("reviews:\n  - site: [a\n", r"ra-soat.yaml:\d+: lỗi cú pháp YAML"),
    ("- 1\n", r"ra-soat.yaml:1: tệp rà soát thủ công phải là một bảng với khóa 'reviews'"),
    ("review: []\n", r"ra-soat.yaml:1: review: khóa không hợp lệ \(có: reviews\)"),
    ("reviews:\n  - site: https://stc.tinh-a.gov.vn/\n    criterion: '3.2c'\n    status: ok\n    reason: r\n"
     "    reviewer: A\n    date: 2026-11-20\n", r"ra-soat.yaml:4: reviews\[1\].status: chỉ nhận 'passed' hoặc 'failed'"),
    ("reviews:\n  - site: https://stc.tinh-a.gov.vn/\n    criterion: '3.2c'\n    status: passed\n    reason: r\n"
     "    reviewer: A\n", r"ra-soat.yaml:2: reviews\[1\].date: thiếu khóa bắt buộc"),
    ("reviews:\n  - site: https://stc.tinh-a.gov.vn/\n    criterion: '3.2c'\n    status: passed\n    reason: r\n"
     "    reviewer: A\n    date: 20/11/2026\n", r"ra-soat.yaml:7: reviews\[1\].date: cần một ngày dạng YYYY-MM-DD"),
    ("reviews:\n  - site: https://stc.tinh-a.gov.vn/\n    criterion: '3.9'\n    status: passed\n    reason: r\n"
     "    reviewer: A\n    date: 2026-11-20\n", r"ra-soat.yaml:3: reviews\[1\].criterion: không có tiêu chí '3.9' "
                                              r"\(có: 3.1, 3.2a, 3.2b, 3.2c, SPEED,"),
    ("reviews:\n  - site: 'Sở Tài chính'\n    criterion: '3.2c'\n    status: passed\n    reason: r\n"
     "    reviewer: A\n    date: 2026-11-20\n", r"ra-soat.yaml:2: reviews\[1\].site: 'Sở Tài chính' không phải địa chỉ"),
    ("reviews:\n  - site: https://stc.tinh-a.gov.vn/\n    criterion: '3.2c'\n    status: passed\n    reason: r\n"
     "    reviewer: A\n    date: 2026-11-20\n  - site: http://www.stc.tinh-a.gov.vn\n    criterion: '3.2c'\n"
     "    status: failed\n    reason: r\n    reviewer: B\n    date: 2026-11-21\n",
     r"ra-soat.yaml:8: reviews\[2\]: trùng với mục rà soát ở dòng 2 \(http://www.stc.tinh-a.gov.vn, tiêu chí 3.2c\)"),
])
def test_malformed_reviews_stop_with_file_and_line(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(SourceError, match=problem):
        load_reviews(write(tmp_path, text), CODES, CASES)


def test_a_review_replaces_the_automatic_result_it_was_made_against(tmp_path: Path) -> None:
    reviews = load_reviews(write(tmp_path, GOOD), CODES, CASES)
    automatic_record = rec(STC, "3.2c", "failed", "Trang chủ không có liên kết hiển thị về cổng",
                           reasons=["portal_link_missing"])
    reviewed = reviews.apply(automatic_record)
    assert reviewed["status"] == "passed" and reviewed["review_applied"] is True
    assert reviewed["automatic_status"] == "failed"
    assert reviewed["automatic_message"] == "Trang chủ không có liên kết hiển thị về cổng"
    assert reviewed["message"] == ("Đã rà soát thủ công (Nguyễn Văn A, 2026-11-20): Liên kết về cổng nằm trong menu "
                                   "'Liên kết', đã kiểm tra thủ công")
    assert reviewed["review"] == {"site": "https://www.STC.tinh-a.gov.vn", "criterion": "3.2c", "status": "passed",
                                  "reason": "Liên kết về cổng nằm trong menu 'Liên kết', đã kiểm tra thủ công",
                                  "reviewer": "Nguyễn Văn A", "date": "2026-11-20", "automatic_status": "failed"}
    assert reviewed["review_note"].startswith("Đã rà soát thủ công ngày 2026-11-20 (Nguyễn Văn A): Đạt thay cho "
                                              "kết quả tự động Không đạt. Lý do: Liên kết về cổng")
    assert reviewed["evidence"] == automatic_record["evidence"]
    # A record kept from a reviewed run is reviewed again from its automatic result.
    assert automatic(reviewed) == automatic_record
    assert reviews.apply(reviewed) == reviewed
    # Other cases are untouched.
    other = rec(STC, "3.1", "failed")
    assert reviews.apply(other) is other and not set(REVIEW_KEYS) & set(reviews.apply(other))


def test_a_changed_automatic_result_sets_the_review_aside(tmp_path: Path) -> None:
    reviews = load_reviews(write(tmp_path, GOOD), CODES, CASES)
    # Made against a failure; the site now could not be loaded at all: the review is not applied.
    broken = reviews.apply(rec(STC, "3.2c", "broken", "Không đánh giá được", error_kind="dns"))
    assert broken["status"] == "broken" and broken["review_applied"] is False
    assert broken["review_note"] == ("Kết quả tự động đã thay đổi sau lần rà soát thủ công ngày 2026-11-20 "
                                     "(Nguyễn Văn A): lúc rà soát là Không đạt, lần này là Không đánh giá được; "
                                     "kết quả rà soát (Đạt) không được áp dụng, cần rà soát lại")
    # Without automatic_status, a review that now agrees with the automatic result is no longer needed.
    agrees = reviews.apply(rec(SYT, "3.2a", "failed", reasons=["badge_missing"]))
    assert agrees["status"] == "failed" and agrees["review_applied"] is False
    assert "lần này tự động cũng là Không đạt, trùng với kết quả rà soát" in agrees["review_note"]
    applied = reviews.apply(rec(SYT, "3.2a", "passed"))
    assert applied["status"] == "failed" and applied["review_applied"] is True
    block = reviews.to_json([broken, agrees, applied, rec(STC, "3.1", "passed")])
    assert block["applied"] == 1 and [c["site"] for c in block["changed"]] == [STC, SYT]
    assert len(block["warnings"]) == 2


def test_every_kind_has_a_vietnamese_category() -> None:
    assert set(LABELS.failure_kinds) == {str(k) for k in FailureKind}
    assert set(LABELS.error_kinds) == {str(k) for k in ErrorKind}
    found = categories(LABELS)
    assert len({c.id for c in found}) == len(found)
    tool = [c for c in found if c.name.startswith("Lỗi của công cụ")]
    assert len(tool) == 1 and set(tool[0].kinds) == {"judge_error", "worker_died", "audit_error"}


def test_category_of_a_record() -> None:
    found = categories(LABELS)
    several = rec(STC, "3.1", "failed", reasons=["emc_mixed_content", "emc_site_id", "emc_not_reporting"])
    assert record_kinds(several) == ["emc_mixed_content", "emc_site_id", "emc_not_reporting"]
    assert category_name(several, found) == LABELS.failure_kinds["emc_mixed_content"]
    assert category_name(rec(STC, "3.1", "broken", error_kind="http_5xx"), found) == \
        "Không truy cập được: lỗi máy chủ (HTTP 5xx)"
    assert category_name(rec(STC, "3.1", "failed"), found) == OTHER_FAILED[1]
    assert category_name(rec(STC, "3.1", "broken"), found) == OTHER_BROKEN[1]
    assert category_name(rec(STC, "3.1", "passed"), found) is None
    # Failed by an auditor over an automatic pass: its own category.
    reviewed = {**rec(STC, "3.2a", "failed"), "automatic_status": "passed", "review_applied": True}
    assert category_name(reviewed, found) == "Không đạt theo rà soát thủ công"


def test_categories_as_allure_rules() -> None:
    rules = allure_rules(categories(LABELS))
    by_name = {r["name"]: r for r in rules}
    badge = by_name["Nhãn 'Đã kết nối EMC' bị ẩn"]
    assert badge["matchers"] == [{"statuses": ["failed"], "labels": {KIND_LABEL: "^(badge_hidden)$"}}]
    assert badge["groupBy"] == [{"label": "suite"}] and badge["groupByMessage"] is False
    tool = by_name["Lỗi của công cụ đánh giá (không phải lỗi của trang)"]
    assert tool["matchers"][0]["labels"][KIND_LABEL] == "^(judge_error|worker_died|audit_error)$"
    # Allure's own catch-alls, renamed by their ids, come last.
    assert [r["id"] for r in rules[-2:]] == [OTHER_FAILED[0], OTHER_BROKEN[0]]


def test_environment_block_as_java_properties() -> None:
    evaluation = Evaluation("2026-Q4", "2026-11-29T01:02:03+00:00", "inventory.yaml", None, None, "h.jsonl",
                            "0.2.0", "131.0", "máy: Linux")
    text = properties(evaluation.environment())
    assert text.isascii()
    first = text.splitlines()[0]
    assert first == "K\\u1ef3\\ \\u0111\\u00e1nh\\ gi\\u00e1=2026-Q4"
    assert "Phi\\u00ean\\ b\\u1ea3n\\ Chromium=131.0" in text
    assert "N\\u01a1i\\ ch\\u1ea1y=m\\u00e1y\\: Linux" in text
    assert evaluation.report_name == "Đánh giá cổng/trang thông tin điện tử — kỳ 2026-Q4"
