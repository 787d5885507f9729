"""--browser-endpoint by direct calls: addresses checked at start-up in one line, each xdist worker's
own endpoint first, the launch options as a browser server reads them, and the check that the
server applied the audit's host-resolver rules. The audit through a real `playwright run-server`
is in test_scale_out.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from portal_audit.settings import load_settings
from portal_audit.visit import launch_options, parse_rule
from portal_audit.visit.remote import (LAUNCH_OPTIONS_HEADER, RESOLVE_CHECK_RULE, RemoteBrowserError,
                                       check_reachable, check_resolver_rules, connect_options, endpoints_for_worker,
                                       parse_endpoint, remote_launch_options, with_launch_options)

from .audit_runner import REPO, write_inventory
from .ports import unused_port
from .standin import stand_in_chromium


@pytest.mark.parametrize("text", ["ws://127.0.0.1:3000/", "wss://browsers.example.gov.vn/playwright", "ws://[::1]:9/"])
def test_endpoint_accepted(text: str) -> None:
    assert parse_endpoint(f" {text} ") == text


@pytest.mark.parametrize("text", ["http://127.0.0.1:3000/", "127.0.0.1:3000", "ws://", "ws://host:99999/", ""])
def test_bad_endpoint_is_one_line(text: str) -> None:
    with pytest.raises(RemoteBrowserError) as caught:
        parse_endpoint(text)
    assert str(caught.value) == (f"--browser-endpoint '{text}': cần địa chỉ ws://MÁY:CỔNG/ (hoặc wss://) của một "
                                 "máy chủ trình duyệt Playwright (playwright run-server)")


def test_unreachable_endpoint_is_one_line() -> None:
    endpoint = f"ws://127.0.0.1:{unused_port()}/"
    with pytest.raises(RemoteBrowserError) as caught:
        check_reachable(endpoint)
    assert str(caught.value).startswith(
        f"--browser-endpoint '{endpoint}': không kết nối được tới máy chủ trình duyệt (")


def test_each_worker_starts_at_its_own_endpoint() -> None:
    endpoints = ["ws://a:1/", "ws://b:1/", "ws://c:1/"]
    assert [endpoints_for_worker(endpoints, worker)[0] for worker in range(5)] == [
        "ws://a:1/", "ws://b:1/", "ws://c:1/", "ws://a:1/", "ws://b:1/"]
    assert endpoints_for_worker(endpoints, 4) == ["ws://b:1/", "ws://c:1/", "ws://a:1/"]  # then the others
    assert endpoints_for_worker([], 3) == []


def test_launch_options_as_the_server_reads_them() -> None:
    local = {"headless": True, "slow_mo": 50, "executable_path": "/usr/bin/chromium",
             "args": ["--no-first-run", "--host-resolver-rules=MAP *.gov.vn 10.0.0.5, EXCLUDE localhost"]}
    remote = remote_launch_options(local, None)
    # The local Chromium's path means nothing on the server: its own Chromium, or the one named.
    assert remote == {"headless": True, "slowMo": 50, "args": [
        "--no-first-run", f"--host-resolver-rules={RESOLVE_CHECK_RULE}, MAP *.gov.vn 10.0.0.5, EXCLUDE localhost"]}
    assert remote_launch_options(local, "/opt/chrome/chrome")["executablePath"] == "/opt/chrome/chrome"
    options = connect_options("ws://b:1/", remote)
    assert options["ws_endpoint"] == "ws://b:1/" and json.loads(options["headers"][LAUNCH_OPTIONS_HEADER]) == remote
    # pytest-playwright's connect_options fixture: its own headers win.
    given = with_launch_options({"ws_endpoint": "ws://x:1/", "headers": {"Authorization": "Bearer t"}}, remote)
    assert given["headers"]["Authorization"] == "Bearer t" and LAUNCH_OPTIONS_HEADER in given["headers"]


@pytest.mark.world
def test_resolver_rules_check_tells_a_browser_without_them() -> None:
    # What a browser server started without --unsafe does to the audit's flags: drops them.
    rules = (parse_rule("*.gov.vn=127.0.0.1:9"),)
    with sync_playwright() as playwright:
        options = launch_options(playwright, load_settings().browser, rules)
        with_rules = {**options, "args": remote_launch_options(options, None)["args"]}
        browser = playwright.chromium.launch(**with_rules)
        try:
            check_resolver_rules(browser, "ws://server/")
        finally:
            browser.close()
        browser = playwright.chromium.launch(**{**options, "args": []})
        try:
            with pytest.raises(RemoteBrowserError) as caught:
                check_resolver_rules(browser, "ws://server/")
        finally:
            browser.close()
    assert str(caught.value) == ("ws://server/: máy chủ trình duyệt bỏ qua tham số khởi động của cuộc đánh giá "
                                 "(--resolve không có hiệu lực); chạy máy chủ với 'playwright run-server --unsafe'")


@pytest.mark.world
def test_bad_endpoint_stops_the_audit_before_any_browser(tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inventory.yaml", {"portals": [
        {"id": "p", "name": "Cổng", "group": "province", "url": "https://p.gov.vn/"}]})
    endpoint = f"ws://127.0.0.1:{unused_port()}/"
    chromium = stand_in_chromium(tmp_path / "chromium")
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/portals", "--inventory", str(inventory),
                           "--browser-endpoint", endpoint, "-p", "no:cacheprovider", "-q"],
                          cwd=REPO, capture_output=True, text=True, timeout=300, env=chromium.env)
    assert not chromium.started
    output = done.stdout + done.stderr
    assert done.returncode == 4, output  # pytest's usage error
    assert f"ERROR: --browser-endpoint '{endpoint}': không kết nối được tới máy chủ trình duyệt (" in output
    assert "Traceback" not in output
