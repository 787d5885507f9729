"""Per-test variants of the world's settings (selftests/world-config.yaml).

A site on which a watched criterion has not passed is watched for the whole settle budget (3.5 s in
the world): most of an audit's time on a small inventory. A test that is not about what renders late
(which pages are loaded, which portals a selection keeps) runs with a short budget instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from portal_audit.yamlio import dump_plain

from .audit_runner import WORLD_CONFIG, load_yaml

# Enough for the load event's snapshot and one more; nothing in the tests that use it waits on it.
SHORT_SETTLE = 0.5


def world_config_with(folder: Path, **visit: Any) -> Path:
    """The world's settings with the given `visit` keys changed, written into `folder`."""
    settings = load_yaml(WORLD_CONFIG.read_text(encoding="utf-8"))
    settings["visit"].update(visit)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "audit-config.yaml"
    path.write_text(dump_plain(settings), encoding="utf-8")
    return path
