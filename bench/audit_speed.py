"""Benchmark: the audit against a bare page load of the same sites, SPEED's cost, and how a national run scales.

    python3 -m bench.audit_speed [--components 60] [--shapes heavy,light] [--workers 1,2,auto]
                                 [--sizes 60,250,1000] [--growth-workers auto] [--repeat 3] [--latency 0.05]
                                 [--speed | --no-speed] [--speed-components 9] [--speed-engines service]
                                 [--national-components 3300] [--json FILE]

On a world of 1 portal + N component sites on which every criterion passes (bench/world.py), in each
page shape of --shapes (heavy: about 31 requests per page; light: 6), every response held back 50 ms,
for each worker count of --workers:

- the audit as auditors run it (`pytest -n W --alluredir ...`, default settings; 1 worker is
  `-n 0`) and the bare load of the same sites (bench/bare_load.py: the same Chromium and launch
  options, the same number of worker processes, a fresh context per site, until `load`), run one
  after the other, --repeat times each; the median of each, their ratio (audit / bare, the issue's
  target: at most 1.25) with each pair's ratio, sites per second, and the peak memory of each run's
  whole process tree; all of them in one table at the end (shape x workers);
- with --speed (default), SPEED's cost per site as a ratio to a bare load (bench/speed_cost.py's
  `measure`: `--criteria SPEED`, speed.runs 1, -n 1, on --speed-components heavy sites; target at most 4);
- then the audit's time (heavy pages) for each size of --sizes (components), a straight line through
  those times, and from that line the cost of a national run (56 portals + --national-components
  components) on 1, 2 and 8 machines each auditing one shard (--shard K/N) with the same workers.

Prints one line per measurement and a Markdown table for the README; --json FILE writes every run.
The measured processes run as on an auditor's machine: writing and reusing bytecode (as_installed).
Speed is measured here, never asserted in tests; run it on an otherwise idle machine."""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.memory import PeakMemory
from bench.world import HEAVY, LATENCY, SHAPES, Shape, build_bench_inventory, build_bench_sites, site_urls
from selftests.audit_runner import REPO, audit_command, write_inventory
from selftests.world.server import World

NATIONAL_PORTALS = 56
MACHINES = (1, 2, 8)


@dataclass(frozen=True)
class Workers:
    label: str  # as given: 1, 2, auto
    count: int  # processes (auto: xdist's own count on this machine)

    @property
    def pytest_arg(self) -> str:
        return "0" if self.count == 1 and self.label == "1" else self.label


def auto_workers() -> int:
    """The number of workers `-n auto` starts on this machine (xdist's own rule)."""
    from xdist.plugin import pytest_xdist_auto_num_workers

    return int(pytest_xdist_auto_num_workers(SimpleNamespace(option=SimpleNamespace(numprocesses="auto"))))


def parse_workers(text: str) -> Workers:
    if text == "auto":
        return Workers("auto", auto_workers())
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}': cần số tiến trình (1, 2, ...) hoặc auto")
    return Workers(text, int(text))


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mib)

    def to_json(self) -> dict[str, Any]:
        return {"seconds": [round(s, 2) for s in self.seconds], "median_s": round(self.median, 2),
                "peak_mib_per_run": [round(m) for m in self.peak_mib], "peak_mib": round(self.peak),
                "problems": self.problems}

    def shown(self) -> str:
        return "/".join(f"{s:.1f}" for s in self.seconds)


def as_installed() -> dict[str, str]:
    """The environment of a measured process: Python as an auditor's machine runs it, writing and
    reusing bytecode. A development shell that sets PYTHONDONTWRITEBYTECODE makes every process
    compile the project's modules again (the audit imports many more of them than the bare load);
    the bytecode goes to a folder outside the checkout, so the tree stays clean."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / f"portal-audit-bench-pyc-{os.getuid()}"))
    return env


def _timed(command: list[str], log: Path) -> tuple[float, float, int]:
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=as_installed())
        with PeakMemory(process.pid) as memory:
            returncode = process.wait()
    return time.monotonic() - started, memory.peak_mib, returncode


def audit_once(workdir: Path, inventory: Path, workers: Workers, resolve: list[str], runs: Runs) -> None:
    command = audit_command(workdir, inventory, "-n", workers.pytest_arg, *resolve, "--ignore-https-errors",
                            config=None)
    seconds, peak, returncode = _timed(command, workdir.parent / f"{workdir.name}.log")
    runs.seconds.append(seconds)
    runs.peak_mib.append(peak)
    try:
        records = json.loads((workdir / "results.json").read_text(encoding="utf-8"))["records"]
        bad = [r for r in records if r["status"] not in ("passed", "skipped")]
        if bad:
            runs.problems.append(f"{len(bad)} kết quả không đạt, ví dụ {bad[0]['site']} {bad[0]['criterion']}: "
                                 f"{bad[0]['message'][:120]}")
    except (OSError, ValueError, KeyError) as err:
        runs.problems.append(f"không đọc được results.json ({err}); exit {returncode}, xem {workdir}.log")


def bare_once(folder: Path, urls: Path, workers: Workers, resolve: list[str], runs: Runs, number: int,
              lighthouse_browser: bool = False) -> None:
    """One bare load (bench/bare_load.py), in the audit's Chromium or in Lighthouse's."""
    name = f"bare-{'lighthouse-' if lighthouse_browser else ''}{workers.label}-{number}"
    command = [sys.executable, "-m", "bench.bare_load", "--workers", str(workers.count), "--urls", str(urls),
               *resolve, "--ignore-https-errors", *(["--lighthouse-browser"] if lighthouse_browser else [])]
    seconds, peak, returncode = _timed(command, folder / f"{name}.log")
    runs.seconds.append(seconds)
    runs.peak_mib.append(peak)
    if returncode != 0:
        runs.problems.append(f"bare load exit {returncode}, xem {folder}/{name}.log")


def fit_line(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least squares: seconds = intercept + per_site * sites."""
    if len(points) < 2:
        sites, seconds = points[0]
        return 0.0, seconds / sites
    mean_x = statistics.fmean(p[0] for p in points)
    mean_y = statistics.fmean(p[1] for p in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)
    return mean_y - slope * mean_x, slope


def duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{max(minutes, 1)} min"


def measure_ratio(folder: Path, shape: Shape, inventory: Path, urls: Path, resolve: list[str], workers: Workers,
                  sites: int, repeat: int) -> tuple[dict[str, Any], Runs]:
    """The audit and the bare load of the same sites, one after the other, `repeat` times."""
    audit_runs, bare_runs = Runs(), Runs()
    for number in range(repeat):
        audit_once(folder / f"audit-{shape.name}-{workers.label}-{number}", inventory, workers, resolve, audit_runs)
        bare_once(folder, urls, workers, resolve, bare_runs, number)
    ratio = audit_runs.median / bare_runs.median
    # Each audit run is followed by its bare run: a pair shares the machine's load of the moment.
    pairs = [round(a / b, 3) for a, b in zip(audit_runs.seconds, bare_runs.seconds)]
    entry = {"shape": shape.name, "requests_per_page": shape.requests_per_page, "workers": workers.label,
             "count": workers.count, "sites": sites, "audit": audit_runs.to_json(), "bare": bare_runs.to_json(),
             "ratio": round(ratio, 3), "pair_ratios": pairs,
             "audit_sites_per_s": round(sites / audit_runs.median, 3),
             "bare_sites_per_s": round(sites / bare_runs.median, 3)}
    print(f"{shape.name} -n {workers.label} ({workers.count} workers), {sites} sites: audit {audit_runs.median:.1f} s "
          f"({audit_runs.shown()}), bare load {bare_runs.median:.1f} s ({bare_runs.shown()}) -> "
          f"ratio {ratio:.2f} (pairs {'/'.join(f'{r:.2f}' for r in pairs)}); {entry['audit_sites_per_s']:.2f} sites/s "
          f"(bare {entry['bare_sites_per_s']:.2f}); peak memory audit {audit_runs.peak:.0f} MiB, "
          f"bare {bare_runs.peak:.0f} MiB", flush=True)
    for problem in audit_runs.problems + bare_runs.problems:
        print(f"  warning: {problem}", flush=True)
    return entry, audit_runs


def ratio_table(entries: list[dict[str, Any]]) -> str:
    """One table of every ratio run: shape x workers, with the pairs behind each median."""
    lines = ["| Shape (requests/page) | Workers | Sites | Audit (s) | Bare load (s) | Ratio | Pairs |",
             "|---|---|---|---|---|---|---|"]
    for e in entries:
        lines.append(f"| {e['shape']} ({e['requests_per_page']}) | -n {e['workers']} | {e['sites']} | "
                     f"{e['audit']['median_s']:.1f} | {e['bare']['median_s']:.1f} | {e['ratio']:.2f} | "
                     f"{', '.join(f'{p:.2f}' for p in e['pair_ratios'])} |")
    return "\n".join(lines)


def speed_part(folder: Path, resolve: list[str], args: argparse.Namespace) -> list[dict[str, Any]]:
    """SPEED's cost per site as a ratio to a bare load (bench/speed_cost.py), on the heavy world."""
    from bench.speed_cost import measure  # imports this module: loaded only when used

    sites = args.speed_components + 1
    inventory = write_inventory(folder / "inventory-speed.yaml", build_bench_inventory(args.speed_components))
    urls = folder / "urls-speed.txt"
    urls.write_text("\n".join(site_urls(args.speed_components)) + "\n", encoding="utf-8")
    results = []
    for engine in [e.strip() for e in args.speed_engines.split(",") if e.strip()]:
        entry = measure(engine, folder, inventory, urls, resolve, args.repeat, sites)
        results.append(entry)
        print(f"SPEED engine={engine}, {sites} sites, -n 1, speed.runs 1: ratio to a bare load in Lighthouse's "
              f"Chromium {entry['ratio']:.2f} (pairs {', '.join(f'{p:.2f}' for p in entry['pair_ratios'])}), in the "
              f"audit's {entry['ratio_audit_browser']:.2f}; {entry['per_site_s']:.2f} s per site", flush=True)
        for problem in entry["audit"]["problems"] + entry["bare"]["problems"] + entry["bare_audit_browser"]["problems"]:
            print(f"  warning: {problem}", flush=True)
    return results


def growth_part(folder: Path, resolve: list[str], args: argparse.Namespace, sizes: list[int],
                growth_workers: Workers, measured: dict[int, Runs], report: dict[str, Any]) -> None:
    """The audit's time for each size (heavy pages), and from its straight line a national run."""
    points: list[tuple[int, float]] = []
    for components in sizes:
        if components == args.components and growth_workers.count in measured:
            runs = measured[growth_workers.count]
        else:
            runs = Runs()
            grown = write_inventory(folder / f"inventory-{components}.yaml", build_bench_inventory(components))
            for number in range(args.repeat):
                audit_once(folder / f"growth-{components}-{number}", grown, growth_workers, resolve, runs)
        points.append((components + 1, runs.median))
        report["growth"].append({"components": components, "sites": components + 1,
                                 "workers": growth_workers.label, "audit": runs.to_json(),
                                 "seconds_per_site": round(runs.median / (components + 1), 3)})
        print(f"growth -n {growth_workers.label}: {components + 1} sites in {runs.median:.1f} s "
              f"({runs.shown()}) = {runs.median / (components + 1):.2f} s/site; peak memory "
              f"{runs.peak:.0f} MiB", flush=True)
        for problem in runs.problems:
            print(f"  warning: {problem}", flush=True)
    intercept, per_site = fit_line(points)
    total = NATIONAL_PORTALS + args.national_components
    national = [{"machines": m, "sites_per_machine": math.ceil(total / m),
                 "seconds": round(intercept + per_site * math.ceil(total / m))} for m in MACHINES]
    report["fit"] = {"intercept_s": round(intercept, 2), "per_site_s": round(per_site, 4)}
    report["national"] = {"portals": NATIONAL_PORTALS, "components": args.national_components,
                          "workers_per_machine": growth_workers.label, "machines": national}
    table = [f"| Machines (-n {growth_workers.label} each) | Sites per machine | Estimated time |", "|---|---|---|"]
    table += [f"| {n['machines']} | {n['sites_per_machine']} | {duration(n['seconds'])} |" for n in national]
    report["markdown"] = "\n".join(table)
    print(f"fit: time = {intercept:.1f} s + {per_site:.3f} s x sites (-n {growth_workers.label})")
    if per_site <= 0:
        print("  warning: the time does not grow with the sites (sizes too small, or a busy machine): "
              "the estimate below means nothing")
    print(f"national run, {NATIONAL_PORTALS} portals + {args.national_components} components = {total} sites:")
    print(report["markdown"], flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python3 -m bench.audit_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=60, help="component sites of the ratio runs (default 60)")
    parser.add_argument("--shapes", default="heavy,light",
                        help=f"page shapes of the ratio runs, comma-separated ({', '.join(SHAPES)}; default both)")
    parser.add_argument("--workers", default="1,2,auto", help="worker counts, comma-separated (default 1,2,auto)")
    parser.add_argument("--sizes", default="60,250,1000",
                        help="components of the growth runs, heavy pages (default 60,250,1000; empty: none)")
    parser.add_argument("--growth-workers", default="auto", help="workers of the growth runs (default auto)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is used")
    parser.add_argument("--latency", type=float, default=LATENCY, help="seconds every response is held back")
    parser.add_argument("--speed", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure SPEED's cost per site (bench/speed_cost.py; default on)")
    parser.add_argument("--speed-components", type=int, default=9, help="component sites of the SPEED runs (default 9)")
    parser.add_argument("--speed-engines", default="service", help="speed.engine values of the SPEED runs")
    parser.add_argument("--national-components", type=int, default=3300,
                        help="component sites of the national run estimate (default 3300)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every measurement as JSON")
    args = parser.parse_args(argv)
    for name in (s.strip() for s in args.shapes.split(",") if s.strip()):
        if name not in SHAPES:
            parser.error(f"--shapes: '{name}' không có; chọn trong {', '.join(SHAPES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    shapes = [SHAPES[s.strip()] for s in dict.fromkeys(args.shapes.split(",")) if s.strip()]
    workers = list(dict.fromkeys(parse_workers(w.strip()) for w in args.workers.split(",") if w.strip()))
    growth_workers = parse_workers(args.growth_workers)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    sites = args.components + 1
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "auto_workers": auto_workers(), "platform": platform.platform(),
                    "python": platform.python_version(), "load_average": os.getloadavg()},
        "world": {"portal": 1, "components": args.components, "latency_s": args.latency,
                  "shapes": {s.name: s.requests_per_page for s in shapes}},
        "repeat": args.repeat, "throughput": [], "growth": [], "speed": []}
    print(f"world: 1 portal + {args.components} components = {sites} sites, shapes "
          f"{', '.join(f'{s.name} (~{s.requests_per_page} requests per page)' for s in shapes)}, "
          f"{args.latency * 1000:.0f} ms per response; median of {args.repeat} run(s) each; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="portal-audit-bench-") as tmp:
        folder = Path(tmp)
        measured: dict[int, Runs] = {}
        for shape in dict.fromkeys([*shapes, *([HEAVY] if sizes or args.speed else [])]):
            largest = max([args.components, *(sizes if shape is HEAVY else []),
                           *([args.speed_components] if shape is HEAVY and args.speed else [])])
            with World(build_bench_sites(largest, args.latency, shape), folder / f"world-{shape.name}") as world:
                resolve = world.resolve_args()
                if shape in shapes:
                    inventory = write_inventory(folder / f"inventory-{shape.name}.yaml",
                                                build_bench_inventory(args.components))
                    urls = folder / f"urls-{shape.name}.txt"
                    urls.write_text("\n".join(site_urls(args.components)) + "\n", encoding="utf-8")
                    by_count: dict[int, dict[str, Any]] = {}
                    for w in workers:
                        if w.count not in by_count:
                            by_count[w.count], runs = measure_ratio(folder, shape, inventory, urls, resolve, w,
                                                                     sites, args.repeat)
                            if shape is HEAVY:
                                measured[w.count] = runs
                        else:
                            print(f"{shape.name} -n {w.label} ({w.count} workers): as above", flush=True)
                        report["throughput"].append({**by_count[w.count], "workers": w.label})
                if shape is HEAVY and args.speed:
                    report["speed"] = speed_part(folder, resolve, args)
                if shape is HEAVY and sizes:
                    growth_part(folder, resolve, args, sizes, growth_workers, measured, report)
    print(f"\naudit / bare load (median of {args.repeat}; target at most 1.25), load average now "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}:")
    report["ratio_markdown"] = ratio_table(report["throughput"])
    print(report["ratio_markdown"])
    for entry in report["speed"]:
        print(f"SPEED ({entry['engine']}, -n 1, speed.runs 1, {entry['sites']} sites): {entry['ratio']:.2f} x a bare "
              f"load in the Chromium Lighthouse measures in (target at most 4; pairs "
              f"{', '.join(f'{p:.2f}' for p in entry['pair_ratios'])}); {entry['ratio_audit_browser']:.2f} x a bare "
              "load in the audit's own")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
