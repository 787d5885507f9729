"""Local pytest configuration of this repository's audit.

The audit's plugin is loaded by its entry point (`portal_audit`, installed by `pip install -e .`);
pyproject.toml names the inventory that plain `pytest` audits. Fixtures of the plugin can be
overridden here one layer at a time (pytest_portal_audit/fixtures.py), e.g. to connect to a remote
browser:

    @pytest.fixture(scope="session")
    def connect_options():
        return {"ws_endpoint": "ws://browsers.example:3000/"}
"""
