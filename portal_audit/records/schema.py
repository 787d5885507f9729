"""results.json as one typed model: what the audit writes (through ResultsDocument) and what the
re-run, the merge and the report read back (portal_audit.records.reader). The JSON Schema made from
it ships as docs/results.schema.json:

    python -m portal_audit.records.schema > docs/results.schema.json

Records keep their fields as the audit has always written them; their evidence stays a free
mapping (each judge writes its own), bounded in size. Error kinds are plain strings (new kinds are
added without a schema change); statuses are the fixed vocabulary of portal_audit.status. Models
accept keys they do not name, so that a newer writer's file is still read by an older reader."""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from portal_audit.inventory import SelectionError, parse_shard
from portal_audit.records import MAX_EVIDENCE_CHARS, evidence_chars
from portal_audit.status import Status

# The schema's version, written into every results.json. Files written before it carried one are
# version 1 (the fields were the same).
RESULTS_VERSION = 1


class Open(BaseModel):
    """Named fields typed; other keys kept as they are."""

    model_config = ConfigDict(extra="allow")


class ResultRecord(Open):
    """One (site, criterion) a run measured."""

    portal: str
    group: str
    site: str
    site_name: str = ""
    role: str = ""
    criterion: str
    status: Status
    message: str
    evidence: dict[str, Any] = Field(default_factory=dict, description=(
        f"what the judge saw; free keys (error_kind, reasons ...), at most {MAX_EVIDENCE_CHARS} characters as JSON"))
    measured_at: str | None = None
    informative: bool | None = None  # reported, not scored
    automatic_status: Status | None = None  # the reviewed records: the automatic result the review replaced
    automatic_message: str | None = None
    review: dict[str, Any] | None = None
    review_applied: bool | None = None
    review_note: str | None = None

    @field_validator("evidence")
    @classmethod
    def _bounded(cls, evidence: dict[str, Any]) -> dict[str, Any]:
        size = evidence_chars(evidence)
        if size > MAX_EVIDENCE_CHARS:
            raise ValueError(f"bằng chứng quá lớn ({size} ký tự, tối đa {MAX_EVIDENCE_CHARS})")
        return evidence


class Selection(Open):
    portals: list[str] | None = None  # the portals the run was asked for, before --shard
    shard: str | None = None  # "K/N"

    @field_validator("shard")
    @classmethod
    def _shard(cls, shard: str | None) -> str | None:
        if shard:
            try:
                parse_shard(shard)
            except SelectionError as err:
                raise ValueError(str(err)) from None
        return shard


class RankingEntry(Open):
    group: str
    portal: str
    name: str
    visits: int | None
    rank: int | None


class Counts(Open):
    passed: int
    failed: int
    broken: int
    skipped: int
    total: int


class Compliance(Open):
    group: str
    portal: str
    name: str
    sites: int
    criteria: dict[str, Counts]
    score: float | None = None
    rank: int | None = None


class ComplianceRank(Open):
    group: str
    portal: str
    name: str
    score: float | None = None
    rank: int | None = None


class ResultsDocument(Open):
    """A results.json file (of one run, a shard, a re-run or a merge)."""

    version: int = Field(RESULTS_VERSION, ge=1, le=RESULTS_VERSION)
    generated_at: str = ""
    inventory: str = ""
    complete: bool = False
    inventory_digest: str | None = None  # Inventory.digest() of the inventory audited
    settings_digest: str | None = None  # settings_digest() of the settings the run used
    audit_config: str | None = None
    selection: Selection | None = None
    profile: str | None = None
    criteria: list[str] | None = None
    summary: dict[str, int] = Field(default_factory=dict)  # records by status
    evaluation: dict[str, Any] | None = None  # the round: period, started_at, versions (reports.evaluation)
    emc_data: dict[str, Any] | None = None
    ranking: list[RankingEntry] = Field(default_factory=list)
    compliance: list[Compliance] = Field(default_factory=list)
    compliance_ranking: list[ComplianceRank] = Field(default_factory=list)
    summary_error: str | None = None
    reviews: dict[str, Any] | None = None
    records: list[ResultRecord]

    def to_json(self) -> dict[str, Any]:
        """The document as plain JSON data, with exactly the keys it was made or read with."""
        return self.model_dump(mode="json", exclude_unset=True)

    def record_dicts(self) -> list[dict[str, Any]]:
        return [record.model_dump(mode="json", exclude_unset=True) for record in self.records]

    @property
    def period(self) -> str | None:
        period = (self.evaluation or {}).get("period")
        return str(period) if period is not None else None


def json_schema() -> dict[str, Any]:
    schema = ResultsDocument.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    """docs/results.schema.json, as the command writes it."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
