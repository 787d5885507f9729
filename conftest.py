# The audit's options and results file come from the portal_audit plugin; the audit itself
# lives in tests/portals/, the project's own tests in selftests/.
pytest_plugins = ["portal_audit.plugin"]
