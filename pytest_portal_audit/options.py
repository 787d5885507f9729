"""The audit's command-line options, and everything they name read and checked at start-up, before
any worker or browser starts: settings, --resolve rules, the inventory, the selection of portals
and the shard, the earlier results a re-run completes, the auditors' reviews, the browser servers.
A problem stops the run with one line."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from portal_audit.checks import CODES, criteria_for
from portal_audit.inventory import (GROUPS, Inventory, SelectionError, Shard, load_inventory, parse_shard,
                                    portals_of_shard, select_portals)
from portal_audit.records.reader import ResultsError
from portal_audit.records.rerun import PreviousResults, load_previous
from portal_audit.records.results import Provenance
from portal_audit.records.reviews import Reviews, load_reviews
from portal_audit.render.evaluation import default_period
from portal_audit.settings import Settings, load_settings
from portal_audit.settings.digest import settings_digest
from portal_audit.visit import ResolveError, ResolveRule, launch_options, parse_rule
from portal_audit.visit.remote import (RemoteBrowserError, check_reachable, connect, connect_options, parse_endpoint,
                                       remote_launch_options)
from portal_audit.visit.trust import TrustError, certificates
from portal_audit.yamlio import SourceError

DEFAULT_INVENTORY = "inventory.yaml"
# The Allure history file, next to --results unless --history names one.
DEFAULT_HISTORY = "lich-su-danh-gia.jsonl"
# An ini key (e.g. [tool.pytest.ini_options] in pyproject.toml) that turns the audit on for plain
# `pytest` in that project; elsewhere the audit runs when --inventory is given.
INI_INVENTORY = "audit_inventory"


def add_options(parser: pytest.Parser) -> None:
    parser.addini(INI_INVENTORY, "danh mục cổng được đánh giá khi chạy pytest không có --inventory", default="")
    group = parser.getgroup("portal-audit", "Đánh giá cổng thông tin điện tử (Thông tư 22/2023/TT-BTTTT)")
    group.addoption("--inventory", default=None, metavar="FILE",
                    help="danh mục cổng và trang thành phần; bật việc đánh giá (trong kho mã: inventory.yaml)")
    group.addoption("--resolve", action="append", default=[], metavar="PATTERN=ADDRESS",
                    help="kết nối mọi tên miền khớp mẫu PATTERN tới ADDRESS (IP[:PORT]) thay cho DNS; lặp lại được")
    group.addoption("--ignore-https-errors", action="store_true", default=False,
                    help="chấp nhận chứng chỉ tự ký / không rõ nguồn (chỉ dùng cho bản thử nghiệm)")
    group.addoption("--results", default="reports/results.json", metavar="PATH",
                    help="tệp kết quả máy đọc được (mặc định: reports/results.json)")
    group.addoption("--audit-config", default=None, metavar="FILE",
                    help="tệp cấu hình ghi đè cấu hình mặc định (máy chủ EMC, bộ chọn, thời gian chờ)")
    group.addoption("--emc-data", default=None, metavar="FILE",
                    help="số liệu lượt truy cập xuất từ EMC (.csv, .xlsx hoặc .json) để xếp hạng tiêu chí 3.3")
    group.addoption("--portal", action="append", default=[], metavar="ID",
                    help="chỉ đánh giá cổng có mã ID và các trang thành phần của nó; lặp lại được")
    group.addoption("--group", default=None, choices=GROUPS,
                    help="chỉ đánh giá một nhóm: ministry (bộ, ngành) hoặc province (tỉnh, thành phố)")
    group.addoption("--profile", default=None, metavar="NAME",
                    help="bộ tiêu chí của một đợt đánh giá: 2024 (mặc định, Công văn 2820: 3.1-3.3) hoặc 2025 "
                         "(thêm tốc độ, tên miền, HTTPS, đặc tả dữ liệu, di động, người khuyết tật, cập nhật)")
    group.addoption("--criteria", default=None, metavar="CODE,...",
                    help="chỉ đánh giá các tiêu chí này, ví dụ 3.1,SPEED,DOMAIN (thay cho --profile)")
    group.addoption("--rerun-failed-portals", nargs="?", const="", default=None, metavar="RESULTS",
                    help="đánh giá lại mọi cổng có kết quả không đạt hoặc lỗi trong RESULTS (mặc định: tệp --results "
                         "lần trước); kết quả của các cổng khác được giữ nguyên")
    group.addoption("--period", default=None, metavar="PERIOD",
                    help="kỳ đánh giá, ghi vào tên báo cáo và kết quả, ví dụ 2026-Q4 (mặc định: tháng chạy, YYYY-MM)")
    group.addoption("--history", default=None, metavar="FILE",
                    help="tệp lịch sử của báo cáo Allure, giữ giữa các kỳ để thấy xu hướng của từng trang "
                         f"(mặc định: {DEFAULT_HISTORY} cạnh tệp --results)")
    group.addoption("--reviews", default=None, metavar="FILE",
                    help="tệp YAML kết quả rà soát thủ công: thay kết quả tự động của các trường hợp đã rà soát")
    group.addoption("--shard", default=None, metavar="K/N",
                    help="chỉ đánh giá phần thứ K trong N phần của danh mục (chia theo cổng, cân theo số trang; "
                         "mỗi máy của một ma trận CI chạy một phần, gộp lại bằng python -m portal_audit.merge)")
    group.addoption("--browser-endpoint", action="append", default=[], metavar="WS_URL",
                    help="dùng trình duyệt của máy chủ Playwright (playwright run-server) tại WS_URL thay cho "
                         "Chromium trên máy này; lặp lại được: các tiến trình -n chia nhau các máy chủ")


@dataclass(frozen=True)
class AuditOptions:
    """What the options name, read and checked once per process."""

    settings: Settings
    resolve: tuple[ResolveRule, ...]
    ignore_https_errors: bool
    results_path: Path
    inventory: Inventory  # the whole file: positions and names of every portal
    selected: Inventory  # the portals this run audits (--portal, --group, --rerun-failed-portals)
    previous: PreviousResults | None  # earlier results this run completes (re-runs, --lf)
    emc_data_path: Path | None
    allure_dir: Path | None
    period: str  # the evaluation round, e.g. "2026-Q4"
    history_path: Path  # the Allure history file (read and extended by `allure generate`)
    reviews: Reviews | None  # the auditors' decisions on cases (--reviews)
    criteria: tuple[str, ...]  # the criteria this run audits (--profile, --criteria), in registry order
    profile: str | None  # the profile they come from (None: --criteria)
    audit_config: Path | None = None
    shard: Shard | None = None
    shard_portals: frozenset[str] | None = None  # the portals of the shard, in the whole inventory
    requested: tuple[str, ...] = ()  # the portals this run's results are about, before --shard
    browser_endpoints: tuple[str, ...] = ()
    settings_digest: str | None = None  # of the settings as the files give them (before paths are made absolute)

    def in_shard(self, portal_id: str) -> bool:
        return self.shard_portals is None or portal_id in self.shard_portals

    def provenance(self) -> Provenance:
        return Provenance(self.inventory.digest(), str(self.audit_config) if self.audit_config else None,
                          self.requested, str(self.shard) if self.shard else None, self.settings_digest)


def inventory_option(config: pytest.Config) -> str | None:
    """The inventory to audit, or None when this pytest run is not an audit."""
    return config.getoption("inventory") or config.getini(INI_INVENTORY) or None


def _path(config: pytest.Config, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else config.invocation_params.dir / path


def read_options(config: pytest.Config, inventory_value: str) -> AuditOptions:
    try:
        config_file = config.getoption("audit_config")
        audit_config = _path(config, config_file) if config_file else None
        settings = load_settings(audit_config)
        rules = tuple(parse_rule(text) for text in config.getoption("resolve"))
        shard_text = config.getoption("shard")
        shard = parse_shard(shard_text) if shard_text is not None else None
        endpoints = tuple(parse_endpoint(text) for text in config.getoption("browser_endpoint"))
        if endpoints and not hasattr(config, "workerinput"):  # once, on the process that starts the workers
            check_endpoints(endpoints, settings, rules)
        inventory = load_inventory(_path(config, inventory_value))
        results_path = _path(config, config.getoption("results"))
        previous, portals = _previous_results(config, inventory, results_path, shard)
        # A re-run in which nothing failed still writes its shard's part of the earlier results.
        selected = (inventory.only(set()) if portals is None
                    else select_portals(inventory, portals, config.getoption("group")))
        profile, criteria = _criteria(config, settings, previous)
        digest = settings_digest(settings)
        settings = _trusted_ca(config, settings)
        reviews = _reviews(config, inventory, criteria, settings)
    except (SourceError, ResolveError, SelectionError, ResultsError, RemoteBrowserError, TrustError) as err:
        raise pytest.UsageError(str(err)) from None
    wanted = {r["portal"] for r in previous.records} if previous is not None else set()
    wanted |= {p.id for p in selected.portals}
    requested = tuple(p.id for p in inventory.portals if p.id in wanted)
    shard_portals = portals_of_shard(inventory, shard) if shard is not None else None
    if shard_portals is not None:
        selected = selected.only(set(shard_portals))
    emc_data = config.getoption("emc_data")
    allure_dir = getattr(config.option, "allure_report_dir", None)
    period = config.getoption("period")
    if period is not None and not period.strip():
        raise pytest.UsageError("--period: kỳ đánh giá không được để trống (ví dụ 2026-Q4)")
    history = config.getoption("history")
    return AuditOptions(settings=settings, resolve=rules, ignore_https_errors=config.getoption("ignore_https_errors"),
                        results_path=results_path, inventory=inventory, selected=selected, previous=previous,
                        emc_data_path=_path(config, emc_data) if emc_data else None,
                        allure_dir=_path(config, allure_dir) if allure_dir else None,
                        period=period.strip() if period else default_period(),
                        history_path=_path(config, history) if history else results_path.parent / DEFAULT_HISTORY,
                        reviews=reviews, criteria=criteria, profile=profile, audit_config=audit_config, shard=shard,
                        shard_portals=shard_portals, requested=requested, browser_endpoints=endpoints,
                        settings_digest=digest)


def _criteria(config: pytest.Config, settings: Settings,
              previous: PreviousResults | None) -> tuple[str | None, tuple[str, ...]]:
    """The criteria to audit: --criteria, else --profile, else those of the results a re-run
    completes, else the default profile; in registry order."""
    listed: str | None = config.getoption("criteria")
    profile: str | None = config.getoption("profile")
    profiles = settings.criteria.profiles
    if listed is not None:
        if profile is not None:
            raise SourceError("--criteria và --profile: chỉ dùng một trong hai")
        codes = [c.strip() for c in listed.split(",") if c.strip()]
        where = "--criteria"
    elif profile is None and previous is not None and previous.criteria:
        codes, where, profile = list(previous.criteria), f"{previous.path} (criteria)", previous.profile
    else:
        profile = profile or settings.criteria.default_profile
        if profile not in profiles:
            raise SourceError(f"--profile {profile}: không có bộ tiêu chí này; có: {', '.join(profiles)} "
                              "(criteria.profiles trong tệp cấu hình)")
        codes, where = list(profiles[profile]), f"criteria.profiles.{profile} trong tệp cấu hình"
    unknown = [c for c in codes if c not in CODES]
    if unknown or not codes:
        raise SourceError(f"{where}: không có tiêu chí {', '.join(unknown) or '(trống)'}; có: {', '.join(CODES)}")
    unknown_informative = [c for c in settings.criteria.informative if c not in CODES]
    if unknown_informative:
        raise SourceError(f"criteria.informative trong tệp cấu hình: không có tiêu chí {', '.join(unknown_informative)}")
    return profile, tuple(c for c in CODES if c in codes)


def _trusted_ca(config: pytest.Config, settings: Settings) -> Settings:
    """https.extra_ca_file checked now (a PEM file, certutil to hand) and made absolute."""
    given = settings.https.extra_ca_file
    if not given:
        return settings
    path = _path(config, given)
    certificates(path)
    if shutil.which("certutil") is None:
        raise TrustError("cần lệnh certutil (gói libnss3-tools) để trình duyệt tin cậy https.extra_ca_file; "
                         "chạy bin/setup")
    return settings.model_copy(update={"https": settings.https.model_copy(update={"extra_ca_file": str(path)})})


def _reviews(config: pytest.Config, inventory: Inventory, criteria: tuple[str, ...],
             settings: Settings) -> Reviews | None:
    """--reviews, checked against the cases of this run (a review of another criterion is a warning)."""
    value = config.getoption("reviews")
    if not value:
        return None
    cases = [(site.url, criterion.code) for site in inventory.sites() for criterion in criteria_for(site)
             if criterion.code in criteria]
    items = {"CONTENT": [item.code for item in settings.content.items]}  # reviewed one item at a time
    return load_reviews(_path(config, value), list(CODES), cases, items)


def check_endpoints(endpoints: tuple[str, ...], settings: Settings, rules: tuple[ResolveRule, ...]) -> None:
    """Each browser server answers, runs the same Playwright version, starts the Chromium asked for
    and applies the audit's flags (--resolve): found now rather than on every site of the run."""
    for endpoint in endpoints:
        check_reachable(endpoint)
    with sync_playwright() as playwright:
        launch = remote_launch_options(launch_options(playwright, settings.browser, rules),
                                       settings.browser.remote_executable)
        for endpoint in endpoints:
            try:
                connect(playwright, [connect_options(endpoint, launch)]).close()
            except RemoteBrowserError as err:
                raise RemoteBrowserError(f"--browser-endpoint '{endpoint}': {err}") from None


def _previous_results(config: pytest.Config, inventory: Inventory, results_path: Path,
                      shard: Shard | None) -> tuple[PreviousResults | None, list[str] | None]:
    """The earlier results this run completes, and the portals to audit given --portal and
    --rerun-failed-portals (pytest's --lf also completes the earlier results file); None: none,
    in a shard of a re-run in which nothing failed."""
    portals: list[str] = config.getoption("portal")
    rerun: Any = config.getoption("rerun_failed_portals")
    if rerun is not None:
        previous = load_previous(_path(config, rerun) if rerun else results_path)
        known = {portal.id for portal in inventory.portals}
        failing = sorted(previous.portals_to_reaudit() & known & (set(portals) or known))
        if not failing and shard is None:
            pytest.exit(f"{previous.path}: không có cổng nào không đạt hoặc lỗi, không cần đánh giá lại", returncode=0)
        return previous, failing or None
    if config.getoption("lf", False) and results_path.exists():
        try:
            return load_previous(results_path), portals
        except ResultsError:
            pass  # nothing to complete: this run's results stand alone
    return None, portals
