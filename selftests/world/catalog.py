"""The scenario sites of the self-tests: portals, their component sites, and the inventory.

Every scenario is a small but plausible Vietnamese government site with one
deliberate defect (or none). EXPECTED records, per site URL and criterion, what
a correct audit must conclude; it is derived from the same table the sites are
built from, so the two cannot drift apart.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from .emc import EMC_HOST, emc_routes, emc_snippet, emc_snippet_js, png, tracker_script_response, tracking_response
from .server import Response, Route, Site

__all__ = [
    "CRITERIA",
    "EXPECTED",
    "EXTRA_RESOLVE",
    "NEW_BADGE",
    "MISSING_LINKS",
    "PORTALS",
    "Entry",
    "build_inventory",
    "build_sites",
    "expected_for",
    "page",
]

CRITERIA = ("3.1", "3.2a", "3.2b", "3.2c")

# A badge text no site of the catalog shows: only the badge's own elements count (test_rejudge.py).
NEW_BADGE = "Tín nhiệm mạng EMC"

# Port 9 (discard) has no listener on a test machine, so the connection is refused.
EXTRA_RESOLVE: dict[str, str] = {"xa-d.tinh-mau.gov.vn": "127.0.0.1:9"}

PORTAL_MAU = "https://tinh-mau.gov.vn/"


# --------------------------------------------------------------------------
# The table: portals, components and the verdicts a correct audit reaches.
# --------------------------------------------------------------------------

P, F, B, S = "passed", "failed", "broken", "skipped"


@dataclass
class Entry:
    name: str
    url: str
    emc_site_id: str | None
    # criterion -> expected status, for the criteria that apply to this site
    expected: dict[str, str]
    id: str | None = None  # portals only
    group: str | None = None  # portals only: province | ministry
    components: list[Entry] = field(default_factory=list)
    note: str = ""  # the scenario, for humans reading a failing test


def _component(name: str, url: str, site_id: str | None, r31: str, r32a: str, r32c: str, note: str) -> Entry:
    return Entry(name, url, site_id, {"3.1": r31, "3.2a": r32a, "3.2c": r32c}, note=note)


def _broken_component(name: str, url: str, site_id: str | None, note: str) -> Entry:
    return _component(name, url, site_id, B, B, B, note)


PORTALS: list[Entry] = [
    Entry(
        "Cổng TTĐT tỉnh Mẫu", PORTAL_MAU, "101",
        {"3.1": P, "3.2a": P, "3.2b": F},
        id="tinh-mau", group="province",
        note="good EMC; links to components in many forms; no link to skh, hidden link to stp",
        components=[
            _component("Sở Tài chính", "https://stc.tinh-mau.gov.vn/", "102", P, P, P,
                       "all good; page provides its own #yhy-append container"),
            _component("Sở Xây dựng", "https://sxd.tinh-mau.gov.vn/", "103", F, F, P,
                       "EMC snippet commented out; link back only as a logo image to www."),
            _component("Sở Y tế", "https://syt.tinh-mau.gov.vn/", "104", F, P, F,
                       "empty site id; no link back (only to a sibling site)"),
            _component("Sở Nội vụ", "https://snv.tinh-mau.gov.vn/", "105", F, F, P,
                       "snippet with http:// URLs on an https page: blocked as mixed content"),
            _component("Sở Giáo dục và Đào tạo", "https://sgd.tinh-mau.gov.vn/", "106", F, P, P,
                       "site id 101 (the portal's) copied from a shared theme"),
            _component("Sở Công Thương", "https://sct.tinh-mau.gov.vn/", "107", P, P, P,
                       "EMC injected after 1500 ms; link back fetched by AJAX after 1000 ms"),
            _component("Sở Kế hoạch và Đầu tư", "https://skh.tinh-mau.gov.vn/", "108", P, F, P,
                       "badge hidden: .yhy-append-wrap{display:none!important}"),
            _component("Sở Tư pháp", "https://stp.tinh-mau.gov.vn/", "109", P, F, P,
                       "badge hidden: #yhy-append{visibility:hidden}"),
            _component("Sở Khoa học và Công nghệ", "https://skhcn.tinh-mau.gov.vn/", "110", P, F, P,
                       "badge transparent: #yhy-append{opacity:0}"),
            _component("Sở Văn hóa, Thể thao và Du lịch", "https://svhttdl.tinh-mau.gov.vn/", "111", P, F, P,
                       "badge squashed to zero size"),
            _component("Sở Nông nghiệp và Môi trường", "https://snnmt.tinh-mau.gov.vn/", "112", F, P, P,
                       "tracker URL points to the province's own analytics host"),
            _component("Sở Dân tộc và Tôn giáo", "https://sdttg.tinh-mau.gov.vn/", "113", F, P, P,
                       "tracker script loaded from a copy on cdn.tinh-mau.gov.vn"),
            _component("Sở Giao thông Vận tải", "https://sgtvt.tinh-mau.gov.vn/", "114", P, P, P,
                       "/ answers 302 to /portal/trang-chu, which is good"),
            _component("Sở Du lịch", "https://sdl.tinh-mau.gov.vn/", "115", P, P, P,
                       "alert() on load and confirm() after 300 ms"),
            _broken_component("UBND xã A", "https://xa-a.tinh-mau.gov.vn/", None, "homepage 404"),
            _broken_component("UBND xã B", "https://xa-b.tinh-mau.gov.vn/", "116", "homepage 503"),
            _broken_component("UBND xã C", "https://xa-c.tinh-mau.gov.vn/", "117", "homepage never answers"),
            _broken_component("UBND xã D", "https://xa-d.tinh-mau.gov.vn/", "118",
                              "connection refused (EXTRA_RESOLVE)"),
            _broken_component("UBND xã E", "https://xa-e.khong-ton-tai.invalid/", "119", "DNS failure"),
            _component("UBND phường F", "https://phuong-f.tinh-mau.gov.vn/", "120", P, P, P,
                       "single-page app rendering everything, EMC included, after 800 ms"),
        ],
    ),
    Entry(
        "Cổng TTĐT Bộ Mẫu", "https://bo-mau.gov.vn/", "201",
        {"3.1": F, "3.2a": F, "3.2b": P},
        id="bo-mau", group="ministry",
        note="no EMC code at all; links to its component only through <select> options",
        components=[
            _component("Cục A", "https://cuc-a.bo-mau.gov.vn/", "202", P, P, F,
                       "good EMC; 'back' link goes to another ministry"),
        ],
    ),
    Entry(
        "Cổng TTĐT tỉnh Hòa Thịnh", "http://tinh-http.gov.vn/", "301",
        {"3.1": P, "3.2a": P, "3.2b": S},
        id="tinh-http", group="province",
        note="plain-HTTP portal with http:// EMC URLs (no mixed content); no components",
    ),
    Entry(
        "Cổng TTĐT Bộ Đổi Tên", "http://bo-doi-ten.gov.vn/", "401",
        {"3.1": P, "3.2a": P, "3.2b": S},
        id="bo-doi-ten", group="ministry",
        note="301 to https://bo-moi.gov.vn/, a good page; no components",
    ),
    Entry(
        "Cổng TTĐT tỉnh Long Lợi", "https://tinh-loi.gov.vn/", "501",
        {"3.1": B, "3.2a": B, "3.2b": B},
        id="tinh-loi", group="province",
        note="homepage 500; its one component is fine",
        components=[
            _component("Sở Xây dựng tỉnh Long Lợi", "https://sxd.tinh-loi.gov.vn/", "502", P, P, P,
                       "all good, links back to the broken portal"),
        ],
    ),
]


def _all_entries() -> list[Entry]:
    return [e for p in PORTALS for e in (p, *p.components)]


EXPECTED: dict[tuple[str, str], str] = {
    (entry.url, criterion): status for entry in _all_entries() for criterion, status in entry.expected.items()
}

# Portal URL -> names of the components a correct 3.2b must report as not linked.
MISSING_LINKS: dict[str, list[str]] = {
    PORTAL_MAU: ["Sở Kế hoạch và Đầu tư", "Sở Tư pháp"],
    "https://bo-mau.gov.vn/": [],
}


def expected_for(url: str) -> dict[str, str]:
    """criterion -> expected status for one site URL of the inventory."""
    return {c: s for (u, c), s in EXPECTED.items() if u == url}


def build_inventory() -> dict:
    portals = []
    for p in PORTALS:
        item: dict = {"id": p.id, "name": p.name, "group": p.group, "url": p.url}
        if p.emc_site_id is not None:
            item["emc_site_id"] = p.emc_site_id
        components = []
        for c in p.components:
            comp: dict = {"name": c.name, "url": c.url}
            if c.emc_site_id is not None:
                comp["emc_site_id"] = c.emc_site_id
            components.append(comp)
        item["components"] = components
        portals.append(item)
    return {"portals": portals}


# --------------------------------------------------------------------------
# HTML helpers
# --------------------------------------------------------------------------

def page(title: str, body: str, head: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _link(url: str, text: str, attrs: str = "") -> str:
    extra = f" {attrs}" if attrs else ""
    return f'<a href="{_e(url)}"{extra}>{_e(text)}</a>'


def _dates(n: int, start_day: int = 28) -> list[str]:
    return [f"{max(1, start_day - 3 * i):02d}/10/2025" for i in range(n)]


def _news_ul(items: list[str], cls: str = "news") -> str:
    rows = "".join(
        f'<li><a href="#tin-{i + 1}">{_e(t)}</a> <span class="date">{d}</span></li>'
        for i, (t, d) in enumerate(zip(items, _dates(len(items))))
    )
    return f'<ul class="{cls}">{rows}</ul>'


_BASE_CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:Arial,Helvetica,sans-serif;color:#222;background:#f3f4f6;font-size:15px;line-height:1.5}
a{color:var(--c);text-decoration:none}
a:hover{text-decoration:underline}
.wrap{max-width:1080px;margin:0 auto;padding:0 16px}
.date{color:#777;font-size:12px;white-space:nowrap}
footer{background:#222;color:#ccc;padding:18px 0;margin-top:24px;font-size:13px}
footer a{color:#fff}
"""


def _style(color: str, css: str, extra_css: str = "") -> str:
    return f"<style>:root{{--c:{color}}}{_BASE_CSS}{css}{extra_css}</style>"


@dataclass
class Agency:
    """One agency homepage; a layout function turns it into HTML."""

    host: str
    name: str
    parent: str
    color: str
    news: list[str]
    backlink: str = ""  # HTML of the link(s) back to the portal, placed by the layout
    snippet: str = ""
    snippet_in_head: bool = False
    extra_css: str = ""
    extra_head: str = ""
    extra_body: str = ""  # appended at the end of <body>
    logo: str = ""  # HTML replacing the default emblem (e.g. a linked logo)
    footer_extra: str = ""


_EMBLEM = '<span class="emblem" aria-hidden="true">★</span>'


def _finish(a: Agency, css: str, body: str) -> str:
    head = _style(a.color, css, a.extra_css) + a.extra_head
    if a.snippet and a.snippet_in_head:
        head += "\n" + a.snippet
    tail = a.extra_body
    if a.snippet and not a.snippet_in_head:
        tail = tail + "\n" + a.snippet
    return page(f"{a.name} - {a.parent}", body + tail, head)


def layout_classic(a: Agency) -> str:
    css = """
.topbar{background:#eee;font-size:13px;padding:4px 0}.topbar .wrap{display:flex;justify-content:space-between}
header.banner{background:var(--c);color:#fff;padding:20px 0}
header.banner .wrap{display:flex;align-items:center;gap:16px}
.emblem{display:inline-block;width:56px;height:56px;border-radius:50%;background:#c8102e;color:#ffcd00;font-size:34px;text-align:center;line-height:56px}
header.banner h1{margin:0;font-size:26px;text-transform:uppercase}
header.banner p{margin:0;font-size:14px;opacity:.9;text-transform:uppercase}
nav.menu{background:#fff;border-bottom:3px solid var(--c)}
nav.menu a{display:inline-block;padding:10px 14px;font-weight:bold}
.cols{display:grid;grid-template-columns:220px 1fr;gap:20px;margin-top:20px}
aside.left ul{list-style:none;margin:0;padding:0;background:#fff}
aside.left li{border-bottom:1px solid #e3e3e3;padding:8px 12px}
section.main{background:#fff;padding:12px 20px}
ul.news{list-style:square;padding-left:20px}ul.news li{margin:8px 0}
"""
    body = f"""
<div class="topbar"><div class="wrap"><span>{a.backlink or "&nbsp;"}</span><span>Đường dây nóng: 0236 3822 111</span></div></div>
<header class="banner"><div class="wrap">{a.logo or _EMBLEM}<div><p>{_e(a.parent)}</p><h1>{_e(a.name)}</h1></div></div></header>
<nav class="menu"><div class="wrap"><a href="#">Trang chủ</a><a href="#gioi-thieu">Giới thiệu</a><a href="#tin-tuc">Tin tức</a><a href="#van-ban">Văn bản</a><a href="#thu-tuc">Thủ tục hành chính</a><a href="#lien-he">Liên hệ</a></div></nav>
<main class="wrap cols">
<aside class="left"><ul><li>Cơ cấu tổ chức</li><li>Chức năng, nhiệm vụ</li><li>Chỉ đạo điều hành</li><li>Công khai ngân sách</li><li>Hỏi đáp</li></ul></aside>
<section class="main"><h2>Tin tức - Sự kiện</h2>{_news_ul(a.news)}</section>
</main>
<footer><div class="wrap"><p><b>{_e(a.name.upper())}</b><br>Địa chỉ: Số 1 đường Trần Phú, thành phố Mẫu · Điện thoại: 0236 3822 000</p>{a.footer_extra}</div></footer>
"""
    return _finish(a, css, body)


def layout_cards(a: Agency) -> str:
    css = """
header.top{background:#fff;border-bottom:4px solid var(--c);padding:14px 0}
header.top .wrap{display:flex;align-items:center;gap:14px}
.emblem{display:inline-block;width:48px;height:48px;border-radius:8px;background:var(--c);color:#fff;font-size:28px;text-align:center;line-height:48px}
header.top h1{margin:0;font-size:22px;color:var(--c)}header.top small{color:#666}
.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:18px;margin-top:22px}
.card{background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 4px rgba(0,0,0,.12)}
.card .img{height:110px;background:linear-gradient(135deg,var(--c),#9ad)}
.card h3{font-size:15px;margin:10px 12px}.card p{margin:0 12px 12px}
"""
    cards = "".join(
        f'<article class="card"><div class="img"></div><h3><a href="#tin-{i + 1}">{_e(t)}</a></h3>'
        f'<p class="date">{d}</p></article>'
        for i, (t, d) in enumerate(zip(a.news, _dates(len(a.news))))
    )
    body = f"""
<header class="top"><div class="wrap">{a.logo or _EMBLEM}<div><small>{_e(a.parent)}</small><h1>{_e(a.name)}</h1></div></div></header>
<main class="wrap"><h2>Hoạt động nổi bật</h2><div class="grid">{cards}</div></main>
<footer><div class="wrap"><p>© 2025 {_e(a.name)} - {_e(a.parent)}. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>{f"<p>{a.backlink}</p>" if a.backlink else ""}{a.footer_extra}</div></footer>
"""
    return _finish(a, css, body)


def layout_docs(a: Agency) -> str:
    css = """
header.gov{background:linear-gradient(#fff,#f7efe6);border-top:6px solid var(--c);padding:16px 0;text-align:center}
header.gov h1{margin:4px 0;color:#a00;font-size:28px}header.gov p{margin:0;font-weight:bold}
.notice{background:var(--c);color:#fff;padding:6px 0;font-size:14px}
table.docs{width:100%;border-collapse:collapse;background:#fff;margin-top:16px}
table.docs th,table.docs td{border:1px solid #ddd;padding:8px;text-align:left}
table.docs th{background:#f0f0f0}
.links{margin-top:16px;background:#fff;padding:10px 16px}
"""
    rows = "".join(
        f"<tr><td>{12 + i * 7}/2025/QĐ-{a.host.split('.')[0].upper()}</td><td><a href=\"#vb-{i + 1}\">{_e(t)}</a></td><td>{d}</td></tr>"
        for i, (t, d) in enumerate(zip(a.news, _dates(len(a.news))))
    )
    links = f'<div class="links"><b>Liên kết:</b> {a.backlink}</div>' if a.backlink else ""
    body = f"""
<header class="gov"><div class="wrap"><p>{_e(a.parent.upper())}</p><h1>{_e(a.name.upper())}</h1></div></header>
<div class="notice"><div class="wrap">Thông báo: Tiếp nhận hồ sơ trực tuyến mức độ toàn trình trên Cổng Dịch vụ công.</div></div>
<main class="wrap"><h2>Văn bản mới ban hành</h2>
<table class="docs"><thead><tr><th>Số/Ký hiệu</th><th>Trích yếu</th><th>Ngày ban hành</th></tr></thead><tbody>{rows}</tbody></table>
{links}</main>
<footer><div class="wrap">Cơ quan chủ quản: {_e(a.name)} · Chịu trách nhiệm chính: Giám đốc Sở{a.footer_extra}</div></footer>
"""
    return _finish(a, css, body)


def layout_magazine(a: Agency) -> str:
    css = """
header.mag{padding:22px 0 10px;text-align:center;background:#fff}
header.mag h1{margin:0;font-family:Georgia,serif;font-size:32px;color:var(--c)}
header.mag p{margin:2px 0 0;letter-spacing:2px;font-size:12px;text-transform:uppercase;color:#555}
nav.tabs{text-align:center;background:var(--c)}nav.tabs a{color:#fff;display:inline-block;padding:8px 16px}
.mag-body{display:grid;grid-template-columns:2fr 1fr;gap:22px;margin-top:20px}
.featured{background:#fff;padding:16px}.featured .img{height:200px;background:radial-gradient(circle at 30% 30%,#fff7,var(--c))}
.side{background:#fff;padding:12px 16px}.side h3{border-bottom:2px solid var(--c);padding-bottom:4px}
ul.plain{list-style:none;padding:0}ul.plain li{padding:6px 0;border-bottom:1px dotted #ccc}
"""
    first, rest = a.news[0], a.news[1:]
    side_links = f"<h3>Liên kết</h3><p>{a.backlink}</p>" if a.backlink else ""
    body = f"""
<header class="mag">{a.logo}<h1>{_e(a.name)}</h1><p>{_e(a.parent)}</p></header>
<nav class="tabs"><a href="#">Trang chủ</a><a href="#tin-tuc">Tin tức</a><a href="#chuyen-muc">Chuyên mục</a><a href="#lien-he">Liên hệ</a></nav>
<main class="wrap mag-body">
<section class="featured"><div class="img"></div><h2><a href="#tin-1">{_e(first)}</a></h2><p>Sáng nay, lãnh đạo {_e(a.name)} đã chủ trì hội nghị triển khai nhiệm vụ trọng tâm quý IV năm 2025.</p>{_news_ul(rest, "plain")}</section>
<aside class="side"><h3>Thông tin cần biết</h3><ul class="plain"><li>Lịch công tác tuần</li><li>Đường dây nóng</li><li>Tiếp công dân</li></ul>{side_links}</aside>
</main>
<footer><div class="wrap">Bản quyền © 2025 {_e(a.name)}{a.footer_extra}</div></footer>
"""
    return _finish(a, css, body)


def layout_minimal(a: Agency) -> str:
    css = """
body{background:#fff}
.col{max-width:760px;margin:0 auto;padding:24px 16px}
.col h1{border-left:8px solid var(--c);padding-left:12px;margin:0 0 4px}
.col .sub{color:#666;margin:0 0 20px 20px}
.item{border-bottom:1px solid #eee;padding:10px 0}.item h3{margin:0 0 2px;font-size:17px}
#lien-ket{margin-top:20px;padding:10px;background:#f6f6f6}
"""
    items = "".join(
        f'<div class="item"><h3><a href="#tin-{i + 1}">{_e(t)}</a></h3><span class="date">{d}</span></div>'
        for i, (t, d) in enumerate(zip(a.news, _dates(len(a.news))))
    )
    body = f"""
<div class="col"><h1>{_e(a.name)}</h1><p class="sub">{_e(a.parent)}</p>
{items}
<div id="lien-ket">{a.backlink or "<b>Liên kết</b>"}</div>
</div>
<footer><div class="wrap">{_e(a.name)} · Trang thông tin điện tử{a.footer_extra}</div></footer>
"""
    return _finish(a, css, body)


# --------------------------------------------------------------------------
# Site builders
# --------------------------------------------------------------------------

def _html(status: int, text: str) -> Response:
    return Response(status, text)


def _redirect(status: int, location: str) -> Response:
    return Response(
        status,
        page("Đang chuyển hướng", f'<p>Trang đã chuyển tới <a href="{_e(location)}">{_e(location)}</a>.</p>'),
        headers={"Location": location},
    )


def _error(status: int, title: str, message: str) -> Response:
    return Response(status, page(title, f"<h1>{status} - {_e(title)}</h1><p>{_e(message)}</p>"))


_LOGO_PNG = png(
    48, 48,
    lambda x, y: (200, 16, 46) if (x - 23.5) ** 2 + (y - 23.5) ** 2 <= 520 else (255, 255, 255),
)


def _back_to_mau(text: str = "Cổng TTĐT tỉnh Mẫu") -> str:
    return _link(PORTAL_MAU, text)


UBND_MAU = "UBND tỉnh Mẫu"


def _portal_mau() -> dict[str, Route]:
    sidebar_links = [
        ("Sở Tài chính", "https://stc.tinh-mau.gov.vn/", ""),
        ("Sở Y tế", "http://WWW.SYT.tinh-mau.gov.vn/gioi-thieu", ""),
        ("Sở Giáo dục và Đào tạo", "https://sgd.tinh-mau.gov.vn/", ""),
        ("Sở Công Thương", "https://sct.tinh-mau.gov.vn/", ""),
        ("Sở Tư pháp", "https://stp.tinh-mau.gov.vn/", 'style="display:none"'),
        ("Sở Khoa học và Công nghệ", "https://skhcn.tinh-mau.gov.vn/", ""),
        ("Sở Văn hóa, Thể thao và Du lịch", "https://svhttdl.tinh-mau.gov.vn/", ""),
        ("Sở Nông nghiệp và Môi trường", "https://snnmt.tinh-mau.gov.vn/", ""),
        ("Sở Dân tộc và Tôn giáo", "https://sdttg.tinh-mau.gov.vn/", ""),
        ("Sở Giao thông Vận tải", "https://sgtvt.tinh-mau.gov.vn/", ""),
        ("Sở Du lịch", "https://sdl.tinh-mau.gov.vn/", ""),
    ]
    local_links = [
        ("UBND xã A", "https://xa-a.tinh-mau.gov.vn/"),
        ("UBND xã B", "https://xa-b.tinh-mau.gov.vn/"),
        ("UBND xã C", "https://xa-c.tinh-mau.gov.vn/"),
        ("UBND xã D", "https://xa-d.tinh-mau.gov.vn/"),
        ("UBND xã E", "https://xa-e.khong-ton-tai.invalid/"),
        ("UBND phường F", "https://phuong-f.tinh-mau.gov.vn/"),
    ]
    depts = "".join(f"<li>{_link(u, n, attrs)}</li>" for n, u, attrs in sidebar_links)
    locals_ = "".join(f"<li>{_link(u, n)}</li>" for n, u in local_links)
    options = "".join(
        f'<option value="{_e(u)}">{_e(n)}</option>'
        for n, u in [
            ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"),
            ("Sở Xây dựng", "https://sxd.tinh-mau.gov.vn/"),
            ("Cổng TTĐT Chính phủ", "https://chinhphu.vn/"),
        ]
    )
    news = [
        "Khai mạc kỳ họp thứ 12 Hội đồng nhân dân tỉnh Mẫu khóa XVIII",
        "Tỉnh Mẫu đẩy mạnh chuyển đổi số trong cơ quan nhà nước",
        "Chủ tịch UBND tỉnh tiếp công dân định kỳ tháng 10",
        "Triển khai mô hình chính quyền địa phương hai cấp",
        "Tăng cường phòng, chống thiên tai mùa mưa bão năm 2025",
        "Công bố chỉ số cải cách hành chính các sở, ngành",
    ]
    css = """
.top-strip{background:#8b0000;color:#fff;font-size:13px;padding:4px 0}
header.portal{background:linear-gradient(90deg,#c8102e,#e0533a);color:#fff;padding:22px 0}
header.portal .wrap{display:flex;align-items:center;gap:18px}
.emblem{width:72px;height:72px;border-radius:50%;background:#ffcd00;color:#c8102e;font-size:44px;text-align:center;line-height:72px}
header.portal h1{margin:0;font-size:30px}header.portal p{margin:0;letter-spacing:1px}
nav.main{background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.15)}nav.main a{display:inline-block;padding:11px 15px;font-weight:bold;color:#8b0000}
.ticker{background:#fff8e1;border-bottom:1px solid #f0d98a;padding:6px 0;font-size:14px}
.layout{display:grid;grid-template-columns:1fr 300px;gap:22px;margin-top:20px}
.hot{background:#fff;padding:16px}.hot .img{height:220px;background:linear-gradient(120deg,#c8102e,#ffcd00)}
.hot ul{padding-left:18px}.hot li{margin:7px 0}
.box{background:#fff;margin-bottom:16px;padding:10px 14px}
.box h3{margin:0 0 8px;background:#c8102e;color:#fff;padding:6px 10px;font-size:15px}
.box ul{margin:0;padding-left:18px}.box li{margin:4px 0}
.box select{width:100%;padding:6px}
.box iframe{width:100%;height:90px;border:1px solid #ddd}
"""
    body = f"""
<div class="top-strip"><div class="wrap">Thứ Ba, 28/10/2025 · English · Sơ đồ cổng</div></div>
<header class="portal"><div class="wrap"><span class="emblem" aria-hidden="true">★</span><div><p>CỔNG THÔNG TIN ĐIỆN TỬ</p><h1>TỈNH MẪU</h1></div></div></header>
<nav class="main"><div class="wrap"><a href="#">Trang chủ</a><a href="#chinh-quyen">Chính quyền</a><a href="#cong-dan">Công dân</a><a href="#doanh-nghiep">Doanh nghiệp</a><a href="#du-khach">Du khách</a><a href="#van-ban">Văn bản</a></div></nav>
<div class="ticker"><div class="wrap"><b>Tin nóng:</b> Tỉnh Mẫu đạt 100% hồ sơ thủ tục hành chính được số hóa.</div></div>
<main class="wrap layout">
<section class="hot"><div class="img"></div><h2><a href="#tin-1">{_e(news[0])}</a></h2>
<p>Kỳ họp xem xét, quyết định nhiều nội dung quan trọng về phát triển kinh tế - xã hội năm 2026.</p>
{_news_ul(news[1:], "news")}</section>
<aside>
<div class="box lien-ket-website"><h3>Liên kết website</h3>
<p><b>Sở, ban, ngành</b></p><ul>{depts}</ul>
<p><b>UBND cấp xã</b></p><ul>{locals_}</ul></div>
<div class="box"><h3>Website khác</h3><select onchange="window.open(this.value)"><option value="">-- Chọn website --</option>{options}</select></div>
<div class="box"><h3>Cơ quan nội chính</h3><iframe src="/lien-ket.html" title="Liên kết cơ quan"></iframe></div>
</aside>
</main>
<footer><div class="wrap"><p><b>CỔNG THÔNG TIN ĐIỆN TỬ TỈNH MẪU</b><br>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Mẫu · Số 1 Quảng trường Trung tâm</p></div></footer>
{emc_snippet("101")}
"""
    snv_link = _link("https://snv.tinh-mau.gov.vn/", "Sở Nội vụ", 'target="_top"')
    iframe = page(
        "Liên kết",
        '<ul style="margin:6px;padding-left:18px;font:14px Arial">'
        f"<li>{snv_link}</li>"
        '<li><a href="https://baomau.vn/" target="_top">Báo Mẫu điện tử</a></li></ul>',
    )
    return {
        "/": _html(200, page("Cổng Thông tin điện tử tỉnh Mẫu", body, _style("#c8102e", css))),
        "/lien-ket.html": _html(200, iframe),
    }


def _agency_routes(a: Agency, layout: Callable[[Agency], str], path: str = "/") -> dict[str, Route]:
    return {path: _html(200, layout(a))}


@dataclass(frozen=True)
class Shape:
    """One agency homepage of the catalog as data: who it is, how its page is laid out, and what
    its page does (the Agency fields: backlink, snippet, extra CSS ...). `path`: where the page is
    served; `routes`: the host's other paths."""

    key: str  # the host's first label under the portal's domain
    name: str
    color: str
    news: tuple[str, ...]
    layout: Callable[[Agency], str]
    page: dict = field(default_factory=dict)  # Agency keyword arguments
    path: str = "/"
    routes: dict = field(default_factory=dict)


def _mau_host(key: str) -> str:
    return f"{key}.tinh-mau.gov.vn"


_LOGO_LINK_MAU = ('<a href="https://www.tinh-mau.gov.vn"><img alt="Logo tỉnh Mẫu" src="/logo.png" width="48" '
                  'height="48"></a>')
_SCT_LATE = """
<script>
// The CMS adds tracking late, after its own widgets have loaded.
setTimeout(function () {{
  var s = document.createElement('script');
  s.text = {sct_js};
  document.body.appendChild(s);
}}, 1500);
setTimeout(function () {{
  fetch('/api/lien-ket.json').then(function (r) {{ return r.json(); }}).then(function (data) {{
    var box = document.getElementById('lien-ket');
    data.links.forEach(function (l) {{
      var a = document.createElement('a');
      a.href = l.url; a.textContent = l.title;
      box.appendChild(document.createTextNode(' '));
      box.appendChild(a);
    }});
  }});
}}, 1000);
</script>""".format(sct_js=json.dumps(emc_snippet_js("107")))
_SDL_DIALOGS = """
<script>
window.addEventListener('load', function () {
  alert('Chào mừng quý khách đến với Sở Du lịch tỉnh Mẫu!');
  setTimeout(function () { confirm('Bạn có muốn nhận bản tin du lịch hằng tháng không?'); }, 300);
});
</script>"""
# Every element of the badge squashed to a zero-area box.
_SQUASHED_BADGE = (
    ".yhy-append-wrap{width:0;height:0;overflow:hidden;padding:0;border:0;box-shadow:none}"
    "#yhy-append,#yhy-append *{display:block!important;width:0!important;height:0!important;"
    "min-width:0!important;min-height:0!important;padding:0!important;margin:0!important;"
    "border:0!important;overflow:hidden!important;font-size:0!important;line-height:0!important}"
)


def _shapes_mau() -> tuple[Shape, ...]:
    """The component sites of tỉnh Mẫu that are agency homepages, each with its one defect (or none)."""
    return (
        Shape("stc", "Sở Tài chính", "#0b5394", (
            "Công khai dự toán ngân sách tỉnh năm 2026", "Hướng dẫn quyết toán vốn đầu tư công",
            "Hội nghị tập huấn kế toán hành chính sự nghiệp", "Giá đất cụ thể tại các khu tái định cư"),
            layout_classic, dict(backlink=_back_to_mau("« Cổng TTĐT tỉnh Mẫu"), snippet=emc_snippet("102"),
                                 # The page ships the badge container itself, as the EMC guide suggests.
                                 footer_extra='<div class="yhy-append-wrap"><div id="yhy-append" '
                                              'class="yhy-append"></div></div>')),
        Shape("sxd", "Sở Xây dựng", "#6d4c41", (
            "Cấp phép xây dựng trực tuyến trên toàn tỉnh", "Công bố giá vật liệu xây dựng quý III/2025",
            "Quy hoạch chung đô thị Mẫu đến năm 2040", "Kiểm tra an toàn công trình nhà cao tầng",
            "Phát triển nhà ở xã hội giai đoạn 2025-2030", "Thẩm định thiết kế cơ sở dự án giao thông"),
            layout_cards, dict(logo=_LOGO_LINK_MAU, snippet=emc_snippet("103", commented=True), snippet_in_head=True),
            routes={"/logo.png": Response(200, _LOGO_PNG, content_type="image/png")}),
        Shape("syt", "Sở Y tế", "#00897b", (
            "Tiêm chủng mở rộng đợt 3 năm 2025", "Phòng chống sốt xuất huyết trong mùa mưa",
            "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "Danh sách cơ sở đủ điều kiện xét nghiệm"),
            # Only a sibling site: its host merely ends with the portal's host.
            layout_docs, dict(backlink=_link("https://stc.tinh-mau.gov.vn/", "Sở Tài chính (thanh toán viện phí)"),
                              snippet=emc_snippet("")),
            routes={"/gioi-thieu": _html(200, page("Giới thiệu - Sở Y tế", "<h1>Giới thiệu Sở Y tế tỉnh Mẫu</h1>"
                                                   "<p>Sở Y tế là cơ quan chuyên môn thuộc UBND tỉnh.</p>"))}),
        Shape("snv", "Sở Nội vụ", "#283593", (
            "Thi tuyển công chức cấp tỉnh năm 2025", "Sắp xếp đơn vị hành chính cấp xã",
            "Tổng kết công tác thi đua, khen thưởng", "Hướng dẫn đánh giá, xếp loại cán bộ"),
            layout_magazine, dict(backlink=_back_to_mau(), snippet=emc_snippet("105", scheme="http"))),
        Shape("sgd", "Sở Giáo dục và Đào tạo", "#2e7d32", (
            "Khai giảng năm học 2025-2026", "Kết quả kỳ thi tốt nghiệp THPT năm 2025",
            "Tuyển sinh lớp 10 trường chuyên", "Chuyển đổi số trong quản lý trường học"),
            # Copied from the portal's shared theme, id included.
            layout_classic, dict(footer_extra=f"<p>Trực thuộc {_back_to_mau('Ủy ban nhân dân tỉnh Mẫu')}</p>",
                                 snippet=emc_snippet("101"), snippet_in_head=True)),
        Shape("sct", "Sở Công Thương", "#ef6c00", (
            "Bình ổn giá mặt hàng thiết yếu dịp cuối năm", "Hội chợ thương mại tỉnh Mẫu 2025",
            "Kiểm tra an toàn điện mùa mưa bão", "Khuyến công hỗ trợ cơ sở công nghiệp nông thôn"),
            layout_minimal, dict(extra_body=_SCT_LATE),
            routes={"/api/lien-ket.json": Response(
                200, json.dumps({"links": [{"title": "Cổng TTĐT tỉnh Mẫu", "url": PORTAL_MAU}]}, ensure_ascii=False),
                content_type="application/json; charset=utf-8")}),
        Shape("skh", "Sở Kế hoạch và Đầu tư", "#1565c0", (
            "Thu hút đầu tư 9 tháng đầu năm 2025", "Cấp giấy chứng nhận đăng ký doanh nghiệp",
            "Kế hoạch đầu tư công trung hạn 2026-2030", "Hội nghị xúc tiến đầu tư tại TP. Hồ Chí Minh",
            "Hỗ trợ doanh nghiệp nhỏ và vừa", "Danh mục dự án kêu gọi đầu tư"),
            layout_cards, dict(backlink=_back_to_mau("Về Cổng tỉnh"), snippet=emc_snippet("108"),
                               extra_css=".yhy-append-wrap{display:none!important}")),
        Shape("stp", "Sở Tư pháp", "#4e342e", (
            "Phổ biến Luật Ban hành văn bản quy phạm pháp luật", "Cấp phiếu lý lịch tư pháp trực tuyến",
            "Trợ giúp pháp lý cho người dân vùng sâu", "Kiểm tra văn bản quy phạm pháp luật"),
            layout_docs, dict(backlink=_back_to_mau(), snippet=emc_snippet("109"),
                              extra_css="#yhy-append{visibility:hidden}")),
        Shape("skhcn", "Sở Khoa học và Công nghệ", "#6a1b9a", (
            "Nghiệm thu đề tài khoa học cấp tỉnh", "Ngày hội khởi nghiệp đổi mới sáng tạo",
            "Chuyển đổi số và an toàn thông tin", "Đo lường, chất lượng hàng hóa lưu thông"),
            layout_magazine, dict(backlink=_back_to_mau("Cổng Thông tin điện tử tỉnh"), snippet=emc_snippet("110"),
                                  extra_css="#yhy-append{opacity:0}")),
        Shape("svhttdl", "Sở Văn hóa, Thể thao và Du lịch", "#ad1457", (
            "Lễ hội văn hóa dân gian tỉnh Mẫu", "Đại hội Thể dục thể thao cấp tỉnh",
            "Bảo tồn di tích lịch sử quốc gia", "Chương trình nghệ thuật mừng Quốc khánh"),
            layout_classic, dict(footer_extra=f"<p>{_back_to_mau()}</p>", snippet=emc_snippet("111"),
                                 extra_css=_SQUASHED_BADGE)),
        Shape("snnmt", "Sở Nông nghiệp và Môi trường", "#558b2f", (
            "Phòng chống dịch tả lợn châu Phi", "Cấp giấy chứng nhận quyền sử dụng đất",
            "Quan trắc chất lượng môi trường nước", "Mô hình nông nghiệp công nghệ cao"),
            layout_minimal, dict(backlink=_back_to_mau("Cổng TTĐT tỉnh Mẫu ›"),
                                 snippet=emc_snippet("112", tracker_url="https://analytics.tinh-mau.gov.vn/matomo.php"))),
        Shape("sdttg", "Sở Dân tộc và Tôn giáo", "#795548", (
            "Chính sách hỗ trợ đồng bào dân tộc thiểu số", "Gặp mặt chức sắc tôn giáo tiêu biểu",
            "Chương trình mục tiêu quốc gia vùng đồng bào", "Biểu dương người có uy tín năm 2025",
            "Tập huấn công tác dân tộc cấp xã", "Hỗ trợ học sinh dân tộc nội trú"),
            layout_cards, dict(backlink=_back_to_mau(), snippet=emc_snippet(
                "113", script_url="https://cdn.tinh-mau.gov.vn/js/gov-tracking.min.js"))),
        Shape("sgtvt", "Sở Giao thông Vận tải", "#37474f", (
            "Sát hạch cấp giấy phép lái xe", "Phân luồng giao thông dịp lễ hội",
            "Bảo trì quốc lộ qua địa bàn tỉnh", "Đăng kiểm phương tiện thủy nội địa"),
            layout_docs, dict(backlink=_back_to_mau(), snippet=emc_snippet("114")),
            path="/portal/trang-chu", routes={"/": _redirect(302, "/portal/trang-chu")}),
        Shape("sdl", "Sở Du lịch", "#0097a7", (
            "Tỉnh Mẫu đón 2 triệu lượt khách 9 tháng đầu năm", "Tuần lễ du lịch biển tỉnh Mẫu",
            "Quảng bá điểm đến tại hội chợ quốc tế", "Bồi dưỡng nghiệp vụ hướng dẫn viên"),
            layout_magazine, dict(backlink=_back_to_mau("Cổng TTĐT tỉnh Mẫu"), snippet=emc_snippet("115"),
                                  extra_body=_SDL_DIALOGS)),
    )


def _shaped(shape: Shape, host: str, parent: str) -> dict[str, Route]:
    agency = Agency(host, shape.name, parent, shape.color, list(shape.news), **shape.page)
    return {**shape.routes, shape.path: _html(200, shape.layout(agency))}


def _spa_phuong_f() -> dict[str, Route]:
    """A single-page app: the shell boots, "fetches" its content, then renders the whole page."""
    inner = layout_minimal(Agency(
        _mau_host("phuong-f"), "UBND phường F", UBND_MAU, "#c62828",
        ["Tổ chức Ngày hội Đại đoàn kết toàn dân tộc", "Thông báo lịch tiếp công dân của Chủ tịch phường",
         "Ra quân tổng vệ sinh môi trường", "Cấp đổi căn cước công dân lưu động"],
        backlink=_back_to_mau("Cổng thông tin tỉnh Mẫu")))
    app_html = inner.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    app_css = inner.split("<style>", 1)[1].split("</style>", 1)[0]
    script = f"""
<script>
// The app shell boots, "fetches" its content, then renders the whole page.
setTimeout(function () {{
  var style = document.createElement('style');
  style.textContent = {_js(app_css)};
  document.head.appendChild(style);
  document.getElementById('app').innerHTML = {_js(app_html)};
  var s = document.createElement('script');
  s.text = {_js(emc_snippet_js("120"))};
  document.body.appendChild(s);
}}, 800);
</script>"""
    return {"/": _html(200, page("UBND phường F", '<div id="app"></div>').replace("</body>", script + "\n</body>"))}


def _odd_sites_mau() -> dict[str, dict[str, Route]]:
    """The hosts of tỉnh Mẫu that are no agency homepage: trackers and CDNs, failing communes, the
    single-page app, and spellings the portal's own links use (a browser following them lands right)."""
    return {
        _mau_host("analytics"): {"/matomo.php": tracking_response, "*": tracking_response},
        _mau_host("cdn"): {"/js/gov-tracking.min.js": tracker_script_response()},
        _mau_host("xa-a"): {"/lien-he": _html(200, page("Liên hệ - UBND xã A",
                                                         "<h1>UBND xã A</h1><p>Điện thoại: 0236 3900 001</p>"))},
        _mau_host("xa-b"): {"/": Response(503, page("Bảo trì hệ thống", "<h1>Hệ thống đang bảo trì</h1>"
                                                    "<p>Vui lòng quay lại sau.</p>"), headers={"Retry-After": "3600"})},
        _mau_host("xa-c"): {"/": Response(200, page("UBND xã C", "<h1>UBND xã C</h1>"), delay=600.0)},
        _mau_host("phuong-f"): _spa_phuong_f(),
        "www.tinh-mau.gov.vn": {"*": _redirect(301, PORTAL_MAU)},
        "www.syt.tinh-mau.gov.vn": {"/gioi-thieu": _redirect(301, "https://syt.tinh-mau.gov.vn/gioi-thieu"),
                                    "*": _redirect(301, "https://syt.tinh-mau.gov.vn/")},
    }


def _sites_mau() -> dict[str, dict[str, Route]]:
    sites = {_mau_host(shape.key): _shaped(shape, _mau_host(shape.key), UBND_MAU) for shape in _shapes_mau()}
    return {**sites, **_odd_sites_mau()}


def _js(value: str) -> str:
    # JSON is valid JS; "</" must not end the surrounding <script> early.
    return json.dumps(value).replace("</", "<\\/")


def _portal_bo_mau() -> dict[str, Route]:
    css = """
header.bo{background:#0d47a1;color:#fff;padding:26px 0}
header.bo .wrap{display:flex;justify-content:space-between;align-items:center}
header.bo h1{margin:0;font-size:28px}header.bo .motto{font-style:italic;opacity:.85}
.search input{padding:6px 10px;border:0;border-radius:3px;width:220px}
nav.bo-nav{background:#1565c0}nav.bo-nav a{color:#fff;display:inline-block;padding:10px 16px}
.three{display:grid;grid-template-columns:repeat(3,1fr);gap:18px;margin-top:20px}
.panel{background:#fff;border-top:3px solid #0d47a1;padding:12px 16px}
.panel select{width:100%;padding:6px;margin-top:6px}
"""
    news = [
        "Bộ trưởng chủ trì hội nghị trực tuyến toàn ngành",
        "Ban hành Thông tư hướng dẫn cải cách thủ tục hành chính",
        "Hợp tác quốc tế trong lĩnh vực chuyển đổi số",
        "Tổng kết 5 năm thực hiện Chiến lược phát triển ngành",
        "Tuyển dụng viên chức các đơn vị sự nghiệp trực thuộc Bộ",
    ]
    options = "".join(
        f'<option value="{_e(u)}">{_e(n)}</option>'
        for n, u in [
            ("Cục A", "https://cuc-a.bo-mau.gov.vn/"),
            ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"),
        ]
    )
    body = f"""
<header class="bo"><div class="wrap"><div><h1>BỘ MẪU</h1><div class="motto">Cổng Thông tin điện tử</div></div>
<form class="search" onsubmit="return false"><input type="search" placeholder="Tìm kiếm..."></form></div></header>
<nav class="bo-nav"><div class="wrap"><a href="#">Trang chủ</a><a href="#gioi-thieu">Giới thiệu Bộ</a><a href="#chinh-sach">Chính sách - Pháp luật</a><a href="#dich-vu-cong">Dịch vụ công</a></div></nav>
<main class="wrap three">
<section class="panel" style="grid-column:span 2"><h2>Tin hoạt động</h2>{_news_ul(news)}</section>
<aside class="panel"><h3>Đơn vị trực thuộc</h3><label for="dv">Chọn đơn vị:</label>
<select id="dv" onchange="if(this.value)location.href=this.value"><option value="">-- Đơn vị --</option>{options}</select>
<h3>Thống kê truy cập</h3><p>Đang truy cập: 128<br>Tổng lượt: 1.204.551</p></aside>
</main>
<footer><div class="wrap">© Bộ Mẫu. Số 10 phố Tràng Tiền, Hà Nội.</div></footer>
"""
    return {"/": _html(200, page("Cổng Thông tin điện tử Bộ Mẫu", body, _style("#0d47a1", css)))}


def _cuc_a() -> dict[str, Route]:
    return _agency_routes(Agency(
        "cuc-a.bo-mau.gov.vn", "Cục A", "Bộ Mẫu", "#1a237e",
        ["Cục A tổ chức hội nghị sơ kết 9 tháng",
         "Hướng dẫn nghiệp vụ cho các địa phương",
         "Đoàn công tác của Cục làm việc tại tỉnh Mẫu"],
        # The webmaster pasted the wrong ministry's address.
        backlink=_link("https://bo-khac.gov.vn/", "Trang chủ Bộ"),
        snippet=emc_snippet("202"),
    ), layout_classic)


def _tinh_http() -> Site:
    css = """
body{background:#e8e0c8;font-family:Tahoma,Verdana,sans-serif}
table.frame{width:960px;margin:0 auto;background:#fff;border-collapse:collapse}
td.head{background:#8d1c1c;color:#ffd700;padding:16px;font-size:24px;font-weight:bold;text-align:center}
td.menu{width:180px;vertical-align:top;background:#f5ecd5;padding:10px}
td.content{vertical-align:top;padding:10px 16px}
td.foot{background:#8d1c1c;color:#fff;text-align:center;padding:8px;font-size:12px}
"""
    news = [
        "UBND tỉnh Hòa Thịnh họp phiên thường kỳ tháng 10",
        "Đẩy nhanh tiến độ giải ngân vốn đầu tư công",
        "Thông báo lịch cắt điện tuần tới",
        "Hội thi cải cách hành chính năm 2025",
    ]
    body = f"""
<table class="frame"><tr><td class="head" colspan="2">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH HÒA THỊNH</td></tr>
<tr><td class="menu"><b>DANH MỤC</b><br>» Giới thiệu<br>» Tin tức<br>» Văn bản<br>» Hỏi đáp<br>» Liên hệ</td>
<td class="content"><h2>Tin tức mới</h2>{_news_ul(news)}</td></tr>
<tr><td class="foot" colspan="2">Bản quyền thuộc UBND tỉnh Hòa Thịnh</td></tr></table>
{emc_snippet("301", scheme="http")}
"""
    return Site({"/": _html(200, page("Cổng TTĐT tỉnh Hòa Thịnh", body, _style("#8d1c1c", css)))}, https=False)


def _bo_moi() -> dict[str, Route]:
    return _agency_routes(Agency(
        "bo-moi.gov.vn", "Bộ Mới", "Cổng Thông tin điện tử", "#00695c",
        ["Bộ Mới chính thức đi vào hoạt động sau hợp nhất",
         "Công bố tên miền mới bo-moi.gov.vn",
         "Kiện toàn tổ chức bộ máy các vụ, cục",
         "Lãnh đạo Bộ làm việc với các địa phương"],
        snippet=emc_snippet("401"),
    ), layout_magazine)


def _sxd_tinh_loi() -> dict[str, Route]:
    return _agency_routes(Agency(
        "sxd.tinh-loi.gov.vn", "Sở Xây dựng", "UBND tỉnh Long Lợi", "#5d4037",
        ["Cấp phép xây dựng nhà ở riêng lẻ",
         "Quy hoạch khu công nghiệp phía Bắc tỉnh",
         "Kiểm tra chất lượng công trình trường học"],
        backlink=_link("https://tinh-loi.gov.vn/", "Cổng TTĐT tỉnh Long Lợi"),
        snippet=emc_snippet("502"),
    ), layout_docs)


def build_sites() -> dict[str, dict[str, Route]]:
    sites: dict[str, dict[str, Route]] = {EMC_HOST: emc_routes()}
    sites["tinh-mau.gov.vn"] = _portal_mau()
    sites.update(_sites_mau())
    sites["bo-mau.gov.vn"] = _portal_bo_mau()
    sites["cuc-a.bo-mau.gov.vn"] = _cuc_a()
    sites["tinh-http.gov.vn"] = _tinh_http()
    # The old name only redirects; like most such leftovers it has no HTTPS.
    sites["bo-doi-ten.gov.vn"] = Site({"*": _redirect(301, "https://bo-moi.gov.vn/")}, https=False)
    sites["bo-moi.gov.vn"] = _bo_moi()
    sites["tinh-loi.gov.vn"] = {
        "/": _error(500, "Lỗi máy chủ", "Đã xảy ra lỗi trong quá trình xử lý yêu cầu. Vui lòng thử lại sau."),
    }
    sites["sxd.tinh-loi.gov.vn"] = _sxd_tinh_loi()
    return sites
