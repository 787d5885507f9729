"""The portals and component sites to audit: the model, reading a file, selecting portals, and
merging discovered sites into a file."""

from portal_audit.inventory.load import InventoryError, load_inventory
from portal_audit.inventory.model import GROUPS, ROLES, Component, Inventory, LinkTarget, Portal, Site
from portal_audit.inventory.selection import SelectionError, select_portals
from portal_audit.inventory.shards import Shard, parse_shard, portals_of_shard, select_shard

__all__ = ["GROUPS", "ROLES", "Component", "Inventory", "InventoryError", "LinkTarget", "Portal", "SelectionError",
           "Shard", "Site", "load_inventory", "parse_shard", "portals_of_shard", "select_portals", "select_shard"]
