"""portal-audit: the library behind the audit of Vietnamese government portals (Circular 22/2023).

Data flows one way through the subpackages:

    inventory  →  visit (the only browser code)  →  checks (criteria: pure judges, a package of its own)
               →  verdicts  →  records (results.json, re-runs)  →  reports (Allure, Excel, tables)

beside them: settings (typed configuration), summary (criterion 3.3 and compliance scores over the
records), discovery (proposing component sites). The pytest plugin that runs the audit is the
package pytest_portal_audit, the only place where the criteria meet the browser."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("portal-audit")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"
