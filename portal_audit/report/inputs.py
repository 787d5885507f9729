"""What the agency reports are made from: results.json (the records and the summary the run
computed), the Allure results folder (each case's evidence files and the run info), and the Allure
history file (each case's result in earlier rounds). A file that cannot be used raises InputError
naming it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from portal_audit.render.agency import Previous
from portal_audit.render.allure_results import SUMMARY_PREFIX
from portal_audit.render.evaluation import (
    REPORT_TITLE,
    Evaluation,
    read_allure_run_info,
)
from portal_audit.urls import site_key


class InputError(Exception):
    """An input file or folder cannot be used; str() names it, in one line."""


@dataclass(frozen=True)
class EvidenceFile:
    name: str  # as the audit named it, e.g. "Ảnh toàn trang", "Danh sách liên kết trên trang chủ"
    mime: str
    path: Path

    def read(self) -> bytes:
        return self.path.read_bytes()


@dataclass
class Results:
    path: Path
    document: dict[str, Any]

    @property
    def records(self) -> list[dict[str, Any]]:
        return self.document["records"]

    @property
    def evaluation(self) -> Evaluation | None:
        data = self.document.get("evaluation")
        return Evaluation.from_json(data) if isinstance(data, dict) else None


def load_results(path: Path) -> Results:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: không tìm thấy tệp kết quả (results.json)") from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise InputError(f"{path}: không đọc được tệp kết quả: {err}") from None
    records = document.get("records") if isinstance(document, dict) else None
    keys = {"portal", "group", "site", "criterion", "status", "message"}
    if not isinstance(records, list) or not all(isinstance(r, dict) and keys <= r.keys() for r in records):
        raise InputError(f"{path}: không phải tệp results.json của portal-audit (thiếu 'records')")
    return Results(path, document)


@dataclass
class AllureResults:
    directory: Path
    evidence: dict[tuple[str, str], list[EvidenceFile]] = field(default_factory=dict)  # (site, criterion)
    started: dict[tuple[str, str], int] = field(default_factory=dict)  # when the case's result started (ms)
    run_info: dict[str, Any] | None = None


def _attachments(node: dict[str, Any], directory: Path) -> list[EvidenceFile]:
    found = [EvidenceFile(str(a.get("name", "")), str(a.get("type", "")), directory / str(a["source"]))
             for a in node.get("attachments") or [] if a.get("source")]
    for step in node.get("steps") or []:
        found += _attachments(step, directory)
    return found


def load_allure_results(directory: Path) -> AllureResults:
    """Each case's evidence files, from its latest result in the folder (a re-run replaced older ones)."""
    if not directory.is_dir():
        raise InputError(f"{directory}: không tìm thấy thư mục kết quả Allure (--alluredir của lần đánh giá)")
    latest: dict[str, tuple[int, dict[str, Any]]] = {}
    for path in sorted(directory.glob("*-result.json")):
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise InputError(f"{path}: không đọc được kết quả Allure: {err}") from None
        if not isinstance(result, dict):
            raise InputError(f"{path}: không phải kết quả Allure")
        name = str(result.get("fullName") or "")
        if "#" not in name or name.startswith(SUMMARY_PREFIX):
            continue
        start = int(result.get("start") or 0)
        if name not in latest or start >= latest[name][0]:
            latest[name] = (start, result)
    out = AllureResults(directory, run_info=read_allure_run_info(directory))
    for name, (start, result) in latest.items():
        site, criterion = name.rsplit("#", 1)
        out.evidence[site, criterion] = [f for f in _attachments(result, directory) if f.path.is_file()]
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


def load_history(path: Path | None) -> History:
    """The Allure history (JSON lines, one per generated report); none yet before the first round."""
    if path is None or not path.exists():
        return History(path)
    history = History(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
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
        except (ValueError, AttributeError, TypeError) as err:
            raise InputError(f"{path}:{number}: không phải dòng lịch sử Allure: {err}") from None
        points.append((int(point.get("timestamp") or 0), str(point.get("name") or ""), results))
    history.rounds = [(name, results) for _, name, results in sorted(points, key=lambda p: p[0])]
    return history
