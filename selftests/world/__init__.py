"""Simulated web for portal-audit self-tests: many sites on one loopback port, plus a stand-in EMC.

Names are re-exported lazily so `python -m selftests.world.server` does not
import the server module twice (once as part of the package, once as __main__).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Request": "server", "Response": "server", "Route": "server", "Site": "server", "World": "server",
    "BADGE_TEXT": "emc", "EMC_HOST": "emc", "emc_routes": "emc", "emc_snippet": "emc", "emc_snippet_js": "emc",
    "CRITERIA": "catalog", "EXPECTED": "catalog", "EXTRA_RESOLVE": "catalog", "MISSING_LINKS": "catalog",
    "PORTALS": "catalog", "build_inventory": "catalog", "build_sites": "catalog", "expected_for": "catalog",
    "page": "catalog",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
