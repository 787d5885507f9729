"""Semi-automatic evaluation (Official Letter 2820: "bằng công cụ tự động hoặc bán tự động"): an
auditor's decision on a case, read from a reviews file (--reviews) before any browser starts.

    reviews:
      - site: https://stc.tinh-a.gov.vn/
        criterion: "3.2c"
        status: passed              # passed | failed: the evaluation's result for this case
        reason: "Liên kết về cổng nằm trong menu 'Liên kết', đã kiểm tra thủ công"
        reviewer: "Nguyễn Văn A"
        date: 2026-11-20
        automatic_status: failed    # optional: the automatic result the auditor reviewed

A review applies to the automatic result it was made against: `automatic_status` when given (the
same as `status` confirms a result), otherwise any result other than its own `status`. While today's automatic result is that one, the
case gets the reviewed status (its record keeps the automatic status and message beside it); once
the automatic result changed (the site was fixed, or it broke), the review is not applied and the
record says so, so that nobody carries a stale decision into the next evaluation round."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Collection, Iterable, Literal

from pydantic import BeforeValidator, Field

from portal_audit.records import Record
from portal_audit.status import STATUS_LABELS, Status
from portal_audit.urls import parse_address, site_key
from portal_audit.yamlio import SourceError, StrictModel, read_yaml, validate

WHAT = "tệp rà soát thủ công"
# Record keys a review adds; a record without them is the automatic result alone.
REVIEW_KEYS = ("automatic_status", "automatic_message", "review", "review_applied", "review_note")


def _date(value: Any) -> Any:
    # A quoted date ("2026-11-20") is as clear to an auditor as a bare one.
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


Text = Annotated[str, Field(min_length=1)]


class ReviewEntry(StrictModel):
    site: Text
    criterion: Text
    status: Literal["passed", "failed"]
    reason: Text
    reviewer: Text
    date: Annotated[datetime.date, BeforeValidator(_date)]
    automatic_status: Literal["passed", "failed", "broken"] | None = None

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(exclude_none=True)
        data["date"] = self.date.isoformat()
        return data


class ReviewsFile(StrictModel):
    reviews: tuple[ReviewEntry, ...] = ()


def _label(status: str) -> str:
    return STATUS_LABELS.get(Status(status), status) if status in tuple(Status) else status


@dataclass(frozen=True)
class Review:
    entry: ReviewEntry
    line: int  # where the entry starts in the reviews file

    def made_against(self, automatic: str) -> bool:
        if self.entry.automatic_status is not None:
            return automatic == self.entry.automatic_status
        return automatic != self.entry.status

    def applied_note(self, automatic: str) -> str:
        e = self.entry
        decision = (f"xác nhận kết quả tự động {_label(automatic)}" if automatic == e.status
                    else f"{_label(e.status)} thay cho kết quả tự động {_label(automatic)}")
        return f"Đã rà soát thủ công ngày {e.date.isoformat()} ({e.reviewer}): {decision}. Lý do: {e.reason}"

    def changed_note(self, automatic: str) -> str:
        e = self.entry
        was = f"lúc rà soát là {_label(e.automatic_status)}, " if e.automatic_status is not None else ""
        changed = f"Kết quả tự động đã thay đổi sau lần rà soát thủ công ngày {e.date.isoformat()} ({e.reviewer}): {was}"
        if automatic == e.status:  # the site was fixed (or broke) the way the auditor had decided
            return f"{changed}lần này tự động cũng là {_label(automatic)}, trùng với kết quả rà soát; " \
                   "mục rà soát không còn cần thiết"
        return (f"{changed}lần này là {_label(automatic)}; kết quả rà soát ({_label(e.status)}) không được áp dụng, "
                "cần rà soát lại")


def automatic(record: Record) -> Record:
    """The record as the automatic judgement left it (a record kept from an earlier, reviewed run)."""
    if "automatic_status" not in record:
        return record
    base = {k: v for k, v in record.items() if k not in REVIEW_KEYS}
    return {**base, "status": record["automatic_status"], "message": record.get("automatic_message")}


@dataclass
class Reviews:
    path: Path
    by_case: dict[tuple[str, str], Review] = field(default_factory=dict)  # (site key, criterion) -> review
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.by_case)

    def apply(self, record: Record) -> Record:
        """The record with its review, if any: the reviewed status while the automatic result is the
        one the review was made against; otherwise the automatic result and a note saying it changed."""
        review = self.by_case.get((site_key(record["site"]), record["criterion"]))
        base = automatic(record)
        if review is None:
            return base
        entry = review.entry
        auto_status = base["status"]
        reviewed = {**base, "automatic_status": auto_status, "automatic_message": base.get("message"),
                    "review": entry.to_json()}
        if review.made_against(auto_status):
            return {**reviewed, "status": entry.status,
                    "message": f"Đã rà soát thủ công ({entry.reviewer}, {entry.date.isoformat()}): {entry.reason}",
                    "review_applied": True, "review_note": review.applied_note(auto_status)}
        return {**reviewed, "review_applied": False, "review_note": review.changed_note(auto_status)}

    def to_json(self, records: Iterable[Record]) -> dict[str, Any]:
        """The reviews block of results.json: the file, how many reviews applied, what changed."""
        reviewed = [r for r in records if "review" in r]
        return {"file": str(self.path), "entries": len(self.by_case),
                "applied": sum(1 for r in reviewed if r.get("review_applied")),
                "changed": [{"site": r["site"], "criterion": r["criterion"], "note": r.get("review_note")}
                            for r in reviewed if not r.get("review_applied")],
                "warnings": list(self.warnings)}


def load_reviews(path: Path, criteria: Collection[str], cases: Iterable[tuple[str, str]]) -> Reviews:
    """The reviews file, checked against the criteria codes and the inventory's (site URL,
    criterion) cases. A malformed file raises SourceError 'FILE:LINE: problem'; a review that
    matches no case of the inventory is a warning (the inventory may have changed since)."""
    source = read_yaml(path, WHAT)
    if source.data is None:
        return Reviews(path)
    if not isinstance(source.data, dict):
        raise SourceError(f"{path}:1: {WHAT} phải là một bảng với khóa 'reviews'")
    parsed = validate(ReviewsFile, source)
    known_cases = {(site_key(site), code) for site, code in cases}
    known_sites = {key for key, _ in known_cases}
    reviews = Reviews(path)
    for index, entry in enumerate(parsed.reviews):
        line = source.where(("reviews", index))[1]
        if entry.criterion not in criteria:
            line = source.where(("reviews", index, "criterion"))[1]
            raise SourceError(f"{path}:{line}: reviews[{index + 1}].criterion: không có tiêu chí '{entry.criterion}' "
                              f"(có: {', '.join(criteria)})")
        if parse_address(entry.site, bare=True) is None:
            line = source.where(("reviews", index, "site"))[1]
            raise SourceError(f"{path}:{line}: reviews[{index + 1}].site: '{entry.site}' không phải địa chỉ trang web")
        key = (site_key(entry.site), entry.criterion)
        if key in reviews.by_case:
            raise SourceError(f"{path}:{line}: reviews[{index + 1}]: trùng với mục rà soát ở dòng "
                              f"{reviews.by_case[key].line} ({entry.site}, tiêu chí {entry.criterion})")
        reviews.by_case[key] = Review(entry, line)
        if key not in known_cases:
            why = (f"tiêu chí {entry.criterion} không áp dụng cho trang này" if key[0] in known_sites
                   else "không có trang này trong danh mục")
            reviews.warnings.append(f"{path}:{line}: mục rà soát không khớp trường hợp nào: {entry.site} "
                                    f"tiêu chí {entry.criterion} ({why})")
    return reviews
