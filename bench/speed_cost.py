"""Benchmark: what page speed (criterion SPEED) costs per site, as a ratio to a bare page load.

    python3 -m bench.speed_cost [--components 9] [--engines service,cli] [--repeat 3]
                                [--national-sites 3356] [--national-runs 3] [--json FILE]

On the benchmark's world (bench/world.py: 1 portal + N components, ~31 requests per page, 50 ms per
response), for each engine of speed.engine: the audit as auditors run it with `--criteria SPEED`,
`speed.runs: 1`, at `-n 1` (`-n 0`), and the bare load of the same sites (bench/bare_load.py, one
worker), one after the other, --repeat times; the ratio of the medians (the issue's target: at most
4) with each pair's ratio, the seconds per site, and from those the national 2025 run
(--national-sites sites, speed.runs: --national-runs, runs never overlapping on one machine).
Speed is measured here, never asserted in tests; run it on an otherwise idle machine."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from bench.audit_speed import Runs, Workers, _timed, bare_once, duration
from bench.world import LATENCY, build_bench_inventory, build_bench_sites, site_urls
from selftests.audit_runner import audit_command, write_inventory
from selftests.world.server import World

ONE = Workers("1", 1)


def speed_once(folder: Path, inventory: Path, engine: str, resolve: list[str], runs: Runs, number: int) -> None:
    config = folder / f"speed-{engine}.yaml"
    config.write_text(f"speed:\n  runs: 1\n  engine: {engine}\n", encoding="utf-8")
    workdir = folder / f"audit-{engine}-{number}"
    command = audit_command(workdir, inventory, "-n", "0", "--criteria", "SPEED", *resolve, "--ignore-https-errors",
                            config=config)
    seconds, peak, returncode = _timed(command, folder / f"audit-{engine}-{number}.log")
    runs.seconds.append(seconds)
    runs.peak_mib.append(peak)
    try:
        records = json.loads((workdir / "results.json").read_text(encoding="utf-8"))["records"]
        unmeasured = [r for r in records if r["status"] not in ("passed", "failed")]
        if unmeasured:
            runs.problems.append(f"{len(unmeasured)} trang không đo được, ví dụ {unmeasured[0]['message'][:160]}")
    except (OSError, ValueError, KeyError) as err:
        runs.problems.append(f"không đọc được results.json ({err}); exit {returncode}")


def measure(engine: str, folder: Path, inventory: Path, urls: Path, resolve: list[str], repeat: int,
            sites: int) -> dict[str, Any]:
    audit, bare = Runs(), Runs()
    for number in range(repeat):
        speed_once(folder, inventory, engine, resolve, audit, number)
        bare_once(folder, urls, ONE, resolve, bare, number)
    pairs = [round(a / b, 2) for a, b in zip(audit.seconds, bare.seconds)]
    return {"engine": engine, "sites": sites, "audit": audit.to_json(), "bare": bare.to_json(),
            "ratio": round(audit.median / bare.median, 2), "pair_ratios": pairs,
            "per_site_s": round(audit.median / sites, 2), "shown": (audit.shown(), bare.shown())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.speed_cost", description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=9, help="component sites (default 9: 10 sites)")
    parser.add_argument("--engines", default="service,cli", help="speed.engine values, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is used")
    parser.add_argument("--national-sites", type=int, default=3356, help="sites of the national 2025 run")
    parser.add_argument("--national-runs", type=int, default=3, help="speed.runs of the national run")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every measurement as JSON")
    args = parser.parse_args(argv)
    sites = args.components + 1
    results = []
    with tempfile.TemporaryDirectory(prefix="portal-audit-speed-") as tmp:
        folder = Path(tmp)
        with World(build_bench_sites(args.components, LATENCY), folder / "world") as world:
            resolve = world.resolve_args()
            inventory = write_inventory(folder / "inventory.yaml", build_bench_inventory(args.components))
            urls = folder / "urls.txt"
            urls.write_text("\n".join(site_urls(args.components)) + "\n", encoding="utf-8")
            for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
                entry = measure(engine, folder, inventory, urls, resolve, args.repeat, sites)
                results.append(entry)
                print(f"SPEED engine={engine}, {sites} sites, -n 1, speed.runs 1: audit {entry['shown'][0]} s, "
                      f"bare {entry['shown'][1]} s; ratio (median of {args.repeat}) {entry['ratio']:.2f} "
                      f"(pairs {', '.join(f'{p:.2f}' for p in entry['pair_ratios'])}); "
                      f"{entry['per_site_s']:.2f} s per site", flush=True)
                for problem in entry["audit"]["problems"] + entry["bare"]["problems"]:
                    print(f"  ! {problem}", flush=True)
    print("\n| speed.engine | audit -n 1 (s) | bare (s) | ratio | per site | national 2025 (3 runs) |\n|---|---|---|---|---|---|")
    for entry in results:
        # A national run pays one speed measurement per run and site, never overlapping: the per-site
        # cost at runs: 1 less one bare load, times the runs, plus that load once.
        bare_site = entry["bare"]["median_s"] / entry["sites"]
        per_run = max(entry["per_site_s"] - bare_site, 0.0)
        national = args.national_sites * (bare_site + args.national_runs * per_run)
        entry["national_s"] = round(national)
        print(f"| {entry['engine']} | {entry['audit']['median_s']:.1f} | {entry['bare']['median_s']:.1f} | "
              f"{entry['ratio']:.2f} | {entry['per_site_s']:.2f} s | {duration(national)} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if all(not (e["audit"]["problems"] or e["bare"]["problems"]) for e in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
