"""Benchmark: the audit of the simulated world, seconds per site and peak memory.

    python3 -m bench.world_audit [-n 0 -n 2 ...] [--compliant] [--repeat N]

Speed and memory are measured here, never asserted in tests. Prints one line per run:
workers, sites, wall time, seconds per site, and the peak RSS of the largest process of the run
(the pytest workers or a Chromium process). `--compliant` audits only the sites on which every
criterion passes (the time an audit spends on sites that are already right); `--repeat N` runs
each worker count N times and prints the median."""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
from pathlib import Path

from selftests.audit_runner import run_audit, write_inventory
from selftests.world.catalog import EXPECTED, EXTRA_RESOLVE, build_inventory, build_sites
from selftests.world.server import World


def _passes(url: str) -> bool:
    statuses = [status for (site, _), status in EXPECTED.items() if site == url]
    return bool(statuses) and all(status in ("passed", "skipped") for status in statuses)


def compliant_inventory(inventory: dict) -> dict:
    """The portals whose own criteria all pass, each with only its compliant component sites (so that
    3.2b, judged over the listed components, passes as well)."""
    portals = []
    for portal in inventory["portals"]:
        components = [c for c in portal.get("components", []) if _passes(c["url"])]
        own = {c: s for (site, c), s in EXPECTED.items() if site == portal["url"] and c != "3.2b"}
        if own and all(s == "passed" for s in own.values()):
            portals.append({**portal, "components": components})
    return {"portals": portals}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", dest="workers", action="append", default=None,
                        help="xdist workers per run (repeatable; default: 0 and 2)")
    parser.add_argument("--compliant", action="store_true", help="only the sites on which every criterion passes")
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (the median is printed)")
    args = parser.parse_args()
    inventory_data = build_inventory()
    if args.compliant:
        inventory_data = compliant_inventory(inventory_data)
    sites = sum(1 + len(p.get("components", [])) for p in inventory_data["portals"])
    with tempfile.TemporaryDirectory() as tmp, World(build_sites(), Path(tmp) / "world") as world:
        inventory = write_inventory(Path(tmp) / "inventory.yaml", inventory_data)
        for workers in args.workers or ["0", "2"]:
            times = []
            for attempt in range(args.repeat):
                run = run_audit(Path(tmp) / f"run-{workers}-{attempt}", inventory, "-n", workers,
                                *world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors")
                times.append(run.seconds)
                peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                print(f"-n {workers}: {sites} sites in {run.seconds:.1f} s = {run.seconds / sites:.2f} s/site; "
                      f"peak RSS of the largest process so far {peak_mb:.0f} MiB; exit {run.returncode}", flush=True)
            if args.repeat > 1:
                median = statistics.median(times)
                print(f"-n {workers}: median of {args.repeat} runs {median:.1f} s = {median / sites:.2f} s/site "
                      f"(runs: {', '.join(f'{t:.1f}' for t in times)})", flush=True)


if __name__ == "__main__":
    main()
