"""The shell of the HTML files sent to agencies: one self-contained page (styles inline, images as
data: URIs, no script, nothing fetched), readable on screen and printed with an official letter."""

from __future__ import annotations

import base64
import html
import re
from typing import Callable
from urllib.parse import urlsplit

from portal_audit.render.tables import Cell, Table, text

STYLE = """
body{font-family:"Times New Roman",Times,serif;font-size:15px;color:#111;margin:24px auto;max-width:1100px;
  padding:0 16px;line-height:1.4}
h1{font-size:24px;margin:4px 0 6px}h2{font-size:19px;margin:26px 0 8px;border-bottom:2px solid #274b8a;
  padding-bottom:3px;color:#274b8a}h3{font-size:16px;margin:18px 0 6px}
.sub{color:#444;margin:0 0 4px}.kicker{text-transform:uppercase;letter-spacing:.04em;color:#274b8a;font-size:13px}
table{border-collapse:collapse;margin:6px 0 14px;width:100%}th,td{border:1px solid #bbb;padding:4px 7px;
  vertical-align:top;text-align:left}th{background:#e8edf6}td.n{text-align:right;white-space:nowrap}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}dl.meta dt{color:#555}
dl.meta dd{margin:0}
.st{display:inline-block;padding:0 6px;border-radius:3px;font-weight:bold;white-space:nowrap}
.passed{background:#d9f2dc;color:#145a1e}.failed{background:#fbdcdc;color:#8a1414}
.broken{background:#fff0c2;color:#6b5200}.skipped{background:#e6e6e6;color:#444}
.review{border-left:4px solid #274b8a;background:#eef2fa;padding:4px 8px;margin:4px 0}
.changed{border-left:4px solid #b36b00;background:#fff4e0;padding:4px 8px;margin:4px 0}
.site{border:1px solid #ccd;border-radius:4px;padding:6px 12px;margin:12px 0;page-break-inside:avoid}
.shot{max-height:640px;overflow:auto;border:1px solid #ccc;margin:6px 0}.shot img{width:100%;display:block}
img.clip{max-width:100%;border:1px solid #ccc}
figure.chart{margin:8px 0 16px;page-break-inside:avoid}figure.chart svg{max-width:100%;height:auto;display:block}
figcaption{font-size:13px;color:#444;margin-top:2px}
details{margin:4px 0}summary{cursor:pointer;color:#274b8a}
.small{font-size:13px;color:#444}footer{margin-top:30px;border-top:1px solid #ccc;padding-top:6px;font-size:13px;
  color:#555}
@media print{body{margin:0;max-width:none}.shot{max-height:none;overflow:visible}details>summary{display:none}
  a{color:#111;text-decoration:none}}
"""


def esc(value: object) -> str:
    """Text for an element or a double-quoted attribute (apostrophes, common in labels, stay as typed)."""
    return html.escape("" if value is None else str(value), quote=False).replace('"', "&quot;")


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>")


def status_badge(status: str, label: str) -> str:
    return f'<span class="st {esc(status)}">{esc(label)}</span>'


# The only images embedded: what the audit itself attaches (screenshots, the badge clip). Anything
# else named in an artifact (SVG, HTML, a type carrying quotes) is never put into a page.
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")


def data_uri(mime: str, content: bytes) -> str:
    """An embedded image; '' (nothing shown) for a type outside IMAGE_TYPES."""
    if mime not in IMAGE_TYPES:
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def href(url: object) -> str | None:
    """A link target for an address read from the results: http(s) only (never javascript:, data:
    or a file), escaped for a double-quoted attribute; None when it is not one."""
    text = "" if url is None else str(url).strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return None
    return esc(text) if scheme in ("http", "https") else None


def anchor_id(*parts: object) -> str:
    """An element id (and #fragment) from values read from the results: letters, digits and '-' only."""
    return "-".join(re.sub(r"[^a-z0-9]+", "-", str(part).lower()).strip("-") or "x" for part in parts)


def meta_list(pairs: list[tuple[str, str]]) -> str:
    return '<dl class="meta">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in pairs) + "</dl>"


def cell_html(value: Cell) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<td class="n">{esc(text(value))}</td>'
    return f"<td>{esc(text(value))}</td>"


def table_html(table: Table, render: Callable[[int, int, Cell], str | None] | None = None) -> str:
    """A table; `render(row, column, value)` may give a cell's inner HTML (e.g. a link)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in table.headers)
    body = []
    for row_index, row in enumerate(table.rows):
        cells = []
        for column, value in enumerate(row):
            inner = render(row_index, column, value) if render else None
            cells.append(cell_html(value) if inner is None else f"<td>{inner}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
