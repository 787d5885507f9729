"""Portals built the way real Vietnamese portals are (Liferay, DNN, VNPT/Viettel portals, Laravel): link
lists a visitor reaches only by acting on the page, links that are not <a href>, tracker variants, and
their look-alikes. A world of its own (its own World instance), so the catalog's verdicts stay as
they are.

tinh-thuc.gov.vn (Cổng TTĐT tỉnh Thực Tế) passes everything, each component reached a different way:

| site     | from the portal (3.2b)                                   | back to the portal (3.2c)            | also                              |
|----------|----------------------------------------------------------|--------------------------------------|-----------------------------------|
| stc      | <select>: value "58", address in data-url, onchange opens | plain link                           | a sync script that never answers  |
| snv      | <select>: value an id, a script maps it, location.href   | <select> with data-url               |                                   |
| syt      | <li onclick="window.open(...)">                           | CSS hover menu "Liên kết"            |                                   |
| sgddt    | <a href="javascript:openLink(...)">                       | banner image, addEventListener       | a Matomo (_paq) tracker as well   |
| skhcn    | banner image, addEventListener, cursor:pointer           | tabs                                 | ad script hangs, stats script 404 |
| sxd      | CSS hover mega-menu "Liên kết"                            | accordion                            | badge pinned position:fixed       |
| stp      | tabs                                                     | "Xem thêm"                            |                                   |
| sct      | accordion (aria-controls, max-height:0)                   | carousel that moves by itself         | its CSP allows the EMC host       |
| sldtbxh  | "Xem thêm"                                                | form button, target=_blank            |                                   |
| svhttdl  | logo carousel, slides off-screen, cloned slides, arrows  | <select> + "Đi" button               |                                   |
| sgtvt    | <select> + "Truy cập" button                              | hover menu of <li onclick> items     |                                   |
| bqlkkt   | plain link                                               | last of the logos in a <marquee>     |                                   |

tinh-gia.gov.vn (Cổng TTĐT tỉnh Giả Lập, formerly tinhgialap.gov.vn) is the look-alike: its select
option has value "58" and a data-url nothing uses, a list hidden with nothing to show it, an onclick
item that opens a sibling site; its components link to a sibling site with the portal's name, to
their own article named like the portal, to the old domain, through a select that does nothing, and
their trackers are blocked by their own CSP, still on the old EMC host, pushed onto `_paq`, or their
badge is pinned below the viewport."""

from __future__ import annotations

import html
import json

from .catalog import page
from .emc import EMC_HOST, emc_routes, emc_snippet, png, tracker_script_response, tracking_response
from .server import Response, Route

THUC = "https://tinh-thuc.gov.vn/"
THUC_NAME = "Cổng TTĐT tỉnh Thực Tế"
GIA = "https://tinh-gia.gov.vn/"
GIA_NAME = "Cổng TTĐT tỉnh Giả Lập"
GIA_FORMER = "https://tinhgialap.gov.vn/"
LEGACY_EMC = "tracking.aita.gov.vn"
ANALYTICS = "analytics.tinh-thuc.gov.vn"
ADS = "quangcao.tinh-thuc.gov.vn"  # a third-party advertising server that never answers
STATS = "thongke.tinh-thuc.gov.vn"  # a third-party statistics counter that is gone (404)
WIDGET = "tienich.tinh-thuc.gov.vn"  # a widget server whose script never answers

P, F = "passed", "failed"


def t(key: str) -> str:
    return f"https://{key}.tinh-thuc.gov.vn/"


def g(key: str) -> str:
    return f"https://{key}.tinh-gia.gov.vn/"


# (name, url, emc id, {criterion: expected})
THUC_COMPONENTS: list[tuple[str, str, str]] = [
    ("Sở Tài chính", t("stc"), "702"),
    ("Sở Nội vụ", t("snv"), "703"),
    ("Sở Y tế", t("syt"), "704"),
    ("Sở Giáo dục và Đào tạo", t("sgddt"), "705"),
    ("Sở Khoa học và Công nghệ", t("skhcn"), "706"),
    ("Sở Xây dựng", t("sxd"), "707"),
    ("Sở Tư pháp", t("stp"), "708"),
    ("Sở Công Thương", t("sct"), "709"),
    ("Sở Lao động - Thương binh và Xã hội", t("sldtbxh"), "710"),
    ("Sở Văn hóa, Thể thao và Du lịch", t("svhttdl"), "711"),
    ("Sở Giao thông vận tải", t("sgtvt"), "712"),
    ("Ban Quản lý Khu kinh tế", t("bqlkkt"), "713"),
]
GIA_COMPONENTS: list[tuple[str, str, str]] = [
    ("Sở Tài chính", g("stc"), "802"),
    ("Sở Nội vụ", g("snv"), "803"),
    ("Sở Y tế", g("syt"), "804"),
    ("Sở Xây dựng", g("sxd"), "805"),
    ("Sở Công Thương", g("sct"), "806"),
]

EXPECTED: dict[tuple[str, str], str] = {
    (THUC, "3.1"): P, (THUC, "3.2a"): P, (THUC, "3.2b"): P,
    **{(url, c): P for _, url, _ in THUC_COMPONENTS for c in ("3.1", "3.2a", "3.2c")},
    (GIA, "3.1"): P, (GIA, "3.2a"): P, (GIA, "3.2b"): F,
    (g("stc"), "3.1"): P, (g("stc"), "3.2a"): P, (g("stc"), "3.2c"): F,
    (g("snv"), "3.1"): F, (g("snv"), "3.2a"): F, (g("snv"), "3.2c"): F,
    (g("syt"), "3.1"): F, (g("syt"), "3.2a"): P, (g("syt"), "3.2c"): F,
    (g("sxd"), "3.1"): P, (g("sxd"), "3.2a"): F, (g("sxd"), "3.2c"): F,
    (g("sct"), "3.1"): F, (g("sct"), "3.2a"): P, (g("sct"), "3.2c"): P,
}

# How each link was reached, as the evidence must name it: 3.2b per component of tinh-thuc, and
# 3.2c per component.
REACHED_FROM_PORTAL: dict[str, str] = {
    t("stc"): "chọn mục 'Sở Tài chính' trong danh sách 'Liên kết website'",
    t("snv"): "chọn mục 'Sở Nội vụ' trong danh sách 'Đơn vị sự nghiệp'",
    t("syt"): "bấm vào 'Sở Y tế'",
    t("sgddt"): "bấm vào 'Sở Giáo dục và Đào tạo'",
    t("skhcn"): "bấm vào 'Sở Khoa học và Công nghệ'",
    t("sxd"): "hiển thị khi di chuột vào 'Liên kết'",
    t("stp"): "hiển thị khi bấm vào 'Đơn vị khác'",
    t("sct"): "hiển thị khi bấm vào 'Khối kinh tế'",
    t("sldtbxh"): "hiển thị khi bấm vào 'Xem thêm'",
    t("svhttdl"): "hiển thị khi bấm vào '›' 2 lần",
    t("sgtvt"): "chọn mục 'Sở Giao thông vận tải' trong danh sách 'Liên kết nhanh' rồi bấm 'Truy cập'",
    t("bqlkkt"): "",
}
REACHED_BACK: dict[str, str] = {
    t("stc"): "",
    t("snv"): "chọn mục 'Cổng TTĐT tỉnh Thực Tế' trong danh sách 'Liên kết'",
    t("syt"): "hiển thị khi di chuột vào 'Liên kết'",
    t("sgddt"): "bấm vào 'Cổng Thông tin điện tử tỉnh Thực Tế'",
    t("skhcn"): "hiển thị khi bấm vào 'Liên kết'",
    t("sxd"): "hiển thị khi bấm vào 'Liên kết website'",
    t("stp"): "hiển thị khi bấm vào 'Xem thêm'",
    t("sct"): "hiển thị khi băng chuyền tự chuyển",
    t("sldtbxh"): "bấm vào 'Về Cổng tỉnh'",
    t("svhttdl"): "chọn mục 'Cổng tỉnh Thực Tế' trong danh sách 'Liên kết' rồi bấm 'Đi'",
    t("sgtvt"): "bấm vào 'Cổng tỉnh' (sau khi di chuột vào 'Liên kết')",
    t("bqlkkt"): "hiển thị khi dòng chữ chạy (marquee) cuộn tới",
}

# The reason an auditor reads, for every case that does not pass (a fragment of the message).
MESSAGES: dict[tuple[str, str], str] = {
    (GIA, "3.2b"): "Trang chủ cổng thiếu liên kết hiển thị đến 3/5 trang thành phần: ",
    (g("stc"), "3.2c"): "[liên kết 'Cổng TTĐT tỉnh Giả Lập' dẫn tới https://dichvucong.tinh-gia.gov.vn/ "
                        "(dichvucong.tinh-gia.gov.vn, một trang khác cùng tên miền tinh-gia.gov.vn)]",
    (g("snv"), "3.1"): "chính sách bảo mật nội dung (Content-Security-Policy) của trang chặn tập lệnh EMC "
                       "https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js",
    (g("snv"), "3.2a"): "Không thấy nhãn 'Đã kết nối EMC' trên trang chủ",
    (g("snv"), "3.2c"): "[liên kết 'Cổng TTĐT tỉnh Giả Lập nâng cấp giao diện' dẫn tới "
                        "https://snv.tinh-gia.gov.vn/tin-tuc/cong-ttdt-tinh-gia-lap-nang-cap (một trang của chính trang này)]",
    (g("syt"), "3.1"): "tập lệnh giám sát được tải từ địa chỉ EMC cũ https://tracking.aita.gov.vn/embed/gov-tracking.min.js",
    (g("syt"), "3.2c"): "[chỉ có liên kết tới địa chỉ cũ tinhgialap.gov.vn (https://tinhgialap.gov.vn/)]",
    (g("sxd"), "3.2a"): "Nhãn 'Đã kết nối EMC' có trên trang nhưng bị ẩn (nằm ngoài màn hình)",
    (g("sxd"), "3.2c"): "Trang chủ không có liên kết hiển thị về cổng Cổng TTĐT tỉnh Giả Lập (tinh-gia.gov.vn) "
                        "[mục 'Cổng TTĐT tỉnh Giả Lập' của danh sách chọn không dẫn tới trang nào (giá trị '1')]",
    (g("sct"), "3.1"): "các lệnh của mã EMC (setTrackerUrl, setSiteId) được đẩy vào hàng lệnh _paq của bộ đếm khác",
}
# The parts of the tinh-gia 3.2b message, one per component it misses.
GIA_MISSING: dict[str, str] = {
    g("stc"): "Sở Tài chính (stc.tinh-gia.gov.vn) [mục 'Sở Tài chính' của danh sách chọn không dẫn tới trang nào "
              "(giá trị '58')]",
    g("snv"): "Sở Nội vụ (snv.tinh-gia.gov.vn) [có liên kết nhưng bị ẩn: display:none] "
              "(không thao tác nào trên trang làm liên kết hiện ra)",
    g("syt"): "Sở Y tế (syt.tinh-gia.gov.vn) [liên kết 'Sở Y tế' dẫn tới https://dichvucong.tinh-gia.gov.vn/so-y-te "
              "(dichvucong.tinh-gia.gov.vn, một trang khác cùng tên miền tinh-gia.gov.vn)]",
}


def build_inventory() -> dict:
    def components(items: list[tuple[str, str, str]]) -> list[dict]:
        return [{"name": name, "url": url, "emc_site_id": site_id} for name, url, site_id in items]

    return {"portals": [
        {"id": "tinh-thuc", "name": THUC_NAME, "group": "province", "url": THUC, "emc_site_id": "701",
         "components": components(THUC_COMPONENTS)},
        {"id": "tinh-gia", "name": GIA_NAME, "group": "province", "url": GIA, "emc_site_id": "801",
         "former_urls": [GIA_FORMER], "components": components(GIA_COMPONENTS)},
    ]}


# --------------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------------

_CSS = """
*{box-sizing:border-box}body{margin:0;font:15px/1.5 Arial,Helvetica,sans-serif;color:#222;background:#f4f4f4}
a{color:#0b4f8a;text-decoration:none}.wrap{max-width:1100px;margin:0 auto;padding:0 16px}
header.top{background:#a3161a;color:#fff;padding:18px 0}header.top h1{margin:0;font-size:26px}
header.top p{margin:0;letter-spacing:1px}
nav.mega{background:#fff;border-bottom:3px solid #a3161a}
nav.mega ul.menu{list-style:none;margin:0;padding:0;display:flex}
nav.mega ul.menu>li{position:relative}nav.mega ul.menu>li>a,nav.mega ul.menu>li>span{display:block;padding:10px 16px;font-weight:bold}
nav.mega .sub{display:none;position:absolute;left:0;top:100%;background:#fff;min-width:260px;box-shadow:0 4px 10px rgba(0,0,0,.2);z-index:20;padding:8px 14px}
nav.mega li.has-sub:hover>.sub{display:block}
nav.mega .sub ul{list-style:none;margin:0;padding:0}nav.mega .sub li{padding:4px 0;cursor:pointer}
.cols{display:grid;grid-template-columns:1fr 340px;gap:20px;margin-top:18px}
.main{background:#fff;padding:14px 18px;min-height:1300px}
.box{background:#fff;margin-bottom:14px;padding:10px 14px}.box h3{margin:0 0 8px;font-size:15px;color:#a3161a}
.box select{width:100%;padding:5px}
.quick li{cursor:pointer;padding:3px 0}
.banner{cursor:pointer;display:block;margin:6px 0}
.tab-head{display:flex;list-style:none;margin:0;padding:0;border-bottom:2px solid #a3161a}
.tab-head li{padding:6px 12px;cursor:pointer}.tab-head li.active{background:#a3161a;color:#fff}
.acc-body{max-height:0;overflow:hidden;transition:max-height .2s}.acc-body.open{max-height:400px}
.acc-btn{display:block;width:100%;text-align:left;padding:6px 8px;background:#eee;border:0;font-weight:bold;cursor:pointer}
.dv-list .more-item{display:none}.dv-list.open .more-item{display:list-item}
.carousel{position:relative;padding:0 28px}.carousel .viewport{overflow:hidden;width:240px}
.carousel .track{display:flex;transition:transform .25s}.carousel .slide{flex:0 0 80px;width:80px;text-align:center;font-size:12px}
.carousel .slide img{display:block;margin:0 auto}
.carousel button{position:absolute;top:20px;border:0;background:#a3161a;color:#fff;width:22px;height:28px;cursor:pointer}
.carousel .prev{left:0}.carousel .next{right:0}
footer{background:#222;color:#ccc;padding:16px 0;margin-top:20px}footer a{color:#fff}
"""

_LOGO = png(60, 40, lambda x, y: (163, 22, 26) if (x - 30) ** 2 + (y - 20) ** 2 < 300 else (240, 240, 240))
_BANNER = png(300, 60, lambda x, y: (11, 79, 138) if y < 40 else (255, 205, 0))


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _js(value: object) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def _layout(title: str, parent: str, aside: str, *, nav: str = "", head: str = "", tail: str = "",
            footer: str = "", snippet: str = "") -> str:
    news = "".join(f'<li><a href="/tin-tuc/{i}">{_e(item)}</a></li>' for i, item in enumerate((
        "Hội nghị triển khai nhiệm vụ trọng tâm quý IV năm 2025",
        "Thông báo lịch tiếp công dân tháng 11",
        "Đẩy mạnh chuyển đổi số trong cơ quan nhà nước",
        "Kết quả thực hiện thủ tục hành chính trực tuyến toàn trình"), start=1))
    body = f"""
<header class="top"><div class="wrap"><p>{_e(parent.upper())}</p><h1>{_e(title.upper())}</h1></div></header>
<nav class="mega"><div class="wrap"><ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
<li><a href="/tin-tuc">Tin tức</a></li>{nav}</ul></div></nav>
<div class="wrap cols"><section class="main"><h2>Tin tức - Sự kiện</h2><ul>{news}</ul></section>
<aside>{aside}</aside></div>
<footer><div class="wrap"><b>{_e(title)}</b> · {_e(parent)}{footer}</div></footer>
{snippet}{tail}"""
    return page(title, body, f"<style>{_CSS}</style>{head}")


def _html(text: str, headers: dict[str, str] | None = None) -> Response:
    return Response(200, text, headers=headers or {})


# -- tinh-thuc: the portal --------------------------------------------------------------------------

def _portal_thuc() -> dict[str, Route]:
    mega = f"""<li class="has-sub"><span>Liên kết</span><div class="sub"><h4>Sở, ban, ngành</h4><ul>
<li><a href="{t('sxd')}">Sở Xây dựng</a></li><li><a href="https://baotinhthuc.vn/">Báo Thực Tế điện tử</a></li></ul></div></li>"""
    aside = f"""
<div class="box"><h3>Liên kết website</h3>
<select id="weblink" onchange="openSelectedWeblink(this)"><option value="">-- Chọn website --</option>
<option value="58" data-url="{t('stc')}">Sở Tài chính</option>
<option value="59" data-url="https://chinhphu.vn/">Cổng TTĐT Chính phủ</option></select></div>
<div class="box"><h3>Đơn vị sự nghiệp</h3>
<select onchange="gotoUnit(this.value)"><option value="0">-- Chọn đơn vị --</option>
<option value="101">Sở Nội vụ</option><option value="102">Trung tâm Phục vụ hành chính công</option></select></div>
<div class="box"><h3>Liên kết nhanh</h3>
<select id="lk-nhanh"><option value="">-- Chọn đơn vị --</option><option value="12">Sở Giao thông vận tải</option></select>
<button type="button" onclick="goWeblink()">Truy cập</button></div>
<div class="box"><h3>Cơ quan chuyên môn</h3><ul class="quick">
<li onclick="window.open('{t('syt')}', '_blank')">Sở Y tế</li></ul>
<p><a href="javascript:openLink('{t('sgddt')}')">Sở Giáo dục và Đào tạo</a></p>
<img class="banner" src="/banner-khcn.png" width="300" height="60" alt="Sở Khoa học và Công nghệ" data-link="{t('skhcn')}"></div>
<div class="box"><ul class="tab-head" role="tablist"><li role="tab" class="active" aria-controls="tab-so">Sở, ban, ngành</li>
<li role="tab" aria-controls="tab-khac">Đơn vị khác</li></ul>
<div id="tab-so" role="tabpanel"><ul><li><a href="https://vpubnd.tinh-thuc.gov.vn/">Văn phòng UBND tỉnh</a></li></ul></div>
<div id="tab-khac" role="tabpanel" hidden><ul><li><a href="{t('stp')}">Sở Tư pháp</a></li></ul></div></div>
<div class="box"><button class="acc-btn" aria-expanded="false" aria-controls="acc-kt">Khối kinh tế</button>
<div id="acc-kt" class="acc-body"><ul><li><a href="{t('sct')}">Sở Công Thương</a></li></ul></div></div>
<div class="box"><h3>Đơn vị trực thuộc</h3><ul class="dv-list"><li><a href="https://bqlkkt.tinh-thuc.gov.vn/">Ban Quản lý Khu kinh tế</a></li>
<li class="more-item"><a href="{t('sldtbxh')}">Sở Lao động - Thương binh và Xã hội</a></li></ul>
<a href="javascript:void(0)" class="btn-more" onclick="this.previousElementSibling.classList.add('open')">Xem thêm</a></div>
<div class="box"><h3>Liên kết đơn vị</h3><div class="carousel"><button class="prev" aria-label="Trước">‹</button>
<div class="viewport"><div class="track">{_slides()}</div></div><button class="next">›</button></div></div>"""
    script = f"""<script>
function openSelectedWeblink(sel) {{ var o = sel.options[sel.selectedIndex]; var u = o.getAttribute('data-url'); if (u) window.open(u, '_blank'); }}
var UNITS = {{101: {_js(t('snv'))}, 102: 'https://hcc.tinh-thuc.gov.vn/'}};
function gotoUnit(id) {{ if (UNITS[id]) location.href = UNITS[id]; }}
var WEBLINKS = {{'12': {_js(t('sgtvt'))}}};
function goWeblink() {{ var v = document.getElementById('lk-nhanh').value; if (WEBLINKS[v]) window.open(WEBLINKS[v], '_blank'); }}
function openLink(u) {{ window.open(u, '_blank'); }}
document.querySelectorAll('.banner').forEach(function (b) {{ b.addEventListener('click', function () {{ location.href = b.getAttribute('data-link'); }}); }});
document.querySelectorAll('[role=tab]').forEach(function (tab) {{ tab.addEventListener('click', function () {{
  document.querySelectorAll('[role=tab]').forEach(function (x) {{ x.classList.toggle('active', x === tab); }});
  document.querySelectorAll('[role=tabpanel]').forEach(function (p) {{ p.hidden = p.id !== tab.getAttribute('aria-controls'); }});
}}); }});
document.querySelectorAll('.acc-btn').forEach(function (b) {{ b.addEventListener('click', function () {{
  var body = document.getElementById(b.getAttribute('aria-controls')); body.classList.toggle('open');
  b.setAttribute('aria-expanded', body.classList.contains('open')); }}); }});
{_CAROUSEL_JS}
</script>"""
    return {"/": _html(_layout(THUC_NAME, "Ủy ban nhân dân tỉnh Thực Tế", aside, nav=mega, snippet=emc_snippet("701"),
                               tail=script)),
            "/banner-khcn.png": Response(200, _BANNER, content_type="image/png"),
            "/logo.png": Response(200, _LOGO, content_type="image/png")}


_UNITS = [("UBND huyện Đông", "https://huyendong.tinh-thuc.gov.vn/"), ("UBND huyện Tây", "https://huyentay.tinh-thuc.gov.vn/"),
          ("UBND huyện Nam", "https://huyennam.tinh-thuc.gov.vn/"), ("UBND huyện Bắc", "https://huyenbac.tinh-thuc.gov.vn/"),
          ("Sở Văn hóa, Thể thao và Du lịch", t("svhttdl")), ("Đài Phát thanh - Truyền hình", "https://ptth.tinh-thuc.gov.vn/")]


def _slides() -> str:
    def slide(name: str, url: str, cloned: bool = False) -> str:
        cls = "slide cloned" if cloned else "slide"
        return f'<div class="{cls}"><a href="{url}"><img src="/logo.png" width="60" height="40" alt="">{_e(name)}</a></div>'
    # As slick does: a clone of the last slide before the first, and of the first after the last.
    return slide(*_UNITS[-1], cloned=True) + "".join(slide(n, u) for n, u in _UNITS) + slide(*_UNITS[0], cloned=True)


# One slide of 80px per press; the track starts past the leading clone. Three slides show.
_CAROUSEL_JS = """
document.querySelectorAll('.carousel').forEach(function (c) {
  var track = c.querySelector('.track'), index = 1, count = track.children.length;
  function show() { track.style.transform = 'translateX(' + (-80 * index) + 'px)'; }
  show();
  c.querySelector('.next').addEventListener('click', function () { index = Math.min(index + 1, count - 3); show(); });
  c.querySelector('.prev').addEventListener('click', function () { index = Math.max(index - 1, 0); show(); });
});"""


# -- tinh-thuc: the components ----------------------------------------------------------------------

def _component(name: str, site_id: str, aside: str, *, nav: str = "", head: str = "", tail: str = "",
               footer: str = "", snippet: str | None = None) -> str:
    return _layout(name, "UBND tỉnh Thực Tế", aside, nav=nav, head=head, tail=tail, footer=footer,
                   snippet=emc_snippet(site_id) if snippet is None else snippet)


def _thuc_components() -> dict[str, dict[str, Route]]:
    sites: dict[str, dict[str, Route]] = {}
    back = _e(THUC)

    # stc: a plain link; a widget script that never answers, after the EMC code (the page never
    # finishes parsing, yet shows everything a visitor needs).
    sites["stc.tinh-thuc.gov.vn"] = {"/": _html(_component(
        "Sở Tài chính", "702", f'<div class="box"><h3>Liên kết</h3><a href="{back}">Cổng TTĐT tỉnh Thực Tế</a></div>',
        tail=f'<script src="https://{WIDGET}/widget.js"></script><p>Tiện ích thời tiết</p>'))}

    sites["snv.tinh-thuc.gov.vn"] = {"/": _html(_component("Sở Nội vụ", "703", f"""
<div class="box"><h3>Liên kết</h3><select onchange="var u = this.options[this.selectedIndex].getAttribute('data-url'); if (u) window.open(u);">
<option value="">-- Chọn --</option><option value="1" data-url="{back}">Cổng TTĐT tỉnh Thực Tế</option>
<option value="2" data-url="https://chinhphu.vn/">Cổng TTĐT Chính phủ</option></select></div>"""))}

    sites["syt.tinh-thuc.gov.vn"] = {"/": _html(_component("Sở Y tế", "704", "<div class='box'><h3>Thông báo</h3></div>",
        nav=f'<li class="has-sub"><span>Liên kết</span><div class="sub"><ul><li><a href="{back}">Cổng tỉnh Thực Tế</a></li>'
            '<li><a href="https://moh.gov.vn/">Bộ Y tế</a></li></ul></div></li>'))}

    # sgddt: the province's own Matomo next to the EMC code.
    matomo = f"""<script>var _paq = window._paq = window._paq || [];
_paq.push(['trackPageView']); _paq.push(['enableLinkTracking']);
(function () {{ var u = 'https://{ANALYTICS}/'; _paq.push(['setTrackerUrl', u + 'matomo.php']); _paq.push(['setSiteId', '15']);
var d = document, g = d.createElement('script'), s = d.getElementsByTagName('script')[0];
g.async = true; g.src = u + 'matomo.js'; s.parentNode.insertBefore(g, s); }})();</script>"""
    sites["sgddt.tinh-thuc.gov.vn"] = {
        "/": _html(_component("Sở Giáo dục và Đào tạo", "705", """
<div class="box"><h3>Liên kết</h3><img class="banner" id="banner-cong" src="/banner.png" width="300" height="60"
alt="Cổng Thông tin điện tử tỉnh Thực Tế"></div>""", head=matomo, tail=f"""<script>
document.getElementById('banner-cong').addEventListener('click', function () {{ window.location = {_js(THUC)}; }});</script>""")),
        "/banner.png": Response(200, _BANNER, content_type="image/png")}

    # skhcn: the EMC script goes in before the first script (in <head>); an ad script that never
    # answers holds the load event, a statistics counter is gone.
    sites["skhcn.tinh-thuc.gov.vn"] = {
        "/": _html(_component("Sở Khoa học và Công nghệ", "706", f"""
<div class="box"><ul class="tab-head" role="tablist"><li role="tab" class="active" aria-controls="p-tin">Tin nổi bật</li>
<li role="tab" aria-controls="p-lk">Liên kết</li></ul><div id="p-tin" role="tabpanel"><p>Ngày hội khởi nghiệp 2025</p></div>
<div id="p-lk" role="tabpanel" style="display:none"><a href="{back}">Cổng TTĐT tỉnh Thực Tế</a></div></div>""",
            head=f'<script src="/js/jquery.min.js"></script><script async src="https://{ADS}/ads.js"></script>'
                 f'<script src="https://{STATS}/counter.js"></script>',
            tail="""<script>document.querySelectorAll('[role=tab]').forEach(function (tab) { tab.addEventListener('click', function () {
  document.querySelectorAll('[role=tabpanel]').forEach(function (p) { p.style.display = p.id === tab.getAttribute('aria-controls') ? 'block' : 'none'; });
}); });</script>""")),
        "/js/jquery.min.js": Response(200, "window.jQueryStandIn = true;", content_type="application/javascript")}

    # sxd: the theme pins the badge to the bottom of the viewport, from inside a footer that hides its overflow.
    sites["sxd.tinh-thuc.gov.vn"] = {"/": _html(_component("Sở Xây dựng", "707", f"""
<div class="box"><button class="acc-btn" aria-controls="acc-lk" aria-expanded="false">Liên kết website</button>
<div id="acc-lk" class="acc-body"><a href="{back}">Cổng TTĐT tỉnh Thực Tế</a></div></div>""",
        head="<style>footer{overflow:hidden;height:56px}.yhy-append-wrap{position:fixed!important;left:0;right:auto;bottom:0}</style>",
        footer='<div class="yhy-append-wrap"><div id="yhy-append" class="yhy-append"></div></div>',
        tail="""<script>document.querySelectorAll('.acc-btn').forEach(function (b) { b.addEventListener('click', function () {
  document.getElementById(b.getAttribute('aria-controls')).classList.toggle('open'); }); });</script>"""))}

    sites["stp.tinh-thuc.gov.vn"] = {"/": _html(_component("Sở Tư pháp", "708", f"""
<div class="box"><h3>Liên kết</h3><ul class="dv-list"><li><a href="https://moj.gov.vn/">Bộ Tư pháp</a></li>
<li class="more-item"><a href="{back}">Cổng TTĐT tỉnh Thực Tế</a></li></ul>
<span class="btn-more" onclick="this.previousElementSibling.classList.add('open')">Xem thêm</span></div>"""))}

    # sct: a carousel that moves on by itself, no arrows; its Content-Security-Policy allows the EMC host.
    csp = (f"default-src 'self'; script-src 'self' 'unsafe-inline' https://{EMC_HOST}; "
           f"img-src 'self' data: https://{EMC_HOST}; style-src 'self' 'unsafe-inline'; connect-src 'self' https://{EMC_HOST}")
    logos = "".join(f'<div class="slide"><a href="{u}">{_e(n)}</a></div>' for n, u in (
        ("Bộ Công Thương", "https://moit.gov.vn/"), ("Sở Xây dựng", t("sxd")), ("Sở Y tế", t("syt")),
        ("Cổng tỉnh", THUC)))
    sites["sct.tinh-thuc.gov.vn"] = {"/": _html(_component("Sở Công Thương", "709", f"""
<div class="box"><h3>Liên kết</h3><div class="carousel auto"><div class="viewport" style="width:160px"><div class="track">{logos}</div></div></div></div>""",
        tail="""<script>var k = 0; setInterval(function () { k = (k + 1) % 3;
  document.querySelector('.auto .track').style.transform = 'translateX(' + (-80 * k) + 'px)'; }, 2500);</script>"""),
        {"Content-Security-Policy": csp})}

    sites["sldtbxh.tinh-thuc.gov.vn"] = {"/": _html(_component("Sở Lao động - Thương binh và Xã hội", "710", f"""
<div class="box"><h3>Liên kết</h3><form action="{back}" method="get" target="_blank"><button type="submit">Về Cổng tỉnh</button></form></div>"""))}

    sites["svhttdl.tinh-thuc.gov.vn"] = {"/": _html(_component("Sở Văn hóa, Thể thao và Du lịch", "711", """
<div class="box"><h3>Liên kết</h3><select id="lk"><option value="">-- Liên kết --</option><option value="c1">Cổng tỉnh Thực Tế</option>
<option value="c2">Bộ Văn hóa, Thể thao và Du lịch</option></select> <input type="button" value="Đi" onclick="di()"></div>""",
        tail=f"""<script>var LK = {{c1: {_js(THUC)}, c2: 'https://bvhttdl.gov.vn/'}};
function di() {{ var v = document.getElementById('lk').value; if (LK[v]) location.assign(LK[v]); }}</script>"""))}

    sites["sgtvt.tinh-thuc.gov.vn"] = {"/": _html(_component("Sở Giao thông vận tải", "712",
        "<div class='box'><h3>Thông báo</h3></div>",
        nav=f"""<li class="has-sub"><span>Liên kết</span><div class="sub"><ul>
<li onclick="location.href={_e(_js(THUC))}">Cổng tỉnh</li><li onclick="location.href='https://mt.gov.vn/'">Bộ Giao thông vận tải</li></ul></div></li>"""))}
    # The old portals' scrolling band of logos: the portal's is last, far off to the right as the page loads.
    logos = "".join(f'<a href="https://{h}.gov.vn/"><img src="/logo.png" width="60" height="40" alt="">{_e(n)}</a> &nbsp; '
                    for n, h in (("Bộ Kế hoạch và Đầu tư", "mpi"), ("Bộ Tài chính", "mof"), ("Bộ Công Thương", "moit"),
                                 ("Bộ Xây dựng", "moc"), ("Bộ Nội vụ", "moha"), ("Bộ Tư pháp", "moj"),
                                 ("Bộ Y tế", "moh"), ("Bộ Giáo dục và Đào tạo", "moet")))
    sites["bqlkkt.tinh-thuc.gov.vn"] = {
        "/": _html(_component("Ban Quản lý Khu kinh tế", "713", f"""
<div class="box"><h3>Liên kết website</h3><div style="width:300px"><marquee scrollamount="3">{logos}
<a href="{back}"><img src="/logo.png" width="60" height="40" alt="">Cổng tỉnh Thực Tế</a></marquee></div></div>""")),
        "/logo.png": Response(200, _LOGO, content_type="image/png")}
    return sites


# -- tinh-gia: the look-alikes ----------------------------------------------------------------------

def _portal_gia() -> dict[str, Route]:
    aside = f"""
<div class="box"><h3>Liên kết website</h3>
<select><option value="">-- Liên kết website --</option><option value="58" data-url="{g('stc')}">Sở Tài chính</option></select></div>
<div class="box"><h3>Đơn vị trực thuộc</h3><ul style="display:none"><li><a href="{g('snv')}">Sở Nội vụ</a></li></ul>
<ul><li><a href="{g('sxd')}">Sở Xây dựng</a></li><li><a href="{g('sct')}">Sở Công Thương</a></li></ul></div>
<div class="box"><h3>Cơ quan chuyên môn</h3><ul class="quick">
<li onclick="window.open('https://dichvucong.tinh-gia.gov.vn/so-y-te')">Sở Y tế</li></ul></div>"""
    return {"/": _html(_layout(GIA_NAME, "Ủy ban nhân dân tỉnh Giả Lập", aside, snippet=emc_snippet("801")))}


def _gia_components() -> dict[str, dict[str, Route]]:
    sites: dict[str, dict[str, Route]] = {}

    def component(name: str, site_id: str, aside: str, **extra: str) -> str:
        return _layout(name, "UBND tỉnh Giả Lập", aside, **{"snippet": emc_snippet(site_id), **extra})

    # A sibling site of the same domain, named like the portal.
    sites["stc.tinh-gia.gov.vn"] = {"/": _html(component("Sở Tài chính", "802", """
<div class="box"><h3>Liên kết</h3><a href="https://dichvucong.tinh-gia.gov.vn/">Cổng TTĐT tỉnh Giả Lập</a></div>"""))}

    # Its own article, named like the portal; its Content-Security-Policy leaves the EMC host out.
    sites["snv.tinh-gia.gov.vn"] = {"/": _html(component("Sở Nội vụ", "803", """
<div class="box"><h3>Tin nổi bật</h3><a href="/tin-tuc/cong-ttdt-tinh-gia-lap-nang-cap">Cổng TTĐT tỉnh Giả Lập nâng cấp giao diện</a></div>"""),
        {"Content-Security-Policy": "script-src 'self' 'unsafe-inline'; img-src 'self' data:"})}

    # The portal's old domain; the tracker of an older snippet, on the old EMC host; a widget
    # script that never answers.
    legacy = emc_snippet("804", tracker_url=f"https://{LEGACY_EMC}/tracking",
                         script_url=f"https://{LEGACY_EMC}/embed/gov-tracking.min.js")
    sites["syt.tinh-gia.gov.vn"] = {"/": _html(component("Sở Y tế", "804", f"""
<div class="box"><h3>Liên kết</h3><a href="{GIA_FORMER}">Cổng TTĐT tỉnh Giả Lập</a></div>""",
        snippet=legacy, tail=f'<script src="https://{WIDGET}/widget.js"></script>'))}

    # A link list whose option names the portal and does nothing; the badge pinned below the viewport.
    sites["sxd.tinh-gia.gov.vn"] = {"/": _html(component("Sở Xây dựng", "805", f"""
<div class="box"><h3>Liên kết</h3><select><option value="">-- Liên kết --</option>
<option value="1" data-url="{GIA}">Cổng TTĐT tỉnh Giả Lập</option></select></div>""",
        head="<style>.yhy-append-wrap{position:fixed!important;bottom:-200px!important}</style>"))}

    # The EMC commands pushed onto the site's Matomo queue.
    misqueued = f"""<script>var _paq = window._paq = window._paq || [];
_paq.push(['trackPageView']); _paq.push(['setTrackerUrl', 'https://{EMC_HOST}/tracking']); _paq.push(['setSiteId', '806']);
(function () {{ var d = document, g = d.createElement('script'), s = d.getElementsByTagName('script')[0];
g.async = true; g.src = 'https://{EMC_HOST}/embed/gov-tracking.min.js'; s.parentNode.insertBefore(g, s); }})();</script>"""
    sites["sct.tinh-gia.gov.vn"] = {"/": _html(component("Sở Công Thương", "806", f"""
<div class="box"><h3>Liên kết</h3><a href="{GIA}">Cổng TTĐT tỉnh Giả Lập</a></div>""", snippet=misqueued))}
    return sites


_MATOMO_JS = """(function (w) {
  var queued = w._paq || [], url = null, site = null, views = 0;
  function apply(c) { if (c[0] === 'setTrackerUrl') url = c[1]; else if (c[0] === 'setSiteId') site = c[1];
    else if (c[0] === 'trackPageView') views++; }
  for (var i = 0; i < queued.length; i++) apply(queued[i]);
  w._paq = { push: function () { for (var i = 0; i < arguments.length; i++) apply(arguments[i]); } };
  while (views-- > 0 && url) { new Image().src = url + '?idsite=' + site + '&rec=1'; }
})(window);"""


def build_real_sites() -> dict[str, dict[str, Route]]:
    hang = Response(200, "/* never sent */", content_type="application/javascript", delay=600.0)
    sites: dict[str, dict[str, Route]] = {
        EMC_HOST: emc_routes(),
        LEGACY_EMC: {"/embed/gov-tracking.min.js": tracker_script_response(), "/tracking": tracking_response},
        ANALYTICS: {"/matomo.js": Response(200, _MATOMO_JS, content_type="application/javascript"),
                    "/matomo.php": tracking_response},
        ADS: {"/ads.js": hang},
        STATS: {},
        WIDGET: {"/widget.js": hang},
        "tinh-thuc.gov.vn": _portal_thuc(),
        "tinh-gia.gov.vn": _portal_gia(),
        "tinhgialap.gov.vn": {"*": Response(301, "", headers={"Location": GIA})},
    }
    sites.update(_thuc_components())
    sites.update(_gia_components())
    return sites
