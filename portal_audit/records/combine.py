"""Merging the results.json files of several runs (the shards of a national run on N machines, or
runs of the same inventory on several machines) into the records of one run: the same records,
in inventory order, that a single run over the same portals would have written.

Files fit together only when they are results of the same inventory (the same digest), of the same
round (the same period, settings digest, profile and criteria), shards of the same split, and no
case was measured twice with different verdicts; otherwise the merge stops
with one line naming the file. The merged results are complete only when every input was complete
and every site of the portals the runs were asked for (before --shard) has its records: a missing
shard, or an interrupted one, leaves them marked incomplete, with what is missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from portal_audit.inventory import Inventory, SelectionError, Shard, parse_shard
from portal_audit.records import Record
from portal_audit.records.reader import read_results_file
from portal_audit.records.schema import ResultsDocument


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
    settings_digest: str | None = None  # None: written before results carried it
    document: ResultsDocument | None = None  # as read (its manifest is checked against it)

    @property
    def period(self) -> str | None:
        return str(self.evaluation["period"]) if self.evaluation and self.evaluation.get("period") else None


def read_results(path: Path, max_bytes: int | None = None) -> ResultsFile:
    """A results.json file (copied from another machine: read as untrusted, at most `max_bytes`);
    ResultsError (portal_audit.records.reader) when the file cannot be used."""
    document = read_results_file(path, max_bytes)
    selection = document.selection
    emc = document.emc_data
    try:
        shard = parse_shard(selection.shard) if selection and selection.shard else None
    except SelectionError as err:
        raise MergeError(f"{path}: {err}") from None
    return ResultsFile(path=path, inventory=document.inventory, inventory_digest=document.inventory_digest,
                       audit_config=document.audit_config,
                       emc_file=emc.get("file") if isinstance(emc, dict) else None, complete=document.complete,
                       portals=tuple(selection.portals) if selection and selection.portals is not None else None,
                       shard=shard, records=tuple(document.record_dicts()), evaluation=document.evaluation,
                       audited={"profile": document.profile, "criteria": document.criteria}
                       if document.criteria is not None else None, settings_digest=document.settings_digest,
                       document=document)


@dataclass
class Merged:
    records: list[Record]
    complete: bool
    portals: tuple[str, ...]  # the portals the inputs were asked for, in inventory order
    missing: list[str] = field(default_factory=list)  # why it is incomplete, one line each


def _same(files: Sequence[ResultsFile], value: Callable[[ResultsFile], Any], what: str) -> None:
    """Every file that recorded `value` recorded the same one (files written before they carried it
    are not compared): parts of one round are audited alike."""
    given = [f for f in files if value(f) is not None]
    for other in given[1:]:
        if value(other) != value(given[0]):
            raise MergeError(f"{other.path}: {what} {_shown(value(other))} khác với {_shown(value(given[0]))} "
                             f"trong {given[0].path}; không gộp kết quả của các đợt đánh giá khác nhau")


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return f"'{value.get('profile') or '-'}: {', '.join(value.get('criteria') or [])}'"
    return f"'{str(value)[:16]}'" if isinstance(value, str) and len(value) == 64 else f"'{value}'"


def check_fit(files: Sequence[ResultsFile], inventory: Inventory) -> None:
    digest = inventory.digest()
    for results in files:
        if results.inventory_digest is not None and results.inventory_digest != digest:
            raise MergeError(f"{results.path}: kết quả của một danh mục khác ({results.inventory}), "
                             f"không phải {inventory.path}")
    _same(files, lambda f: f.period, "kỳ đánh giá")
    _same(files, lambda f: f.settings_digest, "cấu hình đánh giá (mã)")
    _same(files, lambda f: f.audited, "bộ tiêu chí")
    sharded = [r for r in files if r.shard is not None]
    for results in sharded[1:]:
        assert results.shard is not None and sharded[0].shard is not None
        if results.shard.count != sharded[0].shard.count:
            raise MergeError(f"{results.path}: phần {results.shard} không cùng cách chia với {sharded[0].path} "
                             f"(phần {sharded[0].shard})")


def merge_results(files: Sequence[ResultsFile], inventory: Inventory) -> Merged:
    check_fit(files, inventory)
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
