"""What the library's commands (discovery, report, merge) share: a usage error is one line on
stderr and exit status 2, Ctrl-C is exit status 130, never a traceback."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, Sequence


class UsageError(Exception):
    """A bad option, file or input; str() is the one line shown to the auditor."""


class _Formatter(argparse.HelpFormatter):
    """argparse's help with its headings in Vietnamese (the rest of each help is written so)."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse's own errors become UsageError, shown like every other; `--help` is in Vietnamese and
    ends with `example`, one command line as an auditor would type it."""

    def __init__(self, *args: Any, example: str = "", **kwargs: Any) -> None:
        super().__init__(*args, formatter_class=_Formatter, add_help=False, **kwargs)
        self.example = example
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def format_help(self) -> str:
        return super().format_help() + (f"\nVí dụ:\n  {self.example}\n" if self.example else "")

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
