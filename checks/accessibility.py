"""Criterion A11Y (Decree 224/2026 Art. 10.3c, Circular 26/2020): axe-core's automated WCAG 2.x
A/AA rules on the loaded homepage, violations by impact with the elements. Informative by default
(settings criteria.informative): an automated subset triages, a manual audit decides."""

from __future__ import annotations

import json
from dataclasses import asdict

from portal_audit.evidence.artifacts import AxeResult
from portal_audit.evidence.gatherers import AXE
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.verdicts import Attachment, Verdict
from portal_audit.evidence.site import SiteEvidence

IMPACTS = {"critical": "nghiêm trọng", "serious": "cao", "moderate": "trung bình", "minor": "thấp"}
EXAMPLES = 3


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    result: AxeResult = site_evidence.artifact(AXE)
    limits = settings.accessibility.max_rules
    by_impact = {impact: [v for v in result.violations if v.impact == impact] for impact in IMPACTS}
    over = [impact for impact, limit in limits.items() if len(by_impact.get(impact, [])) > limit]
    counts = {impact: {"rules": len(rules), "nodes": sum(v.node_count for v in rules)}
              for impact, rules in by_impact.items()}
    evidence = {"axe_version": result.version, "tags": list(settings.accessibility.tags), "counts": counts,
                "violations": [{"id": v.id, "impact": v.impact, "help": v.help, "nodes": v.node_count,
                                "targets": [n.target for n in v.nodes]} for v in result.violations],
                "final_url": site_evidence.final_url, "reasons": [str(FailureKind.AXE_VIOLATIONS)] if over else []}
    attachments = [Attachment("Vi phạm WCAG (axe-core)", _json([asdict(v) for v in result.violations]),
                              "application/json", "json")] if result.violations else []
    summary = "; ".join(f"mức {IMPACTS[i]} ({i}) {c['rules']} quy tắc, {c['nodes']} phần tử"
                        for i, c in counts.items() if c["rules"])
    if over:
        serious = [v for i in over for v in by_impact[i]]
        examples = "; ".join(f"{v.id} ({v.help}) ở {v.nodes[0].target if v.nodes else '?'}" for v in serious[:EXAMPLES])
        return Verdict(Status.FAILED, f"Trang chủ vi phạm quy tắc WCAG 2.x A/AA (axe-core {result.version}): {summary}. "
                                      f"Ví dụ: {examples}", evidence, attachments)
    note = f"; các vi phạm khác: {summary}" if summary else ""
    return Verdict(Status.PASSED, f"Không có vi phạm WCAG 2.x A/AA mức {', '.join(limits) or 'nào'} vượt ngưỡng "
                                  f"(axe-core {result.version}){note}", evidence, attachments)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
