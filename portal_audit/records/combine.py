"""Merging the results.json files of several runs (the shards of a national run on N machines, or
runs of the same inventory on several machines) into the records of one run: the same records,
in inventory order, that a single run over the same portals would have written.

Files fit together only when they are results of the same inventory (the same digest), shards of
the same split, and no case was measured twice with different verdicts; otherwise the merge stops
with one line naming the file. The merged results are complete only when every input was complete
and every site of the portals the runs were asked for (before --shard) has its records: a missing
shard, or an interrupted one, leaves them marked incomplete, with what is missing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from portal_audit.inventory import Inventory, SelectionError, Shard, parse_shard
from portal_audit.records import Record

REQUIRED_KEYS = {"portal", "site", "criterion", "status"}


class MergeError(ValueError):
    """Results that cannot be merged; str() is one line naming the file."""


@dataclass(frozen=True)
class ResultsFile:
    path: Path
    inventory: str
    inventory_digest: str | None  # None: written before results carried it
    audit_config: str | None
    emc_file: str | None
    complete: bool
    portals: tuple[str, ...] | None  # the portals the run was asked for, before --shard; None: not recorded
    shard: Shard | None
    records: tuple[Record, ...]
    evaluation: dict[str, Any] | None = None  # the evaluation round the run recorded (period, versions ...)
    audited: dict[str, Any] | None = None  # the profile and criteria the run audited


def read_results(path: Path) -> ResultsFile:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MergeError(f"{path}: không tìm thấy tệp kết quả") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise MergeError(f"{path}: không đọc được tệp kết quả: {err}") from None
    records = document.get("records") if isinstance(document, dict) else None
    if not isinstance(records, list):
        raise MergeError(f"{path}: không phải tệp results.json của portal-audit (thiếu 'records')")
    for position, record in enumerate(records, start=1):
        if not isinstance(record, dict) or not REQUIRED_KEYS <= record.keys():
            raise MergeError(f"{path}: bản ghi thứ {position} thiếu {', '.join(sorted(REQUIRED_KEYS))}")
    selection = document.get("selection") if isinstance(document.get("selection"), dict) else {}
    portals = selection.get("portals")
    try:
        shard = parse_shard(str(selection["shard"])) if selection.get("shard") else None
    except SelectionError as err:
        raise MergeError(f"{path}: {err}") from None
    emc = document.get("emc_data")
    return ResultsFile(path=path, inventory=str(document.get("inventory") or ""),
                       inventory_digest=document.get("inventory_digest"), audit_config=document.get("audit_config"),
                       emc_file=emc.get("file") if isinstance(emc, dict) else None,
                       complete=document.get("complete") is True,
                       portals=tuple(str(p) for p in portals) if isinstance(portals, list) else None,
                       shard=shard, records=tuple(records),
                       evaluation=document["evaluation"] if isinstance(document.get("evaluation"), dict) else None,
                       audited={"profile": document.get("profile"), "criteria": document["criteria"]}
                       if isinstance(document.get("criteria"), list) else None)


@dataclass
class Merged:
    records: list[Record]
    complete: bool
    portals: tuple[str, ...]  # the portals the inputs were asked for, in inventory order
    missing: list[str] = field(default_factory=list)  # why it is incomplete, one line each


def _check_fit(files: Sequence[ResultsFile], inventory: Inventory) -> None:
    digest = inventory.digest()
    for results in files:
        if results.inventory_digest is not None and results.inventory_digest != digest:
            raise MergeError(f"{results.path}: kết quả của một danh mục khác ({results.inventory}), "
                             f"không phải {inventory.path}")
    sharded = [r for r in files if r.shard is not None]
    for results in sharded[1:]:
        assert results.shard is not None and sharded[0].shard is not None
        if results.shard.count != sharded[0].shard.count:
            raise MergeError(f"{results.path}: phần {results.shard} không cùng cách chia với {sharded[0].path} "
                             f"(phần {sharded[0].shard})")


def merge_results(files: Sequence[ResultsFile], inventory: Inventory) -> Merged:
    _check_fit(files, inventory)
    position = {(site.portal_id, site.url): site.order for site in inventory.sites()}
    chosen: dict[tuple[str, str], tuple[Record, Any, ResultsFile]] = {}
    for number, results in enumerate(files):
        rank_in_site: dict[str, int] = {}
        for record in results.records:
            order = position.get((record["portal"], record["site"]))
            if order is None:
                raise MergeError(f"{results.path}: bản ghi của {record['site']} (cổng {record['portal']}) "
                                 f"không có trong danh mục {inventory.path}")
            rank = rank_in_site[record["site"]] = rank_in_site.get(record["site"], -1) + 1
            key = (record["site"], record["criterion"])
            sort_key = (order, rank, number)
            if key not in chosen:
                chosen[key] = (record, sort_key, results)
                continue
            earlier, _, source = chosen[key]
            if earlier["status"] != record["status"]:
                raise MergeError(f"{results.path}: {record['site']} tiêu chí {record['criterion']}: kết quả "
                                 f"'{record['status']}' khác với '{earlier['status']}' trong {source.path}")
            if str(record.get("measured_at") or "") > str(earlier.get("measured_at") or ""):
                chosen[key] = (record, sort_key, results)  # the same verdict: the latest evidence
    records = [record for record, _, _ in sorted(chosen.values(), key=lambda c: c[1])]
    asked = set()
    for results in files:
        asked |= set(results.portals) if results.portals is not None else {r["portal"] for r in results.records}
    portals = tuple(p.id for p in inventory.portals if p.id in asked)
    missing = _missing(files, inventory, portals, {r["site"] for r in records})
    return Merged(records, not missing, portals, missing)


def _missing(files: Sequence[ResultsFile], inventory: Inventory, portals: tuple[str, ...],
             measured: set[str]) -> list[str]:
    missing = [f"{r.path}: lần chạy chưa hoàn tất (complete: false)" for r in files if not r.complete]
    shards = {r.shard for r in files if r.shard is not None}
    if shards:
        count = next(iter(shards)).count
        absent = [f"{index}/{count}" for index in range(1, count + 1) if Shard(index, count) not in shards]
        if absent:
            missing.append(f"thiếu kết quả của phần {', '.join(absent)}")
    for portal in inventory.only(set(portals)).portals:
        sites = [portal.url, *(c.url for c in portal.components)]
        lacking = [url for url in sites if url not in measured]
        if lacking:
            missing.append(f"cổng {portal.id}: thiếu kết quả của {len(lacking)}/{len(sites)} trang "
                           f"(ví dụ {lacking[0]})")
    return missing
