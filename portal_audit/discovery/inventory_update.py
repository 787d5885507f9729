"""Adds accepted component sites to an inventory file in place: nothing there is reordered or
dropped and comments stay (ruamel.yaml round trip). The result is validated before it replaces
the file, so a merge never leaves an inventory the audit would reject."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from portal_audit.discovery.candidates import host_key
from portal_audit.discovery.proposals import Proposal
from portal_audit.files import write_atomic
from portal_audit.inventory import load_inventory
from portal_audit.yamlio import SourceError, dump_round_trip, load_round_trip


class MergeError(Exception):
    """The merge cannot be done; str() is one line. The inventory file is left untouched."""


@dataclass
class MergeReport:
    added: dict[str, list[str]] = field(default_factory=dict)  # portal id -> URLs added
    skipped: list[str] = field(default_factory=list)  # one line each: already in the inventory

    @property
    def count(self) -> int:
        return sum(len(urls) for urls in self.added.values())


def _take_trailing_comment(node: Any) -> Any:
    """Detaches the comment (blank lines, the next entry's heading comment) that ruamel stores on
    the deepest last entry of `node`; appended entries would otherwise land after it."""
    if isinstance(node, CommentedMap) and node:
        last: Any = list(node.keys())[-1]
        slot = 2
    elif isinstance(node, CommentedSeq) and node:
        last, slot = len(node) - 1, 0
    else:
        return None
    inner = _take_trailing_comment(node[last])
    if inner is not None:
        return inner
    entry = node.ca.items.get(last)
    if entry and entry[slot] is not None:
        token, entry[slot] = entry[slot], None
        return token
    return None


def _put_trailing_comment(node: Any, token: Any) -> None:
    if token is None:
        return
    if isinstance(node, CommentedMap) and node:
        last: Any = list(node.keys())[-1]
        if isinstance(node[last], (CommentedMap, CommentedSeq)) and node[last]:
            return _put_trailing_comment(node[last], token)
        node.ca.items.setdefault(last, [None, None, None, None])[2] = token
    elif isinstance(node, CommentedSeq) and node:
        last = len(node) - 1
        if isinstance(node[last], (CommentedMap, CommentedSeq)) and node[last]:
            return _put_trailing_comment(node[last], token)
        node.ca.items.setdefault(last, [None, None, None, None])[0] = token


def _source_note(proposal: Proposal, today: str) -> str:
    where = "; ".join(proposal.found_in) or "trang chủ"
    return f"inferred: found by portal_audit.discover on {today} ({where}); verify"


def merge_proposals(path: Path, accepted: dict[str, list[Proposal]]) -> MergeReport:
    """Appends each accepted proposal to its portal's components, skipping sites already listed."""
    inventory = load_inventory(path)  # only a valid inventory is merged into (SourceError otherwise)
    try:
        document = load_round_trip(path)
    except YAMLError as err:
        raise MergeError(f"{path}: không đọc được danh mục: {str(err).splitlines()[0]}") from None
    entries = {str(item.get("id")): item for item in document["portals"]}
    unknown = [portal_id for portal_id in accepted if portal_id not in entries]
    if unknown:
        raise MergeError(f"{path}: đề xuất cho cổng không có trong danh mục: {', '.join(unknown)}")
    known_hosts = {host_key(site.url) for site in inventory.sites()}
    report, today = MergeReport(), date.today().isoformat()
    for portal_id, proposals in accepted.items():
        fresh = []
        for proposal in proposals:
            host = host_key(proposal.url)
            if host in known_hosts:
                report.skipped.append(f"{portal_id}: {proposal.url} đã có trong danh mục, bỏ qua")
                continue
            known_hosts.add(host)
            fresh.append(proposal)
        if not fresh:
            continue
        entry = entries[portal_id]
        trailing = _take_trailing_comment(entry)
        components = entry.get("components")
        if not isinstance(components, CommentedSeq) or not components:
            # Absent, null or a flow-style '[]': a block list reads best next to the others.
            components = CommentedSeq()
            entry["components"] = components
        for proposal in fresh:
            item = CommentedMap()
            item["name"] = proposal.name
            item["url"] = proposal.url
            item["source"] = _source_note(proposal, today)
            components.append(item)
        _put_trailing_comment(entry, trailing)
        report.added[portal_id] = [p.url for p in fresh]
    if report.count:
        _write_validated(path, document)
    return report


def _write_validated(path: Path, document: Any) -> None:
    text = dump_round_trip(document)
    temporary = write_atomic(path.with_name(f".{path.name}.merge.tmp"), text)
    try:
        load_inventory(temporary)
    except SourceError as err:
        raise MergeError(f"{path}: kết quả gộp không hợp lệ, danh mục giữ nguyên ({err})") from None
    finally:
        temporary.unlink(missing_ok=True)
    write_atomic(path, text)
