"""Independent runs (audits, installed commands) started side by side instead of one after another.

An audit of the simulated world mostly waits (settle budgets, a frozen page's hard budget, pytest's
and the browser's start-up): measured over the whole suite, the CPUs were idle half the time. The
module fixtures that need several runs which share nothing (their own output folders, and their own
World where a test reads the requests a run made) start them here at once, a few at a time, and
each test still asserts on the run that is its own."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

# At most this many runs at once. In the full browser two filled the waits of one, and three side
# by side (the suite's other worker running too) made item pages time out under load; in the
# headless shell a page costs about a third of the CPU (docs/bo-tu-kiem-tra.md), and three keep
# every visit well inside the world's time limits (world-config.yaml) on a loaded 2-core machine.
AT_ONCE = 3


def run_together(*jobs: Callable[[], Any], at_once: int = AT_ONCE) -> list[Any]:
    """The jobs' results in the order given; the first job that raised raises here, after every
    job has ended (no run is left behind writing into a folder a test reads)."""
    with ThreadPoolExecutor(max_workers=min(at_once, len(jobs))) as pool:
        futures = [pool.submit(job) for job in jobs]
    return [future.result() for future in futures]
