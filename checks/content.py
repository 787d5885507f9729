"""Criterion CONTENT (thông tin bắt buộc phải cung cấp; Decree 42/2022 Art. 4, Decree 224/2026
Art. 9.1): each required item of the site's kind (settings content.items) is reachable from the
homepage and its page shows what the item needs.

For an item, the links a visitor can reach naming it (portal_audit.evidence.item_links: seen as the
page loaded, or behind a menu, tab or list the visit opened) are tried in order, and the first whose
page loaded, is not empty (a category without entries, "đang cập nhật", the homepage again) and
shows what is required (a search form for documents, a leader's title and name) satisfies it. A link
to an accepted host (the National Public Service Portal) counts without loading it. The contact
details (address, phone number, e-mail) must be text on the homepage itself. Every item is listed
in the evidence with the link and page that satisfied it, or its reason."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from portal_audit.evidence.artifacts import ItemPage, ItemPages, PageText
from portal_audit.evidence.capture import Capture, Link
from portal_audit.evidence.gatherers import ITEM_PAGES, PAGE_TEXT
from portal_audit.evidence.item_links import (accepted_link, hidden_links, item_links, items_for, page_address,
                                              same_page)
from portal_audit.evidence.site import SiteEvidence
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.settings.model import ContentItem
from portal_audit.status import FailureKind, Status
from portal_audit.verdicts import Attachment, Verdict

K = FailureKind
_HONORIFIC = re.compile(r"^(ông|bà|đồng chí|đ/c|ts\.?|ths\.?|pgs\.?|gs\.?)$", re.IGNORECASE)


@dataclass
class ItemResult:
    code: str
    label: str
    passed: bool
    reason: str = ""  # a FailureKind value when not passed
    detail: str = ""  # Vietnamese: what satisfied it, or why not
    link_text: str = ""
    url: str = ""
    reached_by: str = ""
    tried: list[str] = field(default_factory=list)  # the item pages tried, with what each showed

    def __post_init__(self) -> None:
        # A plain string in the evidence: records cross process boundaries (xdist) and JSON as data.
        self.reason = str(self.reason)


def _has_name(text: str) -> bool:
    """A person's name: three capitalised words in a row, or an honorific and two."""
    words = text.split()
    run = 0
    for index, word in enumerate(words):
        clean = word.strip(",.;:()–-")
        if clean[:1].isupper() and not clean.isupper():
            run += 1
            if run >= 3 or (run >= 2 and index >= run and _HONORIFIC.match(words[index - run].strip(",.:"))):
                return True
        else:
            run = 0
    return False


def shows_leader(text: str, settings: Settings) -> bool:
    for match in re.finditer(settings.content.leader_titles, text, re.IGNORECASE):
        if _has_name(text[match.end():match.end() + 80]):
            return True
    return False


def page_problem(page: ItemPage | None, item: ContentItem, homepage: str, settings: Settings) -> tuple[str, str]:
    """(reason, why) of an item page that does not count; ("", "") when it does."""
    content = settings.content
    if page is None:
        return K.ITEM_PAGE_BROKEN, "không được tải (vượt số trang nội dung được tải cho mỗi trang web)"
    if page.error is not None:
        return K.ITEM_PAGE_BROKEN, f"không tải được: {page.error}"
    if same_page(page.final_url or page.url, homepage):
        return K.ITEM_PAGE_EMPTY, "dẫn lại trang chủ"
    text = page.main_text
    if len(text) < content.min_text:
        return K.ITEM_PAGE_EMPTY, f"không có nội dung (phần nội dung chính chỉ có {len(text)} ký tự)"
    said = re.search(content.empty_pattern, text, re.IGNORECASE)
    if said and page.entries == 0:
        return K.ITEM_PAGE_EMPTY, f"không có nội dung (trang ghi '{said.group(0)}', không có mục nào)"
    if item.show == "search_form" and not page.search_form:
        return K.NO_SEARCH_FORM, "không có công cụ tìm kiếm, lọc văn bản"
    if item.show == "leaders" and not shows_leader(text, settings):
        return K.ITEM_PAGE_EMPTY, "không có chức vụ và họ tên lãnh đạo"
    return "", ""


def _found_by(link: Link) -> str:
    return f" ({link.reached_by})" if link.reached_by else ""


def judge_item(item: ContentItem, capture: Capture, pages: ItemPages, settings: Settings) -> ItemResult:
    result = ItemResult(item.code, item.label, False)
    accepted = accepted_link(capture, item)
    if accepted is not None:
        return ItemResult(item.code, item.label, True, detail=f"liên kết '{accepted.text.strip()}' tới {accepted.href}"
                          f"{_found_by(accepted)}", link_text=accepted.text.strip(), url=accepted.href,
                          reached_by=accepted.reached_by)
    links = item_links(capture, item, settings)
    if not links:
        hidden = hidden_links(capture, item, settings)
        why = f" (chỉ có liên kết ẩn '{hidden[0].text.strip()}' không mở được)" if hidden else ""
        return ItemResult(item.code, item.label, False, K.ITEM_MISSING,
                          f"không có liên kết trên trang chủ{why}")
    first: tuple[str, str, Link] | None = None
    for link in links:
        page = pages.page(page_address(link) or link.href)
        reason, why = page_problem(page, item, capture.final_url, settings)
        result.tried.append(f"{link.href}: {why or 'đạt'}")
        if not reason:
            return ItemResult(item.code, item.label, True, detail=f"'{link.text.strip()}' → {link.href}{_found_by(link)}",
                              link_text=link.text.strip(), url=link.href, reached_by=link.reached_by, tried=result.tried)
        first = first or (reason, why, link)
    assert first is not None
    reason, why, link = first
    result.reason, result.link_text, result.url, result.reached_by = str(reason), link.text.strip(), link.href, link.reached_by
    result.detail = f"trang {link.href} (liên kết '{link.text.strip()}'{_found_by(link)}) {why}"
    return result


def judge_contact(item: ContentItem, text: PageText, settings: Settings) -> ItemResult:
    patterns = settings.content.contact.model_dump()
    missing = [name for name, pattern in patterns.items() if not re.search(pattern, text.text, re.IGNORECASE)]
    labels = settings.content.contact_labels
    if not missing:
        return ItemResult(item.code, item.label, True, detail="địa chỉ, số điện thoại và thư điện tử có trên trang chủ")
    names = ", ".join(labels.get(name, name) for name in missing)
    return ItemResult(item.code, item.label, False, K.CONTACT_INCOMPLETE,
                      f"trang chủ không ghi {names} dưới dạng chữ (ảnh không được tính)")


def item_results(site_evidence: SiteEvidence, site: Site, settings: Settings) -> list[ItemResult]:
    capture = site_evidence.homepage
    results = []
    for item in items_for(site, settings):
        if item.show == "contact":
            results.append(judge_contact(item, site_evidence.artifact(PAGE_TEXT), settings))
        else:
            results.append(judge_item(item, capture, site_evidence.artifact(ITEM_PAGES), settings))
    return results


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    results = item_results(site_evidence, site, settings)
    failed = [r for r in results if not r.passed]
    reasons = list(dict.fromkeys(r.reason for r in failed))
    evidence = {"items": [asdict(r) for r in results], "missing": [r.code for r in failed], "reasons": reasons,
                "final_url": site_evidence.final_url}
    attachments = _screenshots(site_evidence, failed)
    if failed:
        return Verdict(Status.FAILED, "Thiếu thông tin bắt buộc phải cung cấp: " + "; ".join(
            f"{r.label}: {r.detail}" for r in failed), evidence, attachments)
    return Verdict(Status.PASSED, f"Đủ {len(results)} mục thông tin bắt buộc: " + "; ".join(
        f"{r.label}: {r.detail}" for r in results), evidence)


def _screenshots(site_evidence: SiteEvidence, failed: list[ItemResult]) -> list[Attachment]:
    pages = site_evidence.artifacts.item_pages
    if pages is None:
        return []
    shots = []
    for result in failed:
        page = pages.page(result.url.split("#")[0]) if result.url else None  # the link's address, as loaded
        if page is not None and page.screenshot:
            shots.append(Attachment(f"Trang '{result.label}'", page.screenshot, "image/jpeg", "jpg"))
    return shots


def ready(site_evidence: SiteEvidence, site: Site, settings: Settings) -> bool:
    """Every item that needs a link has one a visitor reaches (the pages are loaded after the visit)."""
    capture = site_evidence.homepage
    return all(accepted_link(capture, item) is not None or item_links(capture, item, settings)
               for item in items_for(site, settings) if item.show != "contact")


# What the agencies read about this criterion (docs/tieu-chi.md, generated by portal_audit.criteria_doc);
# one block at the end of the module, apart from the judge's body, with its own imports.
from portal_audit.guidance import About  # noqa: E402

ABOUT = {"CONTENT": About(
    basis="Nghị định 42/2022/NĐ-CP, Điều 4 (thông tin giới thiệu, văn bản và công cụ tìm kiếm văn bản, chiến lược, "
          "quy hoạch, kế hoạch, thông tin liên hệ); Nghị định 224/2026/NĐ-CP, Điều 9, khoản 1 (thủ tục hành chính, "
          "dịch vụ công trực tuyến; cơ cấu tổ chức, lịch sử, lãnh đạo; với tỉnh: bản đồ hành chính, điều kiện tự "
          "nhiên, văn hóa, di tích, danh lam thắng cảnh)",
    checks="Từ trang chủ (kể cả trong menu mở khi di chuột, thẻ, danh sách chọn) có liên kết tới từng mục thông tin "
           "bắt buộc, trang được liên kết tải được và có nội dung (không phải chuyên mục rỗng, 'đang cập nhật' hay "
           "trang chủ); trang văn bản có công cụ tìm kiếm, lọc; trang lãnh đạo có chức vụ và họ tên; liên kết tới "
           "Cổng Dịch vụ công quốc gia được tính ngay; địa chỉ, số điện thoại, thư điện tử ghi bằng chữ trên trang chủ.",
    why="Người dân, doanh nghiệp phải tìm được thông tin pháp luật yêu cầu cơ quan nhà nước công khai trên cổng "
        "thông tin điện tử.",
    reasons=(K.ITEM_MISSING, K.ITEM_PAGE_BROKEN, K.ITEM_PAGE_EMPTY, K.NO_SEARCH_FORM, K.CONTACT_INCOMPLETE))}
