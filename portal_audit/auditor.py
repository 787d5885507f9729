"""Failures on the auditor's side, never the agency's: the machine lost its network, or its browser
was closed under the audit (an interrupt that reached only Playwright's driver, a killed Chromium).
Such a case is recorded broken with kind auditor_network or auditor_browser: left out of the
compliance score and ranks, the run marked incomplete, and audited again by --rerun-failed-portals."""

from __future__ import annotations

from portal_audit.settings import Labels
from portal_audit.status import ErrorKind, Status
from portal_audit.verdicts import Verdict

# What Playwright says when the browser, its connection or its driver went away under a call
# (a page that crashes its renderer says "crashed" instead, and stays the site's failure).
BROWSER_GONE = ("target page, context or browser has been closed", "targetclosederror",
                "playwright connection closed", "connection closed while reading from the driver",
                "browser has been closed", "browser has disconnected")


def browser_gone(text: str) -> bool:
    lowered = text.lower()
    return any(pattern in lowered for pattern in BROWSER_GONE)


def auditor_verdict(kind: ErrorKind, url: str, detail: str, labels: Labels) -> Verdict:
    """The broken verdict of a site the auditor could not judge for `kind`; `detail`: what was seen."""
    label = labels.error_kinds.get(str(kind), str(kind))
    message = (f"Không đánh giá được {url}: {label[:1].lower()}{label[1:]} [{detail}]; "
               "không tính là lỗi của cơ quan, cần đánh giá lại (--rerun-failed-portals)")
    return Verdict(Status.BROKEN, message, {"error_kind": str(kind), "detail": detail})
