"""--portal ID / --group: limit a run to some portals of the inventory (a portal's IT unit audits
only its own portal and components)."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from portal_audit.inventory.model import GROUPS, Inventory


class SelectionError(ValueError):
    """The selection names something the inventory does not have; str() is one line."""


def select_portals(inventory: Inventory, portal_ids: Iterable[str] = (), group: str | None = None) -> Inventory:
    """The inventory restricted to the given portals (all when none) and group (all when None)."""
    wanted = list(dict.fromkeys(portal_ids))
    known = {portal.id for portal in inventory.portals}
    unknown = [portal_id for portal_id in wanted if portal_id not in known]
    if unknown:
        names = ", ".join(f"'{u}'" for u in unknown)
        raise SelectionError(f"--portal {names}: không có trong danh mục {inventory.path}")
    if group is not None and group not in GROUPS:
        raise SelectionError(f"--group '{group}': nhóm không hợp lệ (chỉ nhận: {', '.join(GROUPS)})")
    portals = tuple(p for p in inventory.portals
                    if (not wanted or p.id in wanted) and (group is None or p.group == group))
    if not portals:
        raise SelectionError(f"không còn cổng nào được chọn trong danh mục {inventory.path} "
                             f"(--portal {' '.join(wanted) or '-'}, --group {group or '-'})")
    return replace(inventory, portals=portals)
