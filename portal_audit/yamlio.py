"""YAML in and out, with ruamel.yaml as the one YAML library: files an auditor writes (settings,
inventory, proposals, reviews) are read with the line of every key, validated into typed models
(pydantic), and every problem becomes one line 'FILE:LINE: key: what was expected'.

Reading is bounded (portal_audit.yamlbounds): a file beyond a size, alias expansion or nesting
limit, or holding an impossible value (`date: 2026-13-45`), is refused with its line before any
data is built from it."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from portal_audit.yamlbounds import MAX_BYTES, SourceError, check_tree, read_bounded

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


class StrictModel(BaseModel):
    """Base of every model read from a file: unknown keys and wrong types are errors, not guesses
    (`retries: two` stops the run at start-up instead of breaking every site later)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


@dataclass
class Sourced:
    """Plain data read from YAML files (mappings as dicts, sequences as tuples), with the file and
    line every value came from."""

    data: Any
    origins: dict[Loc, tuple[Path, int]] = field(default_factory=dict)
    path: Path = Path("-")

    def where(self, loc: Loc) -> tuple[Path, int]:
        """The file and line of `loc`, or of its nearest ancestor that has one."""
        for end in range(len(loc), -1, -1):
            found = self.origins.get(tuple(loc[:end]))
            if found is not None:
                return found
        return self.path, 1


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _plain(node: Any, loc: Loc, path: Path, origins: dict[Loc, tuple[Path, int]]) -> Any:
    if isinstance(node, CommentedMap):
        result: dict[str, Any] = {}
        for key in node:
            name = str(key)
            line = node.lc.key(key)[0] + 1
            origins[(*loc, name)] = (path, line)
            result[name] = _plain(node[key], (*loc, name), path, origins)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            origins[(*loc, index)] = (path, node.lc.item(index)[0] + 1)
            items.append(_plain(item, (*loc, index), path, origins))
        return tuple(items)
    # ruamel's scalar subclasses (ScalarBoolean is an int) become the plain types a model expects.
    if isinstance(node, bool) or type(node).__name__ == "ScalarBoolean":
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, (datetime.date, type(None))):
        return node
    return node


def read_yaml(path: Path, what: str, *, max_bytes: int = MAX_BYTES) -> Sourced:
    """The YAML file at `path` as plain data with the line of every key; `what` names the file in
    messages ('tệp cấu hình', 'tệp danh mục', ...)."""
    text = read_bounded(path, what, max_bytes)
    document = _load(text, path)
    origins: dict[Loc, tuple[Path, int]] = {}
    return Sourced(_plain(document, (), path, origins), origins, path)


def _load(text: str, path: Path) -> Any:
    """The round-trip document of `text`, composed and checked against the limits before it is built."""
    yaml = _round_trip()
    try:
        node = yaml.compose(text)
        if node is None:
            return None
        check_tree(node, path, yaml.constructor)
        return yaml.constructor.construct_document(node)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        problem = (err.problem or err.context or "").strip()
        if "duplicate key" in problem or "found duplicate key" in str(err):
            problem = "khóa bị lặp lại"
        raise SourceError(f"{path}:{line}: lỗi cú pháp YAML: {problem}") from None
    except YAMLError as err:
        raise SourceError(f"{path}:1: lỗi cú pháp YAML: {str(err).splitlines()[0]}") from None
    except RecursionError:
        # The parser itself recurses per level: nesting deep enough to reach Python's limit.
        raise SourceError(f"{path}:1: YAML lồng nhau quá sâu") from None
    except (ValueError, TypeError, OverflowError) as err:
        # A value check_tree does not foresee; still one line rather than a traceback.
        raise SourceError(f"{path}:1: giá trị YAML không hợp lệ ({err})") from None


def merge(base: Sourced, override: Sourced) -> Sourced:
    """`override` laid over `base`: mappings merge key by key, any other value replaces the base's.
    Keys the base lacks are kept, so that the model names them as unknown, at their own line."""

    def walk(a: Any, b: Any, loc: Loc) -> Any:
        if isinstance(a, dict) and isinstance(b, dict):
            merged = dict(a)
            for key, value in b.items():
                merged[key] = walk(a[key], value, (*loc, key)) if key in a else value
            return merged
        return b

    origins = {loc: where for loc, where in base.origins.items()}
    # Everything under a replaced value now comes from the override file.
    for loc in override.origins:
        for stale in [k for k in origins if k[:len(loc)] == loc and k not in override.origins]:
            del origins[stale]
    origins.update(override.origins)
    return Sourced(walk(base.data, override.data, ()), origins, override.path)


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "một bảng khóa/giá trị"
    if isinstance(value, (list, tuple)):
        return "một danh sách"
    return str(value)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds: itself, or inside tuple[...], X | None, Annotated[...]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a model accepts at `loc` (for 'unknown key' messages)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue  # an item of a sequence of models: the same model
        info = current.model_fields.get(str(part))
        current = _model_in(info.annotation) if info is not None else None
    return list(current.model_fields) if current is not None else []


_EXPECTED = {
    "int_type": "cần một số nguyên", "int_parsing": "cần một số nguyên", "int_from_float": "cần một số nguyên",
    "float_type": "cần một số", "float_parsing": "cần một số",
    "bool_type": "cần true hoặc false", "bool_parsing": "cần true hoặc false",
    "string_type": "cần một chuỗi văn bản",
    "tuple_type": "cần một danh sách", "list_type": "cần một danh sách",
    "dict_type": "cần một bảng khóa/giá trị", "model_type": "cần một bảng khóa/giá trị",
    "model_attributes_type": "cần một bảng khóa/giá trị",
    "date_type": "cần một ngày dạng YYYY-MM-DD", "date_parsing": "cần một ngày dạng YYYY-MM-DD",
    "date_from_datetime_parsing": "cần một ngày dạng YYYY-MM-DD",
}


def describe_error(error: Mapping[str, Any], model: type[BaseModel]) -> str:
    """One pydantic error in the auditor's words (Vietnamese), naming what was expected."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "thiếu khóa bắt buộc"
    if kind == "extra_forbidden":
        known = _fields_at(model, tuple(error["loc"][:-1]))
        return "khóa không hợp lệ" + (f" (có: {', '.join(known)})" if known else "")
    if kind in _EXPECTED:
        return f"{_EXPECTED[kind]}, nhận {_shown(value)}"
    if kind == "literal_error":
        return f"chỉ nhận {ctx.get('expected', '')}, nhận {_shown(value)}".replace(" or ", " hoặc ")
    bounds = {"greater_than": ("lớn hơn", "gt"), "greater_than_equal": ("lớn hơn hoặc bằng", "ge"),
              "less_than": ("nhỏ hơn", "lt"), "less_than_equal": ("nhỏ hơn hoặc bằng", "le")}
    if kind in bounds:
        words, key = bounds[kind]
        bound = ctx.get(key)
        return f"phải {words} {bound:g}, nhận {_shown(value)}" if isinstance(bound, float) else \
            f"phải {words} {bound}, nhận {_shown(value)}"
    if kind in ("string_too_short", "too_short"):
        return "không được để trống"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    return f"{error['msg']}, nhận {_shown(value)}"


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def validate(model: type[M], source: Sourced, *, within: Loc = ()) -> M:
    """`source.data` (or its part at `within`) as `model`; the first problem as a SourceError."""
    data: Any = source.data
    for part in within:
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = (*within, *first["loc"])
        path, line = source.where(loc)
        raise SourceError(f"{path}:{line}: {_dotted(loc) or 'tệp'}: {describe_error(first, model)}") from None


def dump_round_trip(document: Any) -> str:
    """YAML text of a round-trip document (comments and order kept), in the shipped files' layout."""
    yaml = _round_trip()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def load_round_trip(path: Path) -> Any:
    """A YAML file as a round-trip document, for editing it in place (comments and order kept)."""
    yaml = _round_trip()
    yaml.preserve_quotes = True
    text = read_bounded(path, "tệp YAML", MAX_BYTES)
    node = yaml.compose(text)
    if node is None:
        return None
    check_tree(node, path, yaml.constructor)
    return yaml.constructor.construct_document(node)


def dump_plain(document: Any) -> str:
    """YAML text of plain data (dicts, lists, scalars), keys in the order given."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[attr-defined]
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()
