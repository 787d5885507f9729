"""The audit's command-line options, and everything they name read and checked at start-up, before
any worker or browser starts: settings, --resolve rules, the inventory, the selection of portals,
the earlier results a re-run completes. A problem stops the run with one line."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from checks import CODES
from portal_audit.inventory import GROUPS, Inventory, SelectionError, load_inventory, select_portals
from portal_audit.records.rerun import PreviousResults, RerunError, load_previous
from portal_audit.settings import Settings, load_settings
from portal_audit.visit import ResolveError, ResolveRule, parse_rule
from portal_audit.visit.trust import TrustError, certificates
from portal_audit.yamlio import SourceError

DEFAULT_INVENTORY = "inventory.yaml"
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
    criteria: tuple[str, ...]  # the criteria this run audits (--profile, --criteria), in registry order
    profile: str | None  # the profile they come from (None: --criteria)


def inventory_option(config: pytest.Config) -> str | None:
    """The inventory to audit, or None when this pytest run is not an audit."""
    return config.getoption("inventory") or config.getini(INI_INVENTORY) or None


def _path(config: pytest.Config, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else config.invocation_params.dir / path


def read_options(config: pytest.Config, inventory_value: str) -> AuditOptions:
    try:
        config_file = config.getoption("audit_config")
        settings = load_settings(_path(config, config_file) if config_file else None)
        rules = tuple(parse_rule(text) for text in config.getoption("resolve"))
        inventory = load_inventory(_path(config, inventory_value))
        results_path = _path(config, config.getoption("results"))
        previous, portals = _previous_results(config, inventory, results_path)
        selected = select_portals(inventory, portals, config.getoption("group"))
        profile, criteria = _criteria(config, settings, previous)
        settings = _trusted_ca(config, settings)
    except (SourceError, ResolveError, SelectionError, RerunError, TrustError) as err:
        raise pytest.UsageError(str(err)) from None
    emc_data = config.getoption("emc_data")
    allure_dir = getattr(config.option, "allure_report_dir", None)
    return AuditOptions(settings=settings, resolve=rules, ignore_https_errors=config.getoption("ignore_https_errors"),
                        results_path=results_path, inventory=inventory, selected=selected, previous=previous,
                        emc_data_path=_path(config, emc_data) if emc_data else None,
                        allure_dir=_path(config, allure_dir) if allure_dir else None,
                        criteria=criteria, profile=profile)


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


def _previous_results(config: pytest.Config, inventory: Inventory,
                      results_path: Path) -> tuple[PreviousResults | None, list[str]]:
    """The earlier results this run completes, and the portals to audit given --portal and
    --rerun-failed-portals (pytest's --lf also completes the earlier results file)."""
    portals: list[str] = config.getoption("portal")
    rerun: Any = config.getoption("rerun_failed_portals")
    if rerun is not None:
        previous = load_previous(_path(config, rerun) if rerun else results_path)
        known = {portal.id for portal in inventory.portals}
        failing = sorted(previous.portals_to_reaudit() & known & (set(portals) or known))
        if not failing:
            pytest.exit(f"{previous.path}: không có cổng nào không đạt hoặc lỗi, không cần đánh giá lại", returncode=0)
        return previous, failing
    if config.getoption("lf", False) and results_path.exists():
        try:
            return load_previous(results_path), portals
        except RerunError:
            pass  # nothing to complete: this run's results stand alone
    return None, portals
