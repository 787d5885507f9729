"""The discovery world (discovery_sites.py) with the component sites its portal does not link, for the
domain scan: some found by DNS under the usual labels, one only in a Certificate Transparency export,
and the names that exist without being a component site (mail, a public-service system, a name that
answers 404, one that redirects to a listed component). Its homepage also links two sites the way
real portals do, reached only by acting on the page: a hover menu, and a link list of ids.

A world of its own, so that the discovery world's expectations stay as they are."""

from __future__ import annotations

import json

from .catalog import page
from .discovery_sites import build_discovery_sites
from .server import Response, Route

DOMAIN = "tinh-kham.gov.vn"

# Proposed as new by the scan, besides discovery_sites.EXPECTED_NEW: (name, url, found_by).
SCAN_NEW: list[tuple[str, str, list[str]]] = [
    ("Sở Khoa học và Công nghệ tỉnh Khám Phá", "https://skhcn.tinh-kham.gov.vn/", ["dns"]),
    ("Sở Nông nghiệp và Môi trường tỉnh Khám Phá", "https://snnmt.tinh-kham.gov.vn/", ["dns"]),
    ("UBND xã Hòa Sơn - Tỉnh Khám Phá", "https://xa-hoa-son.tinh-kham.gov.vn/", ["ct"]),
]
# Linked from the homepage only where a visitor acts on it: (name, url, found_in). Discovery reads
# hidden links too, so the menu's link is found both as it is and as the hover shows it.
ACTED_NEW: list[tuple[str, str, list[str]]] = [
    ("Trung tâm Dịch vụ việc làm", "https://ttvl.tinh-kham.gov.vn/",
     ["trang chủ: Đơn vị trực thuộc", "trang chủ: Đơn vị trực thuộc (hiển thị khi di chuột vào 'Đơn vị trực thuộc')"]),
    ("UBND xã Tân Lập", "https://xa-tan-lap.tinh-kham.gov.vn/", ["trang chủ: Xã, phường"]),
]
# How the sites discovery already proposes are found once the scan runs too.
FOUND_BY: dict[str, list[str]] = {
    "https://sxd.tinh-kham.gov.vn/": ["link"],
    "https://syt.tinh-kham.gov.vn/": ["link"],  # linked, but no such name in DNS
    "https://sgd.tinh-kham.gov.vn/": ["link", "dns"],
    "https://phuong-binh.tinh-kham.gov.vn/": ["sitemap", "ct"],
    **{url: how for _, url, how in SCAN_NEW},
    **{url: ["link"] for _, url, _ in ACTED_NEW},
}
# Names that exist and are not proposed, with the reason the proposals file gives.
NOT_PROPOSED: dict[str, str] = {
    "api.tinh-kham.gov.vn": "không trả về trang web (application/json)",
    "mail.tinh-kham.gov.vn": "loại trừ theo cấu hình discovery.exclude_hosts",
    "sgtvt.tinh-kham.gov.vn": "không trả về trang web (HTTP 404)",
    "dichvucong.tinh-kham.gov.vn": "loại trừ theo cấu hình discovery.exclude_hosts",
}

# As crt.sh gives it (output=json): several names a line in name_value, wildcards, other domains.
CT_EXPORT = json.dumps([
    {"issuer_ca_id": 295815, "issuer_name": "C=US, O=Let's Encrypt, CN=R10", "common_name": "xa-hoa-son.tinh-kham.gov.vn",
     "name_value": "xa-hoa-son.tinh-kham.gov.vn\nwww.xa-hoa-son.tinh-kham.gov.vn", "id": 15077243345,
     "entry_timestamp": "2025-09-30T02:11:45.123", "not_before": "2025-09-30T01:13:15", "not_after": "2025-12-29T01:13:14",
     "serial_number": "05f4c0a1"},
    {"issuer_ca_id": 183267, "issuer_name": "C=US, O=Let's Encrypt, CN=R3", "common_name": "*.tinh-kham.gov.vn",
     "name_value": "*.tinh-kham.gov.vn\ntinh-kham.gov.vn", "id": 9800000001},
    {"common_name": "mail.tinh-kham.gov.vn", "name_value": "mail.tinh-kham.gov.vn\napi.tinh-kham.gov.vn", "id": 9800000002},
    {"common_name": "dichvucong.tinh-kham.gov.vn", "name_value": "dichvucong.tinh-kham.gov.vn", "id": 9800000003},
    {"common_name": "phuong-binh.tinh-kham.gov.vn", "name_value": "phuong-binh.tinh-kham.gov.vn", "id": 9800000004},
    {"common_name": "stc.tinh-khac.gov.vn", "name_value": "stc.tinh-khac.gov.vn", "id": 9800000005},
], ensure_ascii=False, indent=1)


def _home(title: str) -> Response:
    return Response(200, page(title, f"<h1>{title}</h1><p>Tin tức, văn bản, thủ tục hành chính.</p>"))


_ACTED = """
<nav class="menu"><ul><li class="has-sub"><span class="menu-title">Đơn vị trực thuộc</span>
<div class="sub"><ul><li><a href="https://ttvl.tinh-kham.gov.vn/">Trung tâm Dịch vụ việc làm</a></li></ul></div></li></ul></nav>
<style>.menu .sub{display:none}.menu li.has-sub:hover .sub{display:block}</style>
<select onchange="if (XA[this.value]) window.open(XA[this.value])"><option value="">-- Xã, phường --</option>
<option value="7">UBND xã Tân Lập</option></select>
<script>var XA = {7: 'https://xa-tan-lap.tinh-kham.gov.vn/'};</script>
"""


def build_scan_sites() -> dict[str, dict[str, Route]]:
    sites = build_discovery_sites()
    home = sites["tinh-kham.gov.vn"]["/"]
    assert isinstance(home, Response) and isinstance(home.body, str)
    sites["tinh-kham.gov.vn"]["/"] = Response(200, home.body.replace("</main>", _ACTED + "</main>"))
    sites.update({
        "stc.tinh-kham.gov.vn": {"/": _home("Sở Tài chính tỉnh Khám Phá")},
        # An older name of the same department: it lands on stc, which is already listed.
        "sotc.tinh-kham.gov.vn": {"*": Response(301, "", headers={"Location": "https://stc.tinh-kham.gov.vn/"})},
        "skhcn.tinh-kham.gov.vn": {"/": _home("Sở Khoa học và Công nghệ tỉnh Khám Phá")},
        "snnmt.tinh-kham.gov.vn": {"/": _home("Sở Nông nghiệp và Môi trường tỉnh Khám Phá")},
        "xa-hoa-son.tinh-kham.gov.vn": {"/": _home("UBND xã Hòa Sơn - Tỉnh Khám Phá")},
        "mail.tinh-kham.gov.vn": {"/": _home("Thư điện tử tỉnh Khám Phá")},
        "api.tinh-kham.gov.vn": {"/": Response(200, '{"status": "ok"}', content_type="application/json")},
        "sgtvt.tinh-kham.gov.vn": {},
        "dichvucong.tinh-kham.gov.vn": {"/": _home("Cổng dịch vụ công tỉnh Khám Phá")},
    })
    return sites
