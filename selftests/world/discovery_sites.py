"""A small world of its own for the discovery self-tests (kept apart from the audit catalog, whose
expectations it must not disturb): a provincial portal that links its component sites in every
usual way, amid the noise an auditor would not want proposed.

tinh-kham.gov.vn links to:
- subdomain components in a "Sở, ban, ngành" box (one with www. and a path, and again as a bare
  http:// duplicate; one only as a logo without text), in the footer, and in an iframe widget
  "Xã, phường";
- other .gov.vn components in a "Liên kết website" <select> (one value a bare host);
- one more component only in its sitemap (a sitemap index pointing to a page sitemap);
- noise: itself (with www. and paths), files (.pdf on a component, .docx), Facebook and YouTube,
  online public-service portals (dichvucong.tinh-kham.gov.vn, dichvucong.gov.vn), another portal of
  the inventory, and another .gov.vn host linked from a news item (not a link block).
bo-hong.gov.vn answers 500: discovery reports it and goes on.
"""

from __future__ import annotations

from .catalog import page
from .server import Response, Route

PORTAL = "https://tinh-kham.gov.vn/"
PORTAL_NAME = "Cổng TTĐT tỉnh Khám Phá"
BROKEN_PORTAL = "https://bo-hong.gov.vn/"
OTHER_PORTAL = "https://tinh-mau.gov.vn/"  # in the test inventory, never visited

# What a correct discovery proposes as new for tinh-kham: (name, url).
EXPECTED_NEW: list[tuple[str, str]] = [
    ("Sở Xây dựng", "https://sxd.tinh-kham.gov.vn/"),
    ("Sở Giáo dục và Đào tạo tỉnh Khám Phá", "https://sgd.tinh-kham.gov.vn/"),  # from the site's title
    ("Ban Quản lý Khu kinh tế", "https://bqlkkt-kham.gov.vn/"),
    ("Sở Y tế", "https://syt.tinh-kham.gov.vn/"),
    ("Trung tâm Xúc tiến đầu tư", "https://ttxtdt-kham.gov.vn/"),
    ("Ban Quản lý các khu công nghiệp", "https://kcn-kham.gov.vn/"),  # a bare host in an option
    ("UBND xã An", "https://xa-an.tinh-kham.gov.vn/"),
    ("UBND phường Đông", "https://phuong-dong.tinh-kham.gov.vn/"),
    ("UBND phường Bình - Tỉnh Khám Phá", "https://phuong-binh.tinh-kham.gov.vn/"),  # sitemap only
]
LISTED = "https://stc.tinh-kham.gov.vn/"  # in the inventory and still linked
NOT_LINKED = "https://snv.tinh-kham.gov.vn/"  # in the inventory, no longer linked
# Hosts that must never be proposed.
NOISE_HOSTS = ("tinh-kham.gov.vn", "www.tinh-kham.gov.vn", "dichvucong.tinh-kham.gov.vn", "dichvucong.gov.vn",
               "tinh-mau.gov.vn", "bo-ngoai.gov.vn", "www.facebook.com", "www.youtube.com")

_HOME = """
<header class="top"><h1>CỔNG THÔNG TIN ĐIỆN TỬ TỈNH KHÁM PHÁ</h1>
<nav><a href="/">Trang chủ</a> <a href="https://www.tinh-kham.gov.vn/gioi-thieu">Giới thiệu</a>
<a href="https://dichvucong.tinh-kham.gov.vn/">Dịch vụ công trực tuyến</a>
<a href="mailto:banbientap@tinh-kham.gov.vn">Liên hệ</a></nav></header>
<main>
<section class="news"><h2>Tin tức - Sự kiện</h2><ul>
<li><a href="/tin/1">Khai mạc kỳ họp thứ 5 Hội đồng nhân dân tỉnh</a></li>
<li><a href="https://bo-ngoai.gov.vn/tin-tuc/hop-tac">Bộ Ngoài ký kết hợp tác với tỉnh Khám Phá</a></li>
<li><a href="https://tinh-kham.gov.vn/van-ban/qd-01.docx">Quyết định số 01/QĐ-UBND</a></li>
<li><a href="https://stc.tinh-kham.gov.vn/files/bao-cao-ngan-sach.pdf">Báo cáo ngân sách năm 2025 (PDF)</a></li>
</ul></section>
<aside class="box"><div class="box-title">Sở, ban, ngành</div><ul class="box-body">
<li><a href="https://stc.tinh-kham.gov.vn/">Sở Tài chính</a></li>
<li><a href="https://www.sxd.tinh-kham.gov.vn/portal/trang-chu">Sở Xây dựng</a></li>
<li><a href="http://sxd.tinh-kham.gov.vn">sxd.tinh-kham.gov.vn</a></li>
<li><a href="https://sgd.tinh-kham.gov.vn/"><img src="/logo-sgd.png" alt="" width="120" height="30"></a></li>
<li><a href="https://bqlkkt-kham.gov.vn/">Ban Quản lý Khu kinh tế</a></li>
</ul></aside>
<div class="box"><select onchange="if(this.value)window.open(this.value)">
<option value="">-- Liên kết website --</option>
<option value="https://ttxtdt-kham.gov.vn/">Trung tâm Xúc tiến đầu tư</option>
<option value="kcn-kham.gov.vn">Ban Quản lý các khu công nghiệp</option>
<option value="https://dichvucong.gov.vn/">Cổng Dịch vụ công quốc gia</option>
<option value="https://tinh-mau.gov.vn/">Cổng TTĐT tỉnh Mẫu</option>
<option value="https://www.facebook.com/tinhkham">Fanpage tỉnh Khám Phá</option>
</select></div>
<iframe src="/widget/xa-phuong.html" title="Xã, phường" width="300" height="120"></iframe>
</main>
<footer><p>Cơ quan chủ quản: UBND tỉnh Khám Phá</p>
<a href="https://www.youtube.com/@tinhkham">YouTube</a> · <a href="https://syt.tinh-kham.gov.vn/">Sở Y tế</a></footer>
"""

_WIDGET = """
<h4>Xã, phường</h4><ul>
<li><a href="https://xa-an.tinh-kham.gov.vn/" target="_top">UBND xã An</a></li>
<li><a href="https://phuong-dong.tinh-kham.gov.vn/" target="_top">UBND phường Đông</a></li>
</ul>
"""

_SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://tinh-kham.gov.vn/sitemap-pages.xml</loc></sitemap>
<sitemap><loc>https://tinh-kham.gov.vn/sitemap-news.xml</loc></sitemap>
</sitemapindex>
"""

_SITEMAP_PAGES = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://tinh-kham.gov.vn/gioi-thieu</loc></url>
<url><loc>https://www.tinh-kham.gov.vn/tin/1</loc></url>
<url><loc>https://stc.tinh-kham.gov.vn/</loc></url>
<url><loc>https://phuong-binh.tinh-kham.gov.vn/</loc></url>
<url><loc>https://tinh-kham.gov.vn/van-ban/qd-01.docx</loc></url>
</urlset>
"""


def _html(title: str, body: str) -> Response:
    return Response(200, page(title, body))


def build_discovery_sites() -> dict[str, dict[str, Route]]:
    xml = "application/xml; charset=utf-8"
    sites: dict[str, dict[str, Route]] = {
        "tinh-kham.gov.vn": {
            "/": _html(PORTAL_NAME, _HOME),
            "/widget/xa-phuong.html": _html("Xã, phường", _WIDGET),
            "/sitemap.xml": Response(200, _SITEMAP_INDEX, content_type=xml),
            "/sitemap-pages.xml": Response(200, _SITEMAP_PAGES, content_type=xml),
            # /sitemap-news.xml is missing (404): the rest of the index is still read.
        },
        "bo-hong.gov.vn": {"/": Response(500, page("Lỗi", "<h1>500 Lỗi máy chủ</h1>"))},
        "sgd.tinh-kham.gov.vn": {"/": _html("Sở Giáo dục và Đào tạo tỉnh Khám Phá", "<h1>Sở Giáo dục và Đào tạo</h1>")},
        "phuong-binh.tinh-kham.gov.vn": {"/": _html("UBND phường Bình - Tỉnh Khám Phá", "<h1>UBND phường Bình</h1>")},
    }
    return sites
