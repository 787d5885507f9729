"""axe-core on the loaded page (criterion A11Y): the pinned axe.min.js is evaluated in the page (not
as a <script> tag, so no content security policy of the page can stop it) and run with the WCAG 2.x
A/AA tags of the settings; only the violations travel back, each with its first elements."""

from __future__ import annotations

from playwright.sync_api import Page

from portal_audit.evidence.artifacts import AxeNode, AxeResult, AxeViolation
from portal_audit.settings import AccessibilitySettings
from portal_audit.visit.tools import axe_script

_RUN = """async (options) => {
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('axe: quá thời gian')), options.timeout));
  const result = await Promise.race([axe.run(document, {runOnly: {type: 'tag', values: options.tags},
                                                          resultTypes: ['violations']}), timeout]);
  return {
    version: result.testEngine.version, url: result.url, passes: result.passes.length,
    incomplete: result.incomplete.length,
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact || 'minor', help: v.help, help_url: v.helpUrl, tags: v.tags,
      node_count: v.nodes.length,
      nodes: v.nodes.slice(0, options.maxNodes).map((n) => ({
        target: (n.target || []).map(String).join(' '), html: (n.html || '').slice(0, 300),
        summary: (n.failureSummary || '').slice(0, 500)})),
    })),
  };
}"""


def run_axe(page: Page, settings: AccessibilitySettings) -> AxeResult:
    source = axe_script()
    page.evaluate(f"() => {{ {source}\n;}}")
    raw = page.evaluate(_RUN, {"tags": list(settings.tags), "maxNodes": settings.max_nodes_per_rule,
                               "timeout": settings.timeout * 1000})
    return AxeResult(version=raw["version"], url=raw["url"], passes=raw["passes"], incomplete=raw["incomplete"],
                     violations=[AxeViolation(**{**v, "nodes": [AxeNode(**n) for n in v["nodes"]]})
                                 for v in raw["violations"]])
