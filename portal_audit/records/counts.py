"""The records counted by status, as the terminal's last lines give them: pytest says "failed" of a
site that could not be reached as of one that fails a criterion, and of a site the auditor's own
network or browser failed; these counts tell them apart."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from portal_audit.settings import Labels
from portal_audit.status import ErrorKind, Status, auditor_side


@dataclass
class StatusCounts:
    statuses: Counter[str] = field(default_factory=Counter)  # passed, failed, broken, skipped (scored ones)
    informative: int = 0  # failed findings of informative criteria (reported, not scored)
    auditor: Counter[str] = field(default_factory=Counter)  # auditor-side kind -> cases

    @classmethod
    def of(cls, records: Iterable[Mapping[str, Any]]) -> StatusCounts:
        counts = cls()
        for record in records:
            if auditor_side(record):
                counts.auditor[str(record["evidence"]["error_kind"])] += 1
            elif record.get("status") == Status.FAILED and record.get("informative"):
                counts.informative += 1
            else:
                counts.statuses[str(record.get("status"))] += 1
        return counts

    def lines(self, labels: Labels) -> list[str]:
        informative = f" (và {self.informative} kết quả tham khảo, không tính điểm)" if self.informative else ""
        lines = ['portal-audit: kết quả theo trạng thái (pytest ghi "failed" cả cho trang không đánh giá được):',
                 f"  đạt: {self.statuses[Status.PASSED]}",
                 f"  không đạt: {self.statuses[Status.FAILED]}{informative}",
                 f"  không đánh giá được: {self.statuses[Status.BROKEN]}"]
        for kind in (ErrorKind.AUDITOR_NETWORK, ErrorKind.AUDITOR_BROWSER):
            label = labels.error_kinds.get(str(kind), str(kind))
            lines.append(f"  {label[:1].lower()}{label[1:]}: {self.auditor[str(kind)]} (không tính cho cơ quan"
                         + ("; đánh giá lại bằng --rerun-failed-portals)" if self.auditor[str(kind)] else ")"))
        if self.statuses[Status.SKIPPED]:
            lines.append(f"  không áp dụng: {self.statuses[Status.SKIPPED]}")
        return lines
