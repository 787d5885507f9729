"""The run's manifest (portal_audit.records.manifest), on the process that writes results.json (the
xdist controller, or the only process), after every other file of the run: results.json, the
workbook, the Allure run info and summary, the pruning of superseded Allure results. A wrapper
of pytest_sessionfinish, so its own part runs after every plugin's."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generator

import pytest

from portal_audit.records.manifest import ALLURE, ManifestError, write_manifest
from portal_audit.records.reader import ResultsError
from pytest_portal_audit.results_writer import ResultsWriter


class ManifestWriter:
    def __init__(self, results: ResultsWriter) -> None:
        self.results = results
        self.error: str | None = None
        self.written: Path | None = None

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Generator[None, Any, Any]:
        outcome = yield
        options = self.results.audit.options
        wrote = bool(self.results.records) or options.shard is not None  # as ResultsWriter.write decides
        if wrote and options.results_path.is_file():
            written = [Path(p) for p in self.results.summary.written]
            folders = {ALLURE: options.allure_dir} if options.allure_dir is not None else {}
            try:
                self.written = write_manifest(options.results_path, written, folders)
            except (OSError, ResultsError, ManifestError) as err:
                self.error = f"không ghi được bản kê kiểm chứng: {err}"
        return outcome

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.error is not None:
            terminalreporter.write_line(f"portal-audit: LỖI: {self.error}", red=True)
        elif self.written is not None:
            terminalreporter.write_line(f"portal-audit: bản kê kiểm chứng (SHA-256 của các tệp đã ghi) ghi vào "
                                        f"{self.written}")
