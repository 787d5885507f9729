"""`python -m portal_audit.rejudge`: the saved evidence of a run of the simulated world judged again,
with the run's settings (the same records) and with a new badge text (the records a fresh audit
with that text gives), visiting nothing; bad evidence is one line naming the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .audit_runner import REPO, WORLD_CONFIG, AuditRun, CatalogAudits
from .world.catalog import NEW_BADGE
from .world.server import World

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("world-catalog")]  # shares the full audit with test_world_audit.py


def rejudge(run_dir: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "portal_audit.rejudge", str(run_dir), "--results", str(out), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=600)


def records(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["records"]


def verdicts(items: list[dict], criterion: str | None = None) -> dict[tuple[str, str], tuple]:
    return {(r["site"], r["criterion"]): (r["status"], r["message"], r["evidence"].get("reasons"))
            for r in items if criterion is None or r["criterion"] == criterion}


def test_the_run_saved_its_evidence(full_audit: AuditRun) -> None:
    saved = list((full_audit.results_path.parent / "evidence").glob("*.json"))
    sites = {r["site"] for r in full_audit.results["records"]}
    broken = {r["site"] for r in full_audit.results["records"] if r["status"] == "broken"}
    assert len(saved) >= len(sites - broken) > 0


def test_rejudged_with_the_run_settings_the_records_are_the_same(full_audit: AuditRun, world: World,
                                                                 tmp_path: Path) -> None:
    world.clear_requests()
    done = rejudge(full_audit.results_path.parent, tmp_path / "again.json")  # the settings the run recorded
    assert done.returncode == 0, done.stderr
    assert world.requests() == []  # nothing visited
    assert records(tmp_path / "again.json") == full_audit.results["records"]
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert again["summary"] == full_audit.results["summary"]
    assert (tmp_path / "ket-qua-danh-gia.xlsx").exists()
    assert "đánh giá lại" in done.stdout


def test_rejudged_with_a_new_badge_text_as_a_fresh_audit_with_it(catalog_audits: CatalogAudits, world: World,
                                                                 tmp_path: Path) -> None:
    full_audit = catalog_audits.full
    world.clear_requests()
    done = rejudge(full_audit.results_path.parent, tmp_path / "rejudged.json", "--audit-config",
                   str(catalog_audits.new_badge_config))
    assert done.returncode == 0, done.stderr
    assert world.requests() == []
    rejudged = verdicts(records(tmp_path / "rejudged.json"), "3.2a")
    assert rejudged == verdicts(catalog_audits.new_badge.results["records"], "3.2a")
    before = verdicts(full_audit.results["records"], "3.2a")
    changed = [key for key in rejudged if rejudged[key] != before[key]]
    assert changed and all(NEW_BADGE in rejudged[key][1] for key in changed if rejudged[key][0] != "broken")


def test_bad_evidence_is_one_line_naming_the_file(full_audit: AuditRun, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "results.json").write_text(full_audit.results_path.read_text(encoding="utf-8"), encoding="utf-8")
    (run_dir / "evidence").mkdir()
    first = sorted((full_audit.results_path.parent / "evidence").glob("*.json"))[0]
    broken = run_dir / "evidence" / first.name
    broken.write_text('{"site_key": 1, "evidence": []}', encoding="utf-8")
    done = rejudge(run_dir, tmp_path / "out.json", "--audit-config", str(WORLD_CONFIG))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"python -m portal_audit.rejudge: lỗi: {broken}: tệp bằng chứng không hợp lệ: là bằng chứng của '1', "
        f"không phải của '{json.loads(first.read_text(encoding='utf-8'))['site_key']}'"]
    assert not (tmp_path / "out.json").exists()


def test_a_folder_without_results_is_one_line(tmp_path: Path) -> None:
    done = rejudge(tmp_path, tmp_path / "out.json")
    assert done.returncode == 2
    assert done.stderr.strip() == (f"python -m portal_audit.rejudge: lỗi: {tmp_path / 'results.json'}: "
                                   "không tìm thấy tệp kết quả (results.json)")
