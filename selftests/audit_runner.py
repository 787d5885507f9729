"""Runs the audit exactly as an auditor does (`pytest tests/portals ...`) in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
WORLD_CONFIG = Path(__file__).resolve().parent / "world-config.yaml"


@dataclass
class AuditRun:
    returncode: int
    output: str
    results_path: Path
    allure_dir: Path
    seconds: float

    @property
    def results(self) -> dict[str, Any]:
        return json.loads(self.results_path.read_text(encoding="utf-8"))

    def record(self, site: str, criterion: str) -> dict[str, Any]:
        matches = [r for r in self.results["records"] if r["site"] == site and r["criterion"] == criterion]
        assert len(matches) == 1, f"expected one record for {site} {criterion}, got {len(matches)}"
        return matches[0]

    def allure_results(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text(encoding="utf-8")) for p in self.allure_dir.glob("*-result.json")]


def write_inventory(path: Path, inventory: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(inventory, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_audit(workdir: Path, inventory: Path, *args: str, timeout: float = 900) -> AuditRun:
    workdir.mkdir(parents=True, exist_ok=True)
    results, allure_dir = workdir / "results.json", workdir / "allure-results"
    command = [sys.executable, "-m", "pytest", "tests/portals", "--inventory", str(inventory),
               "--results", str(results), "--alluredir", str(allure_dir), "--clean-alluredir",
               "--audit-config", str(WORLD_CONFIG), "-p", "no:cacheprovider", "-q", *args]
    started = time.monotonic()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    seconds = time.monotonic() - started
    (workdir / "output.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    return AuditRun(done.returncode, done.stdout + done.stderr, results, allure_dir, seconds)
