"""The saved captures (selftests/captures/) are still what the visit sees: one site of each shape of the
catalog (each distinct set of expected verdicts) is visited afresh, and every criterion's judge gives
the same verdict on the new capture as on the saved one. A change of the visit or of the world that
the saved captures no longer reflect fails here, naming the site and criterion; then re-record them
(python3 -m selftests.captures.record)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from portal_audit.checks import criteria_for
from portal_audit.evidence.site import of_capture
from portal_audit.settings import load_settings

from .audit_runner import WORLD_CONFIG
from .captures import file_for, load
from .expectations import MESSAGES
from .recapture import recapture
from .world.catalog import EXPECTED
from .world.server import World

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
@pytest.mark.xdist_group("world-catalog")  # the catalog's world, on full_audit's worker
def test_saved_captures_match_a_fresh_visit(world: World, tmp_path: Path) -> None:
    settings = load_settings(WORLD_CONFIG)
    urls = set(one_site_per_shape().values())
    fresh = recapture(world, urls, tmp_path)
    assert set(fresh) == urls
    differences = []
    for url in sorted(urls):
        saved_site, saved = load(url)
        site, capture = fresh[url]
        assert saved_site == site, url  # the inventory's entry is what the saved file holds
        for criterion in criteria_for(site):
            old = criterion.evaluate(of_capture(saved), site, settings)
            new = criterion.evaluate(of_capture(capture), site, settings)
            if old.status != new.status:
                differences.append(f"{url} {criterion.code}: đã lưu {old.status.value} ({old.message}); "
                                   f"mới {new.status.value} ({new.message})")
            elif (url, criterion.code) in MESSAGES and MESSAGES[url, criterion.code] not in new.message:
                differences.append(f"{url} {criterion.code}: {new.message}")
    assert not differences, "\n".join(differences)
