"""What the library's commands (discovery, report, merge) share: a usage error is one line on
stderr and exit status 2, Ctrl-C is exit status 130, never a traceback."""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence


class UsageError(Exception):
    """A bad option, file or input; str() is the one line shown to the auditor."""


class Parser(argparse.ArgumentParser):
    """argparse's own errors become UsageError, shown like every other."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def run_command(prog: str, run: Callable[[Sequence[str] | None], int], argv: Sequence[str] | None) -> int:
    try:
        return run(argv)
    except UsageError as err:
        print(f"{prog}: lỗi: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{prog}: đã dừng", file=sys.stderr)
        return 130
