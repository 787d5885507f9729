"""results.json: every record in inventory order, with the counts and the summary fields; written
whole through a rename, so tools reading it never see half a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from portal_audit.files import write_atomic
from portal_audit.records import Record, now
from portal_audit.status import Status


def results_document(records: Iterable[Record], inventory: Path, complete: bool,
                     summary_fields: dict[str, Any], selection: dict[str, Any] | None = None) -> dict[str, Any]:
    """`selection`: the profile and criteria the run audited (a re-run audits the same)."""
    records = list(records)
    return {
        "generated_at": now(),
        "inventory": str(inventory),
        "complete": complete,
        **(selection or {}),
        "summary": {str(status): sum(1 for r in records if r["status"] == status) for status in Status},
        **summary_fields,
        "records": records,
    }


def write_results(path: Path, document: dict[str, Any]) -> Path:
    return write_atomic(path, json.dumps(document, ensure_ascii=False, indent=2))
