"""The package list only (everything else is in pyproject.toml): the criteria's top-level folder
checks/ installs under the project's namespace, as portal_audit.checks, so that no generic top-level
`checks` package is installed (portal_audit/__init__.py maps the same name in a checkout)."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["portal_audit", "portal_audit.*", "pytest_portal_audit",
                                        "pytest_portal_audit.*"]), "portal_audit.checks"],
      package_dir={"portal_audit.checks": "checks"})
