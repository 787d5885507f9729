"""Outside tools some self-tests need. On a developer's machine a missing one skips the test that
needs it; on CI (`CI` or `PORTAL_AUDIT_REQUIRE_TOOLS` set, as .ci/run does) it fails it, so that a
CI machine where bin/setup could not install a tool never passes by skipping its checks. Only the
tools listed in OPTIONAL may be missing on CI (docs/bo-tu-kiem-tra.md gives the reasons)."""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest

# Tools whose absence is a skip even on CI: not installed by bin/setup, used by one optional check.
OPTIONAL = frozenset({"soffice"})


def on_ci() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("PORTAL_AUDIT_REQUIRE_TOOLS"))


def _missing(what: str, why: str) -> None:
    if on_ci() and what not in OPTIONAL:
        pytest.fail(f"{what} missing on CI: {why}", pytrace=False)
    pytest.skip(f"{what} not installed ({why})")


def command(*names: str, why: str) -> str:
    """The path of the first of `names` found on PATH; otherwise a skip, or a failure on CI."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    _missing(names[0], why)
    raise AssertionError("unreachable")  # pytest.skip and pytest.fail raise


def module(name: str, why: str) -> object:
    """The Python module `name`, imported; otherwise a skip, or a failure on CI."""
    if importlib.util.find_spec(name) is None:
        _missing(name, why)
    return __import__(name)
