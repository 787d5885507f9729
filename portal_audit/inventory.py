"""The inventory of portals and their component sites, validated with file:line messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from portal_audit.hosts import site_key

GROUPS = ("ministry", "province")


class InventoryError(Exception):
    """The inventory cannot be used. str() is one line: 'FILE:LINE: problem'."""


@dataclass(frozen=True)
class LinkTarget:
    name: str
    url: str


@dataclass(frozen=True)
class Site:
    """One website to visit: a portal or one of its component sites."""

    portal_id: str
    portal_name: str
    group: str
    role: str  # "portal" | "component"
    name: str
    url: str
    emc_site_id: str | None
    # Sites this homepage must link to: the components (portal) or the portal (component).
    link_targets: tuple[LinkTarget, ...]
    order: tuple[int, int]  # (portal index, site index) in the inventory, for stable reports

    @property
    def key(self) -> str:
        return f"{self.portal_id}|{self.url}"


@dataclass(frozen=True)
class Component:
    name: str
    url: str
    emc_site_id: str | None


@dataclass(frozen=True)
class Portal:
    id: str
    name: str
    group: str
    url: str
    emc_site_id: str | None
    components: tuple[Component, ...]

    def sites(self, index: int) -> Iterator[Site]:
        yield Site(
            portal_id=self.id, portal_name=self.name, group=self.group, role="portal",
            name=self.name, url=self.url, emc_site_id=self.emc_site_id,
            link_targets=tuple(LinkTarget(c.name, c.url) for c in self.components),
            order=(index, 0),
        )
        for position, component in enumerate(self.components, start=1):
            yield Site(
                portal_id=self.id, portal_name=self.name, group=self.group, role="component",
                name=component.name, url=component.url, emc_site_id=component.emc_site_id,
                link_targets=(LinkTarget(self.name, self.url),),
                order=(index, position),
            )


@dataclass(frozen=True)
class Inventory:
    path: Path
    portals: tuple[Portal, ...]

    def sites(self) -> Iterator[Site]:
        for index, portal in enumerate(self.portals):
            yield from portal.sites(index)


class _Reader:
    """Walks the YAML node tree so that every problem can name its line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen_ids: dict[str, int] = {}
        self.seen_urls: dict[str, int] = {}

    def error(self, node: Node, problem: str) -> InventoryError:
        return InventoryError(f"{self.path}:{node.start_mark.line + 1}: {problem}")

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            raise self.error(node, f"{what} phải là một bảng khóa/giá trị")
        fields: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in fields:
                raise self.error(key_node, f"khóa '{key}' bị lặp lại trong {what}")
            fields[key] = (key_node, value_node)
        return fields

    def text(self, fields: dict[str, tuple[Node, Node]], key: str, owner: Node, what: str,
             required: bool = True) -> str | None:
        if key not in fields:
            if required:
                raise self.error(owner, f"{what} thiếu trường bắt buộc '{key}'")
            return None
        _, value = fields[key]
        if not isinstance(value, ScalarNode) or value.value in ("", None) or value.tag.endswith(":null"):
            if not required and isinstance(value, ScalarNode) and value.tag.endswith(":null"):
                return None
            raise self.error(value, f"trường '{key}' của {what} phải là một giá trị không rỗng")
        return str(value.value).strip()

    def url(self, fields: dict[str, tuple[Node, Node]], owner: Node, what: str) -> str:
        url = self.text(fields, "url", owner, what)
        assert url is not None
        node = fields["url"][1]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise self.error(node, f"địa chỉ không hợp lệ '{url}' của {what} (cần http:// hoặc https:// và tên miền)")
        try:
            parts.port  # noqa: B018 - raises on a malformed port
        except ValueError:
            raise self.error(node, f"cổng không hợp lệ trong địa chỉ '{url}' của {what}") from None
        key = site_key(url)
        if key in self.seen_urls:
            raise self.error(node, f"địa chỉ '{url}' bị trùng (đã khai báo ở dòng {self.seen_urls[key]})")
        self.seen_urls[key] = node.start_mark.line + 1
        return url

    def portal(self, node: Node, index: int) -> Portal:
        what = f"cổng thứ {index + 1}"
        fields = self.mapping(node, what)
        portal_id = self.text(fields, "id", node, what)
        assert portal_id is not None
        id_node = fields["id"][1]
        if portal_id in self.seen_ids:
            raise self.error(id_node, f"mã cổng '{portal_id}' bị trùng (đã khai báo ở dòng {self.seen_ids[portal_id]})")
        self.seen_ids[portal_id] = id_node.start_mark.line + 1
        what = f"cổng '{portal_id}'"
        name = self.text(fields, "name", node, what)
        group = self.text(fields, "group", node, what)
        if group not in GROUPS:
            raise self.error(fields["group"][1], f"nhóm không hợp lệ '{group}' của {what} (chỉ nhận: {', '.join(GROUPS)})")
        url = self.url(fields, node, what)
        emc_id = self.text(fields, "emc_site_id", node, what, required=False)
        components: list[Component] = []
        if "components" in fields:
            comp_node = fields["components"][1]
            if isinstance(comp_node, ScalarNode) and comp_node.tag.endswith(":null"):
                pass
            elif not isinstance(comp_node, SequenceNode):
                raise self.error(comp_node, f"'components' của {what} phải là một danh sách")
            else:
                for position, item in enumerate(comp_node.value, start=1):
                    components.append(self.component(item, f"trang thành phần thứ {position} của {what}"))
        known = {"id", "name", "group", "url", "emc_site_id", "components", "source"}
        self.reject_unknown(fields, known, what)
        assert name is not None and group is not None
        return Portal(portal_id, name, group, url, emc_id, tuple(components))

    def component(self, node: Node, what: str) -> Component:
        fields = self.mapping(node, what)
        name = self.text(fields, "name", node, what)
        url = self.url(fields, node, what)
        emc_id = self.text(fields, "emc_site_id", node, what, required=False)
        self.reject_unknown(fields, {"name", "url", "emc_site_id", "source"}, what)
        assert name is not None
        return Component(name, url, emc_id)

    def reject_unknown(self, fields: dict[str, tuple[Node, Node]], known: set[str], what: str) -> None:
        for key, (key_node, _) in fields.items():
            if key not in known:
                raise self.error(key_node, f"trường không xác định '{key}' trong {what} (có thể gõ sai?)")


def load_inventory(path: Path) -> Inventory:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InventoryError(f"{path}: không tìm thấy tệp danh mục") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InventoryError(f"{path}: không đọc được tệp danh mục: {err}") from None
    reader = _Reader(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        raise InventoryError(f"{path}:{line}: lỗi cú pháp YAML: {err.problem or err.context}") from None
    if root is None:
        raise InventoryError(f"{path}:1: tệp danh mục rỗng (cần khóa 'portals')")
    fields = reader.mapping(root, "tệp danh mục")
    if "portals" not in fields:
        raise reader.error(root, "thiếu khóa 'portals'")
    portals_node = fields["portals"][1]
    if not isinstance(portals_node, SequenceNode) or not portals_node.value:
        raise reader.error(portals_node, "'portals' phải là một danh sách không rỗng")
    portals = tuple(reader.portal(node, index) for index, node in enumerate(portals_node.value))
    return Inventory(path, portals)
