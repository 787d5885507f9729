"""Page speed (criterion SPEED): npm Lighthouse, mobile profile with simulated throttling, on the
audit's Chromium, `speed.runs` times; per metric the median of the runs that measured it. Runs go
to the worker's long-lived Lighthouse service (speed.engine: service, portal_audit.visit.
lighthouse_service: Node API, one browser kept up, only the metrics' audits) or, with
speed.engine: cli or when the service cannot start, to the lighthouse CLI (a process and a
browser per run). Both get the same flags and give the same report.

Lighthouse runs one at a time per machine (an exclusive lock on a file every worker and every audit
of the machine shares): parallel runs slow each other down and distort exactly what is measured.
--resolve reaches Lighthouse's Chromium as host-resolver rules, --ignore-https-errors as its flag,
the extra CA of the settings through its NSS database (portal_audit.visit.trust); literal internal
addresses are blocked, as the network guard does for the visit."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import statistics
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from portal_audit.evidence.artifacts import LighthouseResult, LighthouseRun
from portal_audit.settings import Settings, SpeedSettings
from portal_audit.network.resolve import ResolveRule, chromium_rules
from portal_audit.visit.lighthouse_service import BenchmarkMemo, LighthouseService, ServiceUnavailable, kill_marked
from portal_audit.visit.tools import ToolMissing, lighthouse_command

# Lighthouse's audit ids of the four metrics of the 2025 criteria.
METRICS = {"fcp": "first-contentful-paint", "lcp": "largest-contentful-paint", "speed_index": "speed-index",
           "tbt": "total-blocking-time"}
# What the service runs: the four metrics, and CLS so that the performance score (reported, not
# judged) weighs the same five metrics as a full run's.
SERVICE_AUDITS = (*METRICS.values(), "cumulative-layout-shift")
LOCK_NAME = "portal-audit-lighthouse.lock"
# Literal loopback, private, link-local and shared (100.64.0.0/10: carrier NAT, cloud metadata)
# addresses, and the IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4; blocked
# whole: a glob cannot look inside them, and pages do not link such literals): the pages measured
# must not reach the auditor's own network (hosts mapped with --resolve are names, and stay reachable).
INTERNAL_PATTERNS = ("*://localhost*", "*://127.*", "*://0.0.0.0*", "*://10.*", "*://192.168.*", "*://169.254.*",
                     "*://[::1]*", "*://[fc*", "*://[fd*", "*://[fe80:*", "*://[::ffff:*", "*://[64:ff9b:*",
                     "*://[2002:*", *(f"*://172.{n}.*" for n in range(16, 32)),
                     *(f"*://100.{n}.*" for n in range(64, 128)))


class LighthouseError(Exception):
    """Lighthouse gave no measurement; str() is the reason (Vietnamese)."""


def lock_path(configured: str) -> Path:
    return Path(configured) if configured else Path(tempfile.gettempdir()) / LOCK_NAME


@contextmanager
def machine_lock(path: Path) -> Iterator[float]:
    """Holds the machine's Lighthouse lock; yields the seconds waited for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield time.monotonic() - started
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_lighthouse(url: str, settings: Settings, *, chromium: str | None, ignore_https_errors: bool,
                   resolve: tuple[ResolveRule, ...] = (), home: Path | None = None,
                   service: LighthouseService | None = None) -> LighthouseResult:
    """`service`: the worker's long-lived Lighthouse (speed.engine: service); None, or one that
    cannot start: the CLI, one process and one browser per run."""
    speed = settings.speed
    command = lighthouse_command(speed.command)
    engine = Engine(command, settings, chromium, ignore_https_errors, resolve, home, service)
    runs: list[LighthouseRun] = []
    reports: list[tuple[dict[str, Any] | None, str | None]] = []
    with tempfile.TemporaryDirectory(prefix="portal-audit-lh-") as tmp:
        for index in range(speed.runs):
            with machine_lock(lock_path(speed.lock_file)):
                run, report = engine.run(url, Path(tmp) / f"run-{index}")
            runs.append(run)
            reports.append(report)
            if index == 0 and clear(run, speed):
                break  # the other runs could not change the verdict: every metric is far from its limit
            if index + 1 < speed.runs and speed.settled(measured_values(runs)):
                break  # more than half the runs on one side of every limit: the rest cannot move a median
            if len(runs) >= 2 and runs[-1].error and runs[-2].error:
                break  # a page that failed twice in a row would fail the other runs too, minutes each
    return _result(url, runs, reports)


def clear(run: LighthouseRun, speed: SpeedSettings) -> bool:
    """Every metric of `run` at most limit / clear_factor or at least limit × clear_factor: for the
    median to cross a limit, most other runs would have to differ from this one by more than that
    factor, more than Lighthouse's run-to-run spread (docs/toc-do-trang.md). Off with factor 0."""
    return run.error is None and speed.decides_alone({name: getattr(run, name) for name in METRICS})


def measured_values(runs: list[LighthouseRun]) -> list[dict[str, float | None]]:
    """The metrics of the runs that measured (by limit name), as SpeedSettings reads them."""
    return [{name: getattr(run, name) for name in METRICS} for run in runs if run.error is None]


def _result(url: str, runs: list[LighthouseRun],
            reports: list[tuple[dict[str, Any] | None, str | None]]) -> LighthouseResult:
    measured = [(run, report) for run, report in zip(runs, reports) if run.error is None]
    if not measured:
        raise LighthouseError("Lighthouse không đo được trang: " + "; ".join(
            dict.fromkeys(run.error or "" for run in runs)))
    median = {name: round(statistics.median(values), 1) for name in METRICS
              if (values := [getattr(run, name) for run, _ in measured if getattr(run, name) is not None])}
    run, (lhr, html) = min(measured, key=lambda item: _distance(item[0], median))
    assert lhr is not None
    config = lhr.get("configSettings", {})
    return LighthouseResult(version=str(lhr.get("lighthouseVersion", "")), form_factor=str(config.get("formFactor", "")),
                            throttling=str(config.get("throttlingMethod", "")), runs=runs, median=median,
                            requested_url=url, final_url=str(lhr.get("finalDisplayedUrl") or lhr.get("finalUrl") or ""),
                            report_html=html)


@dataclass(frozen=True)
class Engine:
    """Where a run happens: the worker's Lighthouse service when there is one that starts, else the CLI."""

    command: Path
    settings: Settings
    chromium: str | None
    ignore_https_errors: bool
    resolve: tuple[ResolveRule, ...]
    home: Path | None
    service: LighthouseService | None

    def run(self, url: str, output: Path) -> tuple[LighthouseRun, tuple[dict[str, Any] | None, str | None]]:
        if self.service is not None:
            request = {"url": url, "output": str(output), "flags": node_flags(self.settings),
                       "chromeFlags": chrome_flags(self.settings, self.ignore_https_errors, self.resolve,
                                                   self.service.marker)}
            started = time.monotonic()
            try:
                error = self.service.measure(request, self.settings.speed.timeout)
            except ServiceUnavailable:
                pass  # measured by the CLI below, with the same flags
            else:
                return _read_report(output, round(time.monotonic() - started, 1), error)
        return _one_run(self.command, url, self.settings, output, chromium=self.chromium,
                        ignore_https_errors=self.ignore_https_errors, resolve=self.resolve, home=self.home)


def node_flags(settings: Settings) -> dict[str, Any]:
    """The CLI's flags as the Node API takes them, with only the audits the metrics need: onlyAudits
    alone (with onlyCategories Lighthouse runs their union, the whole performance category), and no
    full-page screenshot (only the report's element thumbnails use it), and a shorter CPU quiet window
    (speed.service_cpu_quiet_ms). Measured the same way: the same load, trace and simulation, the
    same verdicts on the world's fast, slow and late pages (docs/toc-do-trang.md)."""
    return {"onlyAudits": list(SERVICE_AUDITS), "disableFullPageScreenshot": True, "formFactor": "mobile",
            "throttlingMethod": "simulate", "locale": settings.speed.locale,
            "blockedUrlPatterns": list(INTERNAL_PATTERNS), "cpuQuietThresholdMs": settings.speed.service_cpu_quiet_ms}


def service_for(settings: Settings, chromium: str | None, home: Path | None) -> LighthouseService | None:
    """The worker's Lighthouse service (started by `start` or at its first run); None with
    speed.engine: cli or without the Lighthouse package (the CLI then says what is missing). Its
    BenchmarkIndex memo lies beside the machine's Lighthouse lock."""
    if settings.speed.engine != "service":
        return None
    try:
        command = lighthouse_command(settings.speed.command)
    except ToolMissing:
        return None
    package = command.resolve().parents[1]  # node_modules/.bin/lighthouse -> lighthouse/cli/index.js
    lock = lock_path(settings.speed.lock_file)
    return LighthouseService(package, chromium, home, f"--portal-audit-lighthouse={uuid.uuid4().hex}",
                             memo=BenchmarkMemo(lock.with_name(lock.name + ".benchmark.json")))


def _distance(run: LighthouseRun, median: dict[str, float]) -> float:
    """How far a run is from the medians (relative, summed): the nearest one's report is attached."""
    return sum(abs((getattr(run, name) or 0) - value) / max(value, 1.0) for name, value in median.items())


def chrome_flags(settings: Settings, ignore_https_errors: bool, resolve: tuple[ResolveRule, ...],
                 marker: str) -> list[str]:
    """Lighthouse's Chromium flags (chrome-launcher adds its own defaults, for both engines)."""
    flags = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", *settings.browser.args, marker]
    rules = chromium_rules(list(resolve))
    if rules:
        flags.append(f"--host-resolver-rules={rules}")
    if ignore_https_errors:
        flags.append("--ignore-certificate-errors")
    return flags


def _cli_chrome_flags(flags: list[str]) -> str:
    """One --chrome-flags value: the CLI splits it at spaces, so a value with spaces is quoted."""
    return " ".join(f'{name}="{value}"' if " " in flag else flag
                    for flag in flags for name, _, value in [flag.partition("=")])


def _one_run(command: Path, url: str, settings: Settings, output: Path, *, chromium: str | None,
             ignore_https_errors: bool, resolve: tuple[ResolveRule, ...],
             home: Path | None) -> tuple[LighthouseRun, tuple[dict[str, Any] | None, str | None]]:
    speed = settings.speed
    marker = f"--portal-audit-lighthouse={uuid.uuid4().hex}"
    # The same audits as the service's (node_flags): the metrics, gathered and computed as in a full
    # performance run, without the other audits' gatherers (about 3-4 s of each CLI run).
    args = [str(command), url, "--output=json", "--output=html", f"--output-path={output}",
            f"--only-audits={','.join(SERVICE_AUDITS)}", "--disable-full-page-screenshot",
            "--form-factor=mobile", "--throttling-method=simulate", "--quiet",
            f"--locale={speed.locale}",
            f"--chrome-flags={_cli_chrome_flags(chrome_flags(settings, ignore_https_errors, resolve, marker))}",
            *(f"--blocked-url-patterns={p}" for p in INTERNAL_PATTERNS)]
    env = dict(os.environ)
    if chromium:
        env["CHROME_PATH"] = chromium
    if home is not None:
        env["HOME"] = str(home)
    started = time.monotonic()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=speed.timeout)
    except subprocess.TimeoutExpired:
        _kill(process, marker)
        return LighthouseRun(seconds=round(time.monotonic() - started, 1),
                             error=f"Lighthouse chạy quá {speed.timeout:g} giây"), (None, None)
    finally:
        kill_marked(marker)
    seconds = round(time.monotonic() - started, 1)
    error = None
    if process.returncode != 0 or not Path(f"{output}.report.json").exists():
        last = next((line for line in reversed((stderr or "").splitlines()) if line.strip()), "")
        error = f"Lighthouse lỗi (mã {process.returncode}): {last[:300]}"
    return _read_report(output, seconds, error)


def _read_report(output: Path, seconds: float,
                 error: str | None) -> tuple[LighthouseRun, tuple[dict[str, Any] | None, str | None]]:
    """The run's metrics from OUTPUT.report.json (either engine writes it), or its error."""
    json_path, html_path = Path(f"{output}.report.json"), Path(f"{output}.report.html")
    if error is not None or not json_path.exists():
        return LighthouseRun(seconds=seconds, error=error or "Lighthouse không ghi báo cáo"), (None, None)
    lhr = json.loads(json_path.read_text(encoding="utf-8"))
    html = html_path.read_text(encoding="utf-8") if html_path.exists() else None
    runtime = lhr.get("runtimeError")
    if runtime:
        return LighthouseRun(seconds=seconds, error=f"{runtime.get('code')}: {runtime.get('message', '')[:300]}"), (lhr, html)
    audits = lhr.get("audits", {})
    values = {name: audits.get(audit_id, {}).get("numericValue") for name, audit_id in METRICS.items()}
    score = (lhr.get("categories", {}).get("performance") or {}).get("score")
    run = LighthouseRun(**{k: round(float(v), 1) if isinstance(v, (int, float)) else None for k, v in values.items()},
                        score=score, seconds=seconds)
    if all(v is None for v in values.values()):
        run.error = "Lighthouse không cho số đo nào"
    return run, (lhr, html)


def _kill(process: subprocess.Popen[str], marker: str) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    process.communicate()
