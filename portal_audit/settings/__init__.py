"""Audit settings: the defaults shipped in default.yaml, overridden by an optional file
(--audit-config), validated into typed models before anything else happens."""

from __future__ import annotations

from pathlib import Path

from portal_audit.settings.model import (AccessibilitySettings, ArtifactSettings, BadgeSettings, BrowserSettings, CriteriaSettings,
                                         DiscoverySettings, DnsSettings, DomainSettings, EmcDataSettings,
                                         EmcSettings, FreshnessSettings, HttpsSettings, Labels, MetadataSettings,
                                         MobileSettings, NetworkSettings, RankingSettings, Settings, SpeedSettings,
                                         VisitSettings)
from portal_audit.yamlio import SourceError, merge, read_yaml, validate

DEFAULTS = Path(__file__).with_name("default.yaml")

__all__ = ["AccessibilitySettings", "ArtifactSettings", "BadgeSettings", "BrowserSettings", "CriteriaSettings", "DEFAULTS",
           "DiscoverySettings", "DnsSettings", "DomainSettings", "EmcDataSettings", "EmcSettings", "FreshnessSettings",
           "HttpsSettings", "Labels", "MetadataSettings", "MobileSettings", "NetworkSettings", "RankingSettings",
           "Settings", "SourceError", "SpeedSettings", "VisitSettings", "load_settings"]


def load_settings(override: Path | None = None) -> Settings:
    """The defaults, with `override` laid over them; SourceError names file, line and key."""
    source = read_yaml(DEFAULTS, "tệp cấu hình mặc định")
    if override is not None:
        given = read_yaml(override, "tệp cấu hình")
        if given.data is not None and not isinstance(given.data, dict):
            path, line = given.where((0,))
            raise SourceError(f"{path}:{line}: tệp cấu hình phải là một bảng khóa/giá trị")
        if given.data:
            source = merge(source, given)
    return validate(Settings, source)
