"""The benchmark's world: one portal and N component sites on which every criterion passes, in one of
two page shapes (issue 20): `heavy`, each homepage about 31 requests (the page, 3 stylesheets, 5
scripts and 20 images of its own host, the EMC script and its tracking hit), and `light`, a handful
(the page, 1 stylesheet, 1 script, 1 image, the EMC script and its hit: 6), on which the audit's fixed
per-site cost weighs most. Every response is held back by the same latency (50 ms by default).
Served by the self-tests' simulated world (selftests/world/server.py), over HTTPS, with the stand-in
EMC service."""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from typing import Any, Callable

from selftests.world.catalog import page
from selftests.world.emc import EMC_HOST, emc_routes, emc_snippet, png
from selftests.world.server import Request, Response, Route, Site

DOMAIN = "tinh-chuan.gov.vn"
PORTAL_ID = "tinh-chuan"
PORTAL_NAME = "Cổng TTĐT tỉnh Chuẩn"
PORTAL_URL = f"https://{DOMAIN}/"
LATENCY = 0.05


@dataclass(frozen=True)
class Shape:
    """What a homepage of the benchmark loads besides itself, from its own host."""

    name: str
    stylesheets: int
    scripts: int
    images: int

    @property
    def requests_per_page(self) -> int:
        # The page, its own assets, the EMC script and one tracking hit.
        return 1 + self.stylesheets + self.scripts + self.images + 2


HEAVY = Shape("heavy", stylesheets=3, scripts=5, images=20)
LIGHT = Shape("light", stylesheets=1, scripts=1, images=1)
SHAPES = {shape.name: shape for shape in (HEAVY, LIGHT)}
REQUESTS_PER_PAGE = HEAVY.requests_per_page

_IMAGE = png(24, 24, lambda x, y: (200, (x * 9) % 256, (y * 9) % 256))


def component_url(index: int) -> str:
    return f"https://s{index:04d}.{DOMAIN}/"


def component_name(index: int) -> str:
    return f"Sở Chuẩn số {index}"


def _assets_head(shape: Shape) -> str:
    return "".join(f'<link rel="stylesheet" href="/static/style-{i}.css">' for i in range(shape.stylesheets))


def _assets_body(shape: Shape) -> str:
    images = "".join(f'<img src="/static/image-{i}.png" width="24" height="24" alt="">' for i in range(shape.images))
    scripts = "".join(f'<script src="/static/script-{i}.js"></script>' for i in range(shape.scripts))
    return f'<div class="gallery">{images}</div>{scripts}'


def _asset(request: Request) -> Response:
    path = request.path.split("?", 1)[0]
    if path.endswith(".css"):
        return Response(body="body{font-family:Arial,sans-serif}.gallery img{margin:2px}",
                        content_type="text/css; charset=utf-8")
    if path.endswith(".js"):
        return Response(body="window.__loaded = (window.__loaded || 0) + 1;",
                        content_type="application/javascript; charset=utf-8")
    if path.endswith(".png"):
        return Response(body=_IMAGE, content_type="image/png")
    return Response(404, "không có", content_type="text/plain; charset=utf-8")


def _delayed(route: Route, latency: float) -> Route:
    if isinstance(route, Response):
        return replace(route, delay=latency)
    handler: Callable[[Request], Response] = route
    return lambda request: replace(handler(request), delay=latency)


def _site(homepage: str, latency: float) -> Site:
    return Site({path: _delayed(route, latency) for path, route in {
        "/": Response(body=homepage), "*": _asset}.items()})


def _homepage(title: str, links: str, site_id: str, shape: Shape) -> str:
    body = (f"<header><h1>{html.escape(title)}</h1></header><main><p>Tin tức, văn bản, thủ tục hành chính.</p>"
            f"{_assets_body(shape)}</main><aside class=\"lien-ket-website\"><h3>Liên kết website</h3>{links}</aside>"
            '<footer><div class="yhy-append-wrap"><div id="yhy-append" class="yhy-append"></div></div></footer>'
            f"{emc_snippet(site_id)}")
    return page(title, body, _assets_head(shape))


def build_bench_sites(components: int, latency: float = LATENCY, shape: Shape = HEAVY) -> dict[str, Site]:
    links = "".join(f'<li><a href="{component_url(i)}">{html.escape(component_name(i))}</a></li>'
                    for i in range(1, components + 1))
    sites: dict[str, Site] = {DOMAIN: _site(_homepage(PORTAL_NAME, f"<ul>{links}</ul>", "700", shape), latency)}
    back = f'<a href="{PORTAL_URL}">{html.escape(PORTAL_NAME)}</a>'
    for index in range(1, components + 1):
        host = component_url(index).split("/")[2]
        sites[host] = _site(_homepage(component_name(index), back, str(7000 + index), shape), latency)
    sites[EMC_HOST] = Site({path: _delayed(route, latency) for path, route in emc_routes().items()})
    return sites


def build_bench_inventory(components: int) -> dict[str, Any]:
    return {"portals": [{
        "id": PORTAL_ID, "name": PORTAL_NAME, "group": "province", "url": PORTAL_URL, "emc_site_id": "700",
        "components": [{"name": component_name(i), "url": component_url(i), "emc_site_id": str(7000 + i)}
                       for i in range(1, components + 1)]}]}


def site_urls(components: int) -> list[str]:
    return [PORTAL_URL, *(component_url(i) for i in range(1, components + 1))]
