"""Verifiable records (issue 16, finding 5): a real audit of the simulated world (two workers) writes
its manifest last, listing every file it wrote; the report and the merge refuse a results.json or an
Allure file changed after the run, or a file planted in the Allure folder, with one line naming it;
shards of different rounds (period, settings, criteria) are refused; each agency report shows the
manifest's digest and `python -m portal_audit.verify` says whether a report matches a run folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from portal_audit.inventory import Inventory, load_inventory
from portal_audit.records.manifest import (ManifestError, check_run_folder, folder_files, manifest_path,
                                           read_manifest, sha256_file, write_manifest)
from portal_audit.records.combine import MergeError, merge_results, read_results
from portal_audit.records.results import Provenance, results_document, write_results
from portal_audit.settings import load_settings
from portal_audit.settings.digest import settings_digest

from .audit_runner import REPO, WORLD_CONFIG, AuditRun, run_audit, write_inventory
from .world.catalog import EXTRA_RESOLVE, build_inventory
from .world.server import World

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("manifest")]

PORTALS = ("bo-mau", "tinh-http")
DIGEST_LINE = "Mã kiểm chứng (SHA-256 của bản kê kết quả lần đánh giá): "


@pytest.fixture(scope="module")
def audited(world: World, tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    folder = tmp_path_factory.mktemp("manifest")
    portals = [p for p in build_inventory()["portals"] if p["id"] in PORTALS]
    inventory = write_inventory(folder / "inventory.yaml", {"portals": portals})
    run = run_audit(folder / "run", inventory, *world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors",
                    "-n", "2", "--period", "2026-Q4")
    assert run.results["complete"] is True, run.output[-3000:]
    return run


def _copy(run: AuditRun, folder: Path) -> AuditRun:
    """The run's folder (results.json, workbook, manifest, Allure results) copied, to tamper with."""
    shutil.copytree(run.results_path.parent, folder)
    return AuditRun(run.returncode, run.output, folder / "results.json", folder / "allure-results", 0)


def command(module: str, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def report(run: AuditRun, out: Path) -> subprocess.CompletedProcess[str]:
    return command("portal_audit.report", "--allure-results", run.allure_dir, "--results", run.results_path,
                   "--out", out)


def one_line_error(done: subprocess.CompletedProcess[str], prog: str, *parts: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    line = done.stderr.strip()
    assert "\n" not in line and line.startswith(f"python -m {prog}: lỗi: "), done.stderr
    assert all(part in line for part in parts), line


def _tamper_results(run: AuditRun) -> None:
    document = json.loads(run.results_path.read_text(encoding="utf-8"))
    document["records"][0]["status"] = "passed"  # still a valid results.json: only the manifest tells
    run.results_path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")


def _an_attachment(run: AuditRun) -> Path:
    return sorted(run.allure_dir.glob("*-attachment.*"))[0]


def test_the_run_writes_its_manifest_last(audited: AuditRun) -> None:
    path = manifest_path(audited.results_path)
    assert path.name == "results.manifest.json"
    assert f"portal-audit: bản kê kiểm chứng (SHA-256 của các tệp đã ghi) ghi vào {path}" in audited.output
    manifest = read_manifest(path)
    folder = audited.results_path.parent
    assert manifest.results == "results.json"
    assert manifest.files == {name: sha256_file(folder / name) for name in ("results.json", "ket-qua-danh-gia.xlsx")}
    allure = manifest.folders["allure"]
    assert allure.path == "allure-results" and allure.files == folder_files(audited.allure_dir)
    assert any(name.endswith("-result.json") for name in allure.files) and "portal-audit.json" in allure.files
    results = audited.results
    assert (manifest.period, manifest.profile, manifest.criteria) == ("2026-Q4", results["profile"], results["criteria"])
    assert manifest.inventory_digest == results["inventory_digest"]
    assert manifest.settings_digest == results["settings_digest"] == settings_digest(load_settings(WORLD_CONFIG))
    written = [folder / name for name in manifest.files] + [audited.allure_dir / n for n in allure.files]
    assert max(p.stat().st_mtime_ns for p in written) <= path.stat().st_mtime_ns  # written last
    assert check_run_folder(path) == len(written)


def test_report_shows_the_digest_and_verify_says_it_matches(audited: AuditRun, tmp_path: Path) -> None:
    run = _copy(audited, tmp_path / "run")
    done = report(run, tmp_path / "out")
    assert done.returncode == 0 and done.stderr == "", done.stdout + done.stderr
    digest = sha256_file(manifest_path(run.results_path))
    page = (tmp_path / "out" / "bo-mau.html").read_text(encoding="utf-8")
    assert f"{DIGEST_LINE}{digest}" in page
    notes = dict(row for row in openpyxl.load_workbook(tmp_path / "out" / "bo-mau.xlsx")["Ghi chú"].values)
    assert notes["Mã kiểm chứng"] == digest

    verified = command("portal_audit.verify", tmp_path / "out" / "bo-mau.html", run.results_path.parent)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith(f"Khớp: {tmp_path / 'out' / 'bo-mau.html'} được lập từ lần đánh giá trong ")
    assert len(verified.stdout.strip().splitlines()) == 1 and digest in verified.stdout

    _tamper_results(run)
    verified = command("portal_audit.verify", tmp_path / "out" / "bo-mau.html", run.results_path.parent)
    assert verified.returncode == 1, verified.stdout + verified.stderr
    assert verified.stdout.strip() == (f"Không khớp: {run.results_path}: nội dung khác với bản kê kiểm chứng "
                                       f"{manifest_path(run.results_path)} (SHA-256 không khớp): tệp đã bị thay đổi "
                                       "sau lần đánh giá")


def test_verify_says_no_for_another_run_or_a_report_without_digest(audited: AuditRun, tmp_path: Path) -> None:
    run = _copy(audited, tmp_path / "run")
    assert report(run, tmp_path / "out").returncode == 0
    published = tmp_path / "out" / "tinh-http.html"
    other = tmp_path / "other"
    other.mkdir()
    (other / "results.manifest.json").write_text("{}", encoding="utf-8")
    done = command("portal_audit.verify", published, other)
    assert done.returncode == 1 and done.stdout.startswith(f"Không khớp: mã kiểm chứng của {published} ("), done.stdout
    page = published.read_text(encoding="utf-8")
    published.write_text(page.replace(DIGEST_LINE, "Mã: "), encoding="utf-8")
    done = command("portal_audit.verify", published, run.results_path.parent)
    assert done.stdout.strip() == f"Không khớp: {published}: báo cáo không ghi mã kiểm chứng, không kiểm chứng được"
    assert done.returncode == 1
    done = command("portal_audit.verify", tmp_path / "khong-co.html", run.results_path.parent)
    assert done.returncode == 2 and "khong-co.html: không đọc được báo cáo" in done.stderr


def test_a_tampered_results_file_is_refused(audited: AuditRun, tmp_path: Path) -> None:
    run = _copy(audited, tmp_path / "run")
    _tamper_results(run)
    expected = (f"{run.results_path}: nội dung khác với bản kê kiểm chứng {manifest_path(run.results_path)} "
                "(SHA-256 không khớp)")
    one_line_error(report(run, tmp_path / "out"), "portal_audit.report", expected)
    assert not (tmp_path / "out").exists()
    merged = command("portal_audit.merge", tmp_path / "merged" / "results.json", run.results_path,
                     "--alluredir", run.allure_dir)
    one_line_error(merged, "portal_audit.merge", expected)
    assert not (tmp_path / "merged").exists()


def _change(path: Path) -> Path:
    path.write_bytes(path.read_bytes() + b"<script>")
    return path


def _plant(run: AuditRun) -> Path:
    path = run.allure_dir / "planted-result.json"
    path.write_text("{}", encoding="utf-8")
    return path


def _remove(path: Path) -> Path:
    path.unlink()
    return path


@pytest.mark.parametrize("tamper, problem", [
    (lambda run: _change(_an_attachment(run)), "nội dung khác với bản kê kiểm chứng"),
    (_plant, "tệp không có trong bản kê kiểm chứng"),
    (lambda run: _remove(_an_attachment(run)), "thiếu tệp ghi trong bản kê kiểm chứng"),
])
def test_a_tampered_allure_folder_is_refused(audited: AuditRun, tmp_path: Path, tamper: Any, problem: str) -> None:
    run = _copy(audited, tmp_path / "run")
    touched = tamper(run)
    one_line_error(report(run, tmp_path / "out"), "portal_audit.report", f"{touched}: {problem}")
    merged = command("portal_audit.merge", tmp_path / "merged" / "results.json", run.results_path,
                     "--alluredir", run.allure_dir)
    one_line_error(merged, "portal_audit.merge", f"{touched}: {problem}")


def test_the_untouched_run_merges_and_the_merge_has_its_own_manifest(audited: AuditRun, tmp_path: Path) -> None:
    run = _copy(audited, tmp_path / "run")
    out = tmp_path / "merged" / "results.json"
    done = command("portal_audit.merge", out, run.results_path, "--alluredir", run.allure_dir)
    assert done.returncode == 0 and done.stderr == "", done.stdout + done.stderr
    manifest = read_manifest(manifest_path(out))
    assert manifest.period == "2026-Q4" and manifest.settings_digest == audited.results["settings_digest"]
    assert manifest.folders["allure"].files == folder_files(run.allure_dir)
    assert check_run_folder(manifest_path(out)) == 2 + len(manifest.folders["allure"].files)


# -- shards of different rounds, written here (no browser) -------------------------------------------

@pytest.fixture
def inventory(tmp_path: Path) -> Inventory:
    portals = [p for p in build_inventory()["portals"] if p["id"] in PORTALS]
    return load_inventory(write_inventory(tmp_path / "inventory.yaml", {"portals": portals}))


def _shard(folder: Path, inventory: Inventory, shard: int, *, period: str = "2026-Q4",
           settings: str | None = None, criteria: tuple[str, ...] = ("3.1", "3.2a", "3.2b", "3.2c")) -> Path:
    portal = PORTALS[shard - 1]
    records = [{"portal": s.portal_id, "group": s.group, "site": s.url, "site_name": s.name, "role": s.role,
                "criterion": code, "status": "passed", "message": "", "evidence": {}, "measured_at": "2026-11-01"}
               for s in inventory.sites() if s.portal_id == portal
               for code in ("3.1", "3.2a", "3.2b" if s.role == "portal" else "3.2c")]
    digest = settings or settings_digest(load_settings())
    provenance = Provenance(inventory.digest(), None, PORTALS, f"{shard}/2", digest)
    path = write_results(folder / f"shard-{shard}" / "results.json", results_document(
        records, inventory.path, True, {"evaluation": {"period": period}}, provenance,
        {"profile": None, "criteria": list(criteria)}))
    write_manifest(path)
    return path


@pytest.mark.parametrize("second, problem", [
    ({"period": "2026-Q3"}, "kỳ đánh giá '2026-Q3' khác với '2026-Q4'"),
    ({"settings": "0" * 64}, "cấu hình đánh giá (mã) '0000000000000000' khác với"),
    ({"criteria": ("3.1",)}, "bộ tiêu chí '-: 3.1' khác với '-: 3.1, 3.2a, 3.2b, 3.2c'"),
])
def test_shards_of_different_rounds_are_refused(inventory: Inventory, tmp_path: Path, second: dict[str, Any],
                                                problem: str) -> None:
    first = _shard(tmp_path, inventory, 1)
    other = _shard(tmp_path, inventory, 2, **second)
    with pytest.raises(MergeError) as caught:
        merge_results([read_results(first), read_results(other)], inventory)
    assert str(caught.value).startswith(f"{other}: {problem}"), str(caught.value)
    done = command("portal_audit.merge", tmp_path / "out" / "results.json", first, other)
    one_line_error(done, "portal_audit.merge", f"{other}: {problem}", "không gộp kết quả của các đợt đánh giá khác nhau")
    assert not (tmp_path / "out").exists()


def test_shards_of_one_round_merge(inventory: Inventory, tmp_path: Path) -> None:
    first, second = _shard(tmp_path, inventory, 1), _shard(tmp_path, inventory, 2)
    out = tmp_path / "out" / "results.json"
    done = command("portal_audit.merge", out, first, second)
    assert done.returncode == 0 and done.stderr == "", done.stdout + done.stderr
    assert read_manifest(manifest_path(out)).period == "2026-Q4"
    assert check_run_folder(manifest_path(out)) == 2  # results.json and the workbook


def test_merge_with_other_settings_than_the_shards_is_refused(inventory: Inventory, tmp_path: Path) -> None:
    first, second = _shard(tmp_path, inventory, 1), _shard(tmp_path, inventory, 2)
    done = command("portal_audit.merge", tmp_path / "out" / "results.json", first, second,
                   "--audit-config", WORLD_CONFIG)
    one_line_error(done, "portal_audit.merge", f"{WORLD_CONFIG}: cấu hình dùng để gộp khác với cấu hình {first}")


def test_a_manifest_outside_its_folder_is_refused(inventory: Inventory, tmp_path: Path) -> None:
    path = _shard(tmp_path, inventory, 1)
    manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    manifest["files"]["../../etc/passwd"] = "0" * 64
    manifest_path(path).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        check_run_folder(manifest_path(path))
    assert str(caught.value) == f"{manifest_path(path)}: bản kê ghi đường dẫn không hợp lệ '../../etc/passwd'"


def test_results_without_manifest_are_reported_with_a_warning(inventory: Inventory, tmp_path: Path) -> None:
    first, second = _shard(tmp_path, inventory, 1), _shard(tmp_path, inventory, 2)
    manifest_path(second).unlink()
    done = command("portal_audit.merge", tmp_path / "out" / "results.json", first, second)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.strip() == (f"portal-audit: CẢNH BÁO: {second}: không có bản kê kiểm chứng "
                                   "(results.manifest.json); không kiểm được tệp có bị thay đổi sau lần đánh giá "
                                   "hay không")


def test_shards_with_different_verdicts_for_one_case_are_one_line(inventory: Inventory, tmp_path: Path) -> None:
    first = _shard(tmp_path, inventory, 1)
    document = json.loads(first.read_text(encoding="utf-8"))
    document["records"][0]["status"] = "failed"
    other = write_results(tmp_path / "again" / "results.json",
                          results_document(document["records"], inventory.path, True,
                                           {"evaluation": {"period": "2026-Q4"}},
                                           Provenance(inventory.digest(), None, PORTALS, None,
                                                      document["settings_digest"]),
                                           {"profile": None, "criteria": document["criteria"]}))
    write_manifest(other)
    done = command("portal_audit.merge", tmp_path / "out" / "results.json", first, other)
    one_line_error(done, "portal_audit.merge", f"{other}: https://bo-mau.gov.vn/ tiêu chí 3.1: kết quả 'failed' khác "
                                               f"với 'passed' trong {first}")
