"""A missing outside tool skips its self-test on a developer's machine but fails it on CI, except the
tools listed as optional (selftests/required.py)."""

from __future__ import annotations

import pytest

from . import required

ABSENT = "portal-audit-no-such-tool"


@pytest.fixture
def off_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PORTAL_AUDIT_REQUIRE_TOOLS", raising=False)


def test_missing_tool_skips_off_ci(off_ci: None) -> None:
    with pytest.raises(pytest.skip.Exception, match=f"{ABSENT} not installed \\(bin/setup installs it\\)"):
        required.command(ABSENT, why="bin/setup installs it")


@pytest.mark.parametrize("variable", ["CI", "PORTAL_AUDIT_REQUIRE_TOOLS"])
def test_missing_tool_fails_on_ci(off_ci: None, monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "1")
    with pytest.raises(pytest.fail.Exception, match=f"{ABSENT} missing on CI: bin/setup installs it"):
        required.command(ABSENT, why="bin/setup installs it")
    with pytest.raises(pytest.fail.Exception, match="portal_audit_no_such_tool missing on CI: pip"):
        required.module(ABSENT.replace("-", "_"), "pip")


def test_optional_tool_skips_even_on_ci(off_ci: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.skip.Exception, match="soffice not installed"):
        required.command("soffice", why="optional")


def test_present_tool_is_found(off_ci: None) -> None:
    assert required.command(ABSENT, "python3", why="-").endswith("python3")
    assert required.module("json", "-").__name__ == "json"
