"""Limits on what a YAML file may cost to read (settings, inventory, reviews, proposals).

A ten-line file of nested aliases ("billion laughs") expands to hundreds of millions of values,
and building plain data from it took 71 s and 4 GB before MemoryError. So a file is refused, with
the line where it crosses the limit, when it is larger than MAX_BYTES, when its aliases would
repeat more than MAX_ALIAS_NODES values, when it nests deeper than MAX_DEPTH, or when a value
cannot exist (`date: 2026-13-45`) — all decided on the composed node graph (where an alias is a
reference, not a copy), before any data is built.

The limits are constants, not settings: the settings file itself is read with them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# 2 MiB: ten times the largest file the audit expects of an auditor (a national inventory is
# 17 kB; a national proposals file, with its domain scans, about 2 MB is a generous bound).
# ruamel's round-trip reader needs about 3.5 s and 70 MB per MiB on a loaded machine.
MAX_BYTES = 2 * 1024 * 1024
# Values repeated through aliases (a shared block of settings uses a few dozen).
MAX_ALIAS_NODES = 10_000
# Nesting levels (the deepest shipped file uses 5).
MAX_DEPTH = 64


class SourceError(Exception):
    """A file the auditor gave cannot be used; str() is one line 'FILE:LINE: problem'."""


def read_bounded(path: Path, what: str, max_bytes: int = MAX_BYTES) -> str:
    """The text of `path`, reading at most `max_bytes` + 1 bytes of it (a device or a huge file
    is refused without being read whole)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceError(f"{path}: không tìm thấy {what}") from None
    except OSError as err:
        raise SourceError(f"{path}: không đọc được {what}: {err.strerror or err}") from None
    if len(data) > max_bytes:
        line = data[:max_bytes].count(b"\n") + 1
        raise SourceError(f"{path}:{line}: {what} vượt quá giới hạn {_size(max_bytes)} "
                          "(tệp quá lớn, có thể bị hỏng hoặc không phải tệp YAML của công cụ)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SourceError(f"{path}: không đọc được {what}: {err}") from None


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:g} MB" if count >= 1024 * 1024 else f"{count:,} byte".replace(",", ".")


def _tag(node: Node) -> str:
    tag = node.tag
    return str(getattr(tag, "value", tag))


class _Census:
    """One walk over the composed graph, following aliases as a reader would, with the limits."""

    def __init__(self, path: Path, constructor: Any) -> None:
        self.path = path
        self.seen: set[int] = set()
        self.repeated = 0
        checks: dict[str, Callable[[Node], Any]] = {
            "tag:yaml.org,2002:timestamp": constructor.construct_yaml_timestamp,
            "tag:yaml.org,2002:int": constructor.construct_yaml_int,
            "tag:yaml.org,2002:float": constructor.construct_yaml_float,
        }
        self.checks = checks

    def error(self, line: int, problem: str) -> SourceError:
        return SourceError(f"{self.path}:{line}: {problem}")

    def visit(self, node: Node, line: int, depth: int, open_nodes: set[int], via: int | None = None) -> None:
        """`line`: where `node` is referred to; `via`: the line of the alias being expanded, if any
        (lines inside an anchored block are the anchor's, not where the alias repeats it)."""
        key = id(node)
        if key in self.seen and via is None:
            via = line
        at_line = via or line
        if key in open_nodes:
            raise self.error(at_line, "bí danh YAML (alias) tham chiếu tới chính khối chứa nó")
        if depth > MAX_DEPTH:
            raise self.error(at_line, f"YAML lồng nhau quá sâu (quá {MAX_DEPTH} cấp)")
        if key in self.seen:
            self.repeated += 1
            if self.repeated > MAX_ALIAS_NODES:
                raise self.error(at_line, f"bí danh YAML (alias) lặp lại quá {MAX_ALIAS_NODES:,} giá trị"
                                 .replace(",", "."))
        else:
            self.seen.add(key)
            if isinstance(node, ScalarNode):
                self.scalar(node)
        open_nodes.add(key)
        for child, child_line in self.children(node, line):
            self.visit(child, child_line, depth + 1, open_nodes, via)
        open_nodes.discard(key)

    def children(self, node: Node, line: int) -> list[tuple[Node, int]]:
        """The nodes under `node` with the line each is referred to from (an alias item of a
        sequence points at its anchor: the sequence's own line is nearer the reference)."""
        if isinstance(node, MappingNode):
            pairs: list[tuple[Node, int]] = []
            for name, value in node.value:
                pairs += [(name, name.start_mark.line + 1), (value, name.start_mark.line + 1)]
            return pairs
        if isinstance(node, SequenceNode):
            return [(item, line if id(item) in self.seen else item.start_mark.line + 1) for item in node.value]
        return []

    def scalar(self, node: ScalarNode) -> None:
        construct = self.checks.get(_tag(node))
        if construct is None:
            return
        try:
            construct(node)
        except (ValueError, OverflowError, TypeError):
            what = "ngày/giờ" if _tag(node).endswith("timestamp") else "số"
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            raise self.error(node.start_mark.line + 1, f"{what} không hợp lệ '{shown}'") from None


def check_tree(root: Node, path: Path, constructor: Any) -> None:
    """SourceError 'FILE:LINE: problem' when the document rooted at `root` crosses a limit or holds
    a value that cannot be built; `constructor` is the one that will build it."""
    _Census(path, constructor).visit(root, root.start_mark.line + 1, 0, set())
