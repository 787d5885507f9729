"""One long-lived Lighthouse per worker (speed.engine: service): a Node process using Lighthouse's
Node API (js/lighthouse_service.mjs) with one Chromium it started once, each run attached to that
browser over the DevTools protocol. A CLI run starts Node, loads Lighthouse and starts and stops a
browser every time; here only the measurement itself is paid per run.

The process can be started early (`start`), while the worker is still collecting its cases: loading
Lighthouse then overlaps that work. The Chromium it launches at the first run is the one named by
`chromium` and `home` at that time (sent with each request), so these may be set after `start`.
BenchmarkIndex, which Lighthouse measures with a ~1 s busy loop, is measured once per machine boot
(BenchmarkMemo) and passed to every service of the machine.

The caller holds the machine's Lighthouse lock around `measure`, so runs never overlap. A run that
fails or passes speed.timeout stops the process (and its Chromium); the next run starts a fresh one.
ServiceUnavailable: the process could not start or died before its first answer; the caller then
measures with the CLI (the same flags), as speed.engine: cli does."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, IO

SCRIPT = Path(__file__).resolve().parent / "js" / "lighthouse_service.mjs"
MARK = b"@portal-audit-lighthouse@ "
MAX_ANSWER = 64 * 1024  # an answer is one short line; more without a newline is not one
BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


@dataclass(frozen=True)
class BenchmarkMemo:
    """Lighthouse's BenchmarkIndex as this machine measured it since it started: a small JSON file
    beside the machine's Lighthouse lock, written by the first run of the boot and read by every later
    service. Read back as untrusted: anything but a positive number of this boot is ignored."""

    path: Path

    def read(self) -> float | None:
        try:
            if self.path.stat().st_size > 1024:
                return None
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("boot") != boot_id():
            return None
        value = data.get("benchmark_index")
        return float(value) if _plausible(value) else None  # type: ignore[arg-type]

    def write(self, value: object) -> None:
        if not _plausible(value):
            return
        try:
            # A new file of a random name (O_EXCL: never one planted in a shared temporary folder),
            # renamed over the memo: whole or not at all, for a service of another worker reading it.
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.path.parent, prefix=self.path.name,
                                             suffix=".tmp", delete=False) as partial:
                partial.write(json.dumps({"boot": boot_id(), "benchmark_index": value}))
            try:
                Path(partial.name).replace(self.path)
            except OSError:
                Path(partial.name).unlink(missing_ok=True)
        except OSError:
            pass  # measured again by the next service: a cost, not an error


def _plausible(value: object) -> bool:
    """A BenchmarkIndex: a positive, finite, not absurd number (a bool is no number here)."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and 0 < value < 1e7


def boot_id() -> str:
    try:
        return BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        return ""  # no boot id (not Linux): the memo still holds for this machine's temporary folder


class ServiceUnavailable(Exception):
    """The Node API process could not start (str(): why, Vietnamese)."""


@dataclass
class LighthouseService:
    package_dir: Path  # the lighthouse npm package (its package.json, core/index.js)
    chromium: str | None  # CHROME_PATH: the audit's Chromium
    home: Path | None  # HOME whose NSS database trusts the extra CAs
    marker: str  # a flag of this service's Chromium, to find it when it must be stopped
    memo: BenchmarkMemo | None = None  # this machine's BenchmarkIndex, read and written here
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    stderr: IO[bytes] | None = field(default=None, repr=False)
    answered: bool = False  # the current process answered once: a death later is a failed run
    unavailable: str | None = None  # set once the process could not start: the CLI measures instead
    buffer: bytes = b""

    def measure(self, request: dict[str, Any], timeout: float) -> str | None:
        """Runs one measurement (writes OUTPUT.report.json/.html); the error, or None."""
        if self.unavailable:
            raise ServiceUnavailable(self.unavailable)
        process = self._started()
        known = self.memo.read() if self.memo is not None else None
        request = {**request, "chromePath": self.chromium, "home": str(self.home) if self.home else None,
                   "benchmarkIndex": known}
        try:
            assert process.stdin is not None
            process.stdin.write(json.dumps(request).encode() + b"\n")
            process.stdin.flush()
            answer = self._answer(process, time.monotonic() + timeout)
        except (OSError, EOFError):
            return self._died()
        if answer is None:
            self.close()
            return f"Lighthouse chạy quá {timeout:g} giây"
        self.answered = True
        if not answer.get("ok"):
            return f"Lighthouse lỗi: {str(answer.get('error', ''))[:300]}"
        if known is None and self.memo is not None:
            self.memo.write(_benchmark_index(Path(f"{request['output']}.report.json")))
        return None

    def start(self) -> None:
        """Starts the process (Node loading Lighthouse) ahead of the first run; Chromium is launched
        at that run. A process that cannot start is found then, and the CLI measures."""
        if not self.unavailable:
            try:
                self._started()
            except ServiceUnavailable:
                pass

    def _started(self) -> subprocess.Popen[bytes]:
        if self.process is not None and self.process.poll() is None:
            return self.process
        self.close()
        node = shutil.which("node")
        if node is None or not (self.package_dir / "package.json").is_file():
            self.unavailable = f"không chạy được Lighthouse qua Node ({node or 'thiếu lệnh node'}, {self.package_dir})"
            raise ServiceUnavailable(self.unavailable)
        env = dict(os.environ)
        if self.chromium:
            env["CHROME_PATH"] = self.chromium
        if self.home is not None:
            env["HOME"] = str(self.home)
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen([node, str(SCRIPT), str(self.package_dir)], env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.stderr, start_new_session=True)
        self.answered, self.buffer = False, b""
        return self.process

    def _answer(self, process: subprocess.Popen[bytes], deadline: float) -> dict[str, Any] | None:
        """The next answer line; None at the deadline; EOFError when the process ended."""
        assert process.stdout is not None
        fd = process.stdout.fileno()
        while True:
            line, newline, rest = self.buffer.partition(b"\n")
            if newline:
                self.buffer = rest
                if line.startswith(MARK):
                    return json.loads(line[len(MARK):])
                continue  # something a library printed
            if len(self.buffer) > MAX_ANSWER:
                self.buffer = b""
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise EOFError
                self.buffer += chunk

    def _died(self) -> str:
        reason = self._stderr_tail()
        first = not self.answered
        self.close()
        if first:
            self.unavailable = f"tiến trình Lighthouse (Node) không khởi động được: {reason}"
            raise ServiceUnavailable(self.unavailable)
        return f"tiến trình Lighthouse (Node) dừng giữa chừng: {reason}"

    def _stderr_tail(self) -> str:
        if self.stderr is None:
            return ""
        self.stderr.seek(0)
        lines = [line.strip() for line in self.stderr.read()[-4000:].decode("utf-8", "replace").splitlines()]
        # Node ends an uncaught error with its own version line: the error's line says more.
        chosen = next((line for line in lines if "Error" in line), None) or next(
            (line for line in reversed(lines) if line), "")
        return chosen[:300]

    def close(self) -> None:
        """Stops the process and its Chromium (asked first: closing stdin ends the Node loop)."""
        process, self.process = self.process, None
        if process is not None:
            try:
                assert process.stdin is not None
                process.stdin.close()
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except OSError:
                    pass
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        kill_marked(self.marker)
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None


def _benchmark_index(report: Path) -> object:
    try:
        if report.stat().st_size > 50 * 1024 * 1024:
            return None
        lhr = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    environment = lhr.get("environment") if isinstance(lhr, dict) else None
    return environment.get("benchmarkIndex") if isinstance(environment, dict) else None


def kill_marked(marker: str) -> None:
    """Chromium processes carrying `marker` on their command line (chrome-launcher starts them in
    their own process group, out of reach of the Node process's)."""
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
