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
from portal_audit.evidence.capture import Capture

from .world.server import Response, World

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("badge-clip")]

BADGE = ('<div id="yhy-append" style="display:inline-block;background:#a3161a;color:#fff;padding:4px;'
         'width:150px;height:24px">Đã kết nối EMC</div>')
BADGE_RGB = (0xa3, 0x16, 0x1a)
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
                      is_complete=lambda capture: any(b.visible for b in capture.badges), resolve=browser[1]).capture


def _rows(png: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and the unfiltered rows of an 8-bit RGB(A) PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    data, position = b"", 8
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        if kind == b"IDAT":
            data += png[position + 8:position + 8 + length]
        position += 12 + length
    raw, size = zlib.decompress(data), {2: 3, 6: 4}[colour]
    stride, rows, previous = width * size, [], bytes(width * size)
    for r in range(height):
        kind, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):  # PNG's five filters (None, Sub, Up, Average, Paeth), undone
            a, b = (line[i - size] if i >= size else 0), previous[i]
            c = previous[i - size] if i >= size else 0
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            guess = (0, a, b, (a + b) // 2, a if pa <= pb and pa <= pc else b if pb <= pc else c)[kind]
            line[i] = (line[i] + guess) & 0xFF
        rows.append(bytes(line))
        previous = rows[-1]
    return width, height, size, rows


def _badge_box(png: bytes) -> tuple[int, int, tuple[int, int, int, int] | None]:
    """Width and height of the clip, and the box (left, top, right, bottom) of the badge's colour in it."""
    width, height, size, rows = _rows(png)
    red = [(x, y) for y, row in enumerate(rows) for x in range(width)
           if all(abs(v - w) <= 12 for v, w in zip(row[x * size:x * size + 3], BADGE_RGB))]
    if not red:
        return width, height, None
    xs, ys = [x for x, _ in red], [y for _, y in red]
    return width, height, (min(xs), min(ys), max(xs), max(ys))


@pytest.mark.parametrize("host", list(PAGES))
def test_the_clip_shows_the_badge(clip_browser: tuple[Browser, tuple], host: str) -> None:
    capture = _visit(clip_browser, host)
    assert capture.badge_clip, capture.badges
    width, height, box = _badge_box(capture.badge_clip)
    # The badge (158 x 32) and 12 px around it (less where the viewport ends), not a strip of the page.
    assert 170 <= width <= 190 and 44 <= height <= 60, (width, height)
    # The badge itself, in its colour and whole, where the clip was taken: the page was scrolled to it
    # (a clip of the wrong scroll position shows the page's white or its text instead).
    assert box is not None, "the badge's colour is not in the clip"
    left, top, right, bottom = box
    assert (right - left + 1, bottom - top + 1) == (158, 32), box
    # ... with the margin around it on each side (12 px, shifted where the page's edge cut the clip)
    assert max(left, top, width - right - 1, height - bottom - 1) <= 24, (box, width, height)
