"""What a criterion means for the agency reading its report, in Vietnamese: the declaration each
judge module makes next to its judge (`ABOUT`, one `About` per criterion code it judges).

Placeholder of the branch i18-content: the full module (with FIXES and ERROR_FIXES) comes with the
branch i19-command, which supersedes this file when both are merged; the fix texts of CONTENT's and
RATING's reasons are in docs/notes/content-guidance.md."""

from __future__ import annotations

from dataclasses import dataclass

from portal_audit.status import FailureKind


@dataclass(frozen=True)
class About:
    basis: str  # the legal basis: document, article, clause
    checks: str  # what the audit checks, as an agency's web team would verify it
    why: str  # why it matters
    reasons: tuple[FailureKind, ...]  # every reason code the judge can give, most fundamental first
