"""--shard K/N: the part of a national run that one of N machines audits (a CI matrix job, a
Kubernetes Job pod).

A portal and all its component sites stay in one shard, so each site is still loaded once and a
portal's criterion 3.2b is judged where its components are. The split is made over the whole
inventory file, never over the selection (--portal, --group, --rerun-failed-portals), so that a
portal belongs to the same shard on every machine whatever each one selected or re-runs: the N
parts never overlap and together cover every portal. It is balanced by number of sites: portals
are taken from the largest to the smallest (equal sizes in inventory order), each into the shard
that has the fewest sites so far (equal loads: the lowest number); nothing in it depends on the
machine, the time or Python's hash seed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal_audit.inventory.model import Inventory
from portal_audit.inventory.selection import SelectionError

SHARD_FORMAT = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")
# More shards than this is a typo, not a CI matrix.
MAX_SHARDS = 1000


@dataclass(frozen=True)
class Shard:
    index: int  # 1..count
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    match = SHARD_FORMAT.fullmatch(text or "")
    if not match:
        raise SelectionError(f"--shard '{text}': cần dạng K/N (phần thứ K trong N phần), ví dụ --shard 2/8")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= count <= MAX_SHARDS:
        raise SelectionError(f"--shard '{text}': số phần N phải từ 1 đến {MAX_SHARDS}")
    if not 1 <= index <= count:
        raise SelectionError(f"--shard '{text}': phần thứ K phải từ 1 đến {count}")
    return Shard(index, count)


def assign_shards(inventory: Inventory, count: int) -> dict[str, int]:
    """Portal id -> its shard (1..count), for every portal of the inventory."""
    sizes = [(1 + len(portal.components), position, portal.id) for position, portal in enumerate(inventory.portals)]
    loads = [0] * count
    shard_of: dict[str, int] = {}
    for size, _, portal_id in sorted(sizes, key=lambda s: (-s[0], s[1])):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        loads[lightest] += size
        shard_of[portal_id] = lightest + 1
    return shard_of


def portals_of_shard(inventory: Inventory, shard: Shard) -> frozenset[str]:
    return frozenset(p for p, index in assign_shards(inventory, shard.count).items() if index == shard.index)


def select_shard(inventory: Inventory, selected: Inventory, shard: Shard) -> Inventory:
    """The selected portals that belong to `shard` of the whole `inventory` (possibly none: a
    small selection leaves some shards empty)."""
    return selected.only(set(portals_of_shard(inventory, shard)))
