"""results.json: every record in inventory order, with the counts and the summary fields, and what
the run was about (its provenance); built through the schema's model (portal_audit.records.schema)
and written whole through a rename, so tools reading it never see half a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from portal_audit.files import write_atomic
from portal_audit.records import Record, now
from portal_audit.records.schema import RESULTS_VERSION, ResultsDocument
from portal_audit.status import Status


@dataclass(frozen=True)
class Provenance:
    """What a results file is about, so that the files of several runs (the shards of a national
    run) can be checked to fit together before they are merged."""

    inventory_digest: str  # Inventory.digest() of the inventory file
    audit_config: str | None  # the --audit-config file (the summary's weights and labels come from it)
    portals: tuple[str, ...]  # the portals the run's results are about, before --shard
    shard: str | None  # "K/N"
    settings_digest: str | None = None  # settings_digest() of the settings the run used

    def to_json(self) -> dict[str, Any]:
        return {"inventory_digest": self.inventory_digest,
                **({"settings_digest": self.settings_digest} if self.settings_digest else {}),
                "audit_config": self.audit_config, "selection": {"portals": list(self.portals), "shard": self.shard}}


def results_document(records: Iterable[Record], inventory: Path, complete: bool,
                     summary_fields: dict[str, Any], provenance: Provenance | None = None,
                     audited: dict[str, Any] | None = None) -> ResultsDocument:
    """`audited`: the profile and criteria the run audited (a re-run audits the same)."""
    records = list(records)
    return ResultsDocument.model_validate({
        "version": RESULTS_VERSION,
        "generated_at": now(),
        "inventory": str(inventory),
        "complete": complete,
        **(provenance.to_json() if provenance is not None else {}),
        **(audited or {}),
        "summary": {str(status): sum(1 for r in records if r["status"] == status) for status in Status},
        **summary_fields,
        "records": records,
    })


def write_results(path: Path, document: ResultsDocument) -> Path:
    return write_atomic(path, document.model_dump_json(indent=2, exclude_unset=True))
