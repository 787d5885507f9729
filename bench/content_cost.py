"""Benchmark: what criteria CONTENT and RATING cost per site, next to the 2024 profile.

    python3 -m bench.content_cost [--repeat 1] [--json FILE]

On the content world of the self-tests (selftests/world/content_sites.py: 5 sites, portals and
components of a province and a ministry, 2 to 9 item pages each, one site missing items so that
the visit acts on its page), with the audit's default settings (real time limits) and one worker:
the 2024 profile (3.1, 3.2a-c), CONTENT and RATING alone, and both together (one visit per site
shared). Prints seconds per site of each, the median of --repeat runs. Measured, never asserted."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from selftests.audit_runner import REPO, audit_command, write_inventory
from selftests.world.content_sites import build_inventory, build_sites
from selftests.world.server import World

RUNS = {"2024": ("--profile", "2024"), "CONTENT,RATING": ("--criteria", "CONTENT,RATING"),
        "2024+CONTENT,RATING": ("--criteria", "3.1,3.2a,3.2b,3.2c,CONTENT,RATING")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.content_cost", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    sites = sum(1 + len(p["components"]) for p in build_inventory()["portals"])
    found: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="content-cost-") as tmp, World(build_sites(), Path(tmp) / "world") as world:
        inventory = write_inventory(Path(tmp) / "inventory.yaml", build_inventory())
        for name, selection in RUNS.items():
            for number in range(args.repeat):
                workdir = Path(tmp) / f"{name}-{number}"
                command = audit_command(workdir, inventory, "-n", "0", *selection, *world.resolve_args(),
                                        "--ignore-https-errors", config=None)
                started = time.monotonic()
                subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
                found.setdefault(name, []).append(time.monotonic() - started)
            median = statistics.median(found[name])
            print(f"{name:22s} {sites} sites, 1 worker: {median:6.1f} s, {median / sites:5.1f} s/site", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"sites": sites, "seconds": found}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
