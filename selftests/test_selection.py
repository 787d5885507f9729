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
from .world_configs import SHORT_SETTLE, world_config_with


@pytest.mark.world
def test_portal_option_audits_only_that_portal(world: World, world_inventory: Path, tmp_path: Path) -> None:
    # Which portals and sites are audited, not their verdicts: no long watch for late content.
    config = world_config_with(tmp_path / "config", settle_budget=SHORT_SETTLE)
    run = run_audit(tmp_path, world_inventory, "--portal", "bo-mau", "-n", "0",
                    *world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors", config=config)
    results = run.results
    print(f"\naudit --portal bo-mau: {run.seconds:.1f}s")
    assert {r["portal"] for r in results["records"]} == {"bo-mau"}, run.output
    assert sorted({r["site"] for r in results["records"]}) == ["https://bo-mau.gov.vn/", "https://cuc-a.bo-mau.gov.vn/"]
    assert len(results["records"]) == 6  # 3 criteria per site
    assert results["complete"] is True


@pytest.mark.parametrize("portals, group, message", [
    (["bo-mau", "khong-co"], None, "--portal 'khong-co': không có trong danh mục"),
    (["bo-mau"], "province", "không còn cổng nào được chọn"),
    ([], "district", "--group 'district': nhóm không hợp lệ (chỉ nhận: ministry, province)"),
])
def test_bad_selection_is_one_line(world_inventory: Path, portals: list[str], group: str | None, message: str) -> None:
    with pytest.raises(SelectionError) as caught:
        select_portals(load_inventory(world_inventory), portals, group)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_group_selection_keeps_inventory_order(world_inventory: Path) -> None:
    inventory = load_inventory(world_inventory)
    assert [p.id for p in select_portals(inventory, group="ministry").portals] == ["bo-mau", "bo-doi-ten"]
    assert [p.id for p in select_portals(inventory, ["tinh-loi", "tinh-mau"]).portals] == ["tinh-mau", "tinh-loi"]
    assert select_portals(inventory).portals == inventory.portals
    with pytest.raises(SelectionError, match="'x', 'y'"):
        select_portals(inventory, ["x", "tinh-mau", "y"])
