"""What a gatherer is: a name, the gatherers whose artifacts it reads, and `run(context) -> artifact`.
A gatherer reads the artifacts of those before it through the context (read-only) and returns its
own; it never changes another's. It fails by raising: GatherError with the Vietnamese reason, or any
exception (its text becomes the reason). The runner (portal_audit.gather.runner) does the rest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.urls import parse_address
from portal_audit.visit.lighthouse_service import LighthouseService
from portal_audit.visit.page import Readiness
from portal_audit.visit.visits import SiteVisits


class GatherError(Exception):
    """A gatherer gave nothing, for the reason given (Vietnamese, shown in a broken verdict)."""


@dataclass(frozen=True)
class Tools:
    """What the gatherers work with, the same for every site of a worker."""

    visits: SiteVisits  # the browser, with the settings, --resolve and --ignore-https-errors
    chromium: str | None = None  # the audit's Chromium, for Lighthouse
    trust_home: Path | None = None  # HOME whose NSS database trusts https.extra_ca_file
    # The worker's long-lived Lighthouse (speed.engine: service); None: the CLI each run.
    lighthouse: LighthouseService | None = None

    @property
    def settings(self) -> Settings:
        return self.visits.settings


@dataclass(frozen=True)
class GatherContext:
    site: Site
    tools: Tools
    wanted: frozenset[str]  # every gatherer this site's criteria need
    is_complete: Readiness  # the criteria watching the page are satisfied (see visit_site)
    links_complete: Readiness | None  # the interactive criteria found their links
    found: Mapping[str, Any]  # artifacts of the gatherers run before, by name (read-only)
    errors: Mapping[str, str]  # why those that failed gave nothing

    @property
    def settings(self) -> Settings:
        return self.tools.settings

    def host(self) -> str:
        address = parse_address(self.site.url, bare=True)
        if address is None:
            raise GatherError(f"địa chỉ không hợp lệ: {self.site.url}")
        return address.host


@dataclass(frozen=True)
class Gatherer:
    name: str
    run: Callable[[GatherContext], Any]
    # Gatherers whose artifacts it reads: when one of them failed, this one is not run and gives
    # that one's reason.
    needs: tuple[str, ...] = ()
    # Gatherers that, when run and failed, make this one pointless (a homepage that did not load
    # would only fail or hang the same way again), though it does not read them.
    after: tuple[str, ...] = ()
