"""Records: one per (site, criterion) a run measured, as results.json holds them; the results
document and its file (results.py), its schema (schema.py) and its one reader (reader.py); the run's
manifest (manifest.py); the earlier results a re-run completes (rerun.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from portal_audit.inventory import Site
from portal_audit.status import ErrorKind, Status
from portal_audit.verdicts import Verdict

Record = dict[str, Any]

# A record's evidence as JSON, at most (characters): a hostile page must not make results.json
# unreadable (make_record bounds it, the schema's readers refuse more).
MAX_EVIDENCE_CHARS = 1_000_000


def evidence_chars(evidence: dict[str, Any]) -> int:
    return len(json.dumps(evidence, ensure_ascii=False, default=str))


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
              "evidence": bounded_evidence(verdict.evidence), "measured_at": measured_at or now()}
    if informative:
        record["informative"] = True
    return record


def bounded_evidence(evidence: dict[str, Any]) -> dict[str, Any]:
    """The evidence, or, when a page made it too large for results.json (the schema's bound), what
    the reports read from it (the reasons, the error kind) and its size: the verdict still stands."""
    size = evidence_chars(evidence)
    if size <= MAX_EVIDENCE_CHARS:
        return evidence
    kept = {key: evidence[key] for key in ("error_kind", "reasons") if key in evidence}
    if evidence_chars(kept) > MAX_EVIDENCE_CHARS // 2:
        kept = {}
    return {**kept, "evidence_truncated_chars": size}


def broken_record(case_fields: Record, kind: ErrorKind, message: str) -> Record:
    """The record of a case that ended without a verdict (a defect, a worker that died)."""
    return make_record(case_fields, Verdict(Status.BROKEN, message, {"error_kind": str(kind)}))
