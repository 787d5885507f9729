"""Which Chromium to launch and with which flags."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import Playwright

from portal_audit.config import BrowserSettings
from portal_audit.resolve import ResolveRule, chromium_rules

EXECUTABLE_ENV = "PORTAL_AUDIT_CHROMIUM"


def launch_options(playwright: Playwright, settings: BrowserSettings, rules: tuple[ResolveRule, ...]) -> dict[str, Any]:
    """Launch options for Chromium: Playwright's own build when installed, else the system's."""
    options: dict[str, Any] = {"args": list(settings.args)}
    resolver = chromium_rules(list(rules))
    if resolver:
        options["args"].append(f"--host-resolver-rules={resolver}")
    explicit = os.environ.get(EXECUTABLE_ENV)
    if explicit:
        options["executable_path"] = explicit
    elif not Path(playwright.chromium.executable_path).exists():
        fallback = next((p for p in settings.fallback_executables if Path(p).exists()), None)
        if fallback:
            options["executable_path"] = fallback
    return options
