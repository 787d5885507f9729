"""The hard budget of one visit. A page in a JavaScript busy loop blocks every call into it, so
the only way out is to kill the browser: the blocked call then fails, the site is broken ('hung')
and the next site gets a fresh browser. A remote browser (on a browser server) cannot be killed
from here; it is ended by closing its connection, through the enders registered below."""

from __future__ import annotations

import itertools
import os
import signal
import threading
from typing import Callable

# How to end each of this process's browsers that have no local process to kill (remote ones).
# Process-wide, like the process tree the local browsers are found in.
_enders: dict[int, Callable[[], None]] = {}
_enders_lock = threading.Lock()
_ender_keys = itertools.count()


def end_on_fire(end: Callable[[], None]) -> Callable[[], None]:
    """Registers `end`, called (from the watchdog's thread) when a watchdog of this process fires;
    returns the function that removes it again."""
    with _enders_lock:
        key = next(_ender_keys)
        _enders[key] = end

    def remove() -> None:
        with _enders_lock:
            _enders.pop(key, None)
    return remove


def process_children() -> dict[int, list[int]]:
    """Every process's child processes, from /proc (empty where there is no /proc)."""
    children: dict[int, list[int]] = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return children
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    return children


def own_browser_pids() -> list[int]:
    """Main Chromium processes started by this process (through the Playwright driver), from /proc."""
    children = process_children()
    found: list[int] = []
    stack = list(children.get(os.getpid(), []))
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                args = cmdline.read().split(b"\0")
        except OSError:
            continue
        if b"--remote-debugging-pipe" in args and not any(a.startswith(b"--type=") for a in args):
            found.append(pid)
    return found


class Watchdog:
    """Kills this process's browsers (and ends its remote ones) when the budget runs out before the
    `with` block ends."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.fired = False
        self._timer = threading.Timer(budget, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> "Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        for pid in own_browser_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        with _enders_lock:
            enders = list(_enders.values())
        for end in enders:
            try:
                end()
            except Exception:  # noqa: BLE001 - one browser that cannot be ended must not spare the others
                pass
