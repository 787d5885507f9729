"""The audit against portals built the way real ones are (selftests/world/real_patterns.py): link
lists reached by choosing an option, elements acting as links, menus, tabs, accordions, "Xem thêm",
carousels; the tracker variants; and the look-alikes of each, all judged as a person looking at the
page would, with the evidence naming how each link was reached. One audit run."""

from __future__ import annotations

from collections import Counter
from typing import Iterator

import pytest

from portal_audit.yamlio import dump_plain

from .audit_runner import WAITING_WORKERS, WORLD_CONFIG, AuditRun, load_yaml, run_audit, write_inventory
from .world.real_patterns import (EXPECTED, GIA, GIA_MISSING, MESSAGES, REACHED_BACK, REACHED_FROM_PORTAL, THUC,
                                  WIDGET, build_inventory, build_real_sites, g, t)
from .world.server import World

# The tests of this module share one audit run: one xdist worker runs them all, once.
pytestmark = pytest.mark.xdist_group("real-patterns")


@pytest.fixture(scope="module")
def real_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with World(build_real_sites(), tmp_path_factory.mktemp("real-world")) as world:
        yield world


@pytest.fixture(scope="module")
def real_audit(real_world: World, tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    workdir = tmp_path_factory.mktemp("real-audit")
    # The world's short waits, with room for acting on pages on a loaded machine. A short settle
    # budget keeps the carousel that moves by itself (every 2.5 s) from showing its link before the
    # visit starts acting: that link must be found by watching the carousel.
    config = load_yaml(WORLD_CONFIG.read_text(encoding="utf-8"))
    config["visit"].update(settle_budget=1.5, hard_budget=60)
    config["interaction"] = {"budget": 30, "carousel_wait": 8}
    config_path = workdir / "audit-config.yaml"
    config_path.write_text(dump_plain(config), encoding="utf-8")
    inventory = write_inventory(workdir / "inventory.yaml", build_inventory())
    real_world.clear_requests()
    # Four workers (WAITING_WORKERS): most of a visit here is waiting (the carousel's turns, scripts
    # that never answer, the sites acted on), and the headless shell leaves the CPUs room for it.
    run = run_audit(workdir / "run", inventory, *WAITING_WORKERS, *real_world.resolve_args(), "--ignore-https-errors",
                    config=config_path)
    run.world_requests = real_world.requests()  # type: ignore[attr-defined]
    print(f"\nreal-pattern audit: {run.seconds:.1f}s")
    return run


@pytest.mark.world
def test_every_expected_record_and_nothing_else(real_audit: AuditRun) -> None:
    seen = Counter((r["site"], r["criterion"]) for r in real_audit.results["records"])
    assert set(seen) == set(EXPECTED), real_audit.output[-3000:]
    assert all(count == 1 for count in seen.values())


@pytest.mark.world
@pytest.mark.parametrize("site,criterion", sorted(EXPECTED), ids=lambda v: v)
def test_status(real_audit: AuditRun, site: str, criterion: str) -> None:
    record = real_audit.record(site, criterion)
    assert record["status"] == EXPECTED[site, criterion], record["message"]
    if (site, criterion) in MESSAGES:
        assert MESSAGES[site, criterion] in record["message"]


def test_every_failing_case_has_its_message_asserted() -> None:
    failed = {key for key, status in EXPECTED.items() if status == "failed"}
    assert failed <= set(MESSAGES), sorted(failed - set(MESSAGES))


@pytest.mark.world
def test_portal_links_name_how_a_visitor_reaches_them(real_audit: AuditRun) -> None:
    record = real_audit.record(THUC, "3.2b")
    found = record["evidence"]["found"]
    assert {url: found[url]["reached_by"] for url in REACHED_FROM_PORTAL} == REACHED_FROM_PORTAL
    for url, how in REACHED_FROM_PORTAL.items():
        assert how in record["message"]
    # Interaction stops once nothing is missing: the actions tried are listed, and they are few.
    assert 0 < len(record["evidence"]["interactions"]) < 40


@pytest.mark.world
@pytest.mark.parametrize("site", sorted(REACHED_BACK), ids=lambda v: v)
def test_links_back_name_how_a_visitor_reaches_them(real_audit: AuditRun, site: str) -> None:
    record = real_audit.record(site, "3.2c")
    assert record["evidence"]["found"][THUC]["reached_by"] == REACHED_BACK[site], record["message"]
    assert REACHED_BACK[site] in record["message"]


@pytest.mark.world
def test_look_alike_portal_names_each_missing_component(real_audit: AuditRun) -> None:
    message = real_audit.record(GIA, "3.2b")["message"]
    for part in GIA_MISSING.values():
        assert part in message
    # An option value such as "58" is never taken for a host.
    links = real_audit.record(GIA, "3.2b")["evidence"]
    assert set(links["found"]) == {g("sxd"), g("sct")}


@pytest.mark.world
def test_the_page_never_leaves_and_each_site_is_loaded_once(real_audit: AuditRun) -> None:
    requests = real_audit.world_requests  # type: ignore[attr-defined]
    homepages = Counter(r.host for r in requests if r.path.split("?")[0] == "/" and r.method == "GET")
    audited = {url.split("/")[2] for url, _ in EXPECTED}
    assert {host: homepages[host] for host in audited} == {host: 1 for host in audited}
    # Where a chosen option, a clicked element or a submitted form would go was recorded, not visited.
    never = {"hcc.tinh-thuc.gov.vn", "huyendong.tinh-thuc.gov.vn", "dichvucong.tinh-gia.gov.vn", "tinhgialap.gov.vn"}
    assert not {r.host for r in requests} & never
    assert homepages["tinh-thuc.gov.vn"] == 1 and homepages["tinh-gia.gov.vn"] == 1


@pytest.mark.world
def test_scripts_that_hang_neither_delay_nor_change_a_verdict(real_audit: AuditRun, real_world: World) -> None:
    # stc: a widget script after the EMC code never answers, so the page never finishes parsing; it is
    # judged as soon as everything a visitor needs is there, well before the navigation timeout (8 s).
    stc = real_audit.record(t("stc"), "3.1")
    assert stc["status"] == "passed"
    assert stc["evidence"]["settle_seconds"] < 8
    assert any(r.host == WIDGET for r in real_audit.world_requests)  # type: ignore[attr-defined]
    # skhcn: an advertising script that never answers holds the load event; a counter is gone (404).
    assert real_audit.record(t("skhcn"), "3.1")["status"] == "passed"
    # syt of tinh-gia hangs the same way and fails for what it is, never broken.
    assert real_audit.record(g("syt"), "3.1")["status"] == "failed"


@pytest.mark.world
def test_tracker_evidence(real_audit: AuditRun) -> None:
    matomo = real_audit.record(t("sgddt"), "3.1")["evidence"]
    assert matomo["site_id"] == "705"
    assert ["setSiteId", "15"] in matomo["other_queue_commands"]["_paq"]
    legacy = real_audit.record(g("syt"), "3.1")
    assert "địa chỉ EMC cũ 'https://tracking.aita.gov.vn/tracking'" in legacy["message"]
    assert any("tracking.aita.gov.vn" in r for r in legacy["evidence"]["legacy_requests"])
    badge = real_audit.record(t("sxd"), "3.2a")["evidence"]["candidates"]
    assert badge and badge[0]["visible"] is True
