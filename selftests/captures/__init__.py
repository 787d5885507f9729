"""Captures of the simulated world's homepages, recorded by the real visit and saved as JSON, so
that every judge can be tested on what a browser really saw, without a browser.

Recorded with `python3 -m selftests.captures.record` (again whenever the world changes); each file
holds the site as the inventory describes it and the capture of its homepage."""

from __future__ import annotations

import json
from pathlib import Path

from portal_audit.inventory import LinkTarget, Site
from portal_audit.urls import site_key
from portal_audit.evidence.capture import Capture

FOLDER = Path(__file__).resolve().parent


def file_for(url: str) -> Path:
    return FOLDER / (site_key(url).replace("/", "_").replace(":", "_") + ".json")


def save(site: Site, capture: Capture) -> Path:
    site_data = {**vars(site), "link_targets": [vars(t) for t in site.link_targets], "order": list(site.order)}
    path = file_for(site.url)
    path.write_text(json.dumps({"site": site_data, "capture": json.loads(capture.to_json())},
                               ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def load(url: str) -> tuple[Site, Capture]:
    data = json.loads(file_for(url).read_text(encoding="utf-8"))
    site = dict(data["site"])
    site["link_targets"] = tuple(LinkTarget(**t) for t in site["link_targets"])
    site["order"] = tuple(site["order"])
    return Site(**site), Capture.from_json(json.dumps(data["capture"]))
