"""`portal-audit`: the audit as a command, in any folder that holds an inventory.

Every pytest option passes through (-n, --alluredir, -k, --lf, ...). The inventory file itself is
collected as the audit, so nothing else is needed in the folder."""

from __future__ import annotations

import sys
from typing import Sequence

import pytest

from pytest_portal_audit.options import DEFAULT_INVENTORY


def _inventory(args: list[str]) -> tuple[list[str], str]:
    """The arguments with --inventory made explicit (the default is inventory.yaml), and its value."""
    for index, arg in enumerate(args):
        if arg == "--inventory" and index + 1 < len(args):
            return args, args[index + 1]
        if arg.startswith("--inventory="):
            return args, arg.split("=", 1)[1]
    return ["--inventory", DEFAULT_INVENTORY, *args], DEFAULT_INVENTORY


def main(argv: Sequence[str] | None = None) -> int:
    args, inventory = _inventory(list(sys.argv[1:] if argv is None else argv))
    # The entry point's name: loads the plugin even where pytest's plugin autoload is switched off.
    return int(pytest.main(["-p", "portal_audit", "--dist=loadgroup", *args, inventory]))


if __name__ == "__main__":
    sys.exit(main())
