"""The manifest of a run: beside results.json (`results.manifest.json`), written last, it lists the
SHA-256 of every file the run wrote — results.json, the workbook, and everything in the folders the
run owns (its Allure results) — by path relative to its folder, with what the round was (settings
digest, period, profile, criteria, inventory digest), taken from results.json itself.

It lets the merge and the report refuse an artifact changed after the run (a tampered shard, a
planted Allure file), and a published report name the evidence it was built from: its digest is
the SHA-256 of this file (portal_audit.verify checks it). It proves that files are the ones the run
wrote, not who ran it: anyone able to rewrite both the files and the manifest changes the digest,
which the published report then no longer matches."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from portal_audit.files import write_atomic
from portal_audit.records.reader import read_results_file
from portal_audit.records.schema import ResultsDocument

MANIFEST_VERSION = 1
SUFFIX = ".manifest.json"
# Files in a listed folder at most (an Allure folder of a national run holds some 10^5).
MAX_FILES = 1_000_000
CHUNK = 1 << 20


class ManifestError(ValueError):
    """An artifact that does not match its manifest, or a manifest that cannot be used; str() is
    one line naming the file."""


class Folder(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str  # relative to the manifest's folder where it can be (the layout of the run)
    files: dict[str, str]  # path inside the folder -> SHA-256


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(MANIFEST_VERSION, ge=1, le=MANIFEST_VERSION)
    results: str  # results.json's name, in `files`
    settings_digest: str | None = None
    period: str | None = None
    profile: str | None = None
    criteria: list[str] | None = None
    inventory_digest: str | None = None
    files: dict[str, str]  # path relative to the manifest's folder -> SHA-256
    folders: dict[str, Folder] = Field(default_factory=dict)  # e.g. "allure" -> the run's Allure results


def manifest_path(results_path: Path) -> Path:
    return results_path.with_name(results_path.stem + SUFFIX)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(directory: Path) -> Iterator[tuple[str, Path]]:
    """Every file under `directory` (temporary and hidden ones aside), by its path inside it."""
    count = 0
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith(".") or not path.is_file() or path.is_symlink():
                continue
            count += 1
            if count > MAX_FILES:
                return
            yield path.relative_to(directory).as_posix(), path


def folder_files(directory: Path) -> dict[str, str]:
    """Every file under `directory` (temporary and hidden ones aside) -> its SHA-256."""
    return {name: sha256_file(path) for name, path in _walk(directory)}


def _relative(path: Path, start: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()
    except ValueError:  # another drive
        return str(path.resolve())


def round_fields(document: ResultsDocument) -> dict[str, object]:
    """What the round was, as the manifest repeats it from results.json."""
    return {"settings_digest": document.settings_digest, "period": document.period, "profile": document.profile,
            "criteria": document.criteria, "inventory_digest": document.inventory_digest}


def write_manifest(results_path: Path, files: Iterable[Path] = (), folders: Mapping[str, Path] | None = None) -> Path:
    """The manifest of the run that wrote `results_path`, `files` (beside it) and the `folders` it
    owns; written last, through a rename."""
    document = read_results_file(results_path)  # a results.json that does not validate is never vouched for
    base = results_path.parent
    listed = {_relative(results_path, base): sha256_file(results_path)}
    for path in files:
        if path.is_file() and path.resolve() != results_path.resolve():
            listed[_relative(path, base)] = sha256_file(path)
    manifest = Manifest(results=_relative(results_path, base), files=listed, **round_fields(document),
                        folders={role: Folder(path=_relative(directory, base), files=folder_files(directory))
                                 for role, directory in (folders or {}).items() if directory.is_dir()})
    return write_atomic(manifest_path(results_path), manifest.model_dump_json(indent=2))


def read_manifest(path: Path) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest.model_validate(data)
    except FileNotFoundError:
        raise ManifestError(f"{path}: không tìm thấy bản kê kiểm chứng") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as err:
        problem = err.errors()[0]["msg"] if isinstance(err, ValidationError) else str(err)
        raise ManifestError(f"{path}: không đọc được bản kê kiểm chứng: {' '.join(problem.split())[:200]}") from None
    for name in [*manifest.files, *(n for f in manifest.folders.values() for n in f.files)]:
        if not _confined(name):
            raise ManifestError(f"{path}: bản kê ghi đường dẫn không hợp lệ '{name[:100]}'")
    if manifest.results not in manifest.files:
        raise ManifestError(f"{path}: bản kê không ghi tệp kết quả '{manifest.results[:100]}'")
    return manifest


def _confined(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts and "\\" not in name


@dataclass(frozen=True)
class Listed:
    """Files one or several manifests list in one folder: name -> the digests allowed (the shards of
    a run copied together all wrote their own environment.properties)."""

    manifests: tuple[Path, ...]
    digests: dict[str, set[str]]

    @classmethod
    def of(cls, entries: Iterable[tuple[Path, Mapping[str, str]]]) -> "Listed":
        manifests, digests = [], {}  # type: ignore[var-annotated]
        for manifest, files in entries:
            manifests.append(manifest)
            for name, digest in files.items():
                digests.setdefault(name, set()).add(digest)
        return cls(tuple(manifests), digests)

    @property
    def named(self) -> str:
        return ", ".join(str(m) for m in self.manifests)


def check_listed(directory: Path, listed: Listed, *, complete: bool) -> None:
    """Every file `listed` is in `directory` with a content it lists; `complete`: and nothing else
    is there (a file planted after the run). ManifestError names the first file that is not."""
    for name in sorted(listed.digests):
        path = directory / name
        if not path.is_file():
            raise ManifestError(f"{path}: thiếu tệp ghi trong bản kê kiểm chứng {listed.named}")
        if sha256_file(path) not in listed.digests[name]:
            raise ManifestError(f"{path}: nội dung khác với bản kê kiểm chứng {listed.named} "
                                "(SHA-256 không khớp): tệp đã bị thay đổi sau lần đánh giá")
    if complete:
        extra = sorted({name for name, _ in _walk(directory)} - set(listed.digests))
        if extra:
            raise ManifestError(f"{directory / extra[0]}: tệp không có trong bản kê kiểm chứng {listed.named}")


def check_results(results_path: Path, document: ResultsDocument) -> Manifest:
    """The manifest beside `results_path`: results.json and the files listed beside it as the run
    wrote them (a listed file no longer there, e.g. a workbook not copied, is not checked), and the
    round it names the one results.json names."""
    path = manifest_path(results_path)
    manifest = read_manifest(path)
    digest = manifest.files[manifest.results]
    if sha256_file(results_path) != digest:
        raise ManifestError(f"{results_path}: nội dung khác với bản kê kiểm chứng {path} (SHA-256 không khớp): "
                            "tệp đã bị thay đổi sau lần đánh giá")
    present = {name: d for name, d in manifest.files.items() if (results_path.parent / name).is_file()}
    check_listed(results_path.parent, Listed.of([(path, present)]), complete=False)
    for key, value in round_fields(document).items():
        if getattr(manifest, key) != value:
            raise ManifestError(f"{path}: bản kê ghi {key} '{getattr(manifest, key)}' khác với {results_path}")
    return manifest


def manifest_digest(results_path: Path) -> str | None:
    """The SHA-256 of the run's manifest (the digest a published report shows); None without one."""
    path = manifest_path(results_path)
    return sha256_file(path) if path.is_file() else None


ALLURE = "allure"  # the role of a run's Allure results folder in its manifest


def check_runs(results: Sequence[tuple[Path, ResultsDocument]], allure_dir: Path | None) -> list[Path]:
    """Each results.json against its manifest, and `allure_dir` (the runs' Allure results, copied
    together) against the Allure files their manifests list: a changed file is refused, and, when
    every run has a manifest, so is a file none of them lists. Returns the results files that have
    no manifest (written before manifests, or by hand): nothing of theirs could be checked."""
    checked: list[tuple[Path, Manifest]] = []
    unchecked: list[Path] = []
    for path, document in results:
        if manifest_path(path).is_file():
            checked.append((manifest_path(path), check_results(path, document)))
        else:
            unchecked.append(path)
    with_allure = [(path, m.folders[ALLURE].files) for path, m in checked if ALLURE in m.folders]
    if allure_dir is not None and with_allure:
        check_listed(allure_dir, Listed.of(with_allure), complete=not unchecked and len(with_allure) == len(checked))
    return unchecked


def unchecked_warning(path: Path) -> str:
    return (f"{path}: không có bản kê kiểm chứng ({manifest_path(path).name}); không kiểm được tệp có bị thay đổi "
            "sau lần đánh giá hay không")


def check_run_folder(manifest_file: Path) -> int:
    """Every file a manifest lists, where the run left it: beside the manifest, and in its folders
    at their recorded place (with nothing added there). Returns how many files were checked."""
    manifest = read_manifest(manifest_file)
    base = manifest_file.parent
    check_listed(base, Listed.of([(manifest_file, manifest.files)]), complete=False)
    count = len(manifest.files)
    for role, folder in manifest.folders.items():
        directory = base / folder.path
        if not directory.is_dir():
            raise ManifestError(f"{directory}: không tìm thấy thư mục '{role}' ghi trong bản kê kiểm chứng "
                                f"{manifest_file}")
        check_listed(directory, Listed.of([(manifest_file, folder.files)]), complete=True)
        count += len(folder.files)
    return count
