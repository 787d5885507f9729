"""The failure categories an agency acts on, one per kind of failure: which category a record falls
under, and the same categories as Allure 3 category rules (matched on the `failure_kind` labels our
Allure results carry, never on the wording of a message).

A failed record's kinds are the judge's `reasons` (portal_audit.status.FailureKind), or
`manual_review` when an auditor's review made it fail; a broken record's kind is its `error_kind`
(portal_audit.status.ErrorKind). Kinds that share a name in the settings form one category."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from portal_audit.settings import Labels
from portal_audit.status import ErrorKind, FailureKind, Status

# The Allure label that carries a case's failure kinds (one label per kind).
KIND_LABEL = "failure_kind"
# Allure 3's own catch-all categories, renamed (by their ids) for failures no rule matched.
OTHER_FAILED = ("_product_errors_default_category", "Không đạt (lý do khác)")
OTHER_BROKEN = ("_test_errors_default_category", "Không đánh giá được (lý do khác)")


@dataclass(frozen=True)
class Category:
    id: str  # the first kind's code: stable across runs and wordings
    name: str
    status: str  # "failed" | "broken"
    kinds: tuple[str, ...]


def categories(labels: Labels) -> list[Category]:
    """Every category, in report order: compliance failures, then the reasons a site could not be
    evaluated; a kind without a name in the settings is named by its code."""
    found: dict[tuple[str, str], list[str]] = {}
    for status, kinds, names in ((Status.FAILED, list(FailureKind), labels.failure_kinds),
                                 (Status.BROKEN, list(ErrorKind), labels.error_kinds)):
        for kind in kinds:
            found.setdefault((str(status), names.get(str(kind), str(kind))), []).append(str(kind))
    return [Category(kinds[0], name, status, tuple(kinds)) for (status, name), kinds in found.items()]


def record_kinds(record: Mapping[str, Any]) -> list[str]:
    """The failure kinds of a record, most fundamental first ([] when it did not fail or break)."""
    evidence = record.get("evidence") or {}
    if record["status"] == Status.FAILED:
        automatic_failed = record.get("automatic_status", record["status"]) == Status.FAILED
        reasons = [str(r) for r in evidence.get("reasons") or []] if automatic_failed else []
        return reasons or ([str(FailureKind.MANUAL_REVIEW)] if record.get("review_applied") else [])
    if record["status"] == Status.BROKEN:
        kind = evidence.get("error_kind")
        return [str(kind)] if kind else []
    return []


def category_of(record: Mapping[str, Any], all_categories: list[Category]) -> Category | None:
    """The first category (in report order) one of the record's kinds belongs to."""
    kinds = set(record_kinds(record))
    if not kinds:
        return None
    return next((c for c in all_categories if c.status == record["status"] and kinds & set(c.kinds)), None)


def category_name(record: Mapping[str, Any], all_categories: list[Category]) -> str | None:
    """The category a report shows for a record; None when it passed or was skipped."""
    if record["status"] not in (Status.FAILED, Status.BROKEN):
        return None
    found = category_of(record, all_categories)
    if found is not None:
        return found.name
    return OTHER_FAILED[1] if record["status"] == Status.FAILED else OTHER_BROKEN[1]


def allure_rules(all_categories: list[Category]) -> list[dict[str, Any]]:
    """The categories as Allure 3 rules (JSON-safe, for the `categories` of allurerc.mjs): each
    matches its kinds' labels, lists its cases by portal, and Allure's catch-alls get our names."""
    rules: list[dict[str, Any]] = [{
        "id": c.id, "name": c.name,
        "matchers": [{"statuses": [c.status], "labels": {KIND_LABEL: f"^({'|'.join(c.kinds)})$"}}],
        "groupBy": [{"label": "suite"}], "groupByMessage": False,
    } for c in all_categories]
    for (rule_id, name), status in ((OTHER_FAILED, "failed"), (OTHER_BROKEN, "broken")):
        rules.append({"id": rule_id, "name": name, "matchers": [{"statuses": [status]}],
                      "groupBy": [{"label": "suite"}], "groupByMessage": False})
    return rules
