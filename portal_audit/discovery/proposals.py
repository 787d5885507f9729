"""The reviewable result of discovery: per portal, the component sites it links to that the
inventory lacks (new), those it already lists (listed), and those listed but no longer linked
(not_linked). Written as YAML for the auditor to edit, and read back for --merge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from portal_audit.discovery.candidates import Candidate, host_key
from portal_audit.files import write_atomic
from portal_audit.inventory import Inventory, Portal
from portal_audit.urls import parse_address
from portal_audit.yamlio import Sourced, SourceError, StrictModel, dump_plain, read_yaml, validate

SECTIONS = ("new", "listed", "not_linked")


@dataclass
class Proposal:
    name: str
    url: str
    found_in: list[str] = field(default_factory=list)
    note: str = ""
    found_by: list[str] = field(default_factory=list)  # "link" | "sitemap" | "dns" | "ct"

    def as_yaml(self) -> dict[str, Any]:
        item: dict[str, Any] = {"name": self.name, "url": self.url}
        if self.found_by:
            item["found_by"] = list(self.found_by)
        if self.found_in:
            item["found_in"] = list(self.found_in)
        if self.note:
            item["note"] = self.note
        return item


@dataclass
class PortalProposals:
    portal: Portal
    new: list[Proposal] = field(default_factory=list)
    listed: list[Proposal] = field(default_factory=list)
    not_linked: list[Proposal] = field(default_factory=list)
    sitemap: list[str] = field(default_factory=list)  # sitemap files read
    error: str = ""  # the portal could not be visited
    domain_scan: dict[str, Any] | None = None  # what the domain scan tried and left out, when it ran
    stopped: str = ""  # Ctrl-C came before the portal was done: what it holds is partial

    def as_yaml(self) -> dict[str, Any]:
        item: dict[str, Any] = {"id": self.portal.id, "name": self.portal.name, "url": self.portal.url}
        if self.error:
            item["error"] = self.error
            return item
        if self.stopped:
            item["stopped"] = self.stopped
        item["sitemap"] = self.sitemap or "không có"
        if self.domain_scan is not None:
            item["domain_scan"] = self.domain_scan
        for section in SECTIONS:
            item[section] = [p.as_yaml() for p in getattr(self, section)]
        return item

    def summary(self) -> str:
        if self.error:
            return f"{self.portal.id}: bỏ qua — {self.error}"
        return (f"{self.portal.id}: {len(self.new)} trang thành phần mới, {len(self.listed)} đã có trong danh mục, "
                f"{len(self.not_linked)} có trong danh mục nhưng không còn liên kết"
                + (" (đã dừng giữa chừng)" if self.stopped else ""))


def compare(portal: Portal, inventory: Inventory, candidates: list[Candidate], linked_hosts: set[str]) -> PortalProposals:
    """Sorts the candidates against the inventory. `linked_hosts`: every host the homepage or its
    sitemap links to, candidate or not (a listed component linked from anywhere is still linked)."""
    result = PortalProposals(portal)
    others = {host_key(p.url): p.id for p in inventory.portals if p.id != portal.id}
    elsewhere = {host_key(c.url): p.id for p in inventory.portals if p.id != portal.id for c in p.components}
    own = {host_key(c.url): c for c in portal.components}
    for candidate in candidates:
        host = candidate.host
        if host in others:
            continue  # another portal of the inventory (e.g. a ministry's list of other ministries)
        if host in own:
            component = own[host]
            result.listed.append(Proposal(component.name, component.url, candidate.found_in,
                                          found_by=candidate.found_by))
        elif host in elsewhere:
            result.listed.append(Proposal(candidate.name or host, candidate.url, candidate.found_in,
                                          note=f"đã có trong danh mục, thuộc cổng '{elsewhere[host]}'",
                                          found_by=candidate.found_by))
        else:
            result.new.append(Proposal(candidate.name or host, candidate.url, candidate.found_in,
                                       found_by=candidate.found_by))
    for host, component in own.items():
        if host not in linked_hosts:
            result.not_linked.append(Proposal(component.name, component.url,
                                              note="trang chủ cổng và sitemap.xml không còn liên kết đến trang này"))
    return result


def write_proposals(path: Path, inventory: Inventory, results: list[PortalProposals], stopped: bool = False) -> None:
    """`stopped`: Ctrl-C ended the run; the file says so, and holds the portals done until then."""
    header = (
        "# Đề xuất trang thông tin điện tử thành phần (python -m portal_audit.discover).\n"
        "# new: có liên kết trên trang chủ cổng (hoặc tìm được khi rà quét tên miền) nhưng chưa có trong danh mục;\n"
        "# listed: đã có; found_by: link (liên kết trang chủ), sitemap, dns (rà quét tên miền), ct (chứng chỉ số);\n"
        "# not_linked: có trong danh mục nhưng trang chủ không còn liên kết (cần kiểm tra lại).\n"
        "# Xem lại mục 'new': xóa những mục không phải trang thành phần, sửa tên nếu cần, rồi gộp vào danh mục:\n"
        f"#   python -m portal_audit.discover --inventory {inventory.path} --merge --proposals {path}\n"
    )
    document = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inventory": str(inventory.path),
        **({"stopped": "đã dừng bằng Ctrl-C: chỉ gồm các cổng đã xét đến lúc đó"} if stopped else {}),
        "portals": [r.as_yaml() for r in results],
    }
    write_atomic(path, header + dump_plain(document))


class ProposalEntry(StrictModel):
    name: Annotated[str, Field(min_length=1)]
    url: Annotated[str, Field(min_length=1)]
    found_by: tuple[str, ...] = ()
    found_in: tuple[str, ...] = ()
    note: str = ""


class PortalEntry(StrictModel):
    """A portal of a proposals file; only 'new' is read back, the rest is for the reviewer."""

    model_config = StrictModel.model_config | {"extra": "ignore"}
    id: Annotated[str, Field(min_length=1)]
    new: tuple[ProposalEntry, ...] | None = None


class ProposalsFile(StrictModel):
    model_config = StrictModel.model_config | {"extra": "ignore"}
    portals: tuple[PortalEntry, ...]


def read_accepted(path: Path) -> dict[str, list[Proposal]]:
    """The 'new' entries the auditor kept, per portal id, from a proposals file."""
    source: Sourced = read_yaml(path, "tệp đề xuất")
    if not isinstance(source.data, dict):
        raise SourceError(f"{path}:1: tệp đề xuất phải có danh sách 'portals'")
    document = validate(ProposalsFile, source)
    accepted: dict[str, list[Proposal]] = {}
    for index, portal in enumerate(document.portals):
        for number, entry in enumerate(portal.new or ()):
            if parse_address(entry.url) is None:
                where = source.where(("portals", index, "new", number, "url"))
                raise SourceError(f"{where[0]}:{where[1]}: mục new thứ {number + 1} của cổng '{portal.id}' "
                                  f"có địa chỉ không hợp lệ '{entry.url}'")
            accepted.setdefault(portal.id, []).append(Proposal(entry.name.strip(), entry.url.strip(), list(entry.found_in),
                                                                found_by=list(entry.found_by)))
    return accepted
