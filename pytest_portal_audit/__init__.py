"""The pytest plugin that runs the portal audit (entry point `portal_audit`, module plugin.py) and
the `portal-audit` command (cli.py). The criteria (package `checks`) meet the browser
(portal_audit.visit) only here."""
