"""After `pip install .`, the audit runs in any folder that holds an inventory, as the command
`portal-audit` and as `pytest -p portal_audit`, from the installed package (not from this checkout)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .audit_runner import REPO, WORLD_CONFIG, write_inventory
from .together import run_together
from .world.catalog import EXTRA_RESOLVE, build_inventory
from .world.server import World

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("install")]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with portal-audit installed from this checkout (its dependencies are the
    machine's, through --system-site-packages; only the build backend comes from the package index)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps",
                           "--disable-pip-version-check", str(REPO)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return venv


def _folder(folder: Path) -> Path:
    """An empty folder holding only an inventory (one portal with one component of the world)."""
    portals = [p for p in build_inventory()["portals"] if p["id"] == "bo-mau"]
    write_inventory(folder / "inventory.yaml", {"portals": portals})
    return folder


def _records(folder: Path) -> dict[tuple[str, str], str]:
    document = json.loads((folder / "reports" / "results.json").read_text(encoding="utf-8"))
    return {(r["site"], r["criterion"]): r["status"] for r in document["records"]}


EXPECTED = {("https://bo-mau.gov.vn/", "3.1"): "failed", ("https://bo-mau.gov.vn/", "3.2a"): "failed",
            ("https://bo-mau.gov.vn/", "3.2b"): "passed", ("https://cuc-a.bo-mau.gov.vn/", "3.1"): "passed",
            ("https://cuc-a.bo-mau.gov.vn/", "3.2a"): "passed", ("https://cuc-a.bo-mau.gov.vn/", "3.2c"): "failed"}


@dataclass
class Ran:
    folder: Path  # the folder the command ran in, holding its reports
    output: str


def _run(command: list[str], folder: Path) -> Ran:
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output  # some criteria fail, as the world says
    return Ran(folder, output)


@pytest.fixture(scope="module")
def ran(installed: Path, world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Ran]:
    """The three ways to run the installed audit, side by side (selftests/together.py), each in an
    empty folder of its own; each test below reads its own."""
    world_args = [*world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors", "--audit-config", str(WORLD_CONFIG)]
    commands = {
        "command": [str(installed / "bin" / "portal-audit"), "--inventory", "inventory.yaml", "-n", "2", *world_args,
                    "--alluredir", "allure-results"],
        "plugin": [str(installed / "bin" / "python"), "-m", "pytest", "-p", "portal_audit", "--inventory",
                   "inventory.yaml", *world_args],
        "run": [str(installed / "bin" / "portal-audit"), "run", "--inventory", "inventory.yaml", "-n", "2",
                *world_args]}
    folders = {name: _folder(tmp_path_factory.mktemp(name)) for name in commands}
    return dict(zip(commands, run_together(*(lambda n=name: _run(commands[n], folders[n]) for name in commands))))


def test_portal_audit_command(installed: Path, ran: dict[str, Ran]) -> None:
    folder, output = ran["command"].folder, ran["command"].output
    assert _records(folder) == EXPECTED
    assert f"({installed}" in output, output  # the report header names the installed package
    assert list((folder / "allure-results").glob("*-result.json"))


def test_pytest_with_the_plugin_by_name(ran: dict[str, Ran]) -> None:
    assert _records(ran["plugin"].folder) == EXPECTED, ran["plugin"].output


def test_portal_audit_run_and_help(installed: Path, ran: dict[str, Ran]) -> None:
    """The same audit as `portal-audit run`, and the installed command's own help (not pytest's)."""
    assert _records(ran["run"].folder) == EXPECTED, ran["run"].output
    done = subprocess.run([str(installed / "bin" / "portal-audit"), "--help"], cwd=ran["run"].folder,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.startswith("Cách dùng: portal-audit <lệnh>"), done.stdout
    assert "  report    lập báo cáo gửi từng cơ quan" in done.stdout


def test_the_criteria_install_under_the_project_namespace(installed: Path) -> None:
    site_packages = next((installed / "lib").glob("python*/site-packages"))
    assert (site_packages / "portal_audit" / "checks" / "__init__.py").is_file()
    assert not (site_packages / "checks").exists()  # no generic top-level package
