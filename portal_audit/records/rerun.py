"""Re-auditing only the portals that failed: which portals to visit again, how the new verdicts
merge with the earlier ones, and what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal_audit.records import Record
from portal_audit.records.reader import read_results_file
from portal_audit.status import NOT_PASSING


@dataclass(frozen=True)
class PreviousResults:
    path: Path
    generated_at: str
    records: tuple[dict[str, Any], ...]
    criteria: tuple[str, ...] | None = None  # the criteria that run audited (older files: unknown)
    profile: str | None = None

    def portals_to_reaudit(self) -> set[str]:
        # A fix on one page can break another: every site and criterion of such a portal is redone.
        # Informative findings (reported, not scored) are no reason to audit a portal again.
        return {r["portal"] for r in self.records if r["status"] in NOT_PASSING and not r.get("informative")}

    def kept_records(self) -> list[Record]:
        return [{**r, "measured_at": r.get("measured_at") or self.generated_at} for r in self.records]


def load_previous(path: Path) -> PreviousResults:
    """ResultsError (portal_audit.records.reader) when the file cannot be used."""
    document = read_results_file(path)
    return PreviousResults(path, document.generated_at, tuple(document.record_dicts()),
                           tuple(document.criteria) if document.criteria else None, document.profile)


@dataclass
class Changes:
    fixed: list[dict[str, Any]] = field(default_factory=list)
    still_failing: list[dict[str, Any]] = field(default_factory=list)
    newly_failing: list[dict[str, Any]] = field(default_factory=list)

    def lines(self, portal_count: int) -> list[str]:
        return [f"Đánh giá lại {portal_count} cổng: {len(self.fixed)} kết quả đã khắc phục, "
                f"{len(self.still_failing)} vẫn chưa đạt, {len(self.newly_failing)} mới không đạt"] + [
            f"  {label}: {r['portal']} {r['site']} {r['criterion']} ({r['status']})"
            for label, group in (("đã khắc phục", self.fixed), ("mới không đạt", self.newly_failing))
            for r in group]


def compare(previous: PreviousResults, new_records: list[dict[str, Any]]) -> Changes:
    before = {(r["site"], r["criterion"]): r["status"] for r in previous.records}
    changes = Changes()
    for record in new_records:
        if record.get("informative"):
            continue
        old = before.get((record["site"], record["criterion"]))
        now_bad = record["status"] in NOT_PASSING
        if old in NOT_PASSING and not now_bad:
            changes.fixed.append(record)
        elif old in NOT_PASSING and now_bad:
            changes.still_failing.append(record)
        elif now_bad:
            changes.newly_failing.append(record)
    return changes
