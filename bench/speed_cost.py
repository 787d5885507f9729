"""Benchmark: what page speed (criterion SPEED) costs per site, as a ratio to a bare page load,
and what a national 2025 run costs, measured rather than assumed.

    python3 -m bench.speed_cost [--components 9] [--engines service,cli] [--repeat 3]
                                [--national-sites 3356] [--national-runs 3] [--national-workers 2]
                                [--national-clear-factor F] [--no-national] [--json FILE]

On the benchmark's world (bench/world.py: 1 portal + N components, ~31 requests per page, 50 ms per
response), for each engine of speed.engine:

- the ratio: the audit as auditors run it with `--criteria SPEED`, `speed.runs: 1`, at `-n 1`
  (`-n 0`), and the bare load of the same sites (bench/bare_load.py, one worker) in the Chromium
  Lighthouse loads them in, one after the other, --repeat times; the ratio of the medians (the
  issue's target: at most 4) with each pair's; and the ratio to a bare load in the audit's own
  Chromium, which is lighter where the audit runs the headless shell;
- the national run: `--criteria SPEED` with the default speed.runs (--national-runs) and
  speed.clear_factor (or --national-clear-factor) at `-n 2` (--national-workers) on the same sites,
  --repeat times. Lighthouse's runs never overlap (the machine lock) but the other worker's visits
  go on meanwhile, so a run costs about max(Lighthouse's runs, visits), not their sum: measured here
  as seconds per site, and the national estimate is --national-sites × that (printed with its formula).

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


def speed_once(folder: Path, inventory: Path, engine: str, resolve: list[str], runs: Runs, number: int, *,
               speed: str = "  runs: 1\n", workers: str = "0", name: str = "audit") -> list[int]:
    """One audit `--criteria SPEED` (speed settings `speed`, `-n workers`); the Lighthouse runs
    measured per site."""
    config = folder / f"{name}-{engine}.yaml"
    config.write_text(f"speed:\n{speed}  engine: {engine}\n", encoding="utf-8")
    workdir = folder / f"{name}-{engine}-{number}"
    command = audit_command(workdir, inventory, "-n", workers, "--criteria", "SPEED", *resolve,
                            "--ignore-https-errors", config=config)
    seconds, peak, returncode = _timed(command, folder / f"{name}-{engine}-{number}.log")
    runs.seconds.append(seconds)
    runs.peak_mib.append(peak)
    try:
        records = json.loads((workdir / "results.json").read_text(encoding="utf-8"))["records"]
        unmeasured = [r for r in records if r["status"] not in ("passed", "failed")]
        if unmeasured:
            runs.problems.append(f"{len(unmeasured)} trang không đo được, ví dụ {unmeasured[0]['message'][:160]}")
        return [len((r.get("evidence") or {}).get("runs") or []) for r in records]
    except (OSError, ValueError, KeyError) as err:
        runs.problems.append(f"không đọc được results.json ({err}); exit {returncode}")
        return []


def measure(engine: str, folder: Path, inventory: Path, urls: Path, resolve: list[str], repeat: int,
            sites: int) -> dict[str, Any]:
    """The ratio is to a bare load in the Chromium Lighthouse loads the pages in (the full browser
    where the audit runs the headless shell); the ratio to a bare load in the audit's own is kept too."""
    audit, bare, audit_browser = Runs(), Runs(), Runs()
    for number in range(repeat):
        speed_once(folder, inventory, engine, resolve, audit, number)
        bare_once(folder, urls, ONE, resolve, bare, number, lighthouse_browser=True)
        bare_once(folder, urls, ONE, resolve, audit_browser, number)
    pairs = [round(a / b, 2) for a, b in zip(audit.seconds, bare.seconds)]
    return {"engine": engine, "sites": sites, "audit": audit.to_json(), "bare": bare.to_json(),
            "bare_audit_browser": audit_browser.to_json(), "ratio": round(audit.median / bare.median, 2),
            "ratio_audit_browser": round(audit.median / audit_browser.median, 2), "pair_ratios": pairs,
            "per_site_s": round(audit.median / sites, 2), "shown": (audit.shown(), bare.shown())}


def national(engine: str, folder: Path, inventory: Path, resolve: list[str], repeat: int, sites: int,
             workers: int, clear_factor: float | None) -> dict[str, Any]:
    """The national run's cost per site, measured: `--criteria SPEED` at -n `workers` with the
    default speed.runs and speed.clear_factor (unless `clear_factor`)."""
    audit, lighthouse_runs = Runs(), []
    speed = "" if clear_factor is None else f"  clear_factor: {clear_factor:g}\n"
    for number in range(repeat):
        lighthouse_runs += speed_once(folder, inventory, engine, resolve, audit, number, speed=speed,
                                      workers=str(workers), name=f"national-n{workers}")
    return {"engine": engine, "sites": sites, "workers": workers, "clear_factor": clear_factor,
            "audit": audit.to_json(), "per_site_s": round(audit.median / sites, 2),
            "lighthouse_runs_per_site": round(sum(lighthouse_runs) / max(len(lighthouse_runs), 1), 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.speed_cost", description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=9, help="component sites (default 9: 10 sites)")
    parser.add_argument("--engines", default="service,cli", help="speed.engine values, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is used")
    parser.add_argument("--national-sites", type=int, default=3356, help="sites of the national 2025 run")
    parser.add_argument("--national-runs", type=int, default=3, help="speed.runs of the national run")
    parser.add_argument("--national-workers", type=int, default=2, help="workers of the national run (default 2)")
    parser.add_argument("--national-clear-factor", type=float, default=None,
                        help="speed.clear_factor of the national run (default: the settings', 2; 0: every run)")
    parser.add_argument("--no-national", action="store_true", help="only the ratio at -n 1")
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
                      f"bare in Lighthouse's Chromium {entry['shown'][1]} s; ratio (median of {args.repeat}) "
                      f"{entry['ratio']:.2f} (pairs {', '.join(f'{p:.2f}' for p in entry['pair_ratios'])}), to a bare "
                      f"load in the audit's Chromium {entry['ratio_audit_browser']:.2f}; "
                      f"{entry['per_site_s']:.2f} s per site", flush=True)
                for problem in entry["audit"]["problems"] + entry["bare"]["problems"] + \
                        entry["bare_audit_browser"]["problems"]:
                    print(f"  ! {problem}", flush=True)
                if not args.no_national:
                    entry["national"] = national(engine, folder, inventory, resolve, args.repeat, sites,
                                                 args.national_workers, args.national_clear_factor)
                    run = entry["national"]
                    print(f"SPEED engine={engine}, {sites} sites, -n {args.national_workers}, default speed.runs"
                          f"{'' if args.national_clear_factor is None else f', clear_factor {args.national_clear_factor:g}'}: "
                          f"{run['audit']['seconds']} s (median {run['audit']['median_s']:.1f}); "
                          f"{run['per_site_s']:.2f} s per site, {run['lighthouse_runs_per_site']:.2f} Lighthouse runs per site",
                          flush=True)
                    for problem in run["audit"]["problems"]:
                        print(f"  ! {problem}", flush=True)
    print("\n| speed.engine | audit -n 1 (s) | bare (s) | ratio | per site | national 2025, measured | "
          "national 2025, from -n 1 |\n|---|---|---|---|---|---|---|")
    for entry in results:
        # From the -n 1 measurement, as before (no overlap at all): the per-site cost at runs: 1 less
        # one bare load, times the runs, plus that load once. An upper bound: -n 2 overlaps the visits.
        bare_site = entry["bare"]["median_s"] / entry["sites"]
        per_run = max(entry["per_site_s"] - bare_site, 0.0)
        serial = args.national_sites * (bare_site + args.national_runs * per_run)
        entry["national_serial_s"] = round(serial)
        measured = entry.get("national")
        if measured:  # the national run itself, at -n 2: its seconds per site times the sites
            measured["estimate_s"] = round(args.national_sites * measured["per_site_s"])
        print(f"| {entry['engine']} | {entry['audit']['median_s']:.1f} | {entry['bare']['median_s']:.1f} | "
              f"{entry['ratio']:.2f} | {entry['per_site_s']:.2f} s | "
              f"{duration(measured['estimate_s']) if measured else '-'} | {duration(serial)} |")
    for entry in results:
        if entry.get("national"):
            run = entry["national"]
            print(f"national ({entry['engine']}) = {args.national_sites} sites × {run['per_site_s']:.2f} s per site "
                  f"(median of {args.repeat} runs of --criteria SPEED -n {run['workers']} on {run['sites']} sites, "
                  f"{run['lighthouse_runs_per_site']:.2f} Lighthouse runs per site) = {duration(run['estimate_s'])}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    problems = [p for e in results for p in e["audit"]["problems"] + e["bare"]["problems"]
                + (e.get("national") or {}).get("audit", {}).get("problems", [])]
    return 0 if not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
