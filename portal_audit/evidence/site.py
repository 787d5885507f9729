"""SiteEvidence: everything gathered about one site for the selected criteria, frozen once the
runner assembled it. The judges read it and nothing else; the audit run saves it (JSON, screenshots
as files) so that `python -m portal_audit.rejudge` can judge it again with other settings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from portal_audit.evidence.artifacts import Gathered
from portal_audit.evidence.capture import Capture
from portal_audit.evidence.gatherers import VISIT


class GatherMissing(Exception):
    """A judge needs an artifact its gatherer could not give: the verdict is broken, with the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason)
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class VisitFailure:
    """Why the homepage could not be loaded (portal_audit.visit.errors.VisitError, as data)."""

    message: str  # the Vietnamese sentence of a broken verdict
    reason: str  # the short reason, quoted by the gatherers that depend on the visit
    evidence: dict[str, Any] = field(default_factory=dict)  # error_kind, detail, final_url, attempts


@dataclass(frozen=True)
class SiteEvidence:
    url: str  # the address the inventory gives
    capture: Capture | None = None  # the homepage visit; None when not needed or not loaded
    artifacts: Gathered = field(default_factory=Gathered)  # the other gatherers' artifacts or errors
    visit_failure: VisitFailure | None = None

    @property
    def homepage(self) -> Capture:
        """The visit's capture, for a judge that needs it."""
        if self.capture is None:
            reason = self.visit_failure.reason if self.visit_failure else "trang chủ không được tải"
            raise GatherMissing(VISIT, reason)
        return self.capture

    @property
    def final_url(self) -> str:
        """Where the visit landed, or the inventory's address without one."""
        return self.capture.final_url if self.capture is not None else self.url

    def artifact(self, name: str) -> Any:
        """The artifact of gatherer `name` (the attribute of the same name on `artifacts`)."""
        value = getattr(self.artifacts, name)
        if value is None:
            raise GatherMissing(name, self.artifacts.errors.get(name) or f"không có kết quả thu thập '{name}'")
        return value

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe; large reports and screenshots are left out (the run keeps screenshots as files)."""
        return {"url": self.url, "capture": json.loads(self.capture.to_json()) if self.capture else None,
                "artifacts": self.artifacts.to_dict(),
                "visit_failure": asdict(self.visit_failure) if self.visit_failure else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SiteEvidence":
        capture = Capture.from_json(json.dumps(data["capture"])) if data.get("capture") is not None else None
        failure = VisitFailure(**data["visit_failure"]) if data.get("visit_failure") else None
        return cls(str(data["url"]), capture, Gathered.from_dict(data.get("artifacts") or {}), failure)


def of_capture(capture: Capture, artifacts: Gathered | None = None) -> SiteEvidence:
    """The evidence of a site whose homepage gave `capture` (a snapshot while the page settles, or a
    saved capture in the self-tests)."""
    return SiteEvidence(capture.requested_url, capture, artifacts or Gathered())
