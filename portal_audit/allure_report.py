"""Allure labels, titles and attachments for one audit case, so an agency can find its own results:
parent suite = group, suite = portal, sub suite = site, feature/story = criterion."""

from __future__ import annotations

import json
from typing import Any

import allure

from portal_audit.config import Labels
from portal_audit.inventory import Site
from portal_audit.verdict import Verdict


def label_case(site: Site, code: str, title: str, labels: Labels) -> None:
    allure.dynamic.title(f"{code} {title} — {site.name}")
    allure.dynamic.parent_suite(labels.groups.get(site.group, site.group))
    allure.dynamic.suite(site.portal_name)
    allure.dynamic.sub_suite(f"{site.name} ({site.url})")
    allure.dynamic.feature(f"Tiêu chí {code.rstrip('abcdefgh')}")
    allure.dynamic.story(f"{code} {title}")
    allure.dynamic.tag(site.portal_id)
    allure.dynamic.label("portal", site.portal_id)
    allure.dynamic.label("role", labels.roles.get(site.role, site.role))
    allure.dynamic.link(site.url, name=site.url)
    allure.dynamic.description(
        f"{labels.roles.get(site.role, site.role)}: **{site.name}** ({site.url}) thuộc {site.portal_name}.\n\n"
        f"Tiêu chí {code}: {title}.")


def attach_verdict(verdict: Verdict, extra: dict[str, Any] | None = None) -> None:
    evidence = {**verdict.evidence, **(extra or {})}
    if evidence:
        allure.attach(json.dumps(evidence, ensure_ascii=False, indent=2), name="Bằng chứng",
                      attachment_type="application/json", extension="json")
    for item in verdict.attachments:
        allure.attach(item.content, name=item.name, attachment_type=item.mime, extension=item.extension)
