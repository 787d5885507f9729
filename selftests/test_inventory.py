"""A malformed inventory stops the run before any browser starts, with one line naming file, line, problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal_audit.inventory import InventoryError, load_inventory

from .audit_runner import REPO

GOOD = """\
portals:
  - id: tinh-a
    name: Cổng TTĐT tỉnh A
    group: province
    url: https://tinh-a.gov.vn/
    emc_site_id: "101"
    components:
      - name: Sở Tài chính
        url: https://stc.tinh-a.gov.vn/
        emc_site_id: 102
  - id: bo-b
    name: Cổng TTĐT Bộ B
    group: ministry
    url: https://bo-b.gov.vn/
"""

BROKEN = {
    "yaml": (GOOD.replace("    group: ministry", "    group: [ministry"), 14, "lỗi cú pháp YAML"),
    "missing-name": (GOOD.replace("    name: Cổng TTĐT Bộ B\n", ""), 11, "portals[2].name: thiếu khóa bắt buộc"),
    "bad-url": (GOOD.replace("https://stc.tinh-a.gov.vn/", "stc.tinh-a.gov.vn"), 9, "địa chỉ không hợp lệ 'stc.tinh-a.gov.vn'"),
    "duplicate-id": (GOOD.replace("id: bo-b", "id: tinh-a"), 11, "mã cổng 'tinh-a' bị trùng (đã khai báo ở dòng 2)"),
    "duplicate-url": (GOOD.replace("https://bo-b.gov.vn/", "http://WWW.tinh-a.gov.vn"), 14,
                      "địa chỉ 'http://WWW.tinh-a.gov.vn' bị trùng (đã khai báo ở dòng 5)"),
    "unknown-group": (GOOD.replace("group: ministry", "group: agency"), 13,
                      "portals[2].group: chỉ nhận 'ministry' hoặc 'province', nhận 'agency'"),
    "typo-field": (GOOD.replace("    emc_site_id: \"101\"", "    emc_siteid: \"101\""), 6,
                   "portals[1].emc_siteid: khóa không hợp lệ (có: id, name, group, url, emc_site_id, source, former_urls, components)"),
    "empty": ("", 1, "tệp danh mục rỗng"),
}


def test_good_inventory_loads(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(GOOD, encoding="utf-8")
    inventory = load_inventory(path)
    sites = list(inventory.sites())
    assert [(s.role, s.url, s.emc_site_id) for s in sites] == [
        ("portal", "https://tinh-a.gov.vn/", "101"),
        ("component", "https://stc.tinh-a.gov.vn/", "102"),
        ("portal", "https://bo-b.gov.vn/", None),
    ]
    assert [t.url for t in sites[0].link_targets] == ["https://stc.tinh-a.gov.vn/"]
    assert [t.url for t in sites[1].link_targets] == ["https://tinh-a.gov.vn/"]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_inventory_names_file_line_and_problem(tmp_path: Path, case: str) -> None:
    text, line, problem = BROKEN[case]
    path = tmp_path / "inventory.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InventoryError) as caught:
        load_inventory(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert problem in message
    assert "\n" not in message


def test_missing_inventory_file(tmp_path: Path) -> None:
    with pytest.raises(InventoryError, match="không tìm thấy tệp danh mục"):
        load_inventory(tmp_path / "nope.yaml")


@pytest.mark.world
def test_audit_stops_before_any_browser_on_broken_inventory(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(BROKEN["duplicate-id"][0], encoding="utf-8")
    results = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/portals", "--inventory", str(path), "--results", str(results),
         "-p", "no:cacheprovider", "-n", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    error_lines = [line for line in done.stderr.splitlines() if line.startswith("ERROR:")]
    assert error_lines == [f"ERROR: {path}:11: mã cổng 'tinh-a' bị trùng (đã khai báo ở dòng 2)"], done.stderr
    assert "chromium" not in done.stdout.lower()
    assert not results.exists()
