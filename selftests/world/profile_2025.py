"""The simulated world of the 2025 profile: sites that pass and sites that fail each new criterion
for each reason (slow largest paint and long blocking script, HTTP only, expired and self-signed
certificates, TLS 1.0 still accepted, no redirect and no HSTS, mixed content, a component outside its
portal's domain, no AAAA record, a portal outside gov.vn, missing metadata, no viewport, a fixed-width
page, accessibility violations, stale news), and what a correct audit concludes for each.

A world of its own (World(..., ca=True): a local CA signs each host's certificate, as its Site
asks), so that the 2024 catalog and its verdicts stay as they are. Every site carries the good EMC
snippet, its badge and the link to or from its portal, so the 2024 criteria pass everywhere and
each 2025 criterion is judged on the one defect a site was given for it. Article dates are relative
to today, so the world is fresh (or stale) whenever the tests run."""

from __future__ import annotations

import html
import json
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import format_datetime
from datetime import datetime, time, timezone

from .emc import EMC_HOST, emc_routes, emc_snippet
from .server import Request, Response, Route, Site

P, F, B, S = "passed", "failed", "broken", "skipped"
PORTAL = "https://tinh-chuan.gov.vn/"
PORTAL_NAME = "Cổng TTĐT tỉnh Chuẩn"
DOMAIN = "tinh-chuan.gov.vn"
NEW_CRITERIA = ("SPEED", "DOMAIN", "HTTPS", "HEADERS", "META", "MOBILE", "A11Y", "UPDATE")
# Every criterion except SPEED (Lighthouse is slow: it has its own small run).
WITHOUT_SPEED = ("3.1", "3.2a", "3.2b", "3.2c", "DOMAIN", "HTTPS", "HEADERS", "META", "MOBILE", "A11Y", "UPDATE")
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Content-Security-Policy": (f"default-src 'self'; script-src 'self' 'unsafe-inline' https://{EMC_HOST}; "
                                f"img-src 'self' data: https://{EMC_HOST}; style-src 'self' 'unsafe-inline'; "
                                f"connect-src 'self' https://{EMC_HOST}; frame-ancestors 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@dataclass
class Entry:
    name: str
    url: str
    site_id: str
    # The verdicts of the new criteria that differ from "passed" (and SPEED's, when measured).
    expected: dict[str, str] = field(default_factory=dict)
    note: str = ""

    @property
    def host(self) -> str:
        return self.url.split("://", 1)[1].split("/", 1)[0]


def c(key: str, domain: str = DOMAIN) -> str:
    return f"https://{key}.{domain}/"


COMPONENTS: list[Entry] = [
    Entry("Sở Chậm", c("so-cham"), "602", {"SPEED": F},
          "a 1 MB hero image as the largest paint, a 400 ms task after the first frame and a 900 ms one after load"),
    Entry("Sở HTTP", f"http://so-http.{DOMAIN}/", "603", {"HTTPS": F, "HEADERS": F},
          "HTTP only (no TLS at all), no security headers"),
    Entry("Sở Hết Hạn", c("so-het-han"), "604", {"HTTPS": F}, "expired certificate; news only in its RSS feed"),
    Entry("Sở Tự Ký", c("so-tu-ky"), "605", {"HTTPS": F},
          "self-signed certificate; news date only in article:published_time"),
    Entry("Sở TLS Cũ", c("so-tls-cu"), "606", {"HTTPS": F}, "still accepts TLS 1.0 and 1.1"),
    Entry("Sở Hỗn Hợp", c("so-hon-hop"), "607", {"HTTPS": F}, "an https page loading a script over http://"),
    Entry("Sở Không HSTS", c("so-khong-hsts"), "608", {"HTTPS": F}, "http:// not redirected, no HSTS"),
    Entry("Sở Không IPv6", c("so-khong-ipv6"), "609", {"DOMAIN": F}, "no AAAA record"),
    Entry("Sở Ngoài", c("so-ngoai", "tinh-khac.gov.vn"), "610", {"DOMAIN": F},
          "a component under another province's domain"),
    Entry("Sở Mẫu Cũ", c("so-mau-cu"), "611", {"META": F, "MOBILE": F},
          "an old template: only <title> and lang, no viewport meta"),
    Entry("Sở Cố Định", c("so-co-dinh"), "612", {"MOBILE": F}, "a fixed 1200px-wide page"),
    Entry("Sở Khó Tiếp Cận", c("so-kho-tiep-can"), "613", {"A11Y": F},
          "images without alt, unlabelled input, low-contrast text"),
    Entry("Sở Tin Cũ", c("so-tin-cu"), "614", {"UPDATE": F}, "newest article 120 days old, on the page and in RSS"),
]
PORTAL_ENTRY = Entry(PORTAL_NAME, PORTAL, "601", {}, "everything right")
OTHER_PORTAL = Entry("Cổng TTĐT Bộ Kiểu Cũ", "https://bo-kieu-cu.vn/", "620", {"DOMAIN": F},
                     "a ministry portal outside gov.vn (no components)")
ALL = [PORTAL_ENTRY, *COMPONENTS, OTHER_PORTAL]
# The Lighthouse run: the portal (fast) and the slow component, one run each.
SPEED_SITES = (PORTAL, c("so-cham"))


def expected(criteria: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """(site URL, criterion) -> the verdict a correct audit reaches, for the criteria of a run."""
    table: dict[tuple[str, str], str] = {}
    for entry in ALL:
        portal = entry in (PORTAL_ENTRY, OTHER_PORTAL)
        for code in criteria:
            if code == "3.2b" and not portal or code == "3.2c" and portal:
                continue
            if code == "3.2b" and entry is OTHER_PORTAL:
                table[entry.url, code] = S
            elif code == "SPEED" and entry.url not in SPEED_SITES:
                continue
            else:
                table[entry.url, code] = entry.expected.get(code, P)
    return table


def build_inventory(components: list[Entry] | None = None, other_portal: bool = True) -> dict:
    chosen = COMPONENTS if components is None else components
    portals = [{"id": "tinh-chuan", "name": PORTAL_NAME, "group": "province", "url": PORTAL,
                "emc_site_id": PORTAL_ENTRY.site_id,
                "components": [{"name": e.name, "url": e.url, "emc_site_id": e.site_id} for e in chosen]}]
    if other_portal:
        portals.append({"id": "bo-kieu-cu", "name": OTHER_PORTAL.name, "group": "ministry", "url": OTHER_PORTAL.url,
                        "emc_site_id": OTHER_PORTAL.site_id, "components": []})
    return {"portals": portals}


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(text, quote=True)


def days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)


def _vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


NEWS = ["Hội nghị triển khai nhiệm vụ chuyển đổi số năm 2026",
        "Công bố thủ tục hành chính mới trong lĩnh vực đất đai",
        "Kết quả thực hiện chỉ số cải cách hành chính quý III",
        "Thông báo lịch tiếp công dân định kỳ của lãnh đạo"]

CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 Arial,Helvetica,sans-serif;color:#1a1a1a;background:#fff}
header{background:#0b3d91;color:#fff;padding:16px}
header h1{margin:0;font-size:24px}header p{margin:0}
nav a{display:inline-block;color:#fff;padding:6px 10px}
main{max-width:960px;margin:0 auto;padding:16px}
ul.news{padding-left:20px}ul.news li{margin:8px 0}
a{color:#0b3d91}
.date{color:#4a4a4a;font-size:14px;margin-left:6px}
footer{background:#1a1a1a;color:#fff;padding:16px}
footer a{color:#fff}
img{max-width:100%;height:auto}
"""


@dataclass
class Page:
    """One agency homepage of this world; the defects are switched on one by one."""

    name: str
    host: str
    site_id: str
    links: list[tuple[str, str]]  # (text, url) in the footer: the portal, or the components
    news_days: tuple[int, ...] = (2, 6, 11, 19)  # how old the articles shown are
    show_dates: bool = True
    feed: bool = True
    published_time: int | None = None  # days ago, as article:published_time
    full_metadata: bool = True
    viewport: bool = True
    head_extra: str = ""
    body_top: str = ""
    body_extra: str = ""
    css_extra: str = ""

    def news_items(self) -> str:
        rows = []
        for index, (title, days) in enumerate(zip(NEWS, self.news_days)):
            stamp = f'<span class="date">{_vn(days_ago(days))}</span>' if self.show_dates else ""
            rows.append(f'<li><a href="/tin/{index + 1}">{_e(title)}</a>{stamp}</li>')
        return f'<ul class="news">{"".join(rows)}</ul>'

    def metadata(self) -> str:
        url = f"https://{self.host}/"
        if not self.full_metadata:
            return ""
        jsonld = json.dumps({"@context": "https://schema.org", "@type": "GovernmentOrganization", "name": self.name,
                             "url": url, "publisher": {"@type": "GovernmentOrganization", "name": "UBND tỉnh Chuẩn"}},
                            ensure_ascii=False)
        tags = [
            '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">',
            f'<meta name="DC.title" content="{_e(self.name)}">',
            '<meta name="DC.creator" content="UBND tỉnh Chuẩn">',
            f'<meta name="DC.date" content="{days_ago(self.news_days[0]).isoformat()}">',
            f'<meta name="DC.description" content="Trang thông tin điện tử {_e(self.name)}">',
            '<meta name="DC.publisher" content="UBND tỉnh Chuẩn">',
            f'<meta name="DC.identifier" content="{url}">',
            '<meta name="DC.language" content="vi">',
            f'<meta name="description" content="Trang thông tin điện tử {_e(self.name)}">',
            f'<meta property="og:title" content="{_e(self.name)}">',
            f'<meta property="og:url" content="{url}">',
            '<meta property="og:site_name" content="Cổng TTĐT tỉnh Chuẩn">',
            f'<link rel="canonical" href="{url}">',
            f'<script type="application/ld+json">{jsonld}</script>',
        ]
        return "\n".join(tags)

    def render(self) -> str:
        head = [
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">' if self.viewport else "",
            f"<title>{_e(self.name)}</title>",
            self.metadata(),
            '<link rel="alternate" type="application/rss+xml" title="Tin tức" href="/rss.xml">' if self.feed else "",
            (f'<meta property="article:published_time" content="{days_ago(self.published_time).isoformat()}T08:00:00+07:00">'
             if self.published_time is not None else ""),
            f"<style>{CSS}{self.css_extra}</style>",
            self.head_extra,
            emc_snippet(self.site_id),
        ]
        links = " · ".join(f'<a href="{_e(u)}">{_e(t)}</a>' for t, u in self.links)
        body = f"""
<header><h1>{_e(self.name)}</h1><p>Trang thông tin điện tử</p>
<nav aria-label="Chính"><a href="/gioi-thieu">Giới thiệu</a><a href="/tin-tuc">Tin tức</a>
<a href="/van-ban">Văn bản</a></nav></header>
<main>{self.body_top}<h2>Tin tức - Sự kiện</h2>{self.news_items()}{self.body_extra}</main>
<footer><p>Liên kết: {links}</p><p>Cơ quan chủ quản: {_e(self.name)}</p></footer>"""
        return ("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n" + "\n".join(h for h in head if h)
                + "\n</head>\n<body>" + body + "\n</body>\n</html>\n")

    def rss(self) -> str:
        items = "".join(
            f"<item><title>{_e(title)}</title><link>https://{self.host}/tin/{i + 1}</link>"
            f"<pubDate>{format_datetime(datetime.combine(days_ago(days), time(8), timezone.utc))}</pubDate></item>"
            for i, (title, days) in enumerate(zip(NEWS, self.news_days)))
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{_e(self.name)}</title>'
                f"<link>https://{self.host}/</link>{items}</channel></rss>")


def _routes(page: Page, *, headers: dict[str, str] | None = None, redirect: bool = True,
            extra: dict[str, Route] | None = None) -> dict[str, Route]:
    """`/` and `/rss.xml` answered over HTTPS with `headers`; over plain HTTP a redirect to HTTPS
    (unless `redirect` is False: then HTTP serves the page too)."""
    sent = SECURITY_HEADERS if headers is None else headers

    def secure(response: Response) -> Callable[[Request], Response]:
        def route(request: Request) -> Response:
            if request.scheme == "http" and redirect:
                return Response(301, "", headers={"Location": f"https://{request.host}{request.path}"})
            return Response(response.status, response.body, {**sent, **response.headers}, response.content_type)
        return route

    routes: dict[str, Route] = {"/": secure(Response(body=page.render()))}
    if page.feed:
        routes["/rss.xml"] = secure(Response(body=page.rss(), content_type="application/rss+xml; charset=utf-8"))
    for path, route in (extra or {}).items():
        routes[path] = secure(route) if isinstance(route, Response) else route
    return routes


def _noise_png(width: int, height: int) -> bytes:
    """An incompressible image (random pixels): its bytes, not its looks, make the largest paint slow."""
    rnd = random.Random(2025)
    rows = b"".join(b"\x00" + rnd.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1))
            + chunk(b"IEND", b""))


BACK = [(PORTAL_NAME, PORTAL)]
# A widget that keeps the page busy for 900 ms once it has loaded (after the first paint: blocking time).
BLOCKING_SCRIPT = ("<script>addEventListener('load', function () {"
                   "var end = Date.now() + 900; while (Date.now() < end) {} });</script>")
# And 400 ms right after the first frame. The load task waits for the hero image, so Lighthouse's
# optimistic estimate (which leaves images out) may end its window before it: that half of TBT
# then drops to 0 (TBT about 1.8 s instead of 3.6 s) and, once under heavy load, the whole TBT fell
# under its limit. This task depends on nothing but the page, so both estimates count it (about
# 1.5 s of TBT on its own at Lighthouse's 4x CPU slowdown): TBT stays far over 600 ms on both
# engines. Short enough not to hold the hero image's paint back (Speed Index stays under its limit).
EARLY_BLOCKING_SCRIPT = ("<script>requestAnimationFrame(function () { setTimeout(function () {"
                         "var end = Date.now() + 400; while (Date.now() < end) {} }, 0); });</script>")
# The late page (a world site outside the inventory, for Lighthouse's quiet windows): 500 ms after
# `load` a script adds a 1 MB image, the page's largest paint, and once it is shown blocks the page
# for 900 ms. A
# measurement that stops listening too early misses both: LCP and TBT pass instead of failing.
# fetchpriority=high: Lighthouse's simulation leaves low-priority images out of LCP's graph, and an
# image created by a script is requested as low or high depending on when layout sees it.
LATE_HOST = f"so-muon.{DOMAIN}"
LATE = f"https://{LATE_HOST}/"
LATE_SCRIPT = ("<script>addEventListener('load', function () { setTimeout(function () {"
               "var img = new Image(600, 600); img.alt = 'Ảnh đến muộn'; img.fetchPriority = 'high';"
               "img.onload = function () { setTimeout(function () {"
               "var end = Date.now() + 900; while (Date.now() < end) {} }, 100); };"
               "img.src = '/anh-muon.png'; document.querySelector('main').prepend(img); }, 500); });</script>")


def build_sites() -> dict[str, Site]:
    sites: dict[str, Site] = {EMC_HOST: Site(emc_routes())}
    portal_links = [(e.name, e.url) for e in COMPONENTS]
    sites[DOMAIN] = Site(_routes(Page(PORTAL_NAME, DOMAIN, PORTAL_ENTRY.site_id, portal_links)))
    sites["bo-kieu-cu.vn"] = Site(_routes(Page(OTHER_PORTAL.name, "bo-kieu-cu.vn", OTHER_PORTAL.site_id, [])))

    def page(entry: Entry, **options: object) -> Page:
        return Page(entry.name, entry.host, entry.site_id, BACK, **options)  # type: ignore[arg-type]

    by_key = {e.host.split(".")[0]: e for e in COMPONENTS}
    e = by_key["so-cham"]
    sites[e.host] = Site(_routes(
        page(e, body_top='<img src="/anh-bia.png" alt="Ảnh trang bìa" width="600" height="600">',
             head_extra=BLOCKING_SCRIPT, body_extra=EARLY_BLOCKING_SCRIPT),
        extra={"/anh-bia.png": Response(body=_noise_png(600, 600), content_type="image/png")}))
    late = Entry("Sở Muộn", LATE, "699")
    sites[LATE_HOST] = Site(_routes(page(late, head_extra=LATE_SCRIPT),
                                    extra={"/anh-muon.png": Response(body=_noise_png(600, 600), content_type="image/png")}))
    e = by_key["so-http"]
    sites[e.host] = Site(_routes(page(e), headers={}, redirect=False), https=False)
    e = by_key["so-het-han"]
    sites[e.host] = Site(_routes(page(e, show_dates=False)), cert="expired")
    e = by_key["so-tu-ky"]
    sites[e.host] = Site(_routes(page(e, show_dates=False, feed=False, published_time=3)), cert="self-signed")
    e = by_key["so-tls-cu"]
    sites[e.host] = Site(_routes(page(e)), tls_min="TLSv1")
    e = by_key["so-hon-hop"]
    sites[e.host] = Site(_routes(page(e, body_extra=f'<script src="http://{e.host}/js/thoi-tiet.js"></script>'),
                                 extra={"/js/thoi-tiet.js": Response(body="void 0;",
                                                                     content_type="application/javascript")}))
    e = by_key["so-khong-hsts"]
    no_hsts = {k: v for k, v in SECURITY_HEADERS.items() if k != "Strict-Transport-Security"}
    sites[e.host] = Site(_routes(page(e), headers=no_hsts, redirect=False))
    e = by_key["so-khong-ipv6"]
    sites[e.host] = Site(_routes(page(e)), ipv6=False)
    e = by_key["so-ngoai"]
    sites[e.host] = Site(_routes(page(e)))
    e = by_key["so-mau-cu"]
    sites[e.host] = Site(_routes(page(e, full_metadata=False, viewport=False, feed=False)))
    e = by_key["so-co-dinh"]
    sites[e.host] = Site(_routes(page(e, css_extra="body{width:1200px}main{max-width:none}")))
    e = by_key["so-kho-tiep-can"]
    sites[e.host] = Site(_routes(page(e, body_extra=(
        '<p style="color:#bbb;background:#fff">Đường dây nóng: 0236 3822 111</p>'
        '<img src="/anh-lanh-dao.png" width="120" height="80">'
        '<form><input type="text" name="q"><button type="submit"></button></form>')),
        extra={"/anh-lanh-dao.png": Response(body=_noise_png(12, 8), content_type="image/png")}))
    e = by_key["so-tin-cu"]
    sites[e.host] = Site(_routes(page(e, news_days=(120, 130, 150, 200))))
    return sites
