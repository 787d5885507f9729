"""Each portal's compliance score across evaluation rounds, for the charts: earlier rounds from the
Allure history file (each case's status per round), this round from results.json. An earlier round
is scored as the audit scores this one (portal_audit.summary.ranking: weighted mean over criteria of
passed / evaluated, informative criteria left out), over the sites this round's results assign to
each portal, so a portal's line compares like with like."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any, Iterable, Mapping, Sequence

from portal_audit.report.inputs import History
from portal_audit.render.evaluation import REPORT_TITLE
from portal_audit.render.tables import Cell
from portal_audit.summary.ranking import CriterionCounts, Rankings
from portal_audit.summary.ranking import _score as weighted_score
from portal_audit.urls import site_key

SCORED_STATUSES = ("passed", "failed", "broken", "skipped")


@dataclass(frozen=True)
class Round:
    label: str  # e.g. "kỳ 2026-Q3"
    scores: dict[str, float | None] = field(default_factory=dict)  # portal id -> score


def round_label(report_name: str) -> str:
    return report_name.removeprefix(REPORT_TITLE).strip(" —") or report_name


def _round_scores(results: Mapping[tuple[str, str], tuple[str, int]], portal_of: Mapping[str, str],
                  weights: Mapping[str, float]) -> dict[str, float | None]:
    counts: dict[str, dict[str, CriterionCounts]] = {}
    for (key, criterion), (status, _) in results.items():
        portal = portal_of.get(key)
        if portal is None or status not in SCORED_STATUSES:
            continue  # a site no longer in this round's results, or Allure's "unknown"
        entry = counts.setdefault(portal, {}).setdefault(criterion, CriterionCounts())
        setattr(entry, status, getattr(entry, status) + 1)
    return {portal: weighted_score(criteria, weights) for portal, criteria in counts.items()}


def rounds(history: History, records: Sequence[Mapping[str, Any]], summary: Rankings, weights: Mapping[str, float],
           informative: Iterable[str], current_label: str, before_ms: int | None) -> list[Round]:
    """The earlier rounds of `history` (every case started before `before_ms`: this round's own
    report, once generated, is in the history too), oldest first, then this round."""
    portal_of = {site_key(r["site"]): r["portal"] for r in records}
    unscored = set(informative) | {r["criterion"] for r in records if r.get("informative")}
    scored_weights = {**weights, **{code: 0.0 for code in unscored}}
    found = []
    for name, results in history.rounds:
        if before_ms is not None and any(start >= before_ms for _, start in results.values()):
            continue
        scores = _round_scores(results, portal_of, scored_weights)
        if scores:
            found.append(Round(round_label(name), scores))
    return [*found, Round(current_label, {c.portal: c.score for c in summary.compliance})]


def national_median(scores: Iterable[float | None]) -> float | None:
    values = [s for s in scores if s is not None]
    return round(median(values), 1) if values else None


def series(all_rounds: Sequence[Round], portal: str) -> list[float | None]:
    return [r.scores.get(portal) for r in all_rounds]


def failure_counts(categories_of: Iterable[Cell]) -> list[tuple[str, int]]:
    """How many failed or broken cases fall under each category (None: passed), most common first."""
    counts: dict[str, int] = {}
    for name in categories_of:
        if name is not None:
            counts[str(name)] = counts.get(str(name), 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
