"""Peak memory of a process tree (the audit: pytest, its xdist workers, their Playwright drivers and
Chromium processes), sampled from /proc while it runs: the sum over the tree of each process's
proportional set size (PSS: shared pages split among the processes sharing them, so Chromium's
many processes are not counted several times), or its resident size where PSS cannot be read."""

from __future__ import annotations

import threading

from portal_audit.visit.watchdog import process_children


def _memory_kib(pid: int) -> int:
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path, encoding="utf-8") as lines:
                for line in lines:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return 0


def tree_memory_kib(root: int) -> int:
    children = process_children()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _memory_kib(pid)
        stack.extend(children.get(pid, []))
    return total


class PeakMemory:
    """Samples the tree under `root` every `interval` seconds until stop(); `peak_mib` is the largest sum."""

    def __init__(self, root: int, interval: float = 0.25) -> None:
        self.root = root
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, tree_memory_kib(self.root))
            self._stop.wait(self.interval)

    @property
    def peak_mib(self) -> float:
        return self.peak_kib / 1024
