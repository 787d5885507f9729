"""Which Chromium the audit starts when Playwright's own is not installed: headless (the default),
the system's headless shell first, the full browser otherwise or with --headed; PORTAL_AUDIT_CHROMIUM
before either; Lighthouse measures in the full browser when the audit runs the shell."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from portal_audit.settings import BrowserSettings, load_settings
from portal_audit.visit import launch_options, lighthouse_chromium
from portal_audit.visit.browser import EXECUTABLE_ENV


def machine(tmp_path: Path, *present: str) -> tuple[SimpleNamespace, BrowserSettings, dict[str, str]]:
    """A Playwright without its own Chromium, and settings naming files of tmp_path (those in `present` exist)."""
    paths = {name: tmp_path / name for name in ("shell", "chromium", "chrome")}
    for name in present:
        paths[name].write_text("")
    settings = load_settings().browser.model_copy(update={
        "headless_executables": (str(paths["shell"]),),
        "fallback_executables": (str(paths["chromium"]), str(paths["chrome"]))})
    playwright = SimpleNamespace(chromium=SimpleNamespace(executable_path=str(tmp_path / "ms-playwright" / "chrome")))
    return playwright, settings, {name: str(path) for name, path in paths.items()}


def test_headless_runs_the_shell_and_headed_the_full_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EXECUTABLE_ENV, raising=False)
    playwright, settings, paths = machine(tmp_path, "shell", "chromium")
    assert launch_options(playwright, settings, ())["executable_path"] == paths["shell"]
    assert launch_options(playwright, settings, (), headless=False)["executable_path"] == paths["chromium"]
    headless = launch_options(playwright, settings, ())
    assert lighthouse_chromium(playwright, settings, headless) == paths["chromium"]  # measured in the full browser


def test_without_the_shell_the_full_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EXECUTABLE_ENV, raising=False)
    playwright, settings, paths = machine(tmp_path, "chrome")
    options = launch_options(playwright, settings, ())
    assert options["executable_path"] == paths["chrome"]
    assert lighthouse_chromium(playwright, settings, options) == paths["chrome"]


def test_only_the_shell_lighthouse_runs_it_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EXECUTABLE_ENV, raising=False)
    playwright, settings, paths = machine(tmp_path, "shell")
    options = launch_options(playwright, settings, ())
    assert lighthouse_chromium(playwright, settings, options) == paths["shell"]


def test_the_named_chromium_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    playwright, settings, paths = machine(tmp_path, "shell", "chromium")
    monkeypatch.setenv(EXECUTABLE_ENV, paths["chrome"])
    for headless in (True, False):
        options = launch_options(playwright, settings, (), headless=headless)
        assert options["executable_path"] == paths["chrome"]
        assert lighthouse_chromium(playwright, settings, options) == paths["chrome"]


def test_playwrights_own_chromium_is_left_to_playwright(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Playwright picks its own headless shell for a headless launch: no executable is named."""
    monkeypatch.delenv(EXECUTABLE_ENV, raising=False)
    playwright, settings, _ = machine(tmp_path, "shell", "chromium")
    own = tmp_path / "ms-playwright" / "chrome"
    own.parent.mkdir()
    own.write_text("")
    options = launch_options(playwright, settings, ())
    assert "executable_path" not in options
    assert lighthouse_chromium(playwright, settings, options) == str(own)
