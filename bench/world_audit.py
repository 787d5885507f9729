"""Benchmark: the audit of the simulated world, seconds per site and peak memory.

    python3 -m bench.world_audit [-n 0 -n 2 ...]

Speed and memory are measured here, never asserted in tests. Prints one line per run:
workers, sites, wall time, seconds per site, and the peak RSS of the largest process of the run
(the pytest workers or a Chromium process)."""

from __future__ import annotations

import argparse
import resource
import tempfile
from pathlib import Path

from selftests.audit_runner import run_audit, write_inventory
from selftests.world.catalog import EXTRA_RESOLVE, build_inventory, build_sites
from selftests.world.server import World


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", dest="workers", action="append", default=None,
                        help="xdist workers per run (repeatable; default: 0 and 2)")
    args = parser.parse_args()
    inventory_data = build_inventory()
    sites = sum(1 + len(p.get("components", [])) for p in inventory_data["portals"])
    with tempfile.TemporaryDirectory() as tmp, World(build_sites(), Path(tmp) / "world") as world:
        inventory = write_inventory(Path(tmp) / "inventory.yaml", inventory_data)
        for workers in args.workers or ["0", "2"]:
            run = run_audit(Path(tmp) / f"run-{workers}", inventory, "-n", workers,
                            *world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors")
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"-n {workers}: {sites} sites in {run.seconds:.1f} s = {run.seconds / sites:.2f} s/site; "
                  f"peak RSS of the largest process so far {peak_mb:.0f} MiB; exit {run.returncode}")


if __name__ == "__main__":
    main()
