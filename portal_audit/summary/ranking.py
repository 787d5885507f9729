"""The audit summary: criterion 3.3 (portals ranked by EMC visits) and the compliance tables.

Pure functions over the records of results.json, the inventory and the visit export, so the
summary depends only on its inputs and is the same however the run was parallelised."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from portal_audit.inventory import GROUPS, Inventory, Site
from portal_audit.settings import RankingSettings
from portal_audit.status import Status, auditor_side
from portal_audit.summary.emc_data import TrafficData, TrafficRow
from portal_audit.urls import host_of

STATUSES = tuple(str(s) for s in Status)
NO_DATA = "không có dữ liệu"


@dataclass(frozen=True)
class RankingEntry:
    group: str
    portal: str
    name: str
    visits: int | None  # None: the export had no row for this portal
    rank: int | None  # shared by equal visits (1, 2, 2, 4); None without data, listed last


@dataclass
class CriterionCounts:
    passed: int = 0
    failed: int = 0
    broken: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.broken + self.skipped

    @property
    def evaluated(self) -> int:
        # Broken sites count against the portal (the public cannot reach them either);
        # skipped ones (3.2b without components) do not apply.
        return self.passed + self.failed + self.broken

    def to_json(self) -> dict[str, int]:
        return {**asdict(self), "total": self.total}


@dataclass
class PortalCompliance:
    group: str
    portal: str
    name: str
    sites: int
    criteria: dict[str, CriterionCounts]
    score: float | None = None  # 0-100, None when nothing could be scored
    rank: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"group": self.group, "portal": self.portal, "name": self.name, "sites": self.sites,
                "criteria": {code: counts.to_json() for code, counts in self.criteria.items()},
                "score": self.score, "rank": self.rank}


@dataclass(frozen=True)
class Match:
    row: TrafficRow
    site: Site


@dataclass
class TrafficMatching:
    visits: dict[str, int]  # site URL -> visits (summed over distinct periods)
    rows: int = 0  # rows read from the export (matched, unmatched and repeated ones)
    matched: list[Match] = field(default_factory=list)
    unmatched: list[TrafficRow] = field(default_factory=list)  # the first `sample` of them
    warnings: list[str] = field(default_factory=list)  # the first `sample` of them
    unmatched_total: int = 0
    warnings_total: int = 0
    sample: int = 20

    def add_unmatched(self, row: TrafficRow) -> None:
        self.unmatched_total += 1
        if len(self.unmatched) < self.sample:
            self.unmatched.append(row)

    def add_warning(self, text: str) -> None:
        self.warnings_total += 1
        if len(self.warnings) < self.sample:
            self.warnings.append(text)

    def to_json(self, source: str | None) -> dict[str, Any]:
        return {"file": source, "rows": self.rows, "matched": len(self.matched),
                "unmatched_total": self.unmatched_total,
                "unmatched": [{"row": r.row, "site_id": r.site_id, "url": r.address, "visits": r.visits}
                              for r in self.unmatched],
                "warnings_total": self.warnings_total, "warnings": list(self.warnings)}


@dataclass
class Rankings:
    ranking: list[RankingEntry]
    compliance: list[PortalCompliance]
    criteria: list[str]  # the criteria codes, in the order they first appear in the records
    source: str | None  # the visit export, None when the audit ran without --emc-data
    matching: TrafficMatching | None

    def compliance_ranking(self) -> list[PortalCompliance]:
        return sorted(self.compliance, key=lambda c: (GROUPS.index(c.group) if c.group in GROUPS else len(GROUPS),
                                                      c.rank is None, c.rank or 0))

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "Rankings":
        """The summary as results.json holds it (without the export's matching details), so that
        reports made from the file show the numbers the run computed."""
        compliance = [PortalCompliance(
            c["group"], c["portal"], c["name"], c["sites"],
            {code: CriterionCounts(**{k: v for k, v in counts.items() if k != "total"})
             for code, counts in c["criteria"].items()}, c.get("score"), c.get("rank"))
            for c in document.get("compliance") or []]
        criteria = list(dict.fromkeys(code for c in compliance for code in c.criteria))
        emc = document.get("emc_data")
        return cls(ranking=[RankingEntry(**entry) for entry in document.get("ranking") or []],
                   compliance=compliance, criteria=criteria, source=emc.get("file") if emc else None, matching=None)

    def to_json(self) -> dict[str, Any]:
        """The summary fields of results.json."""
        return {
            "emc_data": self.matching.to_json(self.source) if self.matching is not None else None,
            "ranking": [asdict(entry) for entry in self.ranking],
            "compliance": [c.to_json() for c in self.compliance],
            "compliance_ranking": [{"group": c.group, "portal": c.portal, "name": c.name, "score": c.score,
                                    "rank": c.rank} for c in self.compliance_ranking()],
        }


def observed_site_ids(records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Site URL -> the EMC id the audit saw on the page (criterion 3.1's evidence)."""
    seen: dict[str, str] = {}
    for record in records:
        if record.get("criterion") == "3.1":
            site_id = (record.get("evidence") or {}).get("site_id")
            if isinstance(site_id, str) and site_id.strip():
                seen[record["site"]] = site_id.strip()
    return seen


def match_traffic(data: TrafficData, sites: Sequence[Site], observed: Mapping[str, str],
                  sample: int = 20) -> TrafficMatching:
    """Matches export rows to sites: by the registered EMC id, then by the id seen on the page,
    then by host. A site's rows of different periods add up; a repeated period counts once.
    Unmatched and repeated rows are counted, the first `sample` of each kept as examples."""
    registered: dict[str, Site] = {}
    for site in sites:
        if site.emc_site_id:
            registered.setdefault(site.emc_site_id.strip(), site)
    # The id seen on the page is only trusted when no site registered it and one site alone shows
    # it: a theme copied between sites shows another site's id (see criterion 3.1).
    shown: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        if site.url in observed and observed[site.url] not in registered:
            shown[observed[site.url]].append(site)
    by_observed = {site_id: found[0] for site_id, found in shown.items() if len(found) == 1}
    by_host: dict[str, Site] = {}
    for site in sites:
        host = host_of(site.url)
        if host:
            by_host.setdefault(host, site)  # the first in inventory order: the portal before its components

    result = TrafficMatching(visits={}, rows=len(data.rows), sample=sample)
    counted: dict[tuple[str, str | None], int] = {}
    for row in data.rows:
        site = None
        if row.site_id:
            site = registered.get(row.site_id) or by_observed.get(row.site_id)
        if site is None and row.host:
            site = by_host.get(row.host)
        if site is None:
            result.add_unmatched(row)
            continue
        key = (site.url, row.period)
        if key in counted:
            period = f" kỳ '{row.period}'" if row.period else ""
            result.add_warning(f"{data.path}:{row.row}: trùng dữ liệu{period} của {site.name} ({site.url}) "
                               f"với dòng {counted[key]}; chỉ tính dòng {counted[key]}")
            continue
        counted[key] = row.row
        result.matched.append(Match(row, site))
        result.visits[site.url] = result.visits.get(site.url, 0) + row.visits
    return result


def shared_ranks(values: Sequence[float | None]) -> list[int | None]:
    """Competition ranks, highest first: equal values share a rank (1, 2, 2, 4); None is unranked."""
    ranked = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for position, value in enumerate(ranked, start=1):
        first.setdefault(value, position)
    return [None if v is None else first[v] for v in values]


def _group_order(group: str) -> int:
    return GROUPS.index(group) if group in GROUPS else len(GROUPS)


def rank_by_visits(inventory: Inventory, visits: Mapping[str, int] | None,
                   settings: RankingSettings) -> list[RankingEntry]:
    entries: list[RankingEntry] = []
    for group in sorted({p.group for p in inventory.portals}, key=_group_order):
        portals = [p for p in inventory.portals if p.group == group]
        totals: list[int | None] = []
        for portal in portals:
            urls = [portal.url] + ([c.url for c in portal.components] if settings.include_components else [])
            known = [visits[u] for u in urls if visits is not None and u in visits]
            totals.append(sum(known) if known else None)
        ranks = shared_ranks(totals)
        rows = [RankingEntry(group, p.id, p.name, total, rank) for p, total, rank in zip(portals, totals, ranks)]
        # Stable sort: equal visits and portals without data keep the inventory order.
        entries.extend(sorted(rows, key=lambda e: (e.rank is None, e.rank or 0)))
    return entries


def compliance(records: Sequence[Mapping[str, Any]], inventory: Inventory,
               settings: RankingSettings) -> tuple[list[PortalCompliance], list[str]]:
    criteria: list[str] = []
    for record in records:
        if record["criterion"] not in criteria:
            criteria.append(record["criterion"])
    portals: dict[str, PortalCompliance] = {}
    sites: dict[str, set[str]] = defaultdict(set)
    for portal in inventory.portals:
        portals[portal.id] = PortalCompliance(portal.group, portal.id, portal.name, 0,
                                              {code: CriterionCounts() for code in criteria})
    for record in records:
        entry = portals.get(record["portal"])
        if entry is None:  # a record of a portal the inventory no longer lists: still counted
            entry = portals[record["portal"]] = PortalCompliance(
                record["group"], record["portal"], record["portal"], 0, {code: CriterionCounts() for code in criteria})
        sites[record["portal"]].add(record["site"])
        if auditor_side(record):
            continue  # the auditor's network or browser failed, not the agency: neither for nor against it
        status = record["status"] if record["status"] in STATUSES else "broken"
        counts = entry.criteria[record["criterion"]]
        setattr(counts, status, getattr(counts, status) + 1)
    # Informative criteria (reported, not scored) are counted but weigh nothing.
    informative = {r["criterion"] for r in records if r.get("informative")}
    weights = {**settings.weights, **{code: 0.0 for code in informative}}
    for portal_id, entry in portals.items():
        entry.sites = len(sites[portal_id])
        entry.score = _score(entry.criteria, weights)
    # Only the portals this run audited (a run may be limited to some portals, see --portal).
    audited = [e for e in portals.values() if e.sites]
    ordered = sorted(audited, key=lambda e: _group_order(e.group))  # stable: inventory order inside
    for group in {e.group for e in ordered}:
        members = [e for e in ordered if e.group == group]
        for entry, rank in zip(members, shared_ranks([e.score for e in members])):
            entry.rank = rank
    return ordered, criteria


def _score(criteria: Mapping[str, CriterionCounts], weights: Mapping[str, float]) -> float | None:
    weighted = total_weight = 0.0
    for code, counts in criteria.items():
        weight = float(weights.get(code, 1))
        if counts.evaluated and weight > 0:
            weighted += weight * counts.passed / counts.evaluated
            total_weight += weight
    return round(100 * weighted / total_weight, 1) if total_weight else None


def build_rankings(records: Sequence[Mapping[str, Any]], inventory: Inventory, data: TrafficData | None,
                   settings: RankingSettings, sample: int = 20) -> Rankings:
    """`sample`: how many unmatched (and repeated) export rows are kept as examples (emc_data.sample_rows)."""
    matching = None
    if data is not None:
        matching = match_traffic(data, list(inventory.sites()), observed_site_ids(records), sample)
    table, criteria = compliance(records, inventory, settings)
    return Rankings(ranking=rank_by_visits(inventory, matching.visits if matching else None, settings),
                   compliance=table, criteria=criteria,
                   source=str(data.path) if data is not None else None, matching=matching)
