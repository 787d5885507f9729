"""Records: one per (site, criterion) a run measured, as results.json holds them; the results
document and its file; the earlier results a re-run completes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from portal_audit.inventory import Site
from portal_audit.status import ErrorKind, Status
from portal_audit.verdicts import Verdict

Record = dict[str, Any]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Case:
    """A site and a criterion: what one record is about."""

    site: Site
    code: str
    title: str
    index: int  # position of the criterion among those of the site

    @property
    def sort_key(self) -> list[int]:
        return [*self.site.order, self.index]

    def fields(self) -> Record:
        site = self.site
        return {"portal": site.portal_id, "group": site.group, "site": site.url, "site_name": site.name,
                "role": site.role, "criterion": self.code}


def make_record(case_fields: Record, verdict: Verdict, measured_at: str | None = None,
                informative: bool = False) -> Record:
    """`informative`: a criterion reported but not scored (settings criteria.informative); the key is
    only written for those."""
    record = {**case_fields, "status": str(verdict.status), "message": verdict.message,
              "evidence": verdict.evidence, "measured_at": measured_at or now()}
    if informative:
        record["informative"] = True
    return record


def broken_record(case_fields: Record, kind: ErrorKind, message: str) -> Record:
    """The record of a case that ended without a verdict (a defect, a worker that died)."""
    return make_record(case_fields, Verdict(Status.BROKEN, message, {"error_kind": str(kind)}))
