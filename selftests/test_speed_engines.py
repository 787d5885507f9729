"""Page speed's two engines (speed.engine): the worker's long-lived Lighthouse service (Node API,
one Chromium kept up, only the metrics' audits) and the lighthouse CLI. On the 2025 world's fast
portal, slow component and late page (its largest image and a long task come after `load` + 500 ms:
what Lighthouse's quiet windows are for) both reach the same verdicts; the service keeps its browser between runs,
runs only the metrics' audits, blocks literal internal addresses as the CLI does, and when it cannot
start the CLI measures instead. No timing is asserted (docs/toc-do-trang.md has the measurements)."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Iterator

import pytest

from portal_audit.evidence.artifacts import LighthouseResult
from portal_audit.network.resolve import ResolveRule, parse_rule
from portal_audit.settings import Settings, load_settings
from portal_audit.visit.lighthouse import (METRICS, SERVICE_AUDITS, chrome_flags, node_flags, run_lighthouse,
                                           service_for)
from portal_audit.visit.lighthouse_service import BenchmarkMemo, LighthouseService, ServiceUnavailable, boot_id
from portal_audit.visit.tools import lighthouse_command
from portal_audit.visit.trust import nss_home

from .world.profile_2025 import LATE, PORTAL, build_sites, c
from .world.server import Request, Response, Site, World

# Lighthouse and Chromium processes, on the 2025 world. One group: the module's world is started
# once, and its 40 s of Lighthouse runs are scheduled among the long groups, not after the short tests.
pytestmark = [pytest.mark.world, pytest.mark.xdist_group("speed-engines")]

SLOW = c("so-cham")
PROBE_HOST = "do-noi-bo.tinh-chuan.gov.vn"
CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _probe_page(world_port: dict[str, int]):
    """A page that asks for an image by a literal internal address (the world's own) and one by name
    (plain HTTP, so that nothing but the blocking keeps the browser from the internal one)."""
    def route(request: Request) -> Response:
        port = world_port["port"]
        return Response(body=f'<!doctype html><title>x</title><h1>Trang</h1><img src="/anh.png" alt="">'
                             f'<img src="http://127.0.0.1:{port}/noi-bo.png" alt="">')
    return route


@pytest.fixture(scope="module")
def speed_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, tuple[ResolveRule, ...], Path]]:
    folder = tmp_path_factory.mktemp("speed-engines")
    world_port: dict[str, int] = {}
    sites = build_sites()
    sites[PROBE_HOST] = Site({"/": _probe_page(world_port), "*": Response(body=b"", content_type="image/png")},
                             https=False)
    with World(sites, folder, ca=True) as world:
        world_port["port"] = world.port
        rules = tuple(parse_rule(arg) for arg in world.resolve_args()[1::2])
        yield world, rules, nss_home(Path(world.ca_file), folder / "home")


def one_run(settings: Settings) -> Settings:
    return settings.model_copy(update={"speed": settings.speed.model_copy(update={"runs": 1, "engine": "service"})})


def over_limits(result: LighthouseResult, settings: Settings) -> set[str]:
    """The metrics over their limits: what SPEED's verdict is made of (checks/page_speed.py)."""
    limits = settings.speed.limits_ms.model_dump()
    assert set(result.median) == set(METRICS), result.runs
    return {name for name, value in result.median.items() if value >= limits[name]}


def test_service_and_cli_agree_on_the_fast_the_slow_and_the_late_site(speed_world) -> None:
    world, rules, home = speed_world
    settings = one_run(load_settings())
    service = service_for(settings, CHROMIUM, home)
    assert service is not None
    verdicts: dict[str, dict[str, set[str]]] = {"service": {}, "cli": {}}
    try:
        for url in (PORTAL, SLOW, LATE):
            for engine, used in (("service", service), ("cli", None)):
                result = run_lighthouse(url, settings, chromium=CHROMIUM, ignore_https_errors=False, resolve=rules,
                                        home=home, service=used)
                assert (result.version, result.form_factor, result.throttling) == ("12.2.3", "mobile", "simulate")
                assert result.report_html and "lighthouse" in result.report_html.lower()
                verdicts[engine][url] = over_limits(result, settings)
    finally:
        service.close()
    # Written by hand: the portal passes; the slow component's 1 MB hero image and its long tasks
    # (400 ms after the first frame, 900 ms after load) put LCP and TBT over their limits
    # (selftests/world/profile_2025.py), whichever engine measures: LCP about 6.5 s against 4 s,
    # TBT 1.5 s or more against 0.6 s, far over both under any load. The late page fails the same two
    # only if the measurement is still listening 500 ms after load: a service that stopped earlier
    # than the CLI would pass it. Speed Index varies between runs on both engines.
    for engine in ("service", "cli"):
        assert verdicts[engine][PORTAL] == set(), (engine, verdicts)
        for url in (SLOW, LATE):
            assert {"lcp", "tbt"} <= verdicts[engine][url] <= {"lcp", "tbt", "speed_index"}, (engine, url, verdicts)


def _marked(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and marker.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                found.append(int(entry))
        except OSError:
            continue
    return found


def test_the_service_keeps_its_browser_runs_only_the_metrics_and_blocks_internal_addresses(
        speed_world, tmp_path: Path) -> None:
    world, rules, home = speed_world
    settings = one_run(load_settings())
    # A lock of its own, so the machine's BenchmarkIndex memo beside it starts empty.
    settings = settings.model_copy(update={"speed": settings.speed.model_copy(update={"lock_file": str(tmp_path / "lock")})})
    service = service_for(settings, None, None)
    assert service is not None and service.memo is not None and service.memo.read() is None
    service.start()  # early, before the worker knows its Chromium: Node loads Lighthouse
    assert _marked(service.marker) == [], "no Chromium before the first run"
    service.chromium, service.home = CHROMIUM, home
    request = {"url": f"http://{PROBE_HOST}/", "flags": node_flags(settings),
               "chromeFlags": chrome_flags(settings, False, rules, service.marker)}
    world.clear_requests()
    try:
        assert service.measure({**request, "output": str(tmp_path / "a")}, settings.speed.timeout) is None
        browser = _marked(service.marker)
        assert browser, "the service's Chromium stays up between runs"
        assert service.measure({**request, "output": str(tmp_path / "b")}, settings.speed.timeout) is None
        assert set(_marked(service.marker)) & set(browser), "the second run used the same browser"
    finally:
        service.close()
    assert _marked(service.marker) == []  # closed with its worker: no browser left behind
    first, lhr = (json.loads((tmp_path / f"{run}.report.json").read_text(encoding="utf-8")) for run in "ab")
    # BenchmarkIndex (a ~1 s busy loop; no metric reads it under simulated throttling) is measured
    # on the machine's first run and reused: measured twice, it differs (3066 and 3178 on one machine).
    measured = first["environment"]["benchmarkIndex"]
    assert isinstance(measured, (int, float)) and measured > 0
    assert lhr["environment"]["benchmarkIndex"] == measured
    assert service.memo.read() == measured  # kept for the machine's other services
    # Another service of the machine (a new process, another worker or audit) reuses the memo.
    service.memo.write(1234.5)
    other = service_for(settings, CHROMIUM, home)
    try:
        assert other.measure({**request, "chromeFlags": chrome_flags(settings, False, rules, other.marker),
                              "output": str(tmp_path / "c")}, settings.speed.timeout) is None
    finally:
        other.close()
    reused = json.loads((tmp_path / "c.report.json").read_text(encoding="utf-8"))
    assert reused["environment"]["benchmarkIndex"] == 1234.5
    assert set(lhr["audits"]) == set(SERVICE_AUDITS)
    # Only the CPU quiet window is shortened; the windows that catch content after load keep
    # Lighthouse's defaults (docs/toc-do-trang.md).
    config = lhr["configSettings"]
    assert config["cpuQuietThresholdMs"] == settings.speed.service_cpu_quiet_ms == 50
    assert (config["pauseAfterLoadMs"], config["networkQuietThresholdMs"], config["pauseAfterFcpMs"]) == (1000, 1000, 1000)
    assert lhr["categories"]["performance"]["score"] is not None
    paths = [r.path for r in world.requests_to(PROBE_HOST)]
    assert paths.count("/anh.png") == 3  # the page and its image by name loaded, in all three runs
    assert not [r for r in world.requests() if r.path == "/noi-bo.png"], "a literal internal address was reached"


def _fake_cli(folder: Path) -> Path:
    """A lighthouse 'CLI' that writes a fixed report: which engine measured shows in its version."""
    script = folder / "lighthouse"
    report = {"lighthouseVersion": "0-cli-gia", "configSettings": {"formFactor": "mobile", "throttlingMethod": "simulate"},
              "finalDisplayedUrl": "https://x/", "categories": {"performance": {"score": 1}},
              "audits": {audit: {"numericValue": 100} for audit in METRICS.values()}}
    script.write_text(f"#!{sys.executable}\nimport json, sys\nout = [a.split('=', 1)[1] for a in sys.argv "
                      f"if a.startswith('--output-path=')][0]\nopen(out + '.report.json', 'w').write({json.dumps(json.dumps(report))})\n"
                      f"open({str(folder / 'argv.json')!r}, 'w').write(json.dumps(sys.argv))\n",
                      encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_the_cli_measures_when_the_service_cannot_start(tmp_path: Path) -> None:
    settings = one_run(load_settings())
    settings = settings.model_copy(update={"speed": settings.speed.model_copy(update={"command": str(_fake_cli(tmp_path))})})
    broken = tmp_path / "lighthouse-hong"
    broken.mkdir()
    (broken / "package.json").write_text("{}", encoding="utf-8")  # no core/index.js: Node stops at once
    service = LighthouseService(broken, CHROMIUM, None, "--portal-audit-lighthouse=kiem-thu")
    result = run_lighthouse("https://x/", settings, chromium=CHROMIUM, ignore_https_errors=False, service=service)
    assert result.version == "0-cli-gia" and result.median == {name: 100.0 for name in METRICS}
    argv = json.loads((tmp_path / "argv.json").read_text(encoding="utf-8"))
    # The CLI runs the service's audits: the metrics, measured the same way, no full-page screenshot.
    assert f"--only-audits={','.join(SERVICE_AUDITS)}" in argv and "--disable-full-page-screenshot" in argv
    assert "--throttling-method=simulate" in argv and "--form-factor=mobile" in argv
    assert service.unavailable is not None
    assert service.unavailable.startswith("tiến trình Lighthouse (Node) không khởi động được: ")
    assert "Cannot find module" in service.unavailable or "ERR_MODULE_NOT_FOUND" in service.unavailable
    with pytest.raises(ServiceUnavailable):  # later runs go straight to the CLI
        service.measure({}, 5)


def test_the_benchmark_memo_holds_only_a_number_of_this_boot(tmp_path: Path) -> None:
    memo = BenchmarkMemo(tmp_path / "memo.json")
    assert memo.read() is None  # none yet
    memo.write(2500.0)
    assert memo.read() == 2500.0
    for planted in ('{"boot": "another-boot", "benchmark_index": 2500}', "not json", '["a", "list"]',
                    json.dumps({"boot": boot_id(), "benchmark_index": "2500"}),
                    json.dumps({"boot": boot_id(), "benchmark_index": -3}),
                    json.dumps({"boot": boot_id(), "benchmark_index": True}),
                    json.dumps({"boot": boot_id(), "benchmark_index": 2500, "pad": "x" * 2000})):
        (tmp_path / "memo.json").write_text(planted, encoding="utf-8")
        assert memo.read() is None, planted
    for refused in (0, -1.0, float("nan"), "2500", None, True):
        memo.write(refused)
        assert memo.read() is None, refused
    assert not list(tmp_path.glob("*.tmp"))  # written whole or not at all


def test_the_engine_setting_chooses_the_service_or_the_cli(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.speed.engine == "service"  # the default: it agrees with the CLI (above)
    cli = settings.model_copy(update={"speed": settings.speed.model_copy(update={"engine": "cli"})})
    assert service_for(cli, CHROMIUM, None) is None
    service = service_for(settings, CHROMIUM, None)
    assert service is not None and service.package_dir == lighthouse_command("").resolve().parents[1]
    assert (service.package_dir / "core" / "index.js").is_file()
    config = tmp_path / "sai.yaml"
    config.write_text("speed:\n  engine: nhanh\n", encoding="utf-8")
    with pytest.raises(Exception) as err:
        load_settings(config)
    assert "engine" in str(err.value)
