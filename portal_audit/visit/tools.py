"""The npm tools the audit runs (Lighthouse, axe-core): installed by bin/setup into tools/ of this
repository at the versions pinned in tools/package.json, or named by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / "tools"
LIGHTHOUSE_ENV = "PORTAL_AUDIT_LIGHTHOUSE"
AXE_ENV = "PORTAL_AUDIT_AXE"


class ToolMissing(Exception):
    """str() says which tool is missing and how to install it (Vietnamese, for the verdict)."""


def lighthouse_command(configured: str) -> Path:
    path = Path(configured or os.environ.get(LIGHTHOUSE_ENV) or TOOLS / "node_modules" / ".bin" / "lighthouse")
    if not path.exists():
        raise ToolMissing(f"chưa cài Lighthouse ({path}): chạy bin/setup (npm ci trong tools/)")
    return path


def axe_script() -> str:
    path = Path(os.environ.get(AXE_ENV) or TOOLS / "node_modules" / "axe-core" / "axe.min.js")
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise ToolMissing(f"chưa cài axe-core ({path}): chạy bin/setup (npm ci trong tools/)") from None
