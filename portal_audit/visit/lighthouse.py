"""Page speed (criterion SPEED): the npm Lighthouse CLI, mobile profile with simulated throttling,
on the audit's Chromium, `speed.runs` times; per metric the median of the runs that measured it.

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
from pathlib import Path
from typing import Any, Iterator

from portal_audit.evidence.artifacts import LighthouseResult, LighthouseRun
from portal_audit.settings import Settings
from portal_audit.network.resolve import ResolveRule, chromium_rules
from portal_audit.visit.tools import lighthouse_command

# Lighthouse's audit ids of the four metrics of the 2025 criteria.
METRICS = {"fcp": "first-contentful-paint", "lcp": "largest-contentful-paint", "speed_index": "speed-index",
           "tbt": "total-blocking-time"}
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
                   resolve: tuple[ResolveRule, ...] = (), home: Path | None = None) -> LighthouseResult:
    speed = settings.speed
    command = lighthouse_command(speed.command)
    runs: list[LighthouseRun] = []
    reports: list[tuple[dict[str, Any] | None, str | None]] = []
    with tempfile.TemporaryDirectory(prefix="portal-audit-lh-") as tmp:
        for index in range(speed.runs):
            with machine_lock(lock_path(speed.lock_file)):
                run, report = _one_run(command, url, settings, Path(tmp) / f"run-{index}", chromium=chromium,
                                       ignore_https_errors=ignore_https_errors, resolve=resolve, home=home)
            runs.append(run)
            reports.append(report)
            if len(runs) >= 2 and runs[-1].error and runs[-2].error:
                break  # a page that failed twice in a row would fail the other runs too, minutes each
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


def _distance(run: LighthouseRun, median: dict[str, float]) -> float:
    """How far a run is from the medians (relative, summed): the nearest one's report is attached."""
    return sum(abs((getattr(run, name) or 0) - value) / max(value, 1.0) for name, value in median.items())


def _chrome_flags(settings: Settings, ignore_https_errors: bool, resolve: tuple[ResolveRule, ...], marker: str) -> str:
    flags = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", *settings.browser.args, marker]
    rules = chromium_rules(list(resolve))
    if rules:
        flags.append(f'--host-resolver-rules="{rules}"')
    if ignore_https_errors:
        flags.append("--ignore-certificate-errors")
    return " ".join(flags)


def _one_run(command: Path, url: str, settings: Settings, output: Path, *, chromium: str | None,
             ignore_https_errors: bool, resolve: tuple[ResolveRule, ...],
             home: Path | None) -> tuple[LighthouseRun, tuple[dict[str, Any] | None, str | None]]:
    speed = settings.speed
    marker = f"--portal-audit-lighthouse={uuid.uuid4().hex}"
    args = [str(command), url, "--output=json", "--output=html", f"--output-path={output}",
            "--only-categories=performance", "--form-factor=mobile", "--throttling-method=simulate", "--quiet",
            f"--locale={speed.locale}", f"--chrome-flags={_chrome_flags(settings, ignore_https_errors, resolve, marker)}",
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
        _kill_browsers(marker)
    seconds = round(time.monotonic() - started, 1)
    json_path, html_path = Path(f"{output}.report.json"), Path(f"{output}.report.html")
    if process.returncode != 0 or not json_path.exists():
        last = next((line for line in reversed((stderr or "").splitlines()) if line.strip()), "")
        return LighthouseRun(seconds=seconds, error=f"Lighthouse lỗi (mã {process.returncode}): {last[:300]}"), (None, None)
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


def _kill_browsers(marker: str) -> None:
    """Chromium processes of this run left behind (chrome-launcher starts them in their own group)."""
    needle = marker.encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                if needle in cmdline.read():
                    os.kill(int(entry), signal.SIGKILL)
        except OSError:
            continue
