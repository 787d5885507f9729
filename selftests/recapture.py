"""Captures taken afresh from the running world, as selftests/captures/record.py takes the saved ones
(same settings, readiness and browser), without saving them: test_captures_current.py compares them
with the saved captures the judge tests read."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from portal_audit.checks import criteria_for
from portal_audit.evidence.site import of_capture
from portal_audit.inventory import Site, load_inventory
from portal_audit.settings import load_settings
from portal_audit.evidence.capture import Capture
from portal_audit.visit import LiveBrowser, SiteVisits, launch_options, parse_rule

from .audit_runner import WORLD_CONFIG, write_inventory
from .world.catalog import EXTRA_RESOLVE, build_inventory
from .world.server import World


def recapture(world: World, urls: set[str], folder: Path) -> dict[str, tuple[Site, Capture]]:
    """The capture of each site of `urls` (inventory URLs of the world's catalog), visited once."""
    settings = load_settings(WORLD_CONFIG)
    inventory = load_inventory(write_inventory(folder / "inventory.yaml", build_inventory()))
    rules = tuple(parse_rule(value) for value in world.resolve_args(EXTRA_RESOLVE)[1::2])
    taken: dict[str, tuple[Site, Capture]] = {}
    with sync_playwright() as playwright:
        browser = LiveBrowser(lambda: playwright.chromium.launch(
            **launch_options(playwright, settings.browser, rules)))
        visits = SiteVisits(browser, settings, True, rules)
        try:
            for site in (s for s in inventory.sites() if s.url in urls):
                criteria = criteria_for(site)
                taken[site.url] = site, visits.visit(site.url, lambda c, s=site, cs=criteria: all(
                    x.is_ready(of_capture(c), s, settings) for x in cs)).capture
        finally:
            visits.close()
    return taken
