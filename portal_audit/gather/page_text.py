"""Gatherer `page_text`: the rendered homepage as text (scripts, styles and images left out: an
address shown only in a picture is not text) and its controls (links, buttons, forms, frames,
scripts and elements acting on a click), each with where it sits (footer, header, menu, dialog),
for the criteria that look for what the homepage offers (CONTENT's contact details, RATING)."""

from __future__ import annotations

from typing import Any

from portal_audit.evidence.artifacts import PageControl, PageText
from portal_audit.evidence.gatherers import HTML, PAGE_TEXT
from portal_audit.gather.unit import GatherContext, Gatherer

MAX_TEXT = 100_000
MAX_CONTROLS = 2000
MAX_CONTROL_TEXT = 150
_PLACES = (("hộp thoại", ("modal", "popup", "dialog")), ("chân trang", ("footer",)), ("đầu trang", ("header",)),
           ("menu", ("menu", "nav")))
_TARGETS = {"a": "href", "form": "action", "iframe": "src", "script": "src", "button": "formaction", "input": "formaction"}


def where(element: Any) -> str:
    """The part of the page an element sits in, from its nearest marked ancestor."""
    for node in element.iterancestors():
        tag = node.tag if isinstance(node.tag, str) else ""
        marks = f"{tag} {node.get('id') or ''} {node.get('class') or ''} {node.get('role') or ''}".lower()
        for place, words in _PLACES:
            if any(w in marks for w in words):
                return place
    return "nội dung trang"


def _label(element: Any) -> str:
    parts = [" ".join(element.itertext()) if element.tag not in ("script", "iframe") else "",
             element.get("title") or "", element.get("aria-label") or "", element.get("value") or "",
             *(img.get("alt") or "" for img in element.iter("img"))]
    return " ".join(" ".join(parts).split())[:MAX_CONTROL_TEXT]


def controls(document: Any) -> list[PageControl]:
    found: list[PageControl] = []
    for element in document.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag not in _TARGETS and element.get("onclick") is None:
            continue
        if tag == "input" and (element.get("type") or "").lower() not in ("submit", "button", "image"):
            continue
        text, target = _label(element), (element.get(_TARGETS.get(tag, "")) or "").strip()[:500]
        if text or target:
            found.append(PageControl(tag, text, target, where(element)))
            if len(found) >= MAX_CONTROLS:
                break
    return found


def page_text(html: str) -> PageText:
    import lxml.html

    try:
        document = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return PageText("")
    found = controls(document)
    for element in document.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    body = document.find(".//body")
    text = " ".join(" ".join((body if body is not None else document).itertext()).split())
    return PageText(text[:MAX_TEXT], found)


def run(context: GatherContext) -> PageText:
    return page_text(context.found[HTML])


GATHERER = Gatherer(PAGE_TEXT, run, needs=(HTML,))
