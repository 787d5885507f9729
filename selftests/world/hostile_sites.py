"""Hostile and broken homepages: each gets a clear verdict and the run goes on.

A separate world from the catalog (its own World instance), so that the catalog's verdict table
stays as it is. Every hostile site otherwise carries the good EMC snippet and badge, so that what
is judged is only how the audit copes with the hostility."""

from __future__ import annotations

import os
import signal
import threading
import unicodedata

from .emc import emc_routes, emc_snippet, EMC_HOST
from .server import Request, Response, Route, Site
from .catalog import page

DOMAIN = "thu-nghiem.gov.vn"


def host(name: str) -> str:
    return f"{name}.{DOMAIN}"


def url(name: str) -> str:
    return f"https://{host(name)}/"


def _good(title: str, body: str = "", head: str = "", site_id: str = "900") -> str:
    return page(title, f"<h1>{title}</h1>{body}<p>Tin tức, văn bản, thủ tục hành chính.</p>",
                head=head + emc_snippet(site_id))


def kill_audit_browsers(port: int) -> int:
    """SIGKILL the main Chromium processes mapped to this world (the audit's browsers)."""
    killed = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if (any(a.startswith(b"--host-resolver-rules=") and f":{port}".encode() in a for a in args)
                and not any(a.startswith(b"--type=") for a in args)):
            try:
                os.kill(int(entry), signal.SIGKILL)
                killed += 1
            except OSError:
                pass
    return killed


class Once:
    """A route that answers `first` the first time, `then` afterwards (a transient failure)."""

    def __init__(self, first: Route, then: Route) -> None:
        self.first, self.then = first, then
        self.used = False
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        with self.lock:
            route = self.then if self.used else self.first
            self.used = True
        return route(request) if callable(route) else route


def build_hostile_sites(port_holder: dict[str, int]) -> dict[str, dict[str, Route]]:
    """`port_holder["port"]` is filled in once the World has started (the killer needs it)."""

    def killer(request: Request) -> Response:
        # The audit's browser dies while loading this page (a Chromium crash, as far as the audit knows).
        kill_audit_browsers(port_holder["port"])
        return Response(body=_good("Trang làm trình duyệt bị dừng"), delay=0.2)

    def probe(request: Request) -> Response:
        port = port_holder["port"]
        return Response(body=_good("Trang dò mạng nội bộ", head=f"""<script>
            fetch('http://127.0.0.1:{port}/bi-mat?ip').catch(() => {{}});
            fetch('http://localhost:{port}/bi-mat?localhost').catch(() => {{}});
            new Image().src = 'http://192.168.1.1/bi-mat';</script>"""))

    # Legacy encoding (Vietnamese in windows-1258, decomposed tone marks) and malformed markup.
    legacy_text = ("<html><head><meta charset='windows-1258'><title>Trang mã cũ</title>" + emc_snippet("900")
                   + "</head><body><h1>UBND xã Cũ<table><tr><td>Tin tức<p>Thông báo <b><i>lỗi</b></i>"
                   "<div>không đóng thẻ <a href=>liên kết hỏng</body></html><p>sau thẻ đóng")
    legacy_body = unicodedata.normalize("NFD", legacy_text).encode("cp1258", errors="replace")
    # About 20 MB of text in long paragraphs (a page that embeds whole documents inline).
    huge = "".join(f"<p>Đoạn {i}: " + "văn bản rất dài của một trang rất lớn " * 260 + "</p>" for i in range(1_500))
    sites: dict[str, dict[str, Route]] = {
        EMC_HOST: emc_routes(),
        host("hop-thoai"): {"/": Response(body=_good("Hộp thoại", head="""<script>
            window.addEventListener('beforeunload', (e) => { e.preventDefault(); e.returnValue = 'Rời trang?'; });
            alert('Chào mừng'); confirm('Đồng ý?'); prompt('Tên của bạn?');
            setTimeout(() => alert('Lần nữa'), 200);
            setTimeout(() => { window.open('https://popup.thu-nghiem.gov.vn/'); window.open('about:blank'); }, 100);
            </script>"""))},
        host("popup"): {"/": Response(body=page("Cửa sổ bật lên", "<p>Quảng cáo</p>"))},
        host("tai-ve"): {"/": Response(body=b"PK\x03\x04 not really a zip", content_type="application/zip",
                                       headers={"Content-Disposition": 'attachment; filename="trang-chu.zip"'})},
        host("pdf"): {"/": Response(body=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                                    content_type="application/pdf")},
        host("vong-lap"): {"/": Response(status=302, headers={"Location": "/a"}),
                           "/a": Response(status=302, headers={"Location": "/"})},
        # A busy loop that starts as soon as the document is parsed: the EMC script never gets to run.
        host("treo"): {"/": Response(body=_good("Trang treo trình duyệt", head="""<script>
            document.addEventListener('DOMContentLoaded', () => setTimeout(() => { for (;;) {} }, 0));</script>"""))},
        host("sau-khi-treo"): {"/": Response(body=_good("Trang sau trang treo"))},
        host("rat-lon"): {"/": Response(body=_good("Trang rất lớn", body=huge))},
        host("ma-cu"): {"/": Response(body=legacy_body, content_type="text/html; charset=windows-1258")},
        host("do-tham"): {"/": probe},
        host("chap-chon"): {"/": Once(Response(status=503, body="Bận"), Response(body=_good("Trang lúc được lúc không")))},
        host("loi-mai"): {"/": Response(status=502, body="Bad gateway")},
        host("lam-sap"): {"/": Once(killer, Response(body=_good("Trang làm trình duyệt bị dừng")))},
    }
    # An HTTP page that redirects to another domain: judged at the final page.
    sites["cu.thu-nghiem-khac.gov.vn"] = Site({"/": Response(status=301, headers={"Location": url("moi")})},
                                              https=False)
    sites[host("moi")] = {"/": Response(body=_good("Trang mới sau chuyển hướng"))}
    return sites


SITES: list[tuple[str, str, str]] = [
    # (name, url, expected 3.1 status)
    ("Hộp thoại và cửa sổ bật lên", url("hop-thoai"), "passed"),
    ("Trang chủ là tệp tải về", url("tai-ve"), "broken"),
    ("Trang chủ là tệp PDF", url("pdf"), "broken"),
    ("Chuyển hướng vòng lặp", url("vong-lap"), "broken"),
    ("Trang treo trình duyệt", url("treo"), "broken"),
    ("Trang sau trang treo", url("sau-khi-treo"), "passed"),
    ("Trang mã cũ", url("ma-cu"), "passed"),
    ("Trang dò mạng nội bộ", url("do-tham"), "passed"),
    ("Trang lúc được lúc không", url("chap-chon"), "passed"),
    ("Trang lỗi 502", url("loi-mai"), "broken"),
    ("Trang làm trình duyệt bị dừng", url("lam-sap"), "passed"),
    ("Trang HTTP chuyển sang tên miền khác", "http://cu.thu-nghiem-khac.gov.vn/", "passed"),
]


# Pages that are slow only because they are big: audited in a run of their own with the default
# time limits (a 20 MB page takes Chromium about 7 s to parse on an idle 2-core machine, far more
# on a busy one), so that the short limits of the hostile run never decide their verdict.
HEAVY_SITES: list[tuple[str, str, str]] = [
    ("Trang rất lớn", url("rat-lon"), "passed"),
]


def build_hostile_inventory(sites: list[tuple[str, str, str]] = SITES) -> dict:
    return {"portals": [
        {"id": f"thu-{index}", "name": name, "group": "province", "url": site_url, "emc_site_id": "900"}
        for index, (name, site_url, _) in enumerate(sites)]}
