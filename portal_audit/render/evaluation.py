"""The evaluation round a run belongs to, and what an agency needs to trust its results: the period,
the inventory, the EMC export and reviews used, the tool and Chromium versions, where it ran.

The run writes it into results.json and, with --alluredir, into the Allure results folder: as
environment.properties (Allure's environment block) and as portal-audit.json, which the repository's
allurerc.mjs reads to name the report, keep its history and define its categories."""

from __future__ import annotations

import datetime
import json
import platform
import socket
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from portal_audit import __version__
from portal_audit.artifacts import ArtifactError, confined, read_text_limited
from portal_audit.files import write_atomic
from portal_audit.render.categories import Category, allure_rules

RUN_INFO = "portal-audit.json"
ENVIRONMENT = "environment.properties"
REPORT_TITLE = "Đánh giá cổng/trang thông tin điện tử"


def default_period(today: datetime.date | None = None) -> str:
    """The month of the run, e.g. '2026-11': evaluations are reported per month, quarter or year."""
    return (today or datetime.date.today()).strftime("%Y-%m")


def tool_version() -> str:
    """The package version, and the commit when running from a git checkout."""
    root = Path(__file__).resolve().parents[2]
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return __version__
    commit = done.stdout.strip() if done.returncode == 0 else ""
    return f"{__version__} (git {commit})" if commit else __version__


def where_it_ran() -> str:
    return f"{socket.gethostname()} ({platform.system()} {platform.release()}, Python {platform.python_version()})"


@dataclass(frozen=True)
class Evaluation:
    period: str
    started_at: str  # ISO 8601, UTC
    inventory: str
    emc_data: str | None
    reviews: str | None
    history: str  # the Allure history file the next round's report reads its trends from
    tool_version: str
    chromium: str | None  # None until a browser was started
    host: str

    @property
    def report_name(self) -> str:
        return f"{REPORT_TITLE} — kỳ {self.period}"

    @property
    def started_local(self) -> str:
        """When the run started, in the time of the machine showing it (dd/mm/yyyy hh:mm)."""
        try:
            return datetime.datetime.fromisoformat(self.started_at).astimezone().strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return self.started_at

    def environment(self) -> list[tuple[str, str]]:
        """The environment block, in the auditor's words."""
        return [("Kỳ đánh giá", self.period), ("Bắt đầu đánh giá", self.started_local),
                ("Danh mục", self.inventory), ("Dữ liệu lượt truy cập EMC", self.emc_data or "không có"),
                ("Rà soát thủ công", self.reviews or "không có"),
                ("Phiên bản công cụ", f"portal-audit {self.tool_version}"),
                ("Phiên bản Chromium", self.chromium or "không rõ"), ("Nơi chạy", self.host)]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Evaluation":
        fields = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in fields})


def _escape(text: str, key: bool) -> str:
    """Java properties escaping (what Allure's reader expects): non-ASCII as \\uXXXX."""
    out = []
    for char in text:
        if char in "\\=:#!" or (key and char == " "):
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif ord(char) > 126:
            out.append("".join(f"\\u{ord(unit):04x}" for unit in _utf16(char)))
        else:
            out.append(char)
    return "".join(out)


def _utf16(char: str) -> list[str]:
    data = char.encode("utf-16-be")
    return [chr(int.from_bytes(data[i:i + 2], "big")) for i in range(0, len(data), 2)]


def properties(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"{_escape(k, True)}={_escape(v, False)}\n" for k, v in pairs)


def write_allure_run_info(directory: Path, evaluation: Evaluation, all_categories: list[Category]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    write_atomic(directory / ENVIRONMENT, properties(evaluation.environment()))
    info = {"report_name": evaluation.report_name, "evaluation": evaluation.to_json(),
            "categories": allure_rules(all_categories)}
    return write_atomic(directory / RUN_INFO, json.dumps(info, ensure_ascii=False, indent=2))


def read_allure_run_info(directory: Path, limit: int) -> dict[str, Any] | None:
    """portal-audit.json of a results folder (copied from elsewhere: a file of the folder itself,
    bounded); None when there is none or it cannot be used."""
    path = confined(directory, RUN_INFO)
    if path is None:
        return None
    try:
        data = json.loads(read_text_limited(path, limit, RUN_INFO))
    except (OSError, ValueError, RecursionError, ArtifactError):
        return None
    return data if isinstance(data, dict) else None
