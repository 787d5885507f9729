"""The bare page load the audit is compared with: each site's homepage loaded in a fresh context of
the same Chromium (the audit's launch options and context settings; with --lighthouse-browser, the
Chromium Lighthouse measures in, which is the full browser where the audit runs the headless shell),
until the `load` event, by
the same number of worker processes as the audit's xdist workers, each starting its own browser
and taking the next site from a shared queue. Nothing else: no probing, no screenshots, no waiting
for late content, no results.

    python3 -m bench.bare_load --workers N --urls FILE [--resolve PATTERN=ADDRESS ...] [--ignore-https-errors]
                               [--lighthouse-browser]

Prints one line: sites loaded, failed, seconds. Run as a subprocess by bench.audit_speed, so that
its time includes starting Python, Playwright and the browsers, as the audit's does."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from portal_audit.settings import load_settings
from portal_audit.visit import launch_options, lighthouse_chromium, parse_rule
from portal_audit.visit.browser import new_context


def _load_sites(urls: "multiprocessing.Queue[str | None]", resolve: list[str], ignore_https_errors: bool,
                outcome: "multiprocessing.Queue[tuple[int, int]]", lighthouse_browser: bool = False) -> None:
    settings = load_settings()
    loaded = failed = 0
    with sync_playwright() as playwright:
        options = launch_options(playwright, settings.browser, tuple(parse_rule(r) for r in resolve))
        if lighthouse_browser:
            options["executable_path"] = lighthouse_chromium(playwright, settings.browser, options)
        browser = playwright.chromium.launch(**options)
        while (url := urls.get()) is not None:
            context = new_context(browser, settings.visit, ignore_https_errors)
            try:
                context.new_page().goto(url, wait_until="load", timeout=60_000)
                loaded += 1
            except PlaywrightError:
                failed += 1
            finally:
                context.close()
        browser.close()
    outcome.put((loaded, failed))


def bare_load(urls: list[str], workers: int, resolve: list[str], ignore_https_errors: bool,
              lighthouse_browser: bool = False) -> dict[str, Any]:
    started = time.monotonic()
    context = multiprocessing.get_context("spawn")
    todo: "multiprocessing.Queue[str | None]" = context.Queue()
    for item in [*urls, *([None] * max(1, workers))]:  # one end mark per worker
        todo.put(item)
    outcome: "multiprocessing.Queue[tuple[int, int]]" = context.Queue()
    if workers <= 1:
        _load_sites(todo, resolve, ignore_https_errors, outcome, lighthouse_browser)
    else:
        processes = [context.Process(target=_load_sites,
                                     args=(todo, resolve, ignore_https_errors, outcome, lighthouse_browser))
                     for _ in range(workers)]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
    totals = [outcome.get() for _ in range(max(1, workers))]
    return {"loaded": sum(t[0] for t in totals), "failed": sum(t[1] for t in totals),
            "seconds": time.monotonic() - started}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.bare_load", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--urls", type=Path, required=True, help="a file with one URL a line")
    parser.add_argument("--resolve", action="append", default=[])
    parser.add_argument("--ignore-https-errors", action="store_true")
    parser.add_argument("--lighthouse-browser", action="store_true", help="load in the Chromium Lighthouse measures in")
    args = parser.parse_args()
    urls = [line.strip() for line in args.urls.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = bare_load(urls, args.workers, args.resolve, args.ignore_https_errors, args.lighthouse_browser)
    print(f"bare load: {result['loaded']} loaded, {result['failed']} failed, {result['seconds']:.2f} s")
    return 0 if result["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
