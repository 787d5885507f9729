"""--portal / --group limit an audit run: a portal's IT unit audits only its own portal and
components; an id the inventory lacks is a usage error naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal_audit.inventory import load_inventory
from portal_audit.inventory import SelectionError, select_portals

from .audit_runner import run_audit
from .world.catalog import EXTRA_RESOLVE
from .world.server import World


def test_portal_option_audits_only_that_portal(world: World, world_inventory: Path, tmp_path: Path) -> None:
    run = run_audit(tmp_path, world_inventory, "--portal", "bo-mau", "-n", "0",
                    *world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors")
    results = run.results
    print(f"\naudit --portal bo-mau: {run.seconds:.1f}s")
    assert {r["portal"] for r in results["records"]} == {"bo-mau"}, run.output
    assert sorted({r["site"] for r in results["records"]}) == ["https://bo-mau.gov.vn/", "https://cuc-a.bo-mau.gov.vn/"]
    assert len(results["records"]) == 6  # 3 criteria per site
    assert results["complete"] is True


@pytest.mark.parametrize("args, message", [
    (["--portal", "bo-mau", "--portal", "khong-co"], "--portal 'khong-co': không có trong danh mục"),
    (["--portal", "bo-mau", "--group", "province"], "không còn cổng nào được chọn"),
    (["--group", "district"], "invalid choice: 'district'"),
])
def test_bad_selection_is_a_usage_error(world_inventory: Path, tmp_path: Path, args: list[str], message: str) -> None:
    run = run_audit(tmp_path, world_inventory, *args)
    assert run.returncode == 4, run.output  # pytest's usage error
    assert message in run.output
    assert not run.results_path.exists()  # stopped before any browser started


def test_group_selection_keeps_inventory_order(world_inventory: Path) -> None:
    inventory = load_inventory(world_inventory)
    assert [p.id for p in select_portals(inventory, group="ministry").portals] == ["bo-mau", "bo-doi-ten"]
    assert [p.id for p in select_portals(inventory, ["tinh-loi", "tinh-mau"]).portals] == ["tinh-mau", "tinh-loi"]
    assert select_portals(inventory).portals == inventory.portals
    with pytest.raises(SelectionError, match="'x', 'y'"):
        select_portals(inventory, ["x", "tinh-mau", "y"])
