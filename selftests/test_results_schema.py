"""One results schema (portal_audit.records.schema): the committed docs/results.schema.json is the
model's, the writer builds through the model, the one reader refuses what the schema refuses with
one line naming the file, and evidence is bounded. Every results.json a self-test audit writes is
validated when it is read (audit_runner.AuditRun.results)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from portal_audit.records import MAX_EVIDENCE_CHARS, make_record
from portal_audit.records.reader import ResultsError, read_results_file
from portal_audit.records.results import Provenance, results_document, write_results
from portal_audit.records.schema import RESULTS_VERSION, schema_text
from portal_audit.status import Status
from portal_audit.verdicts import Verdict

from . import required
from .audit_runner import REPO, RESULTS_SCHEMA, validate_results

REGENERATE = "python -m portal_audit.records.schema > docs/results.schema.json"
RECORD = {"portal": "bo-a", "group": "ministry", "site": "https://bo-a.gov.vn/", "site_name": "Bộ A",
          "role": "portal", "criterion": "3.1", "status": "broken", "message": "Không truy cập được",
          "evidence": {"error_kind": "auditor_network"}, "measured_at": "2026-11-29T01:05:00+00:00"}


def stale(committed: str) -> str | None:
    """Why the committed schema is not the model's, or None."""
    if committed != schema_text():
        return f"docs/results.schema.json không khớp với mô hình; chạy: {REGENERATE}"
    return None


def test_committed_schema_is_the_models() -> None:
    assert stale(RESULTS_SCHEMA.read_text(encoding="utf-8")) is None, stale(RESULTS_SCHEMA.read_text(encoding="utf-8"))
    edited = json.loads(RESULTS_SCHEMA.read_text(encoding="utf-8"))
    edited["$defs"]["ResultRecord"]["required"].remove("message")
    assert stale(json.dumps(edited, ensure_ascii=False, indent=2) + "\n") == (
        f"docs/results.schema.json không khớp với mô hình; chạy: {REGENERATE}")


@pytest.mark.world
def test_the_command_prints_the_schema() -> None:
    done = subprocess.run([sys.executable, "-m", "portal_audit.records.schema"], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout == RESULTS_SCHEMA.read_text(encoding="utf-8")


def _document(records: list[dict[str, Any]]) -> dict[str, Any]:
    provenance = Provenance("a" * 64, None, ("bo-a",), None, "b" * 64)
    return results_document(records, Path("inventory.yaml"), True, {"evaluation": {"period": "2026-Q4"}},
                            provenance, {"profile": "2024", "criteria": ["3.1"]}).to_json()


def test_written_documents_validate_and_keep_their_keys(tmp_path: Path) -> None:
    reviewed = {**RECORD, "status": "passed", "automatic_status": "failed", "review_applied": True,
                "review": {"reviewer": "A"}, "a_later_key": 1}
    path = write_results(tmp_path / "results.json", results_document(
        [RECORD, reviewed], Path("inventory.yaml"), False, {}, Provenance("a" * 64, None, ("bo-a",), "1/2")))
    document = json.loads(path.read_text(encoding="utf-8"))
    validate_results(path, document)
    assert document["version"] == RESULTS_VERSION and document["records"] == [RECORD, reviewed]
    assert document["summary"] == {"passed": 1, "failed": 0, "broken": 1, "skipped": 0}
    assert read_results_file(path).record_dicts() == [RECORD, reviewed]


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["records"][0].update(status="maybe"), "bản ghi thứ 1, khóa 'status'"),
    (lambda d: d["records"][0].pop("site"), "bản ghi thứ 1 thiếu site"),
    (lambda d: d["records"][0].update(evidence=[1]), "bản ghi thứ 1, khóa 'evidence'"),
    (lambda d: d.update(complete="perhaps"), "khóa 'complete'"),
    (lambda d: d.update(version=RESULTS_VERSION + 1), "khóa 'version': phải nhỏ hơn hoặc bằng 1"),
    (lambda d: d.update(ranking=[{"group": "ministry"}]), "khóa 'ranking.1.portal': thiếu khóa bắt buộc"),
])
def test_the_schema_and_the_reader_refuse_alike(tmp_path: Path, change: Any, problem: str) -> None:
    document = _document([dict(RECORD)])
    validate_results(tmp_path / "results.json", document)  # the document as written: valid
    change(document)
    path = tmp_path / "results.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ResultsError) as caught:
        read_results_file(path)
    assert str(caught.value).startswith(f"{path}: ") and problem in str(caught.value), str(caught.value)
    assert "\n" not in str(caught.value)
    jsonschema = required.module("jsonschema", "not a dependency of the audit; pip install jsonschema")
    schema = json.loads(RESULTS_SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def test_evidence_is_bounded(tmp_path: Path) -> None:
    huge = {"error_kind": "page_error", "reasons": ["emc_missing"], "links": ["x" * 1000] * (MAX_EVIDENCE_CHARS // 900)}
    record = make_record({k: RECORD[k] for k in ("portal", "group", "site", "site_name", "role", "criterion")},
                         Verdict(Status.FAILED, "Không đạt", huge))
    assert record["evidence"]["error_kind"] == "page_error" and record["evidence"]["reasons"] == ["emc_missing"]
    assert record["evidence"]["evidence_truncated_chars"] > MAX_EVIDENCE_CHARS and "links" not in record["evidence"]
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"records": [{**RECORD, "evidence": huge}]}), encoding="utf-8")
    with pytest.raises(ResultsError, match=r"bản ghi thứ 1, khóa 'evidence': bằng chứng quá lớn \("):
        read_results_file(path)
