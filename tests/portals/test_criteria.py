"""The audit: one case per (site, criterion) of the inventory, judged from a single visit of the
site. The cases are the plugin's own (pytest_portal_audit.cases), so that the audit runs the same
here and, through `portal-audit`, in any folder that holds an inventory."""

from pytest_portal_audit.cases import test_criterion

__all__ = ["test_criterion"]
