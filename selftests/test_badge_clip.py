"""The badge clip, the evidence of 3.2a on a site that passes: the real visit of a few pages whose
badge sits where real themes put it (in the first screen, pinned to the bottom of the viewport,
in the footer of a long page), each clip the badge itself and the page left at the top."""

from __future__ import annotations

import struct
import zlib
from typing import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from portal_audit.settings import load_settings
from portal_audit.visit import launch_options, parse_rule, visit_site
from portal_audit.visit.capture import Capture

from .world.server import Response, World

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("badge-clip")]

BADGE = ('<div id="yhy-append" style="display:inline-block;background:#a3161a;color:#fff;padding:4px;'
         'width:150px;height:24px">Đã kết nối EMC</div>')
PAGES = {
    "dau.tinh-clip.gov.vn": f"<h1>Trang đầu</h1>{BADGE}",
    "ghim.tinh-clip.gov.vn": f"<div style='height:3000px'>dài</div>"
                             f"<div style='position:fixed;left:0;bottom:0'>{BADGE}</div>",
    "chantrang.tinh-clip.gov.vn": f"<div style='height:3000px'>dài</div><footer>{BADGE}</footer>",
    "cuoitrang.tinh-clip.gov.vn": f"<div style='height:3000px'>dài</div>{BADGE}",
}


def _site(body: str) -> dict[str, Response]:
    return {"/": Response(200, f"<!doctype html><html lang='vi'><head><meta charset='utf-8'></head><body>{body}</body></html>")}


@pytest.fixture(scope="module")
def clip_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with World({host: _site(body) for host, body in PAGES.items()}, tmp_path_factory.mktemp("clip-world")) as world:
        yield world


@pytest.fixture(scope="module")
def clip_browser(clip_world: World) -> Iterator[tuple[Browser, tuple]]:
    rules = tuple(parse_rule(value) for value in clip_world.resolve_args()[1::2])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(playwright, load_settings().browser, rules))
        yield browser, rules
        browser.close()


def _visit(browser: tuple[Browser, tuple], host: str) -> Capture:
    return visit_site(browser[0], f"https://{host}/", load_settings(), ignore_https_errors=True,
                      is_complete=lambda capture: any(b.visible for b in capture.badges), resolve=browser[1])


def _pixels(png: bytes) -> tuple[int, int, set[bytes]]:
    """Width, height and the distinct pixel values of an 8-bit RGB(A) PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    data, position = b"", 8
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        if kind == b"IDAT":
            data += png[position + 8:position + 8 + length]
        position += 12 + length
    raw = zlib.decompress(data)
    size = {2: 3, 6: 4}[colour] * depth // 8
    # Each row starts with its filter byte; filtered bytes still differ where the picture does.
    rows = [raw[r * (width * size + 1) + 1:(r + 1) * (width * size + 1)] for r in range(height)]
    return width, height, {row[i:i + size] for row in rows for i in range(0, len(row), size)}


@pytest.mark.parametrize("host", list(PAGES))
def test_the_clip_shows_the_badge(clip_browser: tuple[Browser, tuple], host: str) -> None:
    capture = _visit(clip_browser, host)
    assert capture.badge_clip, capture.badges
    width, height, pixels = _pixels(capture.badge_clip)
    # The badge (158 x 32) and 12 px around it (less where the viewport ends), not a strip of the page.
    assert 170 <= width <= 190 and 44 <= height <= 60, (width, height)
    assert len(pixels) > 3, "the clip is blank"
