"""Audit configuration: defaults shipped with the package, overridden by an optional YAML file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG = Path(__file__).with_name("default_config.yaml")


class ConfigError(Exception):
    """The configuration file cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class EmcSettings:
    host: str
    script_path: str
    tracker_path: str
    queue: str


@dataclass(frozen=True)
class BadgeSettings:
    selectors: tuple[str, ...]
    texts: tuple[str, ...]
    image_pattern: str


@dataclass(frozen=True)
class LinkSettings:
    bare_host_pattern: str


@dataclass(frozen=True)
class VisitSettings:
    navigation_timeout: float
    load_timeout: float
    settle_budget: float
    poll_interval: float
    hard_budget: float
    retries: int
    retry_backoff: float
    viewport: dict[str, int]
    locale: str
    user_agent_suffix: str
    screenshot_max_height: int


@dataclass(frozen=True)
class BrowserSettings:
    args: tuple[str, ...]
    fallback_executables: tuple[str, ...]


@dataclass(frozen=True)
class Labels:
    groups: dict[str, str]
    roles: dict[str, str]


@dataclass(frozen=True)
class EmcDataSettings:
    # Accepted column headers of the EMC visit export (--emc-data), per field; compared ignoring
    # case and surrounding spaces, so an auditor can map another export's headers in configuration.
    columns: dict[str, list[str]]


@dataclass(frozen=True)
class RankingSettings:
    # Criterion 3.3: count the component sites' visits in their portal's total as well.
    include_components: bool
    # Weight of each criterion in the overall compliance score (criteria not listed weigh 1).
    weights: dict[str, float]

    def __post_init__(self) -> None:
        # TypeError is turned into a one-line ConfigError naming the file by load_settings.
        if not isinstance(self.include_components, bool):
            raise TypeError("ranking.include_components phải là true hoặc false")
        for code, weight in self.weights.items():
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
                raise TypeError(f"ranking.weights.{code} phải là một số không âm")


@dataclass(frozen=True)
class DiscoverySettings:
    """Proposing component sites from a portal homepage (python -m portal_audit.discover)."""

    link_blocks: tuple[str, ...]  # headings/labels of the link blocks that list component sites
    other_host_suffixes: tuple[str, ...]  # hosts outside the portal's domain counted in those blocks
    exclude_hosts: tuple[str, ...]  # regexes: social networks, online public-service systems, mail
    exclude_paths: tuple[str, ...]  # regexes: links to files
    sitemap_paths: tuple[str, ...]
    sitemap_max_files: int
    stable_seconds: float
    title_timeout: float


@dataclass(frozen=True)
class Settings:
    emc: EmcSettings
    badge: BadgeSettings
    links: LinkSettings
    visit: VisitSettings
    browser: BrowserSettings
    labels: Labels
    discovery: DiscoverySettings
    emc_data: EmcDataSettings
    ranking: RankingSettings


def _merge(base: dict[str, Any], override: dict[str, Any], where: str) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if key not in base:
            raise ConfigError(f"{where}: khóa cấu hình không hợp lệ '{key}' (có: {', '.join(sorted(base))})")
        if isinstance(base[key], dict) and key not in ("viewport", "groups", "roles"):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: '{key}' phải là một bảng khóa/giá trị")
            merged[key] = _merge(base[key], value, f"{where}.{key}")
        else:
            merged[key] = value
    return merged


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as err:
        raise ConfigError(f"{path}: không đọc được tệp cấu hình: {err.strerror}") from None
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else "?"
        raise ConfigError(f"{path}:{line}: lỗi cú pháp YAML: {err.problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: tệp cấu hình phải là một bảng khóa/giá trị")
    return data


def load_settings(override_path: Path | None = None) -> Settings:
    raw = _read_yaml(DEFAULT_CONFIG)
    if override_path is not None:
        raw = _merge(raw, _read_yaml(override_path), str(override_path))
    try:
        return Settings(
            emc=EmcSettings(**raw["emc"]),
            badge=BadgeSettings(
                selectors=tuple(raw["badge"]["selectors"]),
                texts=tuple(raw["badge"]["texts"]),
                image_pattern=raw["badge"]["image_pattern"],
            ),
            links=LinkSettings(**raw["links"]),
            visit=VisitSettings(**raw["visit"]),
            browser=BrowserSettings(
                args=tuple(raw["browser"]["args"]),
                fallback_executables=tuple(raw["browser"]["fallback_executables"]),
            ),
            labels=Labels(**raw["labels"]),
            discovery=DiscoverySettings(**{k: tuple(v) if isinstance(v, list) else v
                                            for k, v in raw["discovery"].items()}),
            emc_data=EmcDataSettings(**raw["emc_data"]),
            ranking=RankingSettings(**raw["ranking"]),
        )
    except TypeError as err:
        raise ConfigError(f"{override_path or DEFAULT_CONFIG}: cấu hình không hợp lệ: {err}") from None
