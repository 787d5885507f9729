"""The layers read bottom-up: evidence (pure data) below the network rules, the browser (visit) and
the gatherers, the judges (checks) over evidence only. Checked on the source with `ast`, and by
importing the judges with Playwright made unimportable."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports_of(folder: Path) -> dict[str, set[str]]:
    """Module file (relative) -> the modules it imports (absolute names)."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(ROOT))] = names
    return found


def offending(folder: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    result = {}
    for module, names in imports_of(ROOT / folder).items():
        bad = sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden))
        if bad:
            result[module] = bad
    return result


@pytest.mark.world  # a Python process of its own
@pytest.mark.parametrize("statement", ["import checks", "from portal_audit import checks"])
def test_the_judges_import_without_playwright(statement: str) -> None:
    """The folder checks/ of a checkout, by its own name and by the name it installs under."""
    code = (f"import sys; sys.modules['playwright'] = None; {statement}; assert len(checks.CRITERIA) >= 12; "
            "assert not [m for m in sys.modules if m.startswith(('portal_audit.visit', 'portal_audit.gather'))]")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


# portal_audit.guidance: each judge's documentation declaration (ABOUT), plain data over FailureKind;
# portal_audit.cells: text made safe for the CSV attachments a judge builds.
ALLOWED_IN_CHECKS = ("checks", "portal_audit.cells", "portal_audit.evidence", "portal_audit.guidance",
                     "portal_audit.settings", "portal_audit.status", "portal_audit.verdicts", "portal_audit.urls", "portal_audit.text", "portal_audit.inventory")


def test_the_judges_read_only_evidence_and_settings() -> None:
    bad = {module: sorted(n for n in names if n.split(".")[0] in ("portal_audit", "pytest_portal_audit", "playwright")
                          and not any(n == a or n.startswith(a + ".") for a in ALLOWED_IN_CHECKS))
           for module, names in imports_of(ROOT / "checks").items()}
    assert {m: b for m, b in bad.items() if b} == {}


@pytest.mark.parametrize("folder,forbidden", [
    ("portal_audit/evidence", ("portal_audit.visit", "portal_audit.gather", "portal_audit.network", "playwright",
                               "checks", "pytest_portal_audit")),
    ("portal_audit/network", ("portal_audit.visit", "portal_audit.gather", "playwright", "checks")),
    ("portal_audit/visit", ("portal_audit.gather", "checks", "pytest_portal_audit")),
    ("portal_audit/gather", ("checks", "pytest_portal_audit")),
])
def test_no_layer_imports_one_above_it(folder: str, forbidden: tuple[str, ...]) -> None:
    assert offending(folder, forbidden) == {}


def test_the_layer_check_sees_a_forbidden_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lower").mkdir()
    (tmp_path / "lower" / "a.py").write_text("from portal_audit.visit.page import Visit\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert offending("lower", ("portal_audit.visit",)) == {"lower/a.py": ["portal_audit.visit.page",
                                                                          "portal_audit.visit.page.Visit"]}


MAX_FUNCTION_LINES = 50


def long_functions(root: Path, folders: tuple[str, ...]) -> list[str]:
    """Every function (method, nested function) longer than MAX_FUNCTION_LINES, decorators aside."""
    found = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines = (node.end_lineno or node.lineno) - node.lineno + 1
                    if lines > MAX_FUNCTION_LINES:
                        found.append(f"{path.relative_to(root)}:{node.lineno} {node.name} ({lines} dòng)")
    return found


def test_no_function_over_fifty_lines() -> None:
    assert long_functions(ROOT, ("portal_audit", "checks", "pytest_portal_audit")) == []


def test_the_length_check_sees_a_long_function(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(50))
    (tmp_path / "pkg" / "m.py").write_text(f"def short():\n    return 1\n\n\ndef long():\n{body}", encoding="utf-8")
    assert long_functions(tmp_path, ("pkg",)) == ["pkg/m.py:5 long (51 dòng)"]
