"""The reviewable result of discovery: per portal, the component sites it links to that the
inventory lacks (new), those it already lists (listed), and those listed but no longer linked
(not_linked). Written as YAML for the auditor to edit, and read back for --merge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from portal_audit.candidates import Candidate
from portal_audit.hosts import host_of
from portal_audit.inventory import Inventory, Portal

SECTIONS = ("new", "listed", "not_linked")


class ProposalsError(Exception):
    """The proposals file cannot be used; str() is one line naming the file."""


@dataclass
class Proposal:
    name: str
    url: str
    found_in: list[str] = field(default_factory=list)
    note: str = ""

    def as_yaml(self) -> dict[str, Any]:
        item: dict[str, Any] = {"name": self.name, "url": self.url}
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

    def as_yaml(self) -> dict[str, Any]:
        item: dict[str, Any] = {"id": self.portal.id, "name": self.portal.name, "url": self.portal.url}
        if self.error:
            item["error"] = self.error
            return item
        item["sitemap"] = self.sitemap or "không có"
        for section in SECTIONS:
            item[section] = [p.as_yaml() for p in getattr(self, section)]
        return item

    def summary(self) -> str:
        if self.error:
            return f"{self.portal.id}: bỏ qua — {self.error}"
        return (f"{self.portal.id}: {len(self.new)} trang thành phần mới, {len(self.listed)} đã có trong danh mục, "
                f"{len(self.not_linked)} có trong danh mục nhưng không còn liên kết")


def compare(portal: Portal, inventory: Inventory, candidates: list[Candidate], linked_hosts: set[str]) -> PortalProposals:
    """Sorts the candidates against the inventory. `linked_hosts`: every host the homepage or its
    sitemap links to, candidate or not (a listed component linked from anywhere is still linked)."""
    result = PortalProposals(portal)
    others = {host_of(p.url): p.id for p in inventory.portals if p.id != portal.id}
    elsewhere = {host_of(c.url): p.id for p in inventory.portals if p.id != portal.id for c in p.components}
    own = {host_of(c.url): c for c in portal.components}
    for candidate in candidates:
        host = candidate.host
        if host in others:
            continue  # another portal of the inventory (e.g. a ministry's list of other ministries)
        if host in own:
            component = own[host]
            result.listed.append(Proposal(component.name, component.url, candidate.found_in))
        elif host in elsewhere:
            result.listed.append(Proposal(candidate.name or host, candidate.url, candidate.found_in,
                                          note=f"đã có trong danh mục, thuộc cổng '{elsewhere[host]}'"))
        else:
            result.new.append(Proposal(candidate.name or host, candidate.url, candidate.found_in))
    for host, component in own.items():
        if host not in linked_hosts:
            result.not_linked.append(Proposal(component.name, component.url,
                                              note="trang chủ cổng và sitemap.xml không còn liên kết đến trang này"))
    return result


def write_proposals(path: Path, inventory: Inventory, results: list[PortalProposals]) -> None:
    header = (
        "# Đề xuất trang thông tin điện tử thành phần (python -m portal_audit.discover).\n"
        "# new: có liên kết trên trang chủ cổng nhưng chưa có trong danh mục; listed: đã có;\n"
        "# not_linked: có trong danh mục nhưng trang chủ không còn liên kết (cần kiểm tra lại).\n"
        "# Xem lại mục 'new': xóa những mục không phải trang thành phần, sửa tên nếu cần, rồi gộp vào danh mục:\n"
        f"#   python -m portal_audit.discover --inventory {inventory.path} --merge --proposals {path}\n"
    )
    document = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inventory": str(inventory.path),
        "portals": [r.as_yaml() for r in results],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(header + body, encoding="utf-8")


def read_accepted(path: Path) -> dict[str, list[Proposal]]:
    """The 'new' entries the auditor kept, per portal id, from a proposals file."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ProposalsError(f"{path}: không đọc được tệp đề xuất: {err.strerror}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise ProposalsError(f"{path}:{mark.line + 1 if mark else 1}: lỗi cú pháp YAML") from None
    if not isinstance(document, dict) or not isinstance(document.get("portals"), list):
        raise ProposalsError(f"{path}: tệp đề xuất phải có danh sách 'portals'")
    accepted: dict[str, list[Proposal]] = {}
    for position, item in enumerate(document["portals"], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ProposalsError(f"{path}: cổng thứ {position} thiếu 'id'")
        entries = item.get("new") or []
        if not isinstance(entries, list):
            raise ProposalsError(f"{path}: 'new' của cổng '{item['id']}' phải là một danh sách")
        for number, entry in enumerate(entries, start=1):
            what = f"mục new thứ {number} của cổng '{item['id']}'"
            if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
                raise ProposalsError(f"{path}: {what} thiếu 'name'")
            url = str(entry.get("url") or "").strip()
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise ProposalsError(f"{path}: {what} có địa chỉ không hợp lệ '{url}'")
            found_in = entry.get("found_in") or []
            accepted.setdefault(item["id"], []).append(
                Proposal(str(entry["name"]).strip(), url, [str(f) for f in found_in] if isinstance(found_in, list) else []))
    return accepted
