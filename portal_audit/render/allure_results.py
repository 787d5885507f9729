"""The audit in Allure's result format: the model (allure_commons.model2) built from a case's
record and evidence, or from a summary table, and written by allure_commons' file writer.

Results of one (site, criterion) share a historyId across runs, so Allure follows a site's trend
from one evaluation round to the next, and a re-run can replace a portal's earlier results."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import ATTACHMENT_PATTERN, Attachment, Label, Link, Parameter, StatusDetails, TestResult
from allure_commons.model2 import TestStepResult

from portal_audit.artifacts import ArtifactError, confined, read_text_limited
from portal_audit.inventory import Site
from portal_audit.records import Record
from portal_audit.settings import Labels
from portal_audit.urls import site_key
from portal_audit.verdicts import Attachment as Evidence

FRAMEWORK = "portal-audit"
# The audit attaches files to a result and to its steps, one level down; deeper is not looked at.
MAX_STEP_DEPTH = 3
# fullName prefix of the summary results, telling them apart from the audit cases.
SUMMARY_PREFIX = "portal_audit.summary."
# The tag of the summary entries: informational, not verdicts (their status is passed, never "unknown").
INFORMATIONAL = "thông tin"


def history_id(site: str, criterion: str) -> str:
    return hashlib.md5(f"{site_key(site)}#{criterion}".encode()).hexdigest()


@dataclass
class AllureItem:
    """A result and the attachment files it refers to."""

    result: TestResult
    files: list[tuple[str, bytes | str]] = field(default_factory=list)

    def attach(self, evidence: Evidence) -> Attachment:
        name = ATTACHMENT_PATTERN.format(prefix=uuid.uuid4(), ext=evidence.extension)
        self.files.append((name, evidence.content))
        return Attachment(name=evidence.name, source=name, type=evidence.mime)


@dataclass(frozen=True)
class Step:
    name: str
    status: str
    message: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


def json_evidence(name: str, data: Any) -> Evidence:
    return Evidence(name, json.dumps(data, ensure_ascii=False, indent=2), "application/json", "json")


def case_title(site: Site, code: str, title: str) -> str:
    return f"{code} {title} — {site.name}"


def case_labels(site: Site, code: str, title: str, labels: Labels) -> list[tuple[str, str]]:
    """Where an agency finds its case: parent suite = group, suite = portal, sub suite = site,
    feature/story = criterion; and the portal, site and criterion as labels of their own."""
    return [("parentSuite", labels.groups.get(site.group, site.group)), ("suite", site.portal_name),
            ("subSuite", f"{site.name} ({site.url})"), ("feature", f"Tiêu chí {code.rstrip('abcdefgh')}"),
            ("story", f"{code} {title}"), ("tag", site.portal_id), ("portal", site.portal_id),
            ("site", site.url), ("criterion", code), ("role", labels.roles.get(site.role, site.role))]


def case_description(site: Site, code: str, title: str, labels: Labels) -> str:
    role = labels.roles.get(site.role, site.role)
    return f"{role}: **{site.name}** ({site.url}) thuộc {site.portal_name}.\n\nTiêu chí {code}: {title}."


def case_item(record: Record, *, title: str, description: str, labels: list[tuple[str, str]], steps: list[Step],
              start_ms: int, stop_ms: int, message: str | None = None) -> AllureItem:
    """One audit case: the record's status and reason (or `message`, shown whatever the status),
    and the visit and the judgement as steps."""
    identity = history_id(record["site"], record["criterion"])
    if message is None and record["status"] != "passed":
        message = record["message"]
    result = TestResult(
        uuid=str(uuid.uuid4()), historyId=identity, testCaseId=identity,
        fullName=f"{record['site']}#{record['criterion']}", name=title, status=record["status"],
        statusDetails=StatusDetails(message=message) if message else None,
        stage="finished", description=description, start=start_ms, stop=stop_ms,
        labels=[Label(name=k, value=v) for k, v in labels] + [Label(name="framework", value=FRAMEWORK)],
        links=[Link(type="link", url=record["site"], name=record["site"])],
    )
    item = AllureItem(result)
    for step in steps:
        result.steps.append(TestStepResult(
            name=step.name, status=step.status, stage="finished", start=start_ms, stop=stop_ms,
            statusDetails=StatusDetails(message=step.message) if step.message else None,
            parameters=[Parameter(name=k, value=str(v)) for k, v in step.parameters.items()],
            attachments=[item.attach(e) for e in step.evidence]))
    return item


def summary_item(key: str, title: str, description: str, description_html: str, labels: dict[str, str],
                 evidence: list[Evidence], start_ms: int, stop_ms: int) -> AllureItem:
    """A summary table as a result of its own. Passed, as an informational entry (tag "thông tin"): Allure
    counts an 'unknown' one under "Unknown", which reads as a case the audit could not decide."""
    full_name = SUMMARY_PREFIX + key
    identity = hashlib.md5(full_name.encode()).hexdigest()
    result = TestResult(
        uuid=str(uuid.uuid4()), historyId=identity, testCaseId=identity, fullName=full_name, name=title,
        status="passed", stage="finished", description=description, descriptionHtml=description_html,
        start=start_ms, stop=stop_ms,
        labels=[Label(name=k, value=v) for k, v in labels.items()]
        + [Label(name="tag", value=INFORMATIONAL), Label(name="framework", value=FRAMEWORK)])
    item = AllureItem(result)
    result.attachments = [item.attach(e) for e in evidence]
    return item


class AllureOutput:
    """Writes items into an Allure results folder (allure_commons' writer: each file by a rename)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._writer = AllureFileLogger(str(directory))

    def write(self, item: AllureItem) -> None:
        for name, content in item.files:
            self._writer.report_attached_data(body=content, file_name=name)
        self._writer.report_result(item.result)


def _results(directory: Path, limit: int) -> list[tuple[Path, dict[str, Any]]]:
    """The results of a folder (maybe copied from other machines): files of the folder itself, at
    most `limit` bytes each; anything else is left alone."""
    found = []
    for path in directory.glob("*-result.json"):
        if confined(directory, path.name) is None:
            continue
        try:
            result = json.loads(read_text_limited(path, limit, "kết quả Allure"))
        except (OSError, ValueError, RecursionError, ArtifactError):
            continue
        if isinstance(result, dict):
            found.append((path, result))
    return found


def _attachment_sources(node: Any, depth: int = 0) -> list[Any]:
    if not isinstance(node, dict) or depth > MAX_STEP_DEPTH:
        return []
    attachments = node.get("attachments") if isinstance(node.get("attachments"), list) else []
    sources = [a.get("source") for a in attachments if isinstance(a, dict)]
    for step in node.get("steps") if isinstance(node.get("steps"), list) else []:
        sources += _attachment_sources(step, depth + 1)
    return sources


def prune_superseded(directory: Path, since_ms: int, limit: int) -> int:
    """Removes the earlier results of every (site, criterion) that has a result written since
    `since_ms`: a re-run replaces results only once the new ones exist, so an interrupted re-run
    leaves the earlier results of what it did not reach."""
    results = _results(directory, limit)
    fresh = {r.get("historyId") for _, r in results if _start(r) >= since_ms}
    removed = 0
    for path, result in results:
        if result.get("historyId") in fresh and _start(result) < since_ms:
            _remove(directory, path, result)
            removed += 1
    return removed


def _start(result: dict[str, Any]) -> int:
    start = result.get("start")
    return start if isinstance(start, int) else 0


def _remove(directory: Path, path: Path, result: dict[str, Any]) -> None:
    """One result file and its attachments: only files of the folder itself, whatever `source` says
    (a copied result naming '../../x' must not make the merge delete x)."""
    for source in _attachment_sources(result):
        attachment = confined(directory, source)
        if attachment is not None:
            attachment.unlink(missing_ok=True)
    path.unlink(missing_ok=True)


def remove_summary_results(directory: Path, limit: int) -> int:
    """Removes the summary results (and their attachments) from a results folder: the partial
    summaries of the runs whose folders were copied together, before the merge writes its own."""
    removed = 0
    for path, result in _results(directory, limit):
        if str(result.get("fullName", "")).startswith(SUMMARY_PREFIX):
            _remove(directory, path, result)
            removed += 1
    return removed
