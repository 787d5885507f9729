"""The one reader of results.json, for the re-run, the merge and the report: the file validated
against portal_audit.records.schema, or ResultsError, one line naming the file and the problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from portal_audit.artifacts import ArtifactError, read_text_limited
from portal_audit.records.schema import ResultsDocument
from portal_audit.yamlio import describe_error

NOT_RESULTS = "không phải tệp results.json của portal-audit (thiếu 'records')"


class ResultsError(ValueError):
    """A results.json that cannot be used; str() is one line naming the file."""


def read_results_file(path: Path, max_bytes: int | None = None) -> ResultsDocument:
    """`max_bytes`: the file is read back as untrusted (copied from another machine), at most that."""
    try:
        text = path.read_text(encoding="utf-8") if max_bytes is None else \
            read_text_limited(path, max_bytes, "tệp kết quả")
        data = json.loads(text)
    except ArtifactError as err:
        raise ResultsError(str(err)) from None
    except FileNotFoundError:
        raise ResultsError(f"{path}: không tìm thấy tệp kết quả (results.json)") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as err:
        raise ResultsError(f"{path}: không đọc được tệp kết quả: {_one_line(err)}") from None
    return results_from_json(path, data)


def results_from_json(path: Path, data: Any) -> ResultsDocument:
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise ResultsError(f"{path}: {NOT_RESULTS}")
    try:
        return ResultsDocument.model_validate(data)
    except ValidationError as err:
        raise ResultsError(f"{path}: {_problem(err)}") from None


def _problem(err: ValidationError) -> str:
    errors = err.errors()
    first = errors[0]
    loc = tuple(first["loc"])
    if len(loc) >= 2 and loc[0] == "records" and isinstance(loc[1], int):
        number = loc[1]
        missing = sorted(str(e["loc"][2]) for e in errors if e["type"] == "missing" and len(e["loc"]) == 3
                         and e["loc"][:2] == ("records", number))
        if missing:
            return f"bản ghi thứ {number + 1} thiếu {', '.join(missing)}"
        where = ".".join(str(part) for part in loc[2:])
        label = f"bản ghi thứ {number + 1}" + (f", khóa '{where}'" if where else "")
        return f"{label}: {_one_line(describe_error(first, ResultsDocument))}"
    where = ".".join(str(part + 1) if isinstance(part, int) else str(part) for part in loc)
    return f"khóa '{where}': {_one_line(describe_error(first, ResultsDocument))}"


def _one_line(problem: object) -> str:
    return " ".join(str(problem).split())[:300]
