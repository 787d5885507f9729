"""A stand-in for Chromium that records being started: the proof, for a test that says the audit
"stops before any browser", that no browser was started (the exit status alone does not say it)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from portal_audit.visit.browser import EXECUTABLE_ENV


@dataclass(frozen=True)
class StandInChromium:
    executable: Path
    mark: Path  # created when anything starts the executable

    @property
    def env(self) -> dict[str, str]:
        """The environment of an audit that would start the stand-in instead of a real Chromium."""
        return {**os.environ, EXECUTABLE_ENV: str(self.executable)}

    @property
    def started(self) -> bool:
        return self.mark.exists()


def stand_in_chromium(folder: Path) -> StandInChromium:
    folder.mkdir(parents=True, exist_ok=True)
    mark, script = folder / "chromium-started", folder / "chromium"
    script.write_text(f"#!/bin/sh\ntouch '{mark}'\nexit 1\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return StandInChromium(script, mark)
