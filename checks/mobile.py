"""Criterion MOBILE (Decree 224/2026 Art. 10.3a): the homepage works on a phone: it declares a
viewport meta tag with width=device-width, and at a phone's width it is no wider than the screen
(no horizontal scrolling)."""

from __future__ import annotations

from portal_audit.evidence.artifacts import MobileView
from portal_audit.evidence.gatherers import MOBILE
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.verdicts import Attachment, Verdict
from portal_audit.evidence.site import SiteEvidence


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    view: MobileView = site_evidence.artifact(MOBILE)
    width = view.device_width or settings.mobile.viewport.width
    problems: list[str] = []
    codes: list[FailureKind] = []
    if view.viewport_meta is None:
        problems.append('thiếu thẻ <meta name="viewport"> (trình duyệt điện thoại thu nhỏ cả trang máy tính)')
        codes.append(FailureKind.NO_VIEWPORT_META)
    elif "device-width" not in view.viewport_meta.replace(" ", "").lower():
        problems.append(f"thẻ viewport không đặt width=device-width ('{view.viewport_meta}')")
        codes.append(FailureKind.VIEWPORT_NOT_DEVICE_WIDTH)
    # Without the viewport tag the page is laid out at a desktop width anyway: said once, above.
    if view.viewport_meta is not None and view.overflow > settings.mobile.overflow_tolerance:
        sticking = f" (phần tử tràn: {', '.join(view.wide_elements)})" if view.wide_elements else ""
        problems.append(f"trang rộng {view.scroll_width}px, lớn hơn màn hình điện thoại {width}px nên phải cuộn ngang "
                        "hoặc thu nhỏ" + sticking)
        codes.append(FailureKind.HORIZONTAL_SCROLL)
    evidence = {"viewport_meta": view.viewport_meta, "device_width": view.device_width,
                "inner_width": view.inner_width, "scroll_width": view.scroll_width,
                "wide_elements": view.wide_elements, "phone_width": width, "final_url": view.final_url,
                "reasons": [str(code) for code in codes]}  # plain strings: they cross xdist
    attachments = [Attachment(f"Ảnh trang chủ ở bề rộng điện thoại ({width}px)", view.screenshot, "image/jpeg", "jpg")
                   ] if view.screenshot else []
    if problems:
        return Verdict(Status.FAILED, f"Hiển thị trên điện thoại (rộng {width}px) không đạt: " + "; ".join(problems),
                       evidence, attachments)
    return Verdict(Status.PASSED, f"Hiển thị tốt trên điện thoại (rộng {width}px): có viewport '{view.viewport_meta}', "
                                  "không phải cuộn ngang", evidence, attachments)
