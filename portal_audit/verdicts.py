"""A criterion's judgement of one site: status, a Vietnamese reason and the evidence seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal_audit.status import Status

# The name of the homepage screenshot among a case's evidence (the agency reports look for it).
PAGE_SCREENSHOT = "Ảnh toàn trang"


@dataclass
class Attachment:
    name: str
    content: bytes | str
    mime: str  # e.g. "image/png", "application/json", "text/csv"
    extension: str


@dataclass
class Verdict:
    status: Status
    message: str
    # JSON-safe facts behind the verdict; goes to results.json and the Allure report.
    evidence: dict[str, Any] = field(default_factory=dict)
    # Larger evidence (screenshots, link lists) for the Allure report only.
    attachments: list[Attachment] = field(default_factory=list)
