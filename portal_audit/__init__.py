"""portal-audit: the library behind the audit of Vietnamese government portals (Circular 22/2023).

Data flows one way through the subpackages (docs/development.md: layout, data flow, glossary):

    inventory  →  gather (gatherers as units; visit: the only browser code; network: --resolve and
    the guard)  →  evidence (SiteEvidence, frozen)  →  checks (the judges, pure)  →  records
    (results.json, re-runs, combine)  →  summary (rankings)  →  render (Allure, Excel, reports)

beside them: settings (typed configuration), discovery (proposing component sites), and the
commands (discovery, report, merge, rejudge). The pytest plugin that runs the audit is the package
pytest_portal_audit, the only place where the criteria meet the browser.

The criteria live in the top-level folder checks/ of the repository and install as
portal_audit.checks (pyproject's package-dir); from a checkout, the finder below maps that name
onto the folder, so `portal_audit.checks` is the one name the code uses either way."""

import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from importlib.metadata import PackageNotFoundError, version
from importlib.util import spec_from_file_location
from pathlib import Path
from typing import Any, Sequence

try:
    __version__ = version("portal-audit")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

_CHECKS = "portal_audit.checks"


class _CheckoutChecks(MetaPathFinder):
    """`portal_audit.checks` in a checkout: the folder checks/ beside this package (its modules are
    then found through the package's own path)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def find_spec(self, name: str, path: Sequence[str] | None, target: Any = None) -> ModuleSpec | None:
        if name != _CHECKS:
            return None
        return spec_from_file_location(name, self.folder / "__init__.py", submodule_search_locations=[str(self.folder)])


def _map_checkout_checks() -> None:
    here = Path(__file__).resolve().parent
    folder = here.parent / "checks"
    installed = (here / "checks" / "__init__.py").is_file()
    if not installed and (folder / "__init__.py").is_file() and not any(
            isinstance(f, _CheckoutChecks) for f in sys.meta_path):
        # First: this checkout's portal_audit goes with this checkout's checks/, even where an editable
        # install of another checkout maps the same name elsewhere.
        sys.meta_path.insert(0, _CheckoutChecks(folder))


_map_checkout_checks()
