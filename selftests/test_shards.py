"""--shard K/N: a deterministic split of the inventory by portal, balanced by number of sites, the
same whatever each machine selects; a bad value is a one-line usage error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal_audit.inventory import (SelectionError, Shard, load_inventory, parse_shard, portals_of_shard,
                                    select_portals, select_shard)
from portal_audit.inventory.shards import assign_shards

from .audit_runner import REPO, write_inventory
from .standin import stand_in_chromium


def _inventory(tmp_path: Path, sizes: list[int]) -> Path:
    """Portals p0, p1, ... with the given numbers of sites (the portal and its components)."""
    portals = [{"id": f"p{i}", "name": f"Cổng {i}", "group": "province" if i % 2 else "ministry",
                "url": f"https://p{i}.gov.vn/",
                "components": [{"name": f"Trang {i}.{j}", "url": f"https://t{j}.p{i}.gov.vn/"}
                               for j in range(size - 1)]}
               for i, size in enumerate(sizes)]
    return write_inventory(tmp_path / "inventory.yaml", {"portals": portals})


@pytest.mark.parametrize("text, shard", [("1/1", Shard(1, 1)), ("3/8", Shard(3, 8)), (" 2 / 2 ", Shard(2, 2))])
def test_parse_shard(text: str, shard: Shard) -> None:
    assert parse_shard(text) == shard
    assert str(parse_shard(text)) == f"{shard.index}/{shard.count}"


@pytest.mark.parametrize("text, message", [
    ("2", "--shard '2': cần dạng K/N (phần thứ K trong N phần), ví dụ --shard 2/8"),
    ("a/b", "--shard 'a/b': cần dạng K/N"),
    ("0/4", "--shard '0/4': phần thứ K phải từ 1 đến 4"),
    ("5/4", "--shard '5/4': phần thứ K phải từ 1 đến 4"),
    ("1/0", "--shard '1/0': số phần N phải từ 1 đến 1000"),
    ("-1/4", "--shard '-1/4': cần dạng K/N"),
])
def test_bad_shard_is_one_line(text: str, message: str) -> None:
    with pytest.raises(SelectionError) as caught:
        parse_shard(text)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_split_keeps_portals_whole_and_balances_sites(tmp_path: Path) -> None:
    sizes = [1, 40, 3, 3, 12, 7, 7, 1, 25, 2, 9, 30]
    inventory = load_inventory(_inventory(tmp_path, sizes))
    shard_of = assign_shards(inventory, 3)
    assert set(shard_of) == {p.id for p in inventory.portals} and set(shard_of.values()) == {1, 2, 3}
    loads = {k: sum(sizes[int(p[1:])] for p, s in shard_of.items() if s == k) for k in (1, 2, 3)}
    # Largest first into the lightest shard: within one portal's size of each other.
    assert max(loads.values()) - min(loads.values()) <= max(sizes), loads
    assert loads == {1: 47, 2: 47, 3: 46}
    # Each portal in exactly one shard, the shards together the whole inventory.
    parts = [portals_of_shard(inventory, Shard(k, 3)) for k in (1, 2, 3)]
    assert sum(len(p) for p in parts) == len(sizes) and frozenset().union(*parts) == set(shard_of)


def test_split_is_stable_and_independent_of_the_selection(tmp_path: Path) -> None:
    path = _inventory(tmp_path, [4, 4, 2, 2, 1, 1])
    inventory = load_inventory(path)
    # Equal sizes in inventory order, equal loads to the lowest shard: the same on every machine.
    assert assign_shards(inventory, 2) == {"p0": 1, "p1": 2, "p2": 1, "p3": 2, "p4": 1, "p5": 2}
    assert assign_shards(load_inventory(path), 2) == assign_shards(inventory, 2)
    # A selection (--group, --portal, a re-run of the failing portals) only narrows each shard.
    ministries = select_portals(inventory, group="ministry")
    assert [p.id for p in select_shard(inventory, ministries, Shard(1, 2)).portals] == ["p0", "p2", "p4"]
    assert select_shard(inventory, ministries, Shard(2, 2)).portals == ()
    one = select_portals(inventory, ["p3"])
    assert [p.id for p in select_shard(inventory, one, Shard(2, 2)).portals] == ["p3"]


def test_more_shards_than_portals_leaves_some_empty(tmp_path: Path) -> None:
    inventory = load_inventory(_inventory(tmp_path, [3, 1]))
    assert [len(portals_of_shard(inventory, Shard(k, 4))) for k in (1, 2, 3, 4)] == [1, 1, 0, 0]


@pytest.mark.world
def test_bad_shard_stops_the_audit_before_any_browser(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path, [2])
    chromium = stand_in_chromium(tmp_path / "chromium")
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/portals", "--inventory", str(inventory),
                           "--shard", "3/2", "-p", "no:cacheprovider", "-q"],
                          cwd=REPO, capture_output=True, text=True, timeout=300, env=chromium.env)
    assert not chromium.started
    assert done.returncode == 4, done.stdout + done.stderr  # pytest's usage error
    assert "ERROR: --shard '3/2': phần thứ K phải từ 1 đến 2" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
