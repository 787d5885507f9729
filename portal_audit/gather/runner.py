"""Runs the gatherers a site's criteria need, each once, in dependency order, and assembles the
site's frozen SiteEvidence: the visit's capture, each artifact or the reason it is missing. Each
gatherer runs on its own: one that fails leaves its reason, the gatherers reading its artifact give
the same reason, and only the criteria that need them are broken."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from portal_audit.evidence import gatherers as names
from portal_audit.evidence.artifacts import Gathered
from portal_audit.evidence.site import SiteEvidence, VisitFailure
from portal_audit.gather import (dns_probe, homepage, https_probe, in_page, item_pages, lighthouse, metadata, news,
                                 page_text, phone)
from portal_audit.gather.unit import GatherContext, GatherError, Gatherer, Tools
from portal_audit.inventory import Site
from portal_audit.visit.errors import VisitError
from portal_audit.visit.page import Readiness, Visit

UNITS: dict[str, Gatherer] = {unit.name: unit for unit in (
    homepage.GATHERER, *in_page.GATHERERS, metadata.GATHERER, news.GATHERER, dns_probe.GATHERER,
    https_probe.GATHERER, phone.GATHERER, lighthouse.GATHERER, page_text.GATHERER, item_pages.GATHERER)}
# The artifacts' attributes on Gathered, by gatherer.
_FIELDS = {names.HTML: "html", names.DATES: "page_dates", names.FEEDS: "feeds", names.AXE: "axe",
           names.METADATA: "metadata", names.NEWS: "news", names.LIGHTHOUSE: "lighthouse", names.MOBILE: "mobile",
           names.DNS: "dns", names.HTTPS: "https", names.PAGE_TEXT: "page_text", names.ITEM_PAGES: "item_pages"}


class _Run:
    """One site's gathering: the artifacts and reasons so far (the runner's own, never a gatherer's)."""

    def __init__(self) -> None:
        self.found: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self.visit_failure: VisitFailure | None = None

    def blocked_by(self, unit: Gatherer) -> str | None:
        return next((self.errors[n] for n in (*unit.needs, *unit.after) if n in self.errors), None)

    def run(self, unit: Gatherer, context: GatherContext) -> None:
        try:
            self.found[unit.name] = unit.run(context)
        except VisitError as err:
            if unit.name == names.VISIT:
                self.visit_failure = VisitFailure(err.message, err.reason, err.evidence)
                self.errors[unit.name] = f"không tải được trang chủ: {err.reason}"
            else:
                self.errors[unit.name] = err.message
        except GatherError as err:
            self.errors[unit.name] = str(err)
        except Exception as err:  # noqa: BLE001 - one gatherer's failure breaks only the criteria needing it
            if unit.name == names.VISIT:
                # Not the site's doing (the browser closed under the audit, a defect of the audit): the
                # case ends with it, and the plugin records it as the auditor's (pytest_portal_audit.network).
                raise
            self.errors[unit.name] = str(err) or type(err).__name__

    def evidence(self, site: Site) -> SiteEvidence:
        visit: Visit | None = self.found.get(names.VISIT)
        artifacts = Gathered(**{field: self.found.get(name) for name, field in _FIELDS.items()},
                             errors={n: e for n, e in self.errors.items() if n != names.VISIT})
        return SiteEvidence(site.url, visit.capture if visit else None, artifacts, self.visit_failure)


def gather_site(site: Site, needs: frozenset[str], tools: Tools, is_complete: Readiness,
                links_complete: Readiness | None = None) -> SiteEvidence:
    """Everything `needs` (with what it requires) asks for about `site`, once, in dependency order."""
    wanted = names.expand(needs)
    run = _Run()
    for name in names.in_order(wanted):
        unit = UNITS[name]
        blocked = run.blocked_by(unit)
        if blocked is not None:
            run.errors[name] = blocked
            continue
        run.run(unit, GatherContext(site, tools, wanted, is_complete, links_complete,
                                    MappingProxyType(dict(run.found)), MappingProxyType(dict(run.errors))))
    return run.evidence(site)
