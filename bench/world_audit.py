"""Benchmark: the audit of the simulated world, seconds per site and peak memory, per profile.

    python3 -m bench.world_audit [--profile 2024] [--profile 2025] [-n 0 -n 2 ...] [--speed-runs N]
                                 [--compliant] [--repeat N]

Profile 2024 audits the catalog world (selftests/world/catalog.py) with criteria 3.1-3.2c; profile
2025 audits the 2025 world (selftests/world/profile_2025.py, its own CA trusted) with every criterion,
Lighthouse `--speed-runs` times per site (default 3, as a real audit). Speed and memory are measured
here, never asserted in tests. Prints one line per run: profile, workers, sites, wall time, seconds
per site, the peak RSS of the largest process so far; for 2025 also the Lighthouse runs and their
mean length (Lighthouse runs one at a time per machine, so they add up whatever -n is).
`--compliant` audits only the catalog's sites on which every criterion passes (the time an audit
spends on sites that are already right); `--repeat N` runs each measurement N times and prints the
median."""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
from pathlib import Path

from selftests.audit_runner import WORLD_CONFIG, AuditRun, run_audit, write_inventory
from selftests.world import catalog, profile_2025
from selftests.world.server import World


def _line(profile: str, workers: str, sites: int, run: AuditRun) -> str:
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    text = (f"--profile {profile} -n {workers}: {sites} sites in {run.seconds:.1f} s = {run.seconds / sites:.2f} s/site; "
            f"peak RSS of the largest process so far {peak_mb:.0f} MiB; exit {run.returncode}")
    runs = [r for rec in run.results["records"] if rec["criterion"] == "SPEED"
            for r in rec["evidence"].get("runs", [])]
    if runs:
        seconds = sum(r["seconds"] for r in runs)
        text += f"; Lighthouse {len(runs)} runs, {seconds:.0f} s in all, {seconds / len(runs):.1f} s/run"
    return text


def _passes(url: str) -> bool:
    statuses = [status for (site, _), status in catalog.EXPECTED.items() if site == url]
    return bool(statuses) and all(status in ("passed", "skipped") for status in statuses)


def compliant_inventory(inventory: dict) -> dict:
    """The portals whose own criteria all pass, each with only its compliant component sites (so that
    3.2b, judged over the listed components, passes as well)."""
    portals = []
    for portal in inventory["portals"]:
        components = [c for c in portal.get("components", []) if _passes(c["url"])]
        own = {c: s for (site, c), s in catalog.EXPECTED.items() if site == portal["url"] and c != "3.2b"}
        if own and all(s == "passed" for s in own.values()):
            portals.append({**portal, "components": components})
    return {"portals": portals}


def _median_line(profile: str, workers: str, sites: int, times: list[float]) -> str:
    median = statistics.median(times)
    return (f"--profile {profile} -n {workers}: median of {len(times)} runs {median:.1f} s = {median / sites:.2f} s/site "
            f"(runs: {', '.join(f'{t:.1f}' for t in times)})")


def bench_2024(tmp: Path, workers: list[str], compliant: bool, repeat: int) -> None:
    inventory_data = catalog.build_inventory()
    if compliant:
        inventory_data = compliant_inventory(inventory_data)
    sites = sum(1 + len(p.get("components", [])) for p in inventory_data["portals"])
    with World(catalog.build_sites(), tmp / "world-2024") as world:
        inventory = write_inventory(tmp / "inventory-2024.yaml", inventory_data)
        for n in workers:
            times = []
            for attempt in range(repeat):
                run = run_audit(tmp / f"run-2024-{n}-{attempt}", inventory, "-n", n, "--profile", "2024",
                                *world.resolve_args(catalog.EXTRA_RESOLVE), "--ignore-https-errors")
                times.append(run.seconds)
                print(_line("2024", n, sites, run), flush=True)
            if repeat > 1:
                print(_median_line("2024", n, sites, times), flush=True)


def bench_2025(tmp: Path, workers: list[str], speed_runs: int) -> None:
    inventory_data = profile_2025.build_inventory()
    sites = sum(1 + len(p.get("components", [])) for p in inventory_data["portals"])
    with World(profile_2025.build_sites(), tmp / "world-2025", ca=True) as world:
        inventory = write_inventory(tmp / "inventory-2025.yaml", inventory_data)
        config = tmp / "audit-2025.yaml"
        config.write_text(world.settings(WORLD_CONFIG) + f"https:\n  extra_ca_file: \"{world.ca_file}\"\n"
                          f"speed:\n  runs: {speed_runs}\n", encoding="utf-8")
        for n in workers:
            # Certificate errors are the HTTPS criterion's to judge; the pages still load, as in the tests.
            run = run_audit(tmp / f"run-2025-{n}", inventory, "-n", n, "--profile", "2025",
                            *world.resolve_args(), "--ignore-https-errors", config=config, timeout=7200)
            print(_line("2025", n, sites, run), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", dest="workers", action="append", default=None,
                        help="xdist workers per run (repeatable; default: 0 and 2)")
    parser.add_argument("--profile", action="append", choices=("2024", "2025"), default=None,
                        help="profiles to measure (repeatable; default: both)")
    parser.add_argument("--speed-runs", type=int, default=3, help="Lighthouse runs per site in profile 2025")
    parser.add_argument("--compliant", action="store_true",
                        help="profile 2024: only the sites on which every criterion passes")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement (the median is printed)")
    args = parser.parse_args()
    workers = args.workers or ["0", "2"]
    with tempfile.TemporaryDirectory() as tmp:
        for profile in args.profile or ["2024", "2025"]:
            if profile == "2024":
                bench_2024(Path(tmp), workers, args.compliant, args.repeat)
            else:
                bench_2025(Path(tmp), workers, args.speed_runs)


if __name__ == "__main__":
    main()
