"""Reading back a run's files (results.json, the Allure results folder, portal-audit.json) as
untrusted input: shard artifacts are copied from other machines before the merge and the report,
so a file may be anything. Every read is bounded, and a file named inside an artifact is taken
only from the folder it belongs to (no '..', no absolute path, no symlink leading out)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class ArtifactError(Exception):
    """A file read back cannot be used; str() names it, in one line."""


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, refused beyond `limit` bytes (read no further than that)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise  # the caller names what is missing in its own words
    except OSError as err:
        raise ArtifactError(f"{path}: không đọc được {what}: {err.strerror or err}") from None
    if len(data) > limit:
        raise ArtifactError(f"{path}: {what} lớn hơn giới hạn {limit:,} byte (artifacts trong cấu hình)")
    return data


def read_text_limited(path: Path, limit: int, what: str) -> str:
    data = read_limited(path, limit, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ArtifactError(f"{path}: {what} không phải văn bản UTF-8 ({err.reason} ở byte {err.start})") from None


def confined(directory: Path, name: object) -> Path | None:
    """The regular file `name` directly inside `directory`, or None when `name` is not a plain file
    name of that folder (a path, '..', an absolute path, a symlink, a folder, nothing there)."""
    if not isinstance(name, str) or not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        return None
    path = directory / name
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if not stat.S_ISREG(mode):  # a symlink (lstat does not follow it), a folder, a device
        return None
    if path.resolve().parent != directory.resolve():
        return None
    return path
