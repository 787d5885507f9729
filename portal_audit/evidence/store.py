"""The evidence an audit run keeps next to its results.json (the folder `evidence/`): one JSON file
per site (its SiteEvidence, without screenshots and Lighthouse's HTML report) and the screenshots as
image files beside it, so that `python -m portal_audit.rejudge` can judge the run again without
visiting anything. Files read back are untrusted: sizes are bounded and a malformed file is one
line naming it."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

from portal_audit.evidence.site import SiteEvidence
from portal_audit.files import write_atomic
from portal_audit.inventory import Site

FOLDER = "evidence"
MAX_JSON_BYTES = 50_000_000  # a homepage's capture with its HTML is a few MB at most
MAX_IMAGE_BYTES = 20_000_000
_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


class EvidenceError(Exception):
    """A saved evidence file that cannot be read: the message is 'FILE: problem'."""


def folder_for(results_path: Path) -> Path:
    return results_path.parent / FOLDER


def stem_for(site_key: str) -> str:
    """A file name for the site, readable and unique (the key may hold '/' and ':')."""
    digest = hashlib.sha256(site_key.encode("utf-8")).hexdigest()[:10]
    return f"{_UNSAFE.sub('_', site_key)[:80]}-{digest}"


def save_evidence(folder: Path, site: Site, evidence: SiteEvidence) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stem = stem_for(site.key)
    capture, mobile = evidence.capture, evidence.artifacts.mobile
    images = {"page.jpg": capture.screenshot if capture else None, "badge.png": capture.badge_clip if capture else None,
              "mobile.jpg": mobile.screenshot if mobile else None}
    for suffix, content in images.items():
        if content:
            write_atomic(folder / f"{stem}.{suffix}", content)
    document = {"site_key": site.key, "evidence": evidence.to_dict()}
    return write_atomic(folder / f"{stem}.json", json.dumps(document, ensure_ascii=False))


def _image(path: Path) -> bytes | None:
    if not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
        return None  # evidence only: a missing screenshot never changes a verdict
    return path.read_bytes()


def load_evidence(folder: Path, site_key: str) -> SiteEvidence | None:
    """The saved evidence of the site `site_key`, None when the run saved none for it."""
    stem = stem_for(site_key)
    path = folder / f"{stem}.json"
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_JSON_BYTES:
        raise EvidenceError(f"{path}: tệp bằng chứng lớn hơn {MAX_JSON_BYTES} byte")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("site_key") != site_key:
            raise ValueError(f"là bằng chứng của '{document.get('site_key')}', không phải của '{site_key}'")
        evidence = SiteEvidence.from_dict(document["evidence"])
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as err:
        raise EvidenceError(f"{path}: tệp bằng chứng không hợp lệ: {str(err).splitlines()[0][:200]}") from None
    if evidence.capture is None:
        return evidence
    capture = replace(evidence.capture, screenshot=_image(folder / f"{stem}.page.jpg"),
                      badge_clip=_image(folder / f"{stem}.badge.png"))
    return replace(evidence, capture=capture)
