"""Merging the results of several runs (portal_audit.records.combine and `python -m portal_audit.merge`),
by direct calls on results files written here: inventory order whatever the order of the inputs,
inputs that do not fit stop the merge with one line naming the file, and the merged results are
complete only when every case of the portals asked for is there. The end-to-end merge of two real
shards is in test_scale_out.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from portal_audit.inventory import Inventory, load_inventory
from portal_audit.records.combine import MergeError, merge_results, read_results
from portal_audit.records.reader import ResultsError
from portal_audit.records.results import Provenance, results_document, write_results

from .audit_runner import REPO, write_inventory
from .world.catalog import build_inventory

PORTALS = ("bo-mau", "tinh-http", "bo-doi-ten")


@pytest.fixture
def inventory(tmp_path: Path) -> Inventory:
    portals = [p for p in build_inventory()["portals"] if p["id"] in PORTALS]
    return load_inventory(write_inventory(tmp_path / "inventory.yaml", {"portals": portals}))


def _records(inventory: Inventory, portals: set[str], status: str = "passed",
             measured_at: str = "2026-01-01T00:00:00+00:00") -> list[dict[str, Any]]:
    return [{"portal": s.portal_id, "group": s.group, "site": s.url, "site_name": s.name, "role": s.role,
             "criterion": code, "status": status, "message": "", "evidence": {}, "measured_at": measured_at}
            for s in inventory.sites() if s.portal_id in portals
            for code in ("3.1", "3.2a", "3.2b" if s.role == "portal" else "3.2c")]


def _write(path: Path, inventory: Inventory, records: list[dict[str, Any]], *, shard: str | None = None,
           complete: bool = True, digest: str | None = None, asked: tuple[str, ...] = PORTALS) -> Path:
    provenance = Provenance(digest or inventory.digest(), None, asked, shard)
    return write_results(path, results_document(records, inventory.path, complete, {}, provenance))


def test_shards_merge_in_inventory_order(inventory: Inventory, tmp_path: Path) -> None:
    # bo-mau and bo-doi-ten in one file, tinh-http (between them in the inventory) in the other.
    first = _write(tmp_path / "1.json", inventory, _records(inventory, {"bo-mau", "bo-doi-ten"}), shard="1/2")
    second = _write(tmp_path / "2.json", inventory, _records(inventory, {"tinh-http"}), shard="2/2")
    merged = merge_results([read_results(second), read_results(first)], inventory)
    assert merged.complete and merged.missing == []
    assert [(r["site"], r["criterion"]) for r in merged.records] == [
        (r["site"], r["criterion"]) for r in _records(inventory, set(PORTALS))]
    assert merged.portals == ("bo-mau", "tinh-http", "bo-doi-ten")


def test_missing_shard_or_interrupted_run_is_incomplete(inventory: Inventory, tmp_path: Path) -> None:
    first = _write(tmp_path / "1.json", inventory, _records(inventory, {"bo-mau", "bo-doi-ten"}), shard="1/2")
    merged = merge_results([read_results(first)], inventory)
    assert not merged.complete
    assert merged.missing == ["thiếu kết quả của phần 2/2",
                              "cổng tinh-http: thiếu kết quả của 1/1 trang (ví dụ http://tinh-http.gov.vn/)"]
    second = _write(tmp_path / "2.json", inventory, _records(inventory, {"tinh-http"}), shard="2/2", complete=False)
    merged = merge_results([read_results(first), read_results(second)], inventory)
    assert merged.missing == [f"{second}: lần chạy chưa hoàn tất (complete: false)"]


def test_overlap_with_the_same_verdict_keeps_the_latest(inventory: Inventory, tmp_path: Path) -> None:
    old = _write(tmp_path / "old.json", inventory,
                 _records(inventory, {"bo-mau"}, measured_at="2026-01-01T00:00:00+00:00"))
    new = _write(tmp_path / "new.json", inventory, _records(inventory, {"bo-mau", "tinh-http", "bo-doi-ten"},
                                                              measured_at="2026-02-01T00:00:00+00:00"))
    merged = merge_results([read_results(new), read_results(old)], inventory)
    assert merged.complete and len(merged.records) == 12
    assert {r["measured_at"] for r in merged.records} == {"2026-02-01T00:00:00+00:00"}


def _one_line(error: pytest.ExceptionInfo[MergeError] | pytest.ExceptionInfo[ResultsError], *parts: str) -> None:
    text = str(error.value)
    assert "\n" not in text and all(part in text for part in parts), text


def test_inputs_that_do_not_fit(inventory: Inventory, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", inventory, _records(inventory, {"bo-mau"}), shard="1/2")
    other = _write(tmp_path / "other.json", inventory, _records(inventory, {"tinh-http"}), digest="0" * 64)
    with pytest.raises(MergeError) as caught:
        merge_results([read_results(good), read_results(other)], inventory)
    _one_line(caught, str(other), "kết quả của một danh mục khác")

    failed = _write(tmp_path / "failed.json", inventory, _records(inventory, {"bo-mau"}, status="failed"))
    with pytest.raises(MergeError) as caught:
        merge_results([read_results(good), read_results(failed)], inventory)
    _one_line(caught, str(failed), "https://bo-mau.gov.vn/ tiêu chí 3.1: kết quả 'failed' khác với 'passed'", str(good))

    thirds = _write(tmp_path / "thirds.json", inventory, _records(inventory, {"tinh-http"}), shard="2/3")
    with pytest.raises(MergeError) as caught:
        merge_results([read_results(good), read_results(thirds)], inventory)
    _one_line(caught, str(thirds), "phần 2/3 không cùng cách chia với", "(phần 1/2)")

    stranger = _records(inventory, {"bo-mau"})
    stranger[0] = {**stranger[0], "site": "https://khong-co.gov.vn/"}
    unknown = _write(tmp_path / "unknown.json", inventory, stranger)
    with pytest.raises(MergeError) as caught:
        merge_results([read_results(unknown)], inventory)
    _one_line(caught, str(unknown), "bản ghi của https://khong-co.gov.vn/ (cổng bo-mau) không có trong danh mục")


@pytest.mark.parametrize("content, message", [
    ("{not json", "không đọc được tệp kết quả"),
    ('{"complete": true}', "không phải tệp results.json của portal-audit (thiếu 'records')"),
    ('{"records": [{"portal": "bo-mau"}]}', "bản ghi thứ 1 thiếu criterion, group, message, site, status"),
    ('{"records": [], "selection": {"shard": "3/2"}}', "khóa 'selection.shard': --shard '3/2': phần thứ K phải từ 1 đến 2"),
    ('{"records": [], "version": 99}', "khóa 'version': phải nhỏ hơn hoặc bằng 1, nhận 99"),
])
def test_malformed_file_is_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "results.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ResultsError) as caught:
        read_results(path)
    _one_line(caught, f"{path}: ", message)


@pytest.mark.world
def test_merge_command_reports_bad_input_in_one_line(inventory: Inventory, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", inventory, _records(inventory, {"bo-mau"}))
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "portal_audit.merge", str(tmp_path / "out.json"), str(good), str(bad)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip() == (f"python -m portal_audit.merge: lỗi: {bad}: không phải tệp results.json của "
                                   "portal-audit (thiếu 'records')")
    assert not (tmp_path / "out.json").exists()
