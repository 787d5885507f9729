"""The summary as results of their own in the Allure report ("Xếp hạng lượt truy cập",
"Tổng hợp mức độ tuân thủ"), so the report alone carries the rankings.

They are written by the process that sees all results (the xdist controller), after the audit,
straight into --alluredir in the format allure-pytest uses: '<uuid>-result.json' plus
'<uuid>-attachment.<ext>' files. Their status is 'unknown': they are not compliance verdicts and
must not add to the passed/failed counts of the audit cases."""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from portal_audit.summary_tables import Table, to_csv, to_html

PARENT_SUITE = "Tổng hợp đánh giá"
# fullName prefix that tells summary results apart from audit cases (see selftests/audit_runner.py).
FULL_NAME_PREFIX = "portal_audit.summary"


def _write(directory: Path, name: str, content: str) -> None:
    temporary = directory / f".{name}.tmp"
    temporary.write_text(content, encoding="utf-8")
    os.replace(temporary, directory / name)


def write_summary_result(directory: Path, key: str, title: str, description: str, tables: list[Table],
                         started_ms: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    attachments: list[dict[str, Any]] = []
    html_name = f"{uuid.uuid4()}-attachment.html"
    _write(directory, html_name, to_html(tables))
    attachments.append({"name": f"{title} (bảng)", "source": html_name, "type": "text/html"})
    for table in tables:
        csv_name = f"{uuid.uuid4()}-attachment.csv"
        _write(directory, csv_name, to_csv(table))
        attachments.append({"name": f"{table.title} (CSV)", "source": csv_name, "type": "text/csv"})
    full_name = f"{FULL_NAME_PREFIX}.{key}"
    result_uuid = str(uuid.uuid4())
    result = {
        "uuid": result_uuid,
        # Stable across runs, so Allure's history follows the summary from one audit to the next.
        "historyId": hashlib.md5(full_name.encode()).hexdigest(),
        "testCaseId": hashlib.md5(full_name.encode()).hexdigest(),
        "fullName": full_name,
        "name": title,
        "status": "unknown",
        "stage": "finished",
        "description": description,
        "descriptionHtml": to_html(tables),
        "attachments": attachments,
        "parameters": [],
        "steps": [],
        "links": [],
        "labels": [{"name": "parentSuite", "value": PARENT_SUITE}, {"name": "suite", "value": title},
                   {"name": "feature", "value": PARENT_SUITE}, {"name": "story", "value": title},
                   {"name": "tag", "value": "tong-hop"}, {"name": "framework", "value": "portal-audit"},
                   {"name": "language", "value": "python"}],
        "start": started_ms,
        "stop": int(time.time() * 1000),
    }
    path = directory / f"{result_uuid}-result.json"
    _write(directory, path.name, json.dumps(result, ensure_ascii=False, indent=2))
    return path
