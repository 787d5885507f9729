"""The inventory as the audit uses it: portals, their component sites, and the sites to visit."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Iterator

from portal_audit.urls import site_key

GROUPS = ("ministry", "province")
ROLES = ("portal", "component")


@dataclass(frozen=True)
class LinkTarget:
    name: str
    url: str
    # Addresses the site had before (a province's domain before a merger): a link there is reported
    # as a link to the old address, not counted.
    former_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    """One website to visit: a portal or one of its component sites."""

    portal_id: str
    portal_name: str
    group: str
    role: str  # "portal" | "component"
    name: str
    url: str
    emc_site_id: str | None
    # Sites this homepage must link to: the components (portal) or the portal (component).
    link_targets: tuple[LinkTarget, ...]
    order: tuple[int, int]  # (portal index, site index) in the inventory, for stable reports

    @property
    def key(self) -> str:
        """Identity of the site within the run: its portal and its address."""
        return f"{self.portal_id}|{site_key(self.url)}"


@dataclass(frozen=True)
class Component:
    name: str
    url: str
    emc_site_id: str | None
    former_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Portal:
    id: str
    name: str
    group: str
    url: str
    emc_site_id: str | None
    components: tuple[Component, ...]
    former_urls: tuple[str, ...] = ()

    def sites(self, index: int) -> Iterator[Site]:
        yield Site(
            portal_id=self.id, portal_name=self.name, group=self.group, role="portal",
            name=self.name, url=self.url, emc_site_id=self.emc_site_id,
            link_targets=tuple(LinkTarget(c.name, c.url, c.former_urls) for c in self.components),
            order=(index, 0),
        )
        for position, component in enumerate(self.components, start=1):
            yield Site(
                portal_id=self.id, portal_name=self.name, group=self.group, role="component",
                name=component.name, url=component.url, emc_site_id=component.emc_site_id,
                link_targets=(LinkTarget(self.name, self.url, self.former_urls),),
                order=(index, position),
            )


@dataclass(frozen=True)
class Inventory:
    path: Path
    portals: tuple[Portal, ...]

    def sites(self) -> Iterator[Site]:
        for index, portal in enumerate(self.portals):
            yield from portal.sites(index)

    def only(self, portal_ids: set[str]) -> "Inventory":
        return replace(self, portals=tuple(p for p in self.portals if p.id in portal_ids))

    def digest(self) -> str:
        """What the audit reads from the file (not its comments or layout), as a hash: results of
        several runs fit together only when their inventories have the same digest."""
        portals = [asdict(portal) for portal in self.portals]
        return hashlib.sha256(json.dumps(portals, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
