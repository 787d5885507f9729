"""The CONTENT and RATING judges on saved evidence (a capture's links, the homepage's text and
controls, the item pages as loaded; through a JSON round trip, as `rejudge` reads them), the
homepage text gatherer on HTML, the choice of item pages to load, and the review of one item."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from portal_audit import checks
from portal_audit.checks.content import page_problem, shows_leader
from portal_audit.evidence.artifacts import Gathered, ItemPage, ItemPages, PageControl, PageText
from portal_audit.evidence.capture import Capture, Link
from portal_audit.evidence.item_links import pages_to_load
from portal_audit.evidence.site import SiteEvidence
from portal_audit.gather.page_text import page_text
from portal_audit.inventory import Site
from portal_audit.records.reviews import load_reviews
from portal_audit.settings import load_settings

SETTINGS = load_settings()
HOME = "https://tinh-a.gov.vn/"
ITEMS = {item.code: item for item in SETTINGS.content.items}
CONTACT = "Địa chỉ: 01 Lê Lợi. Điện thoại: 0236 3822 111. Email: vp@tinh-a.gov.vn"
BODY = "Nội dung chi tiết của trang được cập nhật đầy đủ theo quy định của pháp luật hiện hành. " * 3


def site(role: str = "portal", group: str = "province") -> Site:
    return Site("tinh-a", "Cổng TTĐT tỉnh A", group, role, "Trang A", HOME, None, (), (0, 0))


def link(text: str, path: str, visible: bool = True, reached_by: str = "") -> Link:
    href = path if path.startswith("http") else HOME.rstrip("/") + path
    return Link(href, path, text, "a", visible, None if visible else "display:none", HOME, reached_by=reached_by)


def page(path: str, text: str = BODY, **fields) -> ItemPage:
    url = HOME.rstrip("/") + path
    return ItemPage(url, final_url=fields.pop("final_url", url), status=fields.pop("status", 200), main_text=text, **fields)


ALL_LINKS = [link("Giới thiệu", "/gioi-thieu"), link("Lịch sử", "/lich-su"), link("Lãnh đạo", "/lanh-dao"),
             link("Văn bản", "/van-ban"), link("Dịch vụ công", "https://dichvucong.gov.vn/"),
             link("Kế hoạch", "/ke-hoach"), link("Bản đồ hành chính", "/ban-do"),
             link("Điều kiện tự nhiên", "/tu-nhien"), link("Văn hóa", "/van-hoa")]
ALL_PAGES = [page("/gioi-thieu"), page("/lich-su"), page("/lanh-dao", "Chủ tịch UBND tỉnh: Ông Nguyễn Văn An. " + BODY),
             page("/van-ban", search_form=True), page("/ke-hoach"), page("/ban-do"), page("/tu-nhien"),
             page("/van-hoa")]


def saved(links: list[Link], pages: list[ItemPage], text: str = CONTACT,
          controls: list[PageControl] | None = None) -> SiteEvidence:
    capture = Capture(requested_url=HOME, final_url=HOME, status=200, redirects=[], title="", queue_commands=[],
                      requests=[], console=[], dialogs=[], links=links, badges=[], html_mentions_emc=False)
    gathered = Gathered(page_text=PageText(text, controls or []), item_pages=ItemPages(pages))
    evidence = SiteEvidence(HOME, capture, gathered)
    return SiteEvidence.from_dict(json.loads(json.dumps(evidence.to_dict())))


def content(evidence: SiteEvidence, on: Site | None = None):
    return checks.by_code("CONTENT").evaluate(evidence, on or site(), SETTINGS)


def items_of(verdict) -> dict[str, dict]:
    return {i["code"]: i for i in verdict.evidence["items"]}


def test_every_item_found_and_shown_passes() -> None:
    verdict = content(saved(ALL_LINKS, ALL_PAGES))
    assert verdict.status == "passed", verdict.message
    assert verdict.message.startswith("Đủ 10 mục thông tin bắt buộc: Cơ cấu tổ chức, chức năng, nhiệm vụ: 'Giới thiệu'")
    assert items_of(verdict)["tthc"]["detail"] == "liên kết 'Dịch vụ công' tới https://dichvucong.gov.vn/"


def test_only_the_items_of_the_sites_kind() -> None:
    verdict = content(saved(ALL_LINKS[:6], ALL_PAGES[:5]), site("component"))
    assert verdict.status == "passed" and list(items_of(verdict)) == [
        "to_chuc", "lich_su", "lanh_dao", "van_ban", "tthc", "ke_hoach", "lien_he"]


def test_each_reason_of_a_failing_item() -> None:
    pages = [page("/gioi-thieu", error="máy chủ trả về mã lỗi HTTP 404", status=404), page("/lich-su", "Đang cập nhật"),
             page("/lanh-dao", "Giám đốc phụ trách chung. Phó Giám đốc phụ trách lĩnh vực được giao. " + BODY),
             page("/van-ban"), page("/ke-hoach", final_url=HOME),
             page("/ban-do", "Bản đồ hành chính đang cập nhật. " + BODY, entries=0),
             page("/tu-nhien", "Bản đồ đang cập nhật. " + BODY, entries=4), page("/van-hoa")]
    links = [lk for lk in ALL_LINKS if "dichvucong" not in lk.href]
    verdict = content(saved(links, pages, text="Điện thoại: 0236 3822 111"))
    items = items_of(verdict)
    assert verdict.status == "failed"
    assert {code: i["reason"] for code, i in items.items() if not i["passed"]} == {
        "to_chuc": "item_page_broken", "lich_su": "item_page_empty", "lanh_dao": "item_page_empty",
        "van_ban": "no_search_form", "tthc": "item_missing", "ke_hoach": "item_page_empty",
        "lien_he": "contact_incomplete", "ban_do": "item_page_empty"}
    assert verdict.evidence["reasons"] == ["item_page_broken", "item_page_empty", "no_search_form", "item_missing",
                                           "contact_incomplete"]
    # Plain strings, not enum members: records cross process boundaries (xdist) as plain data.
    assert {type(r) for r in verdict.evidence["reasons"]} | {type(i["reason"]) for i in items.values()} == {str}
    assert items["lien_he"]["detail"] == "trang chủ không ghi địa chỉ, thư điện tử dưới dạng chữ (ảnh không được tính)"
    assert items["ke_hoach"]["detail"].endswith("dẫn lại trang chủ")
    assert "không có chức vụ và họ tên lãnh đạo" in items["lanh_dao"]["detail"]
    assert "(trang ghi 'đang cập nhật', không có mục nào)" in items["ban_do"]["detail"]
    assert items["tu_nhien"]["passed"]  # "đang cập nhật" beside entries is a list still growing


def test_hidden_links_do_not_count_reached_ones_do_and_say_how() -> None:
    hidden = [link("Lịch sử", "/lich-su", visible=False)]
    verdict = content(saved([lk for lk in ALL_LINKS if lk.text != "Lịch sử"] + hidden, ALL_PAGES))
    assert items_of(verdict)["lich_su"]["detail"] == ("không có liên kết trên trang chủ (chỉ có liên kết ẩn 'Lịch sử' "
                                                      "không mở được)")
    reached = link("Lịch sử", "/lich-su", reached_by="hiển thị khi di chuột vào 'Giới thiệu'")
    verdict = content(saved([lk for lk in ALL_LINKS if lk.text != "Lịch sử"] + hidden + [reached], ALL_PAGES))
    assert verdict.status == "passed"
    assert items_of(verdict)["lich_su"]["detail"].endswith("(hiển thị khi di chuột vào 'Giới thiệu')")


def test_the_second_link_is_tried_and_article_titles_are_not_menu_entries() -> None:
    long_title = link("Kế hoạch triển khai nhiệm vụ chuyển đổi số của tỉnh A trong năm 2026", "/tin/1")
    links = ALL_LINKS + [link("Kế hoạch phát triển", "/ke-hoach-2")]
    pages = [p for p in ALL_PAGES if not p.url.endswith("/ke-hoach")] + [
        page("/ke-hoach", error="quá thời gian chờ"), page("/ke-hoach-2")]
    verdict = content(saved([long_title] + links, pages))
    assert verdict.status == "passed", verdict.message
    item = items_of(verdict)["ke_hoach"]
    assert item["url"].endswith("/ke-hoach-2") and item["tried"][0].endswith("không tải được: quá thời gian chờ")


def test_pages_to_load_first_links_first_within_the_bound() -> None:
    capture = saved(ALL_LINKS + [link("Kế hoạch phát triển", "/ke-hoach-2")], []).homepage
    urls, skipped = pages_to_load(capture, site(), SETTINGS)
    assert urls[-1].endswith("/ke-hoach-2") and not any("dichvucong" in u for u in urls) and skipped == []
    bounded = SETTINGS.model_copy(update={"content": SETTINGS.content.model_copy(update={"max_pages": 3})})
    urls, skipped = pages_to_load(capture, site(), bounded)
    assert [u.rsplit("/", 1)[1] for u in urls] == ["gioi-thieu", "lich-su", "lanh-dao"] and len(skipped) == 6
    verdict = checks.by_code("CONTENT").evaluate(saved(ALL_LINKS, ALL_PAGES[:3]), site(), bounded)
    assert "không được tải (vượt số trang nội dung được tải cho mỗi trang web)" in verdict.message


def test_leaders_need_a_title_and_a_name() -> None:
    assert shows_leader("Giám đốc Sở: Ông Trần Văn Bình", SETTINGS)
    assert shows_leader("Bộ trưởng Nguyễn Văn An", SETTINGS)
    assert shows_leader("Phó Chủ tịch UBND tỉnh: bà Lê Thị", SETTINGS)
    assert not shows_leader("Giám đốc phụ trách chung, Phó Giám đốc phụ trách lĩnh vực", SETTINGS)
    assert not shows_leader("Nguyễn Văn An, Trần Thị Bình", SETTINGS)


def test_an_empty_page_by_its_length() -> None:
    short = page("/lich-su", "Lịch sử")
    assert page_problem(short, ITEMS["lich_su"], HOME, SETTINGS)[0] == "item_page_empty"
    assert page_problem(page("/lich-su"), ITEMS["lich_su"], HOME, SETTINGS) == ("", "")


def test_ready_once_every_item_has_a_link() -> None:
    criterion = checks.by_code("CONTENT")
    assert criterion.ready(saved(ALL_LINKS, []), site(), SETTINGS)
    assert not criterion.ready(saved(ALL_LINKS[1:], []), site(), SETTINGS)
    assert criterion.interactive


def test_homepage_text_and_controls_with_where_they_sit() -> None:
    html = ("<html><body><header><a href='/'>Trang chủ</a></header><nav class='main-menu'><a href='/gt'>Giới thiệu</a></nav>"
            "<main><p>Tin tức</p><script>var phone = '0236 3822 111';</script><img alt='Điện thoại: 0236 3822 111'>"
            "<iframe src='https://khao-sat.gov.vn/w'></iframe></main>"
            "<div class='modal fade' role='dialog'><form action='/ks'><h3>Khảo sát ý kiến</h3></form></div>"
            "<footer><p>Địa chỉ: 01 Lê Lợi</p><a href='/danh-gia'>Đánh giá sự hài lòng</a></footer></body></html>")
    found = page_text(html)
    assert "0236" not in found.text and "Địa chỉ: 01 Lê Lợi" in found.text
    places = {(c.tag, c.target): c.where for c in found.controls}
    assert places == {("a", "/"): "đầu trang", ("a", "/gt"): "menu", ("iframe", "https://khao-sat.gov.vn/w"): "nội dung trang",
                      ("form", "/ks"): "hộp thoại", ("a", "/danh-gia"): "chân trang"}
    assert page_text("").text == ""


def rating(evidence: SiteEvidence):
    return checks.by_code("RATING").evaluate(evidence, site(), SETTINGS)


def test_rating_link_form_widget_or_nothing() -> None:
    footer = link("Đánh giá sự hài lòng", "/danh-gia")
    verdict = rating(saved([footer], [], controls=[PageControl("a", "Đánh giá sự hài lòng", "/danh-gia", "chân trang")]))
    assert verdict.message == ("Có chức năng đánh giá mức độ hài lòng: liên kết 'Đánh giá sự hài lòng' (chân trang) → "
                               "https://tinh-a.gov.vn/danh-gia")
    form = PageControl("form", "Khảo sát ý kiến người dân", "/ks", "hộp thoại")
    verdict = rating(saved([replace(footer, visible=False, hidden_reason="display:none")], [], controls=[form]))
    assert verdict.message == "Có chức năng đánh giá mức độ hài lòng: biểu mẫu 'Khảo sát ý kiến người dân' (hộp thoại) → /ks"
    widget = PageControl("iframe", "", "https://hailong.tinh-a.gov.vn/widget", "chân trang")
    assert rating(saved([], [], controls=[widget])).evidence["found"]["kind"] == "khung nhúng"
    none = rating(saved([link("Góp ý", "/gop-y")], [], controls=[PageControl("button", "Gửi", "", "hộp thoại")]))
    assert none.status == "failed" and none.evidence["reasons"] == ["rating_missing"]
    assert none.message.startswith("Trang chủ không có chức năng đánh giá mức độ hài lòng trực tuyến")


def test_review_of_one_item(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yaml"
    path.write_text("reviews:\n  - {site: 'https://tinh-a.gov.vn/', criterion: CONTENT, item: lich_su, status: passed,\n"
                    "     reason: 'có trong mục Giới thiệu', reviewer: A, date: 2026-11-20}\n", encoding="utf-8")
    reviews = load_reviews(path, checks.CODES, [(HOME, "CONTENT")], {"CONTENT": list(ITEMS)})
    failed = content(saved([lk for lk in ALL_LINKS if lk.text != "Lịch sử"], ALL_PAGES))
    record = {"site": HOME, "criterion": "CONTENT", "status": str(failed.status), "message": failed.message,
              "evidence": failed.evidence}
    settled = reviews.apply(record)
    assert (settled["status"], settled["review_applied"], settled["items_missing"]) == ("passed", True, [])
    # Once the item passes by itself, the review no longer applies and says so.
    passing = content(saved(ALL_LINKS, ALL_PAGES))
    again = reviews.apply({**record, "status": "passed", "message": passing.message, "evidence": passing.evidence})
    assert again["status"] == "passed" and not again["review_applied"]
    assert "mục lich_su: Kết quả tự động đã thay đổi" in again["review_note"]
