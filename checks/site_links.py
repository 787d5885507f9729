"""Criteria 3.2b and 3.2c (Circular 22, Art. 4 cl. 7b, 7c): the portal homepage links to each of
its component sites, and each component homepage links back to its portal.

A target counts as linked when a visible link on the rendered page (an <a>/<area>, an option
of a <select> link list, or a link inside an iframe) leads to the target site (portal_audit.urls:
same host whatever the scheme, a leading 'www.' or letter case; under the site's path when it has one)."""

from __future__ import annotations

import csv
import io

from portal_audit.inventory import LinkTarget, Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.urls import parse_address
from portal_audit.verdicts import Attachment, Verdict
from portal_audit.visit import Capture, Link


def _find(capture: Capture, target: LinkTarget) -> tuple[list[Link], list[Link]]:
    site = parse_address(target.url)
    if site is None:
        return [], []
    matching = [link for link in capture.links if (address := link.address()) is not None and address.is_within(site)]
    return [m for m in matching if m.visible], [m for m in matching if not m.visible]


def _host(url: str) -> str:
    address = parse_address(url)
    return address.match_host if address else url


def _link_table(capture: Capture) -> Attachment:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["loại", "địa chỉ", "tên miền", "nội dung", "hiển thị", "lý do ẩn", "khung"])
    for link in capture.links:
        address = link.address()
        writer.writerow([link.kind, link.href or link.raw, address.match_host if address else "", link.text,
                         "có" if link.visible else "không", link.hidden_reason or "", link.frame_url])
    return Attachment("Danh sách liên kết trên trang chủ", out.getvalue(), "text/csv", "csv")


def _describe(target: LinkTarget, hidden: list[Link]) -> str:
    text = f"{target.name} ({_host(target.url)})"
    if hidden:
        text += f" [có liên kết nhưng bị ẩn: {hidden[0].hidden_reason}]"
    return text


def _judge(capture: Capture, site: Site) -> tuple[list[str], dict[str, object]]:
    found: dict[str, dict[str, str]] = {}
    missing: list[str] = []
    for target in site.link_targets:
        visible, hidden = _find(capture, target)
        if visible:
            found[target.url] = {"name": target.name, "href": visible[0].href or visible[0].raw,
                                 "kind": visible[0].kind, "frame_url": visible[0].frame_url}
        else:
            missing.append(_describe(target, hidden))
    evidence = {"found": found, "missing": missing, "links_on_page": len(capture.links),
                "final_url": capture.final_url}
    return missing, evidence


def ready(capture: Capture, site: Site, settings: Settings) -> bool:
    return all(_find(capture, target)[0] for target in site.link_targets)


def judge_portal(capture: Capture, site: Site, settings: Settings) -> Verdict:
    if not site.link_targets:
        return Verdict(Status.SKIPPED, "Cổng chưa có trang thành phần nào trong danh mục, không đánh giá tiêu chí này")
    missing, evidence = _judge(capture, site)
    attachments = [_link_table(capture)]
    total = len(site.link_targets)
    if missing:
        return Verdict(Status.FAILED, f"Trang chủ cổng thiếu liên kết hiển thị đến {len(missing)}/{total} "
                                      "trang thành phần: " + "; ".join(missing),
                       {**evidence, "reasons": [str(FailureKind.COMPONENT_LINKS_MISSING)]}, attachments)
    return Verdict(Status.PASSED, f"Trang chủ cổng có liên kết đến đủ {total} trang thành phần", evidence, attachments)


def judge_component(capture: Capture, site: Site, settings: Settings) -> Verdict:
    missing, evidence = _judge(capture, site)
    attachments = [_link_table(capture)]
    portal = site.link_targets[0]
    if missing:
        return Verdict(Status.FAILED, f"Trang chủ không có liên kết hiển thị về cổng {missing[0]}",
                       {**evidence, "reasons": [str(FailureKind.PORTAL_LINK_MISSING)]}, attachments)
    href = next(iter(evidence["found"].values()))["href"]  # type: ignore[union-attr]
    return Verdict(Status.PASSED, f"Trang chủ có liên kết về cổng {portal.name} ({href})", evidence, attachments)
