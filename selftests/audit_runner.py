"""Runs the audit exactly as an auditor does (`pytest tests/portals ...`) in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from portal_audit.records.reader import results_from_json
from portal_audit.yamlio import dump_plain

REPO = Path(__file__).resolve().parent.parent
WORLD_CONFIG = Path(__file__).resolve().parent / "world-config.yaml"
# fullName of the summary results the audit adds to Allure (portal_audit/allure_summary.py).
SUMMARY_PREFIX = "portal_audit.summary."
RESULTS_SCHEMA = REPO / "docs" / "results.schema.json"
# Workers for an audit of many sites that mostly waits (the settle budget of the sites that never
# settle, a page that never answers): each worker is idle during its waits, so on 2 cores 4 of them
# finish the catalog sooner than 2 (56-60 s against 77-88 s on a loaded machine, docs/bo-tu-kiem-tra.md).
WAITING_WORKERS = ("-n", "4")
# Pytest plugins of the development environment that an auditor's does not have and the audit never
# uses: each audit process (and each of its xdist workers) would load them for nothing (~0.3 s CPU).
NOT_THE_AUDITORS = ("-p", "no:hypothesispytest", "-p", "no:benchmark")


def validate_results(path: Path, document: Any) -> None:
    """A results.json the audit (or the merge) wrote, against the schema it ships: through the model
    (portal_audit.records.reader) and, where jsonschema is installed, against the committed
    docs/results.schema.json itself (test_results_schema.py checks that it is the model's)."""
    results_from_json(path, document)
    try:
        import jsonschema
    except ImportError:
        return
    jsonschema.validate(document, json.loads(RESULTS_SCHEMA.read_text(encoding="utf-8")),
                        cls=jsonschema.Draft202012Validator)


@dataclass
class AuditRun:
    returncode: int
    output: str
    results_path: Path
    allure_dir: Path
    seconds: float
    validated: set[tuple[int, int]] = field(default_factory=set)  # (mtime, size) of the versions checked

    @property
    def results(self) -> dict[str, Any]:
        """results.json, validated against the results schema each time the run has rewritten it."""
        text = self.results_path.read_text(encoding="utf-8")
        document = json.loads(text)
        stat = self.results_path.stat()
        if (stat.st_mtime_ns, stat.st_size) not in self.validated:
            validate_results(self.results_path, document)
            self.validated.add((stat.st_mtime_ns, stat.st_size))
        return document

    def stable_records(self) -> list[dict[str, Any]]:
        """The records without their measurement times, for comparing two runs."""
        return [{**{k: v for k, v in r.items() if k != "measured_at"},
                 "evidence": {k: v for k, v in r["evidence"].items() if k != "settle_seconds"}}
                for r in self.results["records"]]

    def record(self, site: str, criterion: str) -> dict[str, Any]:
        matches = [r for r in self.results["records"] if r["site"] == site and r["criterion"] == criterion]
        assert len(matches) == 1, f"expected one record for {site} {criterion}, got {len(matches)}"
        return matches[0]

    def allure_results(self) -> list[dict[str, Any]]:
        """The audit cases' Allure results (the summary's own results are in allure_summary_results)."""
        return [r for r in self._allure_all() if not r.get("fullName", "").startswith(SUMMARY_PREFIX)]

    def allure_summary_results(self) -> list[dict[str, Any]]:
        return [r for r in self._allure_all() if r.get("fullName", "").startswith(SUMMARY_PREFIX)]

    def _allure_all(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text(encoding="utf-8")) for p in self.allure_dir.glob("*-result.json")]


@dataclass
class CatalogAudits:
    """The session's two audits of the whole catalog (selftests/conftest.py catalog_audits)."""
    full: AuditRun
    new_badge: AuditRun  # --criteria 3.2a with new_badge_config, on a world of its own
    new_badge_config: Path  # the world's settings with badge.texts [NEW_BADGE]


def load_yaml(text: str) -> Any:
    """Plain data from YAML text, read with the audit's own YAML library."""
    return YAML(typ="safe", pure=True).load(text)


def write_inventory(path: Path, inventory: dict[str, Any]) -> Path:
    path.write_text(dump_plain(inventory), encoding="utf-8")
    return path


def audit_command(workdir: Path, inventory: Path, *args: str, fresh: bool = True,
                  config: Path | None = WORLD_CONFIG) -> list[str]:
    """The audit as an auditor runs it, writing into `workdir`. `fresh=False` keeps the Allure
    results and pytest cache of an earlier run there (re-runs); `config=None` runs with the default
    settings (the time limits of a real audit)."""
    workdir.mkdir(parents=True, exist_ok=True)
    keep = ["-o", f"cache_dir={workdir / 'cache'}"] if not fresh else ["--clean-alluredir", "-p", "no:cacheprovider"]
    return [sys.executable, "-m", "pytest", "tests/portals", "--inventory", str(inventory),
            "--results", str(workdir / "results.json"), "--alluredir", str(workdir / "allure-results"),
            *(["--audit-config", str(config)] if config else []), "-q", *NOT_THE_AUDITORS, *keep, *args]


def run_audit(workdir: Path, inventory: Path, *args: str, timeout: float = 900, fresh: bool = True,
              config: Path | None = WORLD_CONFIG, env: dict[str, str] | None = None) -> AuditRun:
    """Runs the audit and waits for it; independent runs overlap through selftests/together.py."""
    command = audit_command(workdir, inventory, *args, fresh=fresh, config=config)
    started = time.monotonic()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout, env=env)
    seconds = time.monotonic() - started
    (workdir / "output.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    return AuditRun(done.returncode, done.stdout + done.stderr, workdir / "results.json",
                    workdir / "allure-results", seconds)
