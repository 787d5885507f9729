"""Criterion 3.2a: the "Đã kết nối EMC" badge is visible on the rendered homepage
(Circular 22, Art. 4 cl. 7a). Present but hidden by CSS does not count."""

from __future__ import annotations

from dataclasses import asdict

from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.verdicts import PAGE_SCREENSHOT, Attachment, Verdict
from portal_audit.evidence.capture import BadgeCandidate
from portal_audit.evidence.site import SiteEvidence


def _preference(candidate: BadgeCandidate) -> int:
    # The label text is the most telling element; a bare container the least.
    for rank, prefix in enumerate(("text:", "image:", "selector:")):
        if candidate.matched_by.startswith(prefix):
            return rank
    return 3


def _counts(candidate: BadgeCandidate, settings: Settings) -> bool:
    """Whether the candidate is one the settings look for. The visit looked with the settings of its
    run: evidence judged again with other badge texts or selectors (portal_audit.rejudge) keeps
    only what the new ones would have matched of what the visit found."""
    how, _, what = candidate.matched_by.partition(": ")
    if how == "text":
        return any(text in what or text in candidate.text for text in settings.badge.texts)
    if how == "selector":
        return what in settings.badge.selectors
    return True


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    capture = site_evidence.homepage
    label = settings.badge.texts[0] if settings.badge.texts else "EMC"
    candidates = sorted((c for c in capture.badges if _counts(c, settings)), key=_preference)
    visible = [c for c in candidates if c.visible]
    evidence = {"candidates": [asdict(c) for c in candidates], "final_url": capture.final_url}
    if visible:
        best = visible[0]
        attachments = []
        if capture.badge_clip:
            attachments.append(Attachment("Ảnh nhãn EMC", capture.badge_clip, "image/png", "png"))
        return Verdict(Status.PASSED, f"Nhãn '{label}' hiển thị trên trang chủ ({best.matched_by})", evidence, attachments)

    attachments = []
    if capture.screenshot:
        attachments.append(Attachment(PAGE_SCREENSHOT, capture.screenshot, "image/jpeg", "jpg"))
    if candidates:
        reason = candidates[0].hidden_reason or "không hiển thị"
        return Verdict(Status.FAILED, f"Nhãn '{label}' có trên trang nhưng bị ẩn ({reason}), "
                               "người dùng không nhìn thấy",
                       {**evidence, "reasons": [str(FailureKind.BADGE_HIDDEN)]}, attachments)
    return Verdict(Status.FAILED, f"Không thấy nhãn '{label}' trên trang chủ",
                   {**evidence, "reasons": [str(FailureKind.BADGE_MISSING)]}, attachments)


def ready(site_evidence: SiteEvidence, site: Site, settings: Settings) -> bool:
    capture = site_evidence.homepage
    return any(candidate.visible and _counts(candidate, settings) for candidate in capture.badges)
