"""The saved captures (selftests/captures/) are still what the visit sees: every saved site (among them
one of each shape of the catalog, each distinct set of expected verdicts) as the session's full
audit of the world just visited it (full_audit: the audit's own visit, whose capture it saves in
its evidence folder, see portal_audit/evidence/store.py), and every criterion's judge gives the
same verdict on that fresh capture as on the saved one. A change of the visit or of the world that
the saved captures no longer reflect fails here, naming the site and criterion; then re-record them
(python3 -m selftests.captures.record)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from portal_audit.checks import criteria_for
from portal_audit.evidence.site import of_capture
from portal_audit.evidence.store import folder_for, load_evidence
from portal_audit.inventory import load_inventory
from portal_audit.settings import load_settings

from .audit_runner import WORLD_CONFIG, AuditRun
from .captures import file_for, load
from .expectations import MESSAGES
from .world.catalog import EXPECTED

def one_site_per_shape() -> dict[tuple[tuple[str, str], ...], str]:
    """Shape (the sorted expected verdicts of a site) -> the first saved site of that shape."""
    verdicts: dict[str, dict[str, str]] = defaultdict(dict)
    for (url, code), status in EXPECTED.items():
        if file_for(url).exists():
            verdicts[url][code] = status
    shapes: dict[tuple[tuple[str, str], ...], str] = {}
    for url, by_code in verdicts.items():
        shapes.setdefault(tuple(sorted(by_code.items())), url)
    return shapes


def test_every_shape_is_sampled() -> None:
    sampled = set(one_site_per_shape().values())
    assert len(sampled) >= 5, sampled  # the catalog's shapes, not one site standing for all
    assert "http://tinh-http.gov.vn/" in sampled and "https://bo-mau.gov.vn/" in sampled


@pytest.mark.world
@pytest.mark.xdist_group("world-catalog")  # reads full_audit, on its worker
def test_saved_captures_match_a_fresh_visit(full_audit: AuditRun, world_inventory: Path) -> None:
    settings = load_settings(WORLD_CONFIG)
    saved_urls = {url for url, _ in EXPECTED if file_for(url).exists()}
    assert set(one_site_per_shape().values()) <= saved_urls  # every shape among the sites compared
    sites = {site.url: site for site in load_inventory(world_inventory).sites() if site.url in saved_urls}
    assert set(sites) == saved_urls
    differences = []
    for url, site in sorted(sites.items()):
        saved_site, saved = load(url)
        assert saved_site == site, url  # the inventory's entry is what the saved file holds
        fresh = load_evidence(folder_for(full_audit.results_path), site.key)
        assert fresh is not None and fresh.capture is not None, f"{url}: the audit saved no capture"
        for criterion in criteria_for(site):
            old = criterion.evaluate(of_capture(saved), site, settings)
            new = criterion.evaluate(of_capture(fresh.capture), site, settings)
            if old.status != new.status:
                differences.append(f"{url} {criterion.code}: đã lưu {old.status.value} ({old.message}); "
                                   f"mới {new.status.value} ({new.message})")
            elif (url, criterion.code) in MESSAGES and MESSAGES[url, criterion.code] not in new.message:
                differences.append(f"{url} {criterion.code}: {new.message}")
    assert not differences, "\n".join(differences)
