"""Criterion RATING (đánh giá mức độ hài lòng; Decree 224/2026 Art. 10.3b: every channel lets its
users rate their satisfaction online): the homepage offers an online satisfaction rating, as a link
a visitor reaches (seen, or behind a menu the visit opened), a button or form whose text names it
(settings rating.texts, letter case and accents ignored; a form in a dialog counts: its button
opens it), or an embedded rating widget (a frame or script whose address matches
rating.widget_pattern). The evidence names what was found and where (footer, header, menu, dialog)."""

from __future__ import annotations

import re

from portal_audit.evidence.artifacts import PageControl, PageText
from portal_audit.evidence.capture import Capture, Link
from portal_audit.evidence.gatherers import PAGE_TEXT
from portal_audit.evidence.site import SiteEvidence
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.text import plain
from portal_audit.verdicts import Verdict

_KINDS = {"a": "liên kết", "button": "nút", "form": "biểu mẫu", "iframe": "khung nhúng", "script": "tiện ích nhúng",
          "input": "nút"}


def _names_rating(text: str, settings: Settings) -> bool:
    padded = f" {plain(text)} "
    return any(f" {plain(t)} " in padded for t in settings.rating.texts if plain(t))


def _link(capture: Capture, settings: Settings) -> Link | None:
    found = [link for link in capture.links if (link.visible or link.reached_by) and _names_rating(link.text, settings)]
    return min(found, key=lambda link: bool(link.reached_by), default=None)


def _control(text: PageText, settings: Settings) -> PageControl | None:
    named = [c for c in text.controls if _names_rating(c.text, settings)]
    if named:
        return named[0]
    widget = re.compile(settings.rating.widget_pattern, re.IGNORECASE)
    return next((c for c in text.controls if c.tag in ("iframe", "script") and c.target and widget.search(c.target)),
                None)


def _where(link: Link, text: PageText | None) -> str:
    """Where the link sits, from the rendered HTML's structure when it is there."""
    if text is not None:
        same = next((c for c in text.controls if c.tag == "a" and c.target and link.raw and c.target == link.raw), None)
        if same is not None:
            return same.where
    return link.section or "trang chủ"


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    capture = site_evidence.homepage
    text: PageText = site_evidence.artifact(PAGE_TEXT)
    link = _link(capture, settings)
    if link is not None:
        where = _where(link, text)
        how = f", {link.reached_by}" if link.reached_by else ""
        return Verdict(Status.PASSED, f"Có chức năng đánh giá mức độ hài lòng: liên kết '{link.text.strip()}' "
                                      f"({where}{how}) → {link.href}",
                       {"found": {"kind": "liên kết", "text": link.text.strip(), "target": link.href, "where": where,
                                  "reached_by": link.reached_by}, "reasons": []})
    control = _control(text, settings)
    if control is not None:
        kind = _KINDS.get(control.tag, f"phần tử {control.tag}")
        named = f" '{control.text}'" if control.text else ""
        target = f" → {control.target}" if control.target else ""
        return Verdict(Status.PASSED, f"Có chức năng đánh giá mức độ hài lòng: {kind}{named} ({control.where}){target}",
                       {"found": {"kind": kind, "text": control.text, "target": control.target,
                                  "where": control.where, "reached_by": ""}, "reasons": []})
    return Verdict(Status.FAILED, "Trang chủ không có chức năng đánh giá mức độ hài lòng trực tuyến (không có liên kết, "
                                  "nút, biểu mẫu hay tiện ích nhúng nào mang tên: "
                                  f"{', '.join(settings.rating.texts[:3])}, ...)",
                   {"found": None, "reasons": [str(FailureKind.RATING_MISSING)]})


def ready(site_evidence: SiteEvidence, site: Site, settings: Settings) -> bool:
    return _link(site_evidence.homepage, settings) is not None
