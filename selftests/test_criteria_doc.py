"""docs/tieu-chi.md is what `python -m portal_audit.criteria_doc` prints from the judges' declarations
(ABOUT in checks/*.py) and the fix texts (portal_audit.guidance): every criterion, every reason code
a judge can give, each with its category name and how to fix it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal_audit.checks import CRITERIA
from portal_audit.criteria_doc import COMMAND, render
from portal_audit.guidance import ERROR_FIXES, FIXES, About
from portal_audit.settings import load_settings
from portal_audit.status import ErrorKind, FailureKind

from .audit_runner import REPO

DOC = REPO / "docs" / "tieu-chi.md"


def stale(committed: Path) -> str | None:
    """Why the committed file is not what the command prints now; None when it is."""
    generated = subprocess.run([sys.executable, "-m", "portal_audit.criteria_doc"], cwd=REPO, capture_output=True,
                               timeout=120, check=True).stdout.decode("utf-8")
    if committed.read_text(encoding="utf-8") != generated:
        return f"{committed}: đã cũ so với khai báo của các tiêu chí; chạy lại: {COMMAND}"
    return None


@pytest.mark.world
def test_committed_doc_is_current() -> None:
    assert stale(DOC) is None


@pytest.mark.world
def test_a_stale_doc_is_named(tmp_path: Path) -> None:
    old = tmp_path / "tieu-chi.md"
    old.write_text(DOC.read_text(encoding="utf-8").replace("axe-core", "axe"), encoding="utf-8")
    assert stale(old) == f"{old}: đã cũ so với khai báo của các tiêu chí; chạy lại: {COMMAND}"


def _abouts() -> dict[str, About]:
    return {c.code: sys.modules[c.judge.__module__].ABOUT[c.code] for c in CRITERIA}  # type: ignore[attr-defined]


def test_every_criterion_and_reason_is_explained() -> None:
    abouts = _abouts()
    declared = [kind for about in abouts.values() for kind in about.reasons]
    assert len(declared) == len(set(declared)), "a reason declared by two criteria"
    assert set(declared) | {FailureKind.MANUAL_REVIEW} == set(FailureKind)
    assert set(FIXES) == set(FailureKind) and all(FIXES.values())
    assert {str(k) for k in ErrorKind} <= set(ERROR_FIXES), "an ErrorKind without its text in ERROR_FIXES"
    assert all(a.basis and a.checks and a.why for a in abouts.values())
    text = render(load_settings(None))
    for criterion in CRITERIA:
        assert f"## {criterion.code} — {criterion.title}" in text
    for kind in [*FailureKind, *ErrorKind]:
        assert f"| `{kind}` |" in text, kind
    assert "## HEADERS — Tiêu đề bảo mật HTTP (tham khảo)" in text and "; không tính điểm" in text


def test_readme_is_short_and_leads_to_each_readers_doc() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    # The two set-up commands, exactly (CI runs the second: .ci/run).
    assert "    bin/setup && python3 -m pytest -n auto\n" in readme
    assert "    bin/setup && python3 -m pytest selftests -n 2\n" in readme
    for name in ("danh-gia-dinh-ky.md", "tu-kiem-tra.md", "tieu-chi.md", "danh-muc.md"):
        assert f"(docs/{name})" in readme and (REPO / "docs" / name).is_file(), name
    assert "## Độ tin cậy của kết quả" in readme and "(docs/do-tin-cay.md)" in readme
