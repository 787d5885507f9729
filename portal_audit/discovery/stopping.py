"""Ctrl-C during discovery: the first one asks the run to stop at the next safe point (between two
DNS lookups, two homepage loads or two portals) so that the proposals found so far are written;
a second one stops at once, as Ctrl-C does elsewhere (exit status 130, nothing written).

A flag rather than KeyboardInterrupt: raised inside the DNS worker pool's wait it left the pool
waiting for every queued lookup (Ctrl-C looked ignored for an hour), and raised inside a
Playwright call it leaves the browser connection in an unknown state."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType, TracebackType
from typing import Any


class StopRequest:
    """Installs itself as the SIGINT handler while in a `with` block (main thread only)."""

    def __init__(self, prog: str) -> None:
        self.prog = prog
        self._event = threading.Event()
        self._previous: Any = None

    def __call__(self) -> bool:
        """Whether Ctrl-C was pressed (safe to call from any thread)."""
        return self._event.is_set()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._event.is_set():
            raise KeyboardInterrupt
        self._event.set()
        print(f"{self.prog}: đang dừng (Ctrl-C): ghi các đề xuất đã tìm được; nhấn Ctrl-C lần nữa để dừng ngay",
              file=sys.stderr, flush=True)

    def __enter__(self) -> "StopRequest":
        # Only the main thread may handle signals (the command called from a thread keeps Ctrl-C as it is).
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
