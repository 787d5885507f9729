"""Criterion META (đặc tả dữ liệu; Decree 224/2026 Art. 11.5, the Dublin Core elements of Circular
24/2011): each required element (title, creator, date, description, publisher, identifier, and the
language) is present on the rendered homepage through one of its sources: DC.* meta elements or
their equivalents (<title>, meta description, OpenGraph, JSON-LD), as the settings map them. The
missing ones are named."""

from __future__ import annotations

from portal_audit.evidence.gatherers import METADATA
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.verdicts import Verdict
from portal_audit.evidence.site import SiteEvidence


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    properties: dict[str, list[str]] = site_evidence.artifact(METADATA)
    rules = settings.metadata
    found: dict[str, dict[str, str]] = {}
    missing: list[str] = []
    for element in rules.required:
        source = next((s for s in rules.elements.get(element, ()) if properties.get(s)), None)
        if source is None:
            missing.append(element)
        else:
            found[element] = {"source": source, "value": properties[source][0]}
    label = rules.labels.get
    evidence = {"found": found, "missing": missing, "properties": properties, "final_url": site_evidence.final_url,
                "reasons": [str(FailureKind.MISSING_METADATA)] if missing else []}
    if missing:
        return Verdict(Status.FAILED, f"Thiếu đặc tả dữ liệu trên trang chủ: {', '.join(label(m, m) for m in missing)} "
                                      "(không có trong thẻ DC.*, OpenGraph, JSON-LD hay thẻ meta tương đương)", evidence)
    return Verdict(Status.PASSED, "Đủ đặc tả dữ liệu: " + "; ".join(
        f"{label(element, element)} từ {item['source']}" for element, item in found.items()), evidence)
