"""The one `portal-audit` command: its Vietnamese help, each subcommand's help with an example line,
and the library's commands reached through it (in a subprocess, as an auditor runs them)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pytest_portal_audit.cli import SUBCOMMANDS, usage

from .audit_runner import REPO

LISTED = ("run", "report", "merge", "discover", "verify", "rejudge")


def portal_audit(*args: str) -> subprocess.CompletedProcess[str]:
    """`portal-audit ARGS` from this checkout (the installed script is tested in test_install.py)."""
    return subprocess.run([sys.executable, "-m", "pytest_portal_audit.cli", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.world
def test_help_lists_the_subcommands_in_vietnamese() -> None:
    done = portal_audit("--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Cách dùng: portal-audit <lệnh> [tùy chọn]")
    for name in LISTED:
        summary = next(c.summary for c in SUBCOMMANDS if c.name == name)
        assert f"  {name:<10}{summary}" in done.stdout, name
    assert "Ví dụ:\n  portal-audit run --inventory inventory.yaml" in done.stdout
    assert "pytest-benchmark" not in done.stdout + done.stderr and "--basetemp" not in done.stdout


@pytest.mark.world
@pytest.mark.parametrize("name", ["report", "merge", "discover", "verify", "rejudge"])
def test_each_subcommand_has_a_vietnamese_help_with_an_example(name: str) -> None:
    done = portal_audit(name, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Cách dùng: ") and "\ntùy chọn:\n" in done.stdout
    assert "-h, --help" in done.stdout and "in hướng dẫn này rồi thoát" in done.stdout
    example = done.stdout.split("\nVí dụ:\n", 1)[1]
    assert example.startswith(f"  portal-audit {name} "), example


def test_a_missing_module_is_not_listed() -> None:
    ghost = type(SUBCOMMANDS[1])("ghost", "portal_audit.no_such_module", "x")
    assert not ghost.available() and SUBCOMMANDS[1].available()


@pytest.mark.world
def test_subcommand_usage_error_is_one_line() -> None:
    done = portal_audit("report", "--results", "reports/results.json")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "python -m portal_audit.report: lỗi: the following arguments are required: --allure-results, --out"]


@pytest.mark.world
def test_merge_through_the_command_reads_its_inputs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "khong-co.json"
    done = portal_audit("merge", str(tmp_path / "out.json"), str(missing))
    assert done.returncode == 2, done.stdout + done.stderr
    assert str(missing) in done.stderr and "Traceback" not in done.stderr
