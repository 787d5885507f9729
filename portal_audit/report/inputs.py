"""What the agency reports are made from: results.json (the records and the summary the run
computed, read by portal_audit.records.reader), the Allure results folder (each case's evidence
files and the run info), and the Allure history file (each case's result in earlier rounds). A file
that cannot be used raises InputError (ResultsError for results.json) naming it.

All of it is read as untrusted (portal_audit.artifacts): sizes bounded by the settings' `artifacts`,
attachments only of the types the report shows (ATTACHMENT_TYPES) and only from inside the results
folder given."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from portal_audit.artifacts import ArtifactError, confined, read_limited, read_text_limited
from portal_audit.records.reader import read_results_file
from portal_audit.records.schema import ResultsDocument
from portal_audit.render.agency import Previous
from portal_audit.render.allure_results import MAX_STEP_DEPTH, SUMMARY_PREFIX
from portal_audit.render.evaluation import (
    REPORT_TITLE,
    Evaluation,
    read_allure_run_info,
)
from portal_audit.render.html import IMAGE_TYPES
from portal_audit.settings import ArtifactSettings
from portal_audit.urls import site_key

# The attachments an agency report shows (images embedded, CSV tables); any other type named in a
# result (whatever it holds: HTML, SVG, quotes) is left out.
ATTACHMENT_TYPES = (*IMAGE_TYPES, "text/csv")


class InputError(ArtifactError):
    """An input file or folder cannot be used; str() names it, in one line."""


@dataclass(frozen=True)
class EvidenceFile:
    name: str  # as the audit named it, e.g. "Ảnh toàn trang", "Danh sách liên kết trên trang chủ"
    mime: str  # one of ATTACHMENT_TYPES
    path: Path  # inside the results folder
    limit: int  # bytes read at most

    def read(self) -> bytes:
        return read_limited(self.path, self.limit, "tệp đính kèm Allure")


@dataclass
class Results:
    path: Path
    model: ResultsDocument
    document: dict[str, Any]  # as plain JSON data

    @property
    def records(self) -> list[dict[str, Any]]:
        return self.document["records"]

    @property
    def evaluation(self) -> Evaluation | None:
        data = self.document.get("evaluation")
        return Evaluation.from_json(data) if isinstance(data, dict) else None


def load_results(path: Path, limits: ArtifactSettings) -> Results:
    """ResultsError (portal_audit.records.reader) when the file cannot be used."""
    model = read_results_file(path, limits.results_max_bytes)
    return Results(path, model, model.to_json())


@dataclass
class AllureResults:
    directory: Path
    evidence: dict[tuple[str, str], list[EvidenceFile]] = field(default_factory=dict)  # (site, criterion)
    started: dict[tuple[str, str], int] = field(default_factory=dict)  # when the case's result started (ms)
    run_info: dict[str, Any] | None = None


def _attachments(node: Any, directory: Path, limit: int, depth: int = 0) -> list[EvidenceFile]:
    """The attachments of a result and its steps that the report may show: a type of
    ATTACHMENT_TYPES and a file of the folder itself (a `source` leading elsewhere is ignored)."""
    if not isinstance(node, dict) or depth > MAX_STEP_DEPTH:
        return []
    found = []
    for attachment in node.get("attachments") if isinstance(node.get("attachments"), list) else []:
        if not isinstance(attachment, dict) or attachment.get("type") not in ATTACHMENT_TYPES:
            continue
        path = confined(directory, attachment.get("source"))
        if path is not None and path.stat().st_size <= limit:  # a bigger one is left out of the report
            found.append(EvidenceFile(str(attachment.get("name", "")), attachment["type"], path, limit))
    for step in node.get("steps") if isinstance(node.get("steps"), list) else []:
        found += _attachments(step, directory, limit, depth + 1)
    return found


def _allure_result(path: Path, limit: int) -> dict[str, Any]:
    try:
        result = json.loads(read_text_limited(path, limit, "kết quả Allure"))
    except (OSError, ValueError, RecursionError) as err:
        raise InputError(f"{path}: không đọc được kết quả Allure: {err}") from None
    if not isinstance(result, dict):
        raise InputError(f"{path}: không phải kết quả Allure")
    return result


def load_allure_results(directory: Path, limits: ArtifactSettings) -> AllureResults:
    """Each case's evidence files, from its latest result in the folder (a re-run replaced older ones)."""
    if not directory.is_dir():
        raise InputError(f"{directory}: không tìm thấy thư mục kết quả Allure (--alluredir của lần đánh giá)")
    latest: dict[str, tuple[int, dict[str, Any]]] = {}
    for path in sorted(directory.glob("*-result.json")):
        if confined(directory, path.name) is None:
            continue  # a symlink or a folder named like a result
        result = _allure_result(path, limits.allure_result_max_bytes)
        name = str(result.get("fullName") or "")
        if "#" not in name or name.startswith(SUMMARY_PREFIX):
            continue
        start = result.get("start") if isinstance(result.get("start"), int) else 0
        if name not in latest or start >= latest[name][0]:
            latest[name] = (start, result)
    out = AllureResults(directory, run_info=read_allure_run_info(directory, limits.run_info_max_bytes))
    for name, (start, result) in latest.items():
        site, criterion = name.rsplit("#", 1)
        out.evidence[site, criterion] = _attachments(result, directory, limits.attachment_max_bytes)
        out.started[site, criterion] = start
    return out


@dataclass
class History:
    """Each case's results in the rounds of an Allure history file, oldest first."""

    path: Path | None
    # Per round: its report name, and (site key, criterion) -> (status, start in ms).
    rounds: list[tuple[str, dict[tuple[str, str], tuple[str, int]]]] = field(default_factory=list)

    def previous(self, site: str, criterion: str, before_ms: int | None) -> Previous | None:
        """The case's latest result that started before `before_ms` (this round's result of the
        case, which the history also holds once this round's Allure report was generated)."""
        identity = (site_key(site), criterion)
        found: Previous | None = None
        for name, results in self.rounds:
            status_start = results.get(identity)
            if status_start is None or (before_ms is not None and status_start[1] >= before_ms):
                continue
            status, start = status_start
            when = datetime.fromtimestamp(start / 1000).strftime("%d/%m/%Y") if start else ""
            found = Previous(status, name.removeprefix(REPORT_TITLE).strip(" —"), when)
        return found


def iso_ms(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return int(datetime.fromisoformat(iso).timestamp() * 1000)
    except ValueError:
        return None


def recorded_history(evaluation: Evaluation | None) -> tuple[Path | None, str | None]:
    """The history file results.json names (an artifact: a path anywhere), used only when it is a
    regular .jsonl file, not a symlink; otherwise None and the warning to print."""
    if evaluation is None or not isinstance(evaluation.history, str) or not evaluation.history:
        return None, None
    path = Path(evaluation.history)
    if path.suffix != ".jsonl" or path.is_symlink() or (path.exists() and not path.is_file()):
        return None, (f"bỏ qua tệp lịch sử '{evaluation.history}' ghi trong kết quả (không phải tệp .jsonl); "
                      "chỉ định --history để so với kỳ trước")
    return path, None


def load_history(path: Path | None, limit: int) -> History:
    """The Allure history (JSON lines, one per generated report); none yet before the first round."""
    if path is None or not path.exists():
        return History(path)
    history = History(path)
    try:
        lines = read_text_limited(path, limit, "tệp lịch sử").splitlines()
    except OSError as err:
        raise InputError(f"{path}: không đọc được tệp lịch sử: {err}") from None
    points = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            point = json.loads(line)
            results = {}
            for tr in (point.get("testResults") or {}).values():
                name = str(tr.get("fullName") or "")
                if "#" in name and not name.startswith(SUMMARY_PREFIX):
                    site, criterion = name.rsplit("#", 1)
                    results[site_key(site), criterion] = (str(tr.get("status")), int(tr.get("start") or 0))
        except (ValueError, AttributeError, TypeError, RecursionError) as err:
            raise InputError(f"{path}:{number}: không phải dòng lịch sử Allure: {err}") from None
        points.append((int(point.get("timestamp") or 0), str(point.get("name") or ""), results))
    history.rounds = [(name, results) for _, name, results in sorted(points, key=lambda p: p[0])]
    return history
