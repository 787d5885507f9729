"""The simulated world of criteria CONTENT and RATING: portals and component sites of both kinds
(a province and a ministry) that pass and fail each required content item for each reason, in the
shapes real portals have: a mega-menu whose "Giới thiệu" submenu appears on hover, items named
differently ("Sơ đồ tổ chức", "Bộ máy tổ chức", "Thông tin lãnh đạo", "Hệ thống văn bản", "Cổng dịch
vụ công"), a category page with no entries, an item link that answers 404, a link back to the
homepage, a documents page without a search form, a leaders' page without a name, contact details
only in an image, a rating link in the footer, a rating form in a modal, an embedded rating widget.

| site                       | kind            | CONTENT fails on                                    | RATING                 |
|----------------------------|-----------------|-----------------------------------------------------|------------------------|
| tinh-dat.gov.vn            | province portal | - (six items behind the hover menu)                 | link in the footer     |
| tinh-thieu.gov.vn          | province portal | lich_su missing, lanh_dao 404, van_ban no search,   | form in a modal        |
|                            |                 | tthc "đang cập nhật", ke_hoach → homepage,          |                        |
|                            |                 | tu_nhien category without entries, contact in image |                        |
| so-b.tinh-dat.gov.vn       | component       | lanh_dao page without a leader's name               | link in the footer     |
| bo-dat.gov.vn              | ministry portal | -                                                   | embedded widget        |
| cuc-a.bo-dat.gov.vn        | component       | -                                                   | missing                |
"""

from __future__ import annotations

import html

from .server import Response, Site

P, F = "passed", "failed"
TINH_DAT, TINH_THIEU, SO_B = "https://tinh-dat.gov.vn/", "https://tinh-thieu.gov.vn/", "https://so-b.tinh-dat.gov.vn/"
BO_DAT, CUC_A = "https://bo-dat.gov.vn/", "https://cuc-a.bo-dat.gov.vn/"
CRITERIA = ("CONTENT", "RATING")
EXPECTED: dict[tuple[str, str], str] = {
    (TINH_DAT, "CONTENT"): P, (TINH_DAT, "RATING"): P,
    (TINH_THIEU, "CONTENT"): F, (TINH_THIEU, "RATING"): P,
    (SO_B, "CONTENT"): F, (SO_B, "RATING"): P,
    (BO_DAT, "CONTENT"): P, (BO_DAT, "RATING"): P,
    (CUC_A, "CONTENT"): P, (CUC_A, "RATING"): F,
}
# Every path of an item page in this world: a run that does not judge CONTENT requests none.
ITEM_PATHS = ("/gioi-thieu/so-do", "/lich-su", "/lanh-dao", "/tu-nhien", "/ban-do", "/van-hoa", "/van-ban",
              "/ke-hoach", "/bo-may", "/tthc", "/dich-vu-cong", "/co-cau", "/chuyen-muc/tu-nhien")

_CSS = """
*{box-sizing:border-box}body{margin:0;font:15px/1.5 Arial,sans-serif;color:#222}
header{background:#a3161a;color:#fff;padding:14px 18px}header h1{margin:0;font-size:22px}
nav.mega{background:#fff;border-bottom:3px solid #a3161a}
nav.mega ul.menu{list-style:none;margin:0;padding:0;display:flex}
nav.mega ul.menu>li{position:relative}nav.mega ul.menu>li>a,nav.mega ul.menu>li>span{display:block;padding:10px 14px}
nav.mega .sub{display:none;position:absolute;left:0;top:100%;background:#fff;min-width:240px;z-index:20;padding:8px 12px;
box-shadow:0 4px 10px rgba(0,0,0,.2)}
nav.mega li.has-sub:hover>.sub{display:block}
nav.mega .sub ul{list-style:none;margin:0;padding:0}
main{max-width:960px;margin:0 auto;padding:16px;min-height:400px}
footer{background:#222;color:#ddd;padding:16px}footer a{color:#fff}
.modal{display:none;position:fixed;top:20%;left:30%;background:#fff;border:1px solid #999;padding:16px}
.modal.open{display:block}
"""
NEWS = ["Hội nghị triển khai nhiệm vụ chuyển đổi số năm 2026 của tỉnh",
        "Kết quả thực hiện cải cách hành chính quý III năm 2026",
        "Tăng cường công tác phòng, chống thiên tai mùa mưa bão"]
LONG = ("Nội dung được biên soạn và cập nhật thường xuyên theo quy định của pháp luật về cung cấp thông tin "
        "trên cổng thông tin điện tử của cơ quan nhà nước, bảo đảm đầy đủ, chính xác và kịp thời. ")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def page(title: str, nav: str, main: str, footer: str, extra: str = "") -> Response:
    body = (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f'<style>{_CSS}</style></head><body><header><h1>{_e(title)}</h1>'
            '<form class="search" action="/tim-kiem"><input type="text" name="q" aria-label="Tìm kiếm">'
            '<button type="submit">Tìm</button></form></header>'
            f'{nav}<main>{main}</main><footer>{footer}</footer>{extra}</body></html>')
    return Response(body=body)


def _menu(items: list[tuple[str, str]], hover: list[tuple[str, str]] | None = None) -> str:
    """A mega-menu: visible entries, and a "Giới thiệu" entry whose submenu shows on hover only."""
    cells = ['<li><a href="/">Trang chủ</a></li>']
    if hover:
        sub = "".join(f'<li><a href="{href}">{_e(text)}</a></li>' for text, href in hover)
        cells.append(f'<li class="has-sub"><span>Giới thiệu</span><div class="sub"><ul>{sub}</ul></div></li>')
    cells += [f'<li><a href="{href}">{_e(text)}</a></li>' for text, href in items]
    return f'<nav class="mega"><ul class="menu">{"".join(cells)}</ul></nav>'


def _news() -> str:
    return "<h2>Tin tức</h2><ul>" + "".join(f'<li><a href="/tin/{i}">{_e(t)}</a></li>' for i, t in enumerate(NEWS)) + "</ul>"


def _contact(name: str, host: str) -> str:
    return (f"<p>{_e(name)}</p><p>Địa chỉ: 01 đường Lê Lợi, thành phố {_e(name)}</p>"
            f"<p>Điện thoại: (0236) 3822 111 - Fax: 0236 3822 112</p><p>Email: vanphong@{host}</p>")


def _article(heading: str, text: str = "") -> str:
    return f"<h2>{_e(heading)}</h2><p>{_e(text or LONG * 2)}</p>"


def _list_page(heading: str, entries: list[str], search: bool) -> str:
    form = ('<form action="" class="loc-van-ban"><input type="text" name="so-ky-hieu" aria-label="Số ký hiệu">'
            '<select name="loai"><option>Quyết định</option><option>Kế hoạch</option></select>'
            '<button type="submit">Tìm văn bản</button></form>') if search else ""
    rows = "".join(f'<li><a href="/van-ban/{i}">{_e(e)}</a></li>' for i, e in enumerate(entries))
    return f"<h2>{_e(heading)}</h2>{form}<ul>{rows}</ul><p>{_e(LONG)}</p>"


LEADERS = ("<h2>Lãnh đạo</h2><ul><li>Chủ tịch UBND tỉnh: Ông Nguyễn Văn An</li>"
           "<li>Phó Chủ tịch UBND tỉnh: Bà Trần Thị Bình</li></ul><p>" + _e(LONG) + "</p>")
DOCUMENTS = ["Quyết định số 12/2026/QĐ-UBND ban hành quy chế", "Kế hoạch số 45/KH-UBND về chuyển đổi số",
             "Chỉ thị số 03/CT-UBND về cải cách hành chính"]


def _tinh_dat() -> Site:
    name, host = "Cổng TTĐT tỉnh Đạt", "tinh-dat.gov.vn"
    hover = [("Sơ đồ tổ chức", "/gioi-thieu/so-do"), ("Lịch sử hình thành", "/lich-su"),
             ("Thông tin lãnh đạo", "/lanh-dao"), ("Điều kiện tự nhiên", "/tu-nhien"),
             ("Bản đồ hành chính", "/ban-do"), ("Văn hóa - Di tích", "/van-hoa")]
    nav = _menu([("Hệ thống văn bản", "/van-ban"), ("Cổng dịch vụ công", "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html"),
                 ("Chương trình, kế hoạch", "/ke-hoach")], hover)
    footer = _contact("tỉnh Đạt", host) + '<p><a href="/danh-gia">Đánh giá mức độ hài lòng</a></p>'
    routes = {"/": page(name, nav, _news(), footer)}
    for heading, path in [("Sơ đồ tổ chức", "/gioi-thieu/so-do"), ("Lịch sử hình thành", "/lich-su"),
                          ("Điều kiện tự nhiên", "/tu-nhien"), ("Bản đồ hành chính", "/ban-do"),
                          ("Văn hóa, di tích, danh lam thắng cảnh", "/van-hoa"), ("Chương trình, kế hoạch", "/ke-hoach")]:
        routes[path] = page(name, nav, _article(heading), footer)
    routes["/lanh-dao"] = page(name, nav, LEADERS, footer)
    routes["/van-ban"] = page(name, nav, _list_page("Hệ thống văn bản", DOCUMENTS, search=True), footer)
    routes["/danh-gia"] = page(name, nav, _article("Đánh giá mức độ hài lòng"), footer)
    return Site(routes)


def _tinh_thieu() -> Site:
    name, host = "Cổng TTĐT tỉnh Thiếu", "tinh-thieu.gov.vn"
    nav = _menu([("Bộ máy tổ chức", "/bo-may"), ("Lãnh đạo tỉnh", "/lanh-dao"), ("Văn bản", "/van-ban"),
                 ("Thủ tục hành chính", "/tthc"), ("Kế hoạch", "/"), ("Bản đồ hành chính", "/ban-do"),
                 ("Điều kiện tự nhiên", "/chuyen-muc/tu-nhien"), ("Văn hóa", "/van-hoa")])
    # The contact details only as a picture (its alt text says nothing of them).
    footer = '<p>Cổng TTĐT tỉnh Thiếu</p><img src="/lien-he.png" alt="Thông tin liên hệ" width="300" height="60">'
    modal = ('<button type="button" onclick="document.getElementById(\'ks\').classList.add(\'open\')">Góp ý</button>'
             '<div class="modal" id="ks" role="dialog"><form action="/khao-sat"><h3>Khảo sát mức độ hài lòng</h3>'
             '<label><input type="radio" name="m" value="5"> Rất hài lòng</label>'
             '<button type="submit">Gửi</button></form></div>')
    routes = {"/": page(name, nav, _news() + modal, footer),
              "/bo-may": page(name, nav, _article("Bộ máy tổ chức"), footer),
              "/lanh-dao": Response(404, "<h1>404 Không tìm thấy trang</h1>"),
              "/van-ban": page(name, nav, _list_page("Văn bản", DOCUMENTS, search=False), footer),
              "/tthc": page(name, nav, "<h2>Thủ tục hành chính</h2><p>Nội dung đang cập nhật, mời quý vị quay lại sau. "
                                       "Cổng TTĐT tỉnh Thiếu xin cảm ơn quý bạn đọc đã quan tâm theo dõi.</p>", footer),
              "/ban-do": page(name, nav, _article("Bản đồ hành chính"), footer),
              "/chuyen-muc/tu-nhien": page(name, nav, "<h2>Điều kiện tự nhiên</h2><ul></ul><p>Chưa có bài viết.</p>",
                                           footer),
              "/van-hoa": page(name, nav, _article("Văn hóa"), footer),
              "/lien-he.png": Response(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")}
    del host
    return Site(routes)


def _so_b() -> Site:
    name, host = "Sở B tỉnh Đạt", "so-b.tinh-dat.gov.vn"
    nav = _menu([("Cơ cấu tổ chức", "/co-cau"), ("Lịch sử", "/lich-su"), ("Ban Giám đốc", "/lanh-dao"),
                 ("Văn bản pháp luật", "/van-ban"), ("Dịch vụ công", "https://dichvucong.gov.vn/"),
                 ("Kế hoạch", "/ke-hoach")])
    footer = _contact("Sở B", host) + '<p><a href="https://tinh-dat.gov.vn/danh-gia">Đánh giá sự hài lòng</a></p>'
    no_names = ("<h2>Ban Giám đốc</h2><p>Giám đốc phụ trách chung, chỉ đạo toàn diện hoạt động của cơ quan. "
                "Phó Giám đốc giúp việc, phụ trách lĩnh vực được phân công và chịu trách nhiệm trước người đứng đầu "
                "về lĩnh vực được giao.</p>")
    routes = {"/": page(name, nav, _news(), footer), "/co-cau": page(name, nav, _article("Cơ cấu tổ chức"), footer),
              "/lich-su": page(name, nav, _article("Lịch sử"), footer), "/lanh-dao": page(name, nav, no_names, footer),
              "/van-ban": page(name, nav, _list_page("Văn bản", DOCUMENTS, search=True), footer),
              "/ke-hoach": page(name, nav, _article("Kế hoạch"), footer)}
    return Site(routes)


def _bo_dat() -> Site:
    name, host = "Cổng TTĐT Bộ Đạt", "bo-dat.gov.vn"
    nav = _menu([("Chức năng, nhiệm vụ", "/co-cau"), ("Lịch sử phát triển", "/lich-su"), ("Lãnh đạo Bộ", "/lanh-dao"),
                 ("Văn bản quy phạm pháp luật", "/van-ban"), ("Dịch vụ công trực tuyến", "/dich-vu-cong"),
                 ("Chiến lược, quy hoạch", "/ke-hoach")])
    widget = '<iframe src="/widget/khao-sat-hai-long" title="" width="300" height="120"></iframe>'
    leaders = LEADERS.replace("Chủ tịch UBND tỉnh", "Bộ trưởng").replace("Phó Chủ tịch UBND tỉnh", "Thứ trưởng")
    routes = {"/": page(name, nav, _news() + widget, _contact("Bộ Đạt", host)),
              "/co-cau": page(name, nav, _article("Chức năng, nhiệm vụ"), ""),
              "/lich-su": page(name, nav, _article("Lịch sử phát triển"), ""),
              "/lanh-dao": page(name, nav, leaders, ""),
              "/van-ban": page(name, nav, _list_page("Văn bản quy phạm pháp luật", DOCUMENTS, search=True), ""),
              "/dich-vu-cong": page(name, nav, _article("Dịch vụ công trực tuyến"), ""),
              "/ke-hoach": page(name, nav, _article("Chiến lược, quy hoạch"), ""),
              "/widget/khao-sat-hai-long": Response(body="<p>Quý vị hài lòng?</p>")}
    return Site(routes)


def _cuc_a() -> Site:
    name, host = "Cục A", "cuc-a.bo-dat.gov.vn"
    nav = _menu([("Giới thiệu", "/co-cau"), ("Lịch sử", "/lich-su"), ("Lãnh đạo Cục", "/lanh-dao"),
                 ("Văn bản", "/van-ban"), ("Thủ tục hành chính", "https://dichvucong.gov.vn/"), ("Kế hoạch", "/ke-hoach")])
    leaders = LEADERS.replace("Chủ tịch UBND tỉnh", "Cục trưởng").replace("Phó Chủ tịch UBND tỉnh", "Phó Cục trưởng")
    routes = {"/": page(name, nav, _news(), _contact("Cục A", host)),
              "/co-cau": page(name, nav, _article("Giới thiệu"), ""), "/lich-su": page(name, nav, _article("Lịch sử"), ""),
              "/lanh-dao": page(name, nav, leaders, ""),
              "/van-ban": page(name, nav, _list_page("Văn bản", DOCUMENTS, search=True), ""),
              "/ke-hoach": page(name, nav, _article("Kế hoạch"), "")}
    return Site(routes)


def build_sites() -> dict[str, Site]:
    return {"tinh-dat.gov.vn": _tinh_dat(), "tinh-thieu.gov.vn": _tinh_thieu(), "so-b.tinh-dat.gov.vn": _so_b(),
            "bo-dat.gov.vn": _bo_dat(), "cuc-a.bo-dat.gov.vn": _cuc_a()}


def build_inventory() -> dict:
    return {"portals": [
        {"id": "tinh-dat", "name": "Cổng TTĐT tỉnh Đạt", "group": "province", "url": TINH_DAT, "emc_site_id": "801",
         "components": [{"name": "Sở B tỉnh Đạt", "url": SO_B, "emc_site_id": "802"}]},
        {"id": "tinh-thieu", "name": "Cổng TTĐT tỉnh Thiếu", "group": "province", "url": TINH_THIEU,
         "emc_site_id": "803", "components": []},
        {"id": "bo-dat", "name": "Cổng TTĐT Bộ Đạt", "group": "ministry", "url": BO_DAT, "emc_site_id": "804",
         "components": [{"name": "Cục A", "url": CUC_A, "emc_site_id": "805"}]},
    ]}
