"""Why each failing site of the simulated world fails, as the judges name it (evidence 'reasons',
portal_audit.status.FailureKind) and as the Allure results carry it for the Vietnamese categories:
every scenario lands in the category an agency must act on, never in 'other'."""

from __future__ import annotations

import pytest

from portal_audit.render.categories import KIND_LABEL, categories, category_of, record_kinds
from portal_audit.settings import load_settings

from .audit_runner import AuditRun
from .world.catalog import EXPECTED

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("world-catalog")]


def c(host: str) -> str:
    return f"https://{host}.tinh-mau.gov.vn/"


# The category (its first kind) of every case of the world that does not pass.
KINDS: dict[tuple[str, str], str] = {
    (c("sxd"), "3.1"): "emc_not_executed", (c("sxd"), "3.2a"): "badge_missing",
    (c("syt"), "3.1"): "emc_site_id", (c("syt"), "3.2c"): "portal_link_missing",
    (c("snv"), "3.1"): "emc_mixed_content", (c("snv"), "3.2a"): "badge_missing",
    (c("sgd"), "3.1"): "emc_site_id",
    (c("skh"), "3.2a"): "badge_hidden", (c("stp"), "3.2a"): "badge_hidden",
    (c("skhcn"), "3.2a"): "badge_hidden", (c("svhttdl"), "3.2a"): "badge_hidden",
    (c("snnmt"), "3.1"): "emc_not_reporting", (c("sdttg"), "3.1"): "emc_not_reporting",
    ("https://tinh-mau.gov.vn/", "3.2b"): "component_links_missing",
    ("https://bo-mau.gov.vn/", "3.1"): "emc_missing", ("https://bo-mau.gov.vn/", "3.2a"): "badge_missing",
    ("https://cuc-a.bo-mau.gov.vn/", "3.2c"): "portal_link_missing",
    (c("xa-a"), "*"): "http_4xx", (c("xa-b"), "*"): "http_5xx", (c("xa-c"), "*"): "timeout",
    (c("xa-d"), "*"): "refused", ("https://xa-e.khong-ton-tai.invalid/", "*"): "dns",
    ("https://tinh-loi.gov.vn/", "*"): "http_5xx",
}


def expected_kind(site: str, criterion: str) -> str:
    return KINDS.get((site, criterion)) or KINDS[site, "*"]


def test_every_failure_has_the_category_an_agency_acts_on(full_audit: AuditRun) -> None:
    all_categories = categories(load_settings().labels)
    not_passing = [r for r in full_audit.results["records"] if r["status"] in ("failed", "broken")]
    assert {(r["site"], r["criterion"]) for r in not_passing} == {
        k for k, status in EXPECTED.items() if status in ("failed", "broken")}
    for record in not_passing:
        kinds = record_kinds(record)
        assert kinds and kinds[0] == expected_kind(record["site"], record["criterion"]), (record["site"], kinds)
        assert category_of(record, all_categories) is not None
    several = full_audit.record(c("snv"), "3.1")["evidence"]["reasons"]
    assert several[0] == "emc_mixed_content" and len(several) == len(set(several))
    assert all("reasons" not in r["evidence"] for r in full_audit.results["records"] if r["status"] == "passed")


def test_allure_results_carry_the_failure_kinds(full_audit: AuditRun) -> None:
    records = {(r["site"], r["criterion"]): r for r in full_audit.results["records"]}
    for result in full_audit.allure_results():
        site, criterion = result["fullName"].rsplit("#", 1)
        labels = [label["value"] for label in result["labels"] if label["name"] == KIND_LABEL]
        assert labels == record_kinds(records[site, criterion]), result["fullName"]
