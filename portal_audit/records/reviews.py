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

A review of criterion CONTENT may settle one required item instead of the whole criterion
(`item: lanh_dao`, a code of settings content.items): the item counts as the review says while its
automatic result is the one reviewed, and the criterion passes once no item is missing any more.

A review applies to the automatic result it was made against: `automatic_status` when given (the
same as `status` confirms a result), otherwise any result other than its own `status`. While today's automatic result is that one, the
case gets the reviewed status (its record keeps the automatic status and message beside it); once
the automatic result changed (the site was fixed, or it broke), the review is not applied and the
record says so, so that nobody carries a stale decision into the next evaluation round."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Collection, Iterable, Literal, Mapping

from pydantic import BeforeValidator, Field

from portal_audit.records import Record
from portal_audit.status import STATUS_LABELS, Status
from portal_audit.urls import parse_address, site_key
from portal_audit.yamlio import SourceError, StrictModel, read_yaml, validate

WHAT = "tệp rà soát thủ công"
# Record keys a review adds; a record without them is the automatic result alone.
REVIEW_KEYS = ("automatic_status", "automatic_message", "review", "review_applied", "review_note", "item_reviews",
               "items_missing")


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
    item: Text | None = None  # one required item of CONTENT (settings content.items code)

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
    # (site key, criterion) -> item code -> the review settling that one item.
    by_item: dict[tuple[str, str], dict[str, Review]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.by_case) + sum(len(items) for items in self.by_item.values())

    def apply(self, record: Record) -> Record:
        """The record with its review, if any: the reviewed status while the automatic result is the
        one the review was made against; otherwise the automatic result and a note saying it changed."""
        key = (site_key(record["site"]), record["criterion"])
        review = self.by_case.get(key)
        base = automatic(record)
        if review is None:
            return settle_items(base, self.by_item[key]) if key in self.by_item else base
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


def load_reviews(path: Path, criteria: Collection[str], cases: Iterable[tuple[str, str]],
                 items: Mapping[str, Collection[str]] | None = None) -> Reviews:
    """The reviews file, checked against the criteria codes, the items a criterion's review may
    settle one by one (`items`: criterion -> item codes; CONTENT's content.items) and the inventory's
    (site URL, criterion) cases. A malformed file raises SourceError 'FILE:LINE: problem'; a review
    that matches no case of the inventory is a warning (the inventory may have changed since)."""
    source = read_yaml(path, WHAT)
    if source.data is None:
        return Reviews(path)
    if not isinstance(source.data, dict):
        raise SourceError(f"{path}:1: {WHAT} phải là một bảng với khóa 'reviews'")
    parsed = validate(ReviewsFile, source)
    known_cases = {(site_key(site), code) for site, code in cases}
    reviews = Reviews(path)
    for index, entry in enumerate(parsed.reviews):
        line = source.where(("reviews", index))[1]
        _check_entry(path, source, index, entry, criteria, items or {})
        key = (site_key(entry.site), entry.criterion)
        same = reviews.by_item.get(key, {}).get(entry.item or "") if entry.item else reviews.by_case.get(key)
        if same is not None:
            what = f", mục {entry.item}" if entry.item else ""
            raise SourceError(f"{path}:{line}: reviews[{index + 1}]: trùng với mục rà soát ở dòng "
                              f"{same.line} ({entry.site}, tiêu chí {entry.criterion}{what})")
        if entry.item:
            reviews.by_item.setdefault(key, {})[entry.item] = Review(entry, line)
        else:
            reviews.by_case[key] = Review(entry, line)
        if key not in known_cases:
            why = (f"tiêu chí {entry.criterion} không áp dụng cho trang này" if key[0] in {k for k, _ in known_cases}
                   else "không có trang này trong danh mục")
            reviews.warnings.append(f"{path}:{line}: mục rà soát không khớp trường hợp nào: {entry.site} "
                                    f"tiêu chí {entry.criterion} ({why})")
    return reviews


def _check_entry(path: Path, source: Any, index: int, entry: ReviewEntry, criteria: Collection[str],
                 items: Mapping[str, Collection[str]]) -> None:
    def fail(key: str, problem: str) -> SourceError:
        line = source.where(("reviews", index, key))[1]
        return SourceError(f"{path}:{line}: reviews[{index + 1}].{key}: {problem}")

    if entry.criterion not in criteria:
        raise fail("criterion", f"không có tiêu chí '{entry.criterion}' (có: {', '.join(criteria)})")
    if parse_address(entry.site, bare=True) is None:
        raise fail("site", f"'{entry.site}' không phải địa chỉ trang web")
    if entry.item is not None:
        known = items.get(entry.criterion)
        if not known:
            raise fail("item", f"tiêu chí {entry.criterion} không rà soát được theo từng mục")
        if entry.item not in known:
            raise fail("item", f"không có mục '{entry.item}' (có: {', '.join(known)})")


def settle_items(record: Record, by_item: Mapping[str, Review]) -> Record:
    """The record with the reviews of its items: an item counts as reviewed while its automatic
    result is the one reviewed; the criterion passes once no item is missing, fails once one is."""
    evidence = record.get("evidence") or {}
    judged = {str(i.get("code")) for i in evidence.get("items", []) if isinstance(i, dict)}
    missing = [str(code) for code in evidence.get("missing", [])]
    remaining, done, notes = list(missing), [], []
    for code, review in by_item.items():
        auto = "failed" if code in missing else "passed" if code in judged else None
        if auto is None or record["status"] not in (Status.PASSED, Status.FAILED):
            notes.append(f"mục {code}: không có kết quả tự động để rà soát ({_label(record['status'])})")
            continue
        if not review.made_against(auto):
            notes.append(f"mục {code}: {review.changed_note(auto)}")
            continue
        done.append({"item": code, "review": review.entry.to_json(), "note": review.applied_note(auto)})
        if review.entry.status == "passed" and code in remaining:
            remaining.remove(code)
        elif review.entry.status == "failed" and code not in remaining:
            remaining.append(code)
    settled = {**record, "automatic_status": record["status"], "automatic_message": record.get("message"),
               "item_reviews": done, "review_applied": bool(done), "review_note": "; ".join(
                   [f"mục {d['item']}: {d['note']}" for d in done] + notes)}
    if not done or record["status"] not in (Status.PASSED, Status.FAILED):
        return settled
    status = Status.FAILED if remaining else Status.PASSED
    reviewed = ", ".join(d["item"] for d in done)
    message = (f"{record.get('message')} (đã rà soát thủ công mục {reviewed})" if status == record["status"]
               else f"Đã rà soát thủ công mục {reviewed}: " + (f"còn thiếu {', '.join(remaining)}" if remaining
                                                              else "đủ các mục thông tin bắt buộc"))
    return {**settled, "status": str(status), "message": message, "items_missing": remaining}
