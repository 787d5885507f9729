"""`portal-audit`: one command for the whole round, in the convention of `git` or `lhci`.

    portal-audit run [pytest options]     the audit (plain `portal-audit [pytest options]` too)
    portal-audit report | merge | discover | verify | rejudge [options]

`run` passes every pytest option through (-n, --alluredir, -k, --lf, ...) and collects the inventory
file itself as the audit, so nothing else is needed in the folder. The other subcommands are the
library's own commands (`python -m portal_audit.report` ...), called with the same arguments; a
subcommand whose module this installation lacks is neither listed nor run."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from typing import Sequence

import pytest

from pytest_portal_audit.options import DEFAULT_INVENTORY

PROG = "portal-audit"
RUN = "run"


@dataclass(frozen=True)
class Subcommand:
    name: str
    module: str  # holds `main(argv) -> int`; empty for `run`
    summary: str  # Vietnamese, one line of `portal-audit --help`

    def available(self) -> bool:
        if not self.module:
            return True
        try:
            return importlib.util.find_spec(self.module) is not None
        except ImportError:  # a parent package missing
            return False


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(RUN, "", "đánh giá các cổng trong danh mục (nhận mọi tùy chọn của pytest)"),
    Subcommand("report", "portal_audit.report.command", "lập báo cáo gửi từng cơ quan và trang tổng hợp toàn quốc"),
    Subcommand("merge", "portal_audit.merge", "gộp kết quả của nhiều máy (--shard K/N) thành một lần đánh giá"),
    Subcommand("discover", "portal_audit.discovery.command", "đề xuất trang thành phần của từng cổng cho danh mục"),
    # These two land with their own issues; until then their modules are absent and they are not listed.
    Subcommand("verify", "portal_audit.verify", "kiểm tra các tệp của một lần đánh giá với bản kê (SHA-256)"),
    Subcommand("rejudge", "portal_audit.rejudge", "đánh giá lại từ bằng chứng đã thu thập, không truy cập lại"),
)

EXAMPLES = (
    "portal-audit run --inventory inventory.yaml -n auto --alluredir allure-results --period 2026-Q4",
    "portal-audit report --allure-results allure-results --results reports/results.json --out reports/gui-co-quan",
    "portal-audit discover --help",
)


def usage() -> str:
    """`portal-audit --help`: the subcommands, in Vietnamese (pytest's own help is `run --help`)."""
    rows = [f"  {c.name:<10}{c.summary}" for c in SUBCOMMANDS if c.available()]
    return "\n".join([
        f"Cách dùng: {PROG} <lệnh> [tùy chọn]",
        f"           {PROG} [tùy chọn của pytest]      (như {PROG} {RUN})",
        "",
        "Đánh giá cổng/trang thông tin điện tử của cơ quan nhà nước theo Thông tư 22/2023/TT-BTTTT.",
        "",
        "Các lệnh:",
        *rows,
        "",
        f"Hướng dẫn của từng lệnh: {PROG} <lệnh> --help ({PROG} {RUN} --help in mọi tùy chọn của pytest).",
        "",
        "Ví dụ:",
        *(f"  {line}" for line in EXAMPLES),
        "",
    ])


def _inventory(args: list[str]) -> tuple[list[str], str]:
    """The arguments with --inventory made explicit (the default is inventory.yaml), and its value."""
    for index, arg in enumerate(args):
        if arg == "--inventory" and index + 1 < len(args):
            return args, args[index + 1]
        if arg.startswith("--inventory="):
            return args, arg.split("=", 1)[1]
    return ["--inventory", DEFAULT_INVENTORY, *args], DEFAULT_INVENTORY


def audit(argv: list[str]) -> int:
    args, inventory = _inventory(argv)
    # The entry point's name: loads the plugin even where pytest's plugin autoload is switched off.
    return int(pytest.main(["-p", "portal_audit", "--dist=loadgroup", *args, inventory]))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    first = args[0] if args else ""
    if first in ("-h", "--help"):
        print(usage())
        return 0
    if first == RUN:
        return audit(args[1:])
    command = next((c for c in SUBCOMMANDS if c.name == first and c.module and c.available()), None)
    if command is None:
        return audit(args)  # `portal-audit [pytest options]`, as before the subcommands
    return int(importlib.import_module(command.module).main(args[1:]))


if __name__ == "__main__":
    sys.exit(main())
