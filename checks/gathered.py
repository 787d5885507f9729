"""Reading a gatherer's result from a capture: a judge that needs a result the gatherer could not
give stops with GatherMissing, and its verdict is broken with the gatherer's reason."""

from __future__ import annotations

from typing import Any

from portal_audit.visit import Capture


class GatherMissing(Exception):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason)
        self.name = name
        self.reason = reason


def gathered(capture: Capture, name: str) -> Any:
    """The result of gatherer `name` (the attribute of the same name on capture.gathered)."""
    value = getattr(capture.gathered, name)
    if value is None:
        raise GatherMissing(name, capture.gathered.errors.get(name) or f"không có kết quả thu thập '{name}'")
    return value
