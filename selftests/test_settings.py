"""Settings are typed: any wrong key, type or value in an --audit-config file is one line naming
the file, the line, the key and what was expected (checked by direct calls), and the audit stops
on it before any browser starts (one subprocess)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal_audit.settings import SourceError, load_settings

from .audit_runner import REPO

BAD = {
    "word-for-number": ("visit:\n  retries: two\n", 2, "visit.retries: cần một số nguyên, nhận 'two'"),
    "fraction-for-int": ("visit:\n  retries: 1.5\n", 2, "visit.retries: cần một số nguyên, nhận 1.5"),
    "negative": ("visit:\n  retries: -1\n", 2, "visit.retries: phải lớn hơn hoặc bằng 0, nhận -1"),
    "zero-timeout": ("visit:\n  navigation_timeout: 0\n", 2, "visit.navigation_timeout: phải lớn hơn 0, nhận 0"),
    "text-for-bool": ("ranking:\n  include_components: 'có'\n", 2,
                      "ranking.include_components: cần true hoặc false, nhận 'có'"),
    "typo": ("visit:\n  retry: 2\n", 2, "visit.retry: khóa không hợp lệ (có: navigation_timeout,"),
    "unknown-section": ("vist:\n  retries: 2\n", 1, "vist: khóa không hợp lệ (có: emc, badge, visit,"),
    "list-for-mapping": ("visit: [1, 2]\n", 1, "visit: cần một bảng khóa/giá trị, nhận một danh sách"),
    "bad-regex": ("badge:\n  image_pattern: '(emc'\n", 2, "badge.image_pattern: không phải biểu thức chính quy"),
    "empty-host": ("emc:\n  host: ''\n", 2, "emc.host: không được để trống"),
    "list-item": ("badge:\n  texts:\n    - Đã kết nối EMC\n    - 5\n", 4, "badge.texts[2]: cần một chuỗi văn bản, nhận 5"),
    "not-a-mapping": ("- visit\n", 1, "tệp cấu hình phải là một bảng khóa/giá trị"),
    "yaml-syntax": ("visit:\n  retries: [2\n", 3, "lỗi cú pháp YAML"),
    "repeated-key": ("visit:\n  retries: 1\n  retries: 2\n", 3, "khóa bị lặp lại"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_settings_name_file_line_and_key(tmp_path: Path, case: str) -> None:
    text, line, problem = BAD[case]
    path = tmp_path / "audit.yaml"
    path.write_text("# cấu hình thử\n" + text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line + 1}: "), message
    assert problem in message
    assert "\n" not in message


def test_partial_override_keeps_the_other_defaults(tmp_path: Path) -> None:
    path = tmp_path / "audit.yaml"
    path.write_text("visit:\n  retries: 0\nemc_data:\n  columns:\n    visits: [Pageviews]\n", encoding="utf-8")
    settings, defaults = load_settings(path), load_settings()
    assert settings.visit.retries == 0 and settings.visit.navigation_timeout == defaults.visit.navigation_timeout
    assert settings.emc_data.columns.visits == ("Pageviews",)
    assert settings.emc_data.columns.site_id == defaults.emc_data.columns.site_id
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing overridden\n", encoding="utf-8")
    assert load_settings(empty) == defaults


@pytest.mark.world
def test_the_audit_stops_on_a_wrong_type_before_any_browser(tmp_path: Path) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text("visit:\n  retries: two\n", encoding="utf-8")
    results = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/portals", "--audit-config", str(config),
                           "--results", str(results), "-p", "no:cacheprovider"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR:")]
    assert errors == [f"ERROR: {config}:2: visit.retries: cần một số nguyên, nhận 'two'"], done.stderr
    assert "chromium" not in (done.stdout + done.stderr).lower()
    assert not results.exists()
