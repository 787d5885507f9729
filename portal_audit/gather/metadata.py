"""Metadata of the rendered homepage (criterion META), as a flat map of sources to values: Dublin
Core (DC.* and dcterms.* meta elements, "dc:title"), OpenGraph ("og:title", "article:published_time"),
JSON-LD ("jsonld:publisher"), plain meta elements ("meta:description"), "link:canonical",
"html:title" and "html:lang". Extracted with extruct (its DC-HTML and OpenGraph extractors) and
lxml (JSON-LD script by script, so that one malformed block does not hide the others), from the
HTML as the browser rendered it, so metadata added by scripts counts."""

from __future__ import annotations

from typing import Any, Iterable

import json

from portal_audit.evidence.gatherers import HTML, METADATA, VISIT
from portal_audit.gather.unit import GatherContext, Gatherer


MAX_VALUES = 5
MAX_LENGTH = 300
JSONLD_KEYS = ("name", "headline", "description", "url", "@id", "datePublished", "dateModified", "author", "creator",
               "publisher")
META_NAMES = ("description", "author", "keywords", "date", "last-modified", "publisher")


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id") or value.get("url") or ""
    return " ".join(str(value).split())[:MAX_LENGTH] if value is not None else ""


def _jsonld_nodes(items: Iterable[Any]) -> Iterable[dict[str, Any]]:
    for item in items:
        if isinstance(item, list):
            yield from _jsonld_nodes(item)
        elif isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from _jsonld_nodes(graph)


class _Found(dict[str, list[str]]):
    """Source -> values, each value once, at most MAX_VALUES per source; a source without a value
    is left out."""

    def add(self, key: str, value: Any) -> None:
        values = value if isinstance(value, list) else [value]
        for one in values:
            text = _text(one)
            bucket = self.setdefault(key, [])
            if text and text not in bucket and len(bucket) < MAX_VALUES:
                bucket.append(text)
        if not self.get(key):
            self.pop(key, None)


def extract_metadata(html: str, base_url: str) -> dict[str, list[str]]:
    # Imported here: extruct takes a tenth of a second to load, paid only where metadata is read.
    import extruct
    import lxml.html

    found = _Found()
    data = extruct.extract(html, base_url=base_url, syntaxes=["dublincore", "opengraph"], errors="ignore")
    for block in data.get("dublincore", []):
        for item in [*block.get("elements", []), *block.get("terms", [])]:
            name = str(item.get("name", "")).lower()
            if name.startswith(("dc.", "dcterms.")):
                found.add("dc:" + name.split(".", 1)[1], item.get("content"))
    for block in data.get("opengraph", []):
        for key, value in block.get("properties", []):
            found.add(str(key).lower(), value)
    try:
        document = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return dict(found)
    _from_document(document, found)
    return dict(found)


def _from_document(document: Any, found: _Found) -> None:
    """JSON-LD blocks, the language, the title, plain meta elements and the canonical link."""
    for script in document.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        for node in _jsonld_nodes([_json(script.text or "")]):
            for key in JSONLD_KEYS:
                if key in node:
                    found.add(f"jsonld:{key}", node[key])
    root = document.getroottree().getroot()
    found.add("html:lang", root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
    title = document.find(".//title")
    if title is not None:
        found.add("html:title", title.text_content())
    for meta in document.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if name in META_NAMES:
            found.add(f"meta:{name}", meta.get("content"))
        if (meta.get("http-equiv") or "").strip().lower() == "content-language":
            found.add("meta:content-language", meta.get("content"))
    for link in document.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            found.add("link:canonical", link.get("href"))


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        try:
            import jstyleson

            return jstyleson.loads(text)  # comments and trailing commas, as CMS templates write them
        except Exception:  # noqa: BLE001 - a broken block is simply no metadata
            return None


def run(context: GatherContext) -> dict[str, list[str]]:
    visit = context.found[VISIT]
    return extract_metadata(context.found[HTML], visit.capture.final_url)


GATHERER = Gatherer(METADATA, run, needs=(HTML, VISIT))
