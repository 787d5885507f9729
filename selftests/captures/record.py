"""Records the saved captures: every site of the simulated world's catalog visited once, as the
audit visits it (same settings, readiness and browser), its capture written to selftests/captures/.

    python3 -m selftests.captures.record"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from portal_audit.checks import criteria_for
from portal_audit.evidence.site import of_capture
from portal_audit.inventory import load_inventory
from portal_audit.settings import load_settings
from portal_audit.visit import LiveBrowser, SiteVisits, VisitError, launch_options, parse_rule
from selftests.audit_runner import WORLD_CONFIG, write_inventory
from selftests.captures import save
from selftests.world.catalog import EXTRA_RESOLVE, build_inventory, build_sites
from selftests.world.server import World


def main() -> None:
    settings = load_settings(WORLD_CONFIG)
    with tempfile.TemporaryDirectory() as tmp, World(build_sites(), Path(tmp) / "world") as world:
        inventory = load_inventory(write_inventory(Path(tmp) / "inventory.yaml", build_inventory()))
        args = world.resolve_args(EXTRA_RESOLVE)
        rules = tuple(parse_rule(value) for value in args[1::2])
        with sync_playwright() as playwright:
            browser = LiveBrowser(lambda: playwright.chromium.launch(
                **launch_options(playwright, settings.browser, rules)))
            visits = SiteVisits(browser, settings, True, rules)
            for site in inventory.sites():
                criteria = criteria_for(site)
                try:
                    capture = visits.visit(site.url, lambda c, s=site, cs=criteria: all(
                        x.is_ready(of_capture(c), s, settings) for x in cs)).capture
                except VisitError as err:
                    print(f"{site.url}: không đánh giá được ({err.kind}), không lưu")
                    continue
                print(f"{site.url}: {save(site, capture).name}")
            visits.close()


if __name__ == "__main__":
    main()
