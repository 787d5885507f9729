"""Criteria 3.2b and 3.2c (Circular 22, Art. 4 cl. 7b, 7c): the portal homepage links to each of
its component sites, and each component homepage links back to its portal.

A target counts as linked when a link a visitor can reach on the homepage leads to the target site
(portal_audit.urls: same host whatever the scheme, a leading 'www.' or letter case; under the site's
path when it has one). Reachable means visible as the page shows (an <a>/<area>, an option of a
<select> link list, a link inside an iframe), or reached by what a visitor does on the page: the visit
records how (`Link.reached_by`: a hover menu, a tab, an option of a list whose script holds the
address, an element acting as a link), and the verdict names it.

Look-alikes do not count, and the verdict names them: another site of the same domain
(dichvucong.tinh-a.gov.vn is not tinh-a.gov.vn), a link whose text names the target but leads to the
page's own article, the target's former address (inventory `former_urls`)."""

from __future__ import annotations

from portal_audit.cells import to_csv
from portal_audit.inventory import LinkTarget, Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.text import plain
from portal_audit.urls import Address, parse_address
from portal_audit.verdicts import Attachment, Verdict
from portal_audit.evidence.capture import Capture, Link
from portal_audit.evidence.site import SiteEvidence


def _within(link: Link, site: Address) -> bool:
    address = link.address()
    return address is not None and address.is_within(site)


def _find(capture: Capture, target: LinkTarget) -> tuple[list[Link], list[Link]]:
    """The visible links to the target (those seen as the page loaded first), and the hidden ones."""
    site = parse_address(target.url)
    if site is None:
        return [], []
    matching = [link for link in capture.links if _within(link, site)]
    visible = sorted((m for m in matching if m.visible), key=lambda link: bool(link.reached_by))
    return visible, [m for m in matching if not m.visible]


def _host(url: str) -> str:
    address = parse_address(url)
    return address.match_host if address else url


def _link_table(capture: Capture) -> Attachment:
    rows: list[list[object]] = [["loại", "địa chỉ", "tên miền", "nội dung", "hiển thị", "lý do ẩn", "khung",
                                 "cách truy cập"]]
    for link in capture.links:
        address = link.address()
        rows.append([link.kind, link.href or link.raw, address.match_host if address else "", link.text,
                     "có" if link.visible else "không", link.hidden_reason or "", link.frame_url,
                     link.reached_by])
    # Link texts are the site's: never a formula in the spreadsheet that opens this file.
    return Attachment("Danh sách liên kết trên trang chủ", to_csv(rows), "text/csv", "csv")


def _core(name: str, settings: Settings) -> str:
    """The part of a name that tells which site it is ('Cổng TTĐT tỉnh A' -> 'tinh a')."""
    text = plain(name)
    for word in sorted((plain(w) for w in settings.links.generic_words), key=len, reverse=True):
        if word and text.startswith(word + " "):
            return text[len(word) + 1:]
    return text


def _names(link: Link, target: LinkTarget, settings: Settings) -> bool:
    """Whether the link's text names the target (its name, the distinctive part of it, or its host)."""
    text, name, core = plain(link.text), plain(target.name), _core(target.name, settings)
    if not text:
        return False
    return (name in text or core and len(core) >= 4 and core in text or len(text) >= 8 and text in name
            or _host(target.url) in link.text.lower())


def _look_alike(capture: Capture, target: LinkTarget, settings: Settings) -> str:
    """Why a visible link that looks like the target's is not, '' when there is none."""
    for former in target.former_urls:
        old = parse_address(former)
        hits = [link for link in capture.links if link.visible and old is not None and _within(link, old)]
        if hits:
            return f"chỉ có liên kết tới địa chỉ cũ {old.match_host if old else former} ({hits[0].href or hits[0].raw})"
    site = parse_address(target.url)
    page = parse_address(capture.final_url)
    for link in capture.links:
        if not link.visible or site is None or not _names(link, target, settings):
            continue
        address = link.address()
        if address is None:
            if link.kind == "option":
                return f"mục '{link.text[:80]}' của danh sách chọn không dẫn tới trang nào (giá trị '{link.raw[:40]}')"
            continue
        if page is not None and address.match_host == page.match_host:
            where = "một trang của chính trang này"
        elif address.registrable_domain and address.registrable_domain == site.registrable_domain:
            where = f"{address.match_host}, một trang khác cùng tên miền {site.registrable_domain}"
        else:
            where = f"{address.match_host}, một trang khác"
        return f"liên kết '{link.text[:80]}' dẫn tới {link.href or link.raw} ({where})"
    return ""


def _describe(capture: Capture, target: LinkTarget, hidden: list[Link], settings: Settings) -> str:
    text = f"{target.name} ({_host(target.url)})"
    if hidden:
        text += f" [có liên kết nhưng bị ẩn: {hidden[0].hidden_reason}]"
        if capture.interactions:
            text += " (không thao tác nào trên trang làm liên kết hiện ra)"
        return text
    look_alike = _look_alike(capture, target, settings)
    if look_alike:
        text += f" [{look_alike}]"
    return text


def _judge(capture: Capture, site: Site, settings: Settings) -> tuple[list[str], dict[str, dict[str, str]], dict[str, object]]:
    found: dict[str, dict[str, str]] = {}
    missing: list[str] = []
    for target in site.link_targets:
        visible, hidden = _find(capture, target)
        if visible:
            found[target.url] = {"name": target.name, "href": visible[0].href or visible[0].raw,
                                 "kind": visible[0].kind, "frame_url": visible[0].frame_url,
                                 "reached_by": visible[0].reached_by}
        else:
            missing.append(_describe(capture, target, hidden, settings))
    evidence: dict[str, object] = {"found": found, "missing": missing, "links_on_page": len(capture.links),
                                   "final_url": capture.final_url}
    if capture.interactions:
        evidence["interactions"] = list(capture.interactions)
    return missing, found, evidence


def _how(found: dict[str, str]) -> str:
    return f" — {found['reached_by']}" if found.get("reached_by") else ""


def ready(site_evidence: SiteEvidence, site: Site, settings: Settings) -> bool:
    capture = site_evidence.homepage
    return all(_find(capture, target)[0] for target in site.link_targets)


def judge_portal(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    capture = site_evidence.homepage
    if not site.link_targets:
        return Verdict(Status.SKIPPED, "Cổng chưa có trang thành phần nào trong danh mục, không đánh giá tiêu chí này")
    missing, found, evidence = _judge(capture, site, settings)
    attachments = [_link_table(capture)]
    total = len(site.link_targets)
    if missing:
        return Verdict(Status.FAILED, f"Trang chủ cổng thiếu liên kết hiển thị đến {len(missing)}/{total} "
                                      "trang thành phần: " + "; ".join(missing),
                       {**evidence, "reasons": [str(FailureKind.COMPONENT_LINKS_MISSING)]}, attachments)
    acted = [f"{item['name']}{_how(item)}" for item in found.values() if item["reached_by"]]
    message = f"Trang chủ cổng có liên kết đến đủ {total} trang thành phần"
    if acted:
        message += f"; {len(acted)} liên kết người xem tới được khi thao tác trên trang: " + "; ".join(acted)
    return Verdict(Status.PASSED, message, evidence, attachments)


def judge_component(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    capture = site_evidence.homepage
    missing, found, evidence = _judge(capture, site, settings)
    attachments = [_link_table(capture)]
    portal = site.link_targets[0]
    if missing:
        return Verdict(Status.FAILED, f"Trang chủ không có liên kết hiển thị về cổng {missing[0]}",
                       {**evidence, "reasons": [str(FailureKind.PORTAL_LINK_MISSING)]}, attachments)
    link = next(iter(found.values()))
    return Verdict(Status.PASSED, f"Trang chủ có liên kết về cổng {portal.name} ({link['href']}){_how(link)}",
                   evidence, attachments)


# What the agencies read about this criterion (docs/tieu-chi.md, generated by portal_audit.criteria_doc);
# one block at the end of the module, apart from the judge's body, with its own imports.
from portal_audit.guidance import About  # noqa: E402
from portal_audit.status import FailureKind as K  # noqa: E402

ABOUT = {
    "3.2b": About(
        basis="Thông tư 22/2023/TT-BTTTT, Điều 4, khoản 7, điểm b; Công văn 2820/BTTTT-CPSQG, tiêu chí 3.2",
        checks="Trang chủ cổng có liên kết người xem dùng được tới từng trang thành phần trong danh mục: liên kết "
               "hiển thị, mục của danh sách chọn, hoặc liên kết hiện ra khi người xem rê chuột, bấm thẻ, chọn mục. "
               "Liên kết tới trang khác cùng tên miền, tới bài viết của chính cổng, tới địa chỉ cũ thì không tính.",
        why="Người dân tìm được trang của từng đơn vị trực thuộc từ cổng của bộ, ngành, tỉnh.",
        reasons=(K.COMPONENT_LINKS_MISSING,)),
    "3.2c": About(
        basis="Thông tư 22/2023/TT-BTTTT, Điều 4, khoản 7, điểm c; Công văn 2820/BTTTT-CPSQG, tiêu chí 3.2",
        checks="Trang chủ trang thành phần có liên kết người xem dùng được về cổng của bộ, ngành, tỉnh (cùng quy tắc "
               "như 3.2b; liên kết tới địa chỉ cũ của cổng không tính).",
        why="Người dân từ trang của đơn vị về được cổng chung của bộ, ngành, tỉnh.",
        reasons=(K.PORTAL_LINK_MISSING,)),
}
