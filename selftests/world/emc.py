"""Stand-in for the national EMC monitoring service (f-emc.ngsp.gov.vn).

It serves a tracker script that behaves like the real Matomo fork in the ways
the audit can observe: it drains the `_govaq` command queue, sends one page
view hit to the tracker URL, and renders the "Đã kết nối EMC" badge.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable

from .server import Request, Response, Route

__all__ = [
    "EMC_HOST",
    "EMC_SCRIPT_PATH",
    "EMC_TRACKING_PATH",
    "EMC_SCRIPT_URL",
    "EMC_TRACKER_URL",
    "BADGE_TEXT",
    "TRACKER_JS",
    "emc_routes",
    "emc_snippet",
    "emc_snippet_js",
    "tracker_script_response",
    "tracking_response",
    "png",
]

EMC_HOST = "f-emc.ngsp.gov.vn"
EMC_SCRIPT_PATH = "/embed/gov-tracking.min.js"
EMC_TRACKING_PATH = "/tracking"
EMC_SCRIPT_URL = f"https://{EMC_HOST}{EMC_SCRIPT_PATH}"
EMC_TRACKER_URL = f"https://{EMC_HOST}{EMC_TRACKING_PATH}"
BADGE_TEXT = "Đã kết nối EMC"
BADGE_TITLE = "TRUNG TÂM GIÁM SÁT QUỐC GIA VỀ CHÍNH PHỦ SỐ"


def png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """A tiny RGB PNG drawn by `pixel(x, y)`: images without shipping binary files."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _icon_pixel(x: int, y: int) -> tuple[int, int, int]:
    # A red tile with a yellow dot, close enough to the real badge icon.
    if (x - 7.5) ** 2 + (y - 7.5) ** 2 <= 12:
        return (255, 205, 0)
    return (200, 16, 46)


ICON_DATA_URL = "data:image/png;base64," + base64.b64encode(png(16, 16, _icon_pixel)).decode()

# Plain class/id selectors inserted at the START of <head>: any rule a site
# writes for the same elements comes later (or is more specific) and wins,
# as with the real badge whose styles sites routinely override.
_BADGE_CSS = (
    ".yhy-append-wrap{position:fixed;right:16px;bottom:16px;z-index:9999;background:#fff;"
    "border:1px solid #d6d6d6;border-radius:8px;padding:6px 10px;box-shadow:0 2px 8px rgba(0,0,0,.18)}"
    ".yhy-append{display:block}"
    ".yhy-append-btn{align-items:center;gap:6px;color:#b3141b;text-decoration:none;"
    "font:600 13px/1.3 Arial,Helvetica,sans-serif}"
    ".yhy-append-icon{display:inline-flex}"
    ".yhy-append-icon img{display:block}"
    ".yhy-append-txt{white-space:nowrap}"
)

_BADGE_HTML = (
    f'<a id="btnEMC" class="yhy-append-btn yhy-btn-emc" href="javascript:void(0)" title="{BADGE_TITLE}" '
    'style="display:flex"><span class="yhy-append-icon"><img alt="EMC" '
    f'src="{ICON_DATA_URL}" width="16" height="16"></span>'
    f'<span class="yhy-append-txt">{BADGE_TEXT}</span></a>'
)


def _js_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


TRACKER_JS = (
    """/* gov-tracking (EMC) - stand-in for self-tests */
(function (w, d) {
  'use strict';
  var queued = w._govaq;
  if (queued && queued.__govTracker) { return; }
  var trackerUrl = null, siteId = null, pendingViews = 0, draining = true, linkTracking = false;
  var hits = w.__govTrackerHits = [];

  function sendHit() {
    var img = new Image();
    img.src = trackerUrl + '?idsite=' + encodeURIComponent(siteId === null ? '' : siteId) +
      '&rec=1&url=' + encodeURIComponent(location.href.split('#')[0]);
    hits.push(img);
  }

  function flush() {
    if (!trackerUrl) { return; }
    while (pendingViews > 0) { pendingViews--; sendHit(); }
  }

  function apply(cmd) {
    if (!cmd || typeof cmd.length !== 'number' || !cmd.length) { return; }
    switch (cmd[0]) {
      case 'setTrackerUrl': trackerUrl = String(cmd[1]); break;
      case 'setSiteId': siteId = String(cmd[1]); break;
      case 'trackPageView': pendingViews++; break;
      case 'enableLinkTracking': linkTracking = true; break;
      default: break;
    }
    if (!draining) { flush(); }
  }

  function injectStyle() {
    if (d.getElementById('yhy-append-style')) { return; }
    var style = d.createElement('style');
    style.id = 'yhy-append-style';
    style.textContent = """
    + _js_string(_BADGE_CSS)
    + """;
    var head = d.head || d.getElementsByTagName('head')[0] || d.documentElement;
    head.insertBefore(style, head.firstChild);
  }

  function renderBadge() {
    if (!d.body) { d.addEventListener('DOMContentLoaded', renderBadge); return; }
    if (d.getElementById('btnEMC')) { return; }
    injectStyle();
    var box = d.getElementById('yhy-append');
    if (!box) {
      var wrap = d.createElement('div');
      wrap.className = 'yhy-append-wrap';
      box = d.createElement('div');
      box.id = 'yhy-append';
      box.className = 'yhy-append';
      wrap.appendChild(box);
      d.body.appendChild(wrap);
    }
    box.innerHTML = """
    + _js_string(_BADGE_HTML)
    + """;
  }

  var tracker = {
    __govTracker: true,
    push: function () {
      for (var i = 0; i < arguments.length; i++) { apply(arguments[i]); }
      return 0;
    }
  };
  if (queued && typeof queued.length === 'number') {
    for (var i = 0; i < queued.length; i++) { apply(queued[i]); }
  }
  w._govaq = tracker;
  draining = false;
  flush();
  renderBadge();
})(window, document);
"""
)


def tracker_script_response() -> Response:
    """The tracker script as served by EMC (and by sites that copy it)."""
    return Response(
        200,
        TRACKER_JS,
        headers={"Access-Control-Allow-Origin": "*"},
        content_type="application/javascript; charset=utf-8",
    )


def tracking_response(_request: Request | None = None) -> Response:
    return Response(
        204,
        headers={
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type",
        },
    )


def emc_routes() -> dict[str, Route]:
    return {
        EMC_SCRIPT_PATH: tracker_script_response(),
        EMC_TRACKING_PATH: tracking_response,
        "/": Response(
            200,
            "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
            "<title>EMC</title></head><body><h1>Hệ thống giám sát EMC</h1></body></html>",
        ),
    }


def _urls(scheme: str, tracker_url: str | None, script_url: str | None) -> tuple[str, str]:
    tracker = tracker_url or f"{scheme}://{EMC_HOST}{EMC_TRACKING_PATH}"
    script = script_url or f"{scheme}://{EMC_HOST}{EMC_SCRIPT_PATH}"
    return tracker, script


def emc_snippet_js(
    site_id: str | None,
    *,
    scheme: str = "https",
    tracker_url: str | None = None,
    script_url: str | None = None,
    minified: bool = False,
) -> str:
    """Just the JavaScript inside the snippet's <script> (for pages that inject it)."""
    tracker, script = _urls(scheme, tracker_url, script_url)
    if minified:
        site = "" if site_id is None else f'_govaq.push(["setSiteId","{site_id}"]);'
        return (
            'var _govaq=window._govaq||[];_govaq.push(["trackPageView"]);_govaq.push(["enableLinkTracking"]);'
            f'(function(){{_govaq.push(["setTrackerUrl","{tracker}"]);{site}'
            'var d=document,g=d.createElement("script"),s=d.getElementsByTagName("script")[0];'
            f'g.type="text/javascript";g.async=true;g.defer=true;g.src="{script}";'
            "s.parentNode.insertBefore(g,s)})();"
        )
    site = "" if site_id is None else f"\n        _govaq.push(['setSiteId', '{site_id}']);"
    return (
        "\n    var _govaq = window._govaq || [];\n"
        "    _govaq.push(['trackPageView']);\n"
        "    _govaq.push(['enableLinkTracking']);\n"
        "    (function () {\n"
        f"        _govaq.push(['setTrackerUrl', '{tracker}']);{site}\n"
        "        var d = document,\n"
        "            g = d.createElement('script'),\n"
        "            s = d.getElementsByTagName('script')[0];\n"
        "        g.type = 'text/javascript';\n"
        "        g.async = true;\n"
        "        g.defer = true;\n"
        f"        g.src = '{script}';\n"
        "        s.parentNode.insertBefore(g, s);\n"
        "    })();\n"
    )


def emc_snippet(
    site_id: str | None,
    *,
    scheme: str = "https",
    tracker_url: str | None = None,
    commented: bool = False,
    minified: bool = False,
    script_url: str | None = None,
) -> str:
    """The embed code as sites paste it. `site_id=None` leaves out setSiteId."""
    js = emc_snippet_js(
        site_id, scheme=scheme, tracker_url=tracker_url, script_url=script_url, minified=minified
    )
    if minified:
        script = f"<script>{js}</script>"
        begin, end = "<!-- Begin EMC Tracking Code -->", "<!-- End EMC Tracking Code -->"
        if commented:
            return f"<!-- Begin EMC Tracking Code {script} End EMC Tracking Code -->"
        return f"{begin}{script}{end}"
    script = f'<script type="text/javascript">{js}</script>'
    if commented:
        # One well-formed comment: the inner Begin/End markers lose their own
        # comment delimiters, the way a webmaster "turns the code off".
        return f"<!-- Begin EMC Tracking Code\n{script}\nEnd EMC Tracking Code -->"
    return f"<!-- Begin EMC Tracking Code -->\n{script}\n<!-- End EMC Tracking Code -->"
