"""The digest of a run's settings (the defaults with its --audit-config laid over them), recorded in
results.json and its manifest: runs fit together (the shards of one national round) only when they
judged with the same settings, whatever the file was called or where it lay."""

from __future__ import annotations

import hashlib
import json

from portal_audit.settings.model import Settings


def settings_digest(settings: Settings) -> str:
    data = settings.model_dump(mode="json")
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
