"""The gathering of the site being judged, for the audit's cases: a site's cases run one after
another on one worker (pytest's order, and --dist loadgroup), so the evidence of the current site is
kept until a case of another site asks for its own; at most one site's evidence is held. When the
run keeps evidence (the folder next to results.json), each site's is saved as it is gathered, for
`python -m portal_audit.rejudge`."""

from __future__ import annotations

from pathlib import Path

from portal_audit.evidence.site import SiteEvidence
from portal_audit.evidence.store import save_evidence
from portal_audit.gather.runner import gather_site
from portal_audit.gather.unit import Tools
from portal_audit.inventory import Site
from portal_audit.visit.page import Readiness


class SiteGatherer:
    def __init__(self, tools: Tools, evidence_dir: Path | None = None) -> None:
        self.tools = tools
        self.evidence_dir = evidence_dir
        self.current: tuple[str, SiteEvidence] | None = None  # the site being judged, and its evidence

    def evidence(self, site: Site, needs: frozenset[str], is_complete: Readiness,
                 links_complete: Readiness | None = None) -> SiteEvidence:
        """`links_complete`: whether the links the criteria look for are all there (the visit acts on
        the page while they are not; see portal_audit.visit.page.visit_site)."""
        if self.current is None or self.current[0] != site.key:
            self.current = None  # the previous site's evidence is no longer needed
            evidence = gather_site(site, needs, self.tools, is_complete, links_complete)
            if self.evidence_dir is not None:
                try:
                    save_evidence(self.evidence_dir, site, evidence)
                except OSError:
                    pass  # kept for re-judging only: a full disk must not cost the verdicts
            self.current = (site.key, evidence)
        return self.current[1]

    def close(self) -> None:
        self.current = None
