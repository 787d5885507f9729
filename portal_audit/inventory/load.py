"""Reading an inventory file: typed entries, every problem one line 'FILE:LINE: problem'."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from portal_audit.inventory.model import GROUPS, Component, Inventory, Portal
from portal_audit.text import slug
from portal_audit.urls import parse_address, site_key
from portal_audit.yamlio import Sourced, SourceError, StrictModel, read_yaml, validate

InventoryError = SourceError

# A portal id names files (OUT/<id>.html, .xlsx), test ids, Allure labels and --portal: plain ASCII
# only, so that it is the same everywhere (pytest escapes other characters in test ids) and fits in
# a file name.
MAX_ID_LENGTH = 64
PORTAL_ID = re.compile(r"[a-z0-9-]{1,%d}" % MAX_ID_LENGTH)


def _id_text(value: object) -> object:
    # An EMC id typed without quotes (emc_site_id: 102) is still that id.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Text = Annotated[str, Field(min_length=1)]
EmcId = Annotated[str, BeforeValidator(_id_text), Field(min_length=1)]


class ComponentEntry(StrictModel):
    name: Text
    url: Text
    emc_site_id: EmcId | None = None
    source: str | None = None  # where the address comes from (confirmed / inferred ...)
    # Addresses the site had before: a link there is reported as a link to the old address.
    former_urls: tuple[Text, ...] | None = None


class PortalEntry(StrictModel):
    id: Text
    name: Text
    group: Literal["ministry", "province"]
    url: Text
    emc_site_id: EmcId | None = None
    source: str | None = None
    former_urls: tuple[Text, ...] | None = None
    components: tuple[ComponentEntry, ...] | None = None


class InventoryFile(StrictModel):
    portals: Annotated[tuple[PortalEntry, ...], Field(min_length=1)]


class _Checker:
    """The rules across entries: addresses that are sites, ids and sites that appear once."""

    def __init__(self, source: Sourced) -> None:
        self.source = source
        self.ids: dict[str, int] = {}
        self.sites: dict[str, int] = {}

    def error(self, loc: tuple[str | int, ...], problem: str) -> SourceError:
        path, line = self.source.where(loc)
        return SourceError(f"{path}:{line}: {problem}")

    def url(self, url: str, loc: tuple[str | int, ...], what: str) -> str:
        address = parse_address(url)
        if address is None:
            raise self.error(loc, f"địa chỉ không hợp lệ '{url}' của {what} (cần http:// hoặc https:// và tên miền)")
        key = site_key(url)
        line = self.source.where(loc)[1]
        if key in self.sites:
            raise self.error(loc, f"địa chỉ '{url}' bị trùng (đã khai báo ở dòng {self.sites[key]})")
        self.sites[key] = line
        return url

    def former(self, urls: tuple[str, ...] | None, loc: tuple[str | int, ...], what: str) -> tuple[str, ...]:
        for index, url in enumerate(urls or ()):
            if parse_address(url) is None:
                raise self.error((*loc, "former_urls", index),
                                 f"địa chỉ cũ không hợp lệ '{url}' của {what} (cần http:// hoặc https:// và tên miền)")
        return tuple(urls or ())

    def portal_id(self, portal_id: str, loc: tuple[str | int, ...]) -> str:
        if not PORTAL_ID.fullmatch(portal_id):
            suggestion = slug(portal_id, MAX_ID_LENGTH) or "cong"
            raise self.error(loc, f"mã cổng '{portal_id[:80]}' không hợp lệ: chỉ dùng chữ thường không dấu (a-z), "
                                  f"chữ số và dấu '-', tối đa {MAX_ID_LENGTH} ký tự (ví dụ '{suggestion}')")
        if portal_id in self.ids:
            raise self.error(loc, f"mã cổng '{portal_id}' bị trùng (đã khai báo ở dòng {self.ids[portal_id]})")
        self.ids[portal_id] = self.source.where(loc)[1]
        return portal_id


def load_inventory(path: Path) -> Inventory:
    source = read_yaml(path, "tệp danh mục")
    if source.data is None:
        raise SourceError(f"{path}:1: tệp danh mục rỗng (cần khóa 'portals')")
    if not isinstance(source.data, dict):
        raise SourceError(f"{path}:1: tệp danh mục phải là một bảng khóa/giá trị có khóa 'portals'")
    entries = validate(InventoryFile, source)
    check = _Checker(source)
    portals = []
    for index, entry in enumerate(entries.portals):
        loc = ("portals", index)
        check.portal_id(entry.id, (*loc, "id"))
        what = f"cổng '{entry.id}'"
        url = check.url(entry.url, (*loc, "url"), what)
        components = tuple(
            Component(c.name, check.url(c.url, (*loc, "components", position, "url"),
                                        f"trang thành phần thứ {position + 1} của {what}"), c.emc_site_id,
                      check.former(c.former_urls, (*loc, "components", position),
                                   f"trang thành phần thứ {position + 1} của {what}"))
            for position, c in enumerate(entry.components or ()))
        portals.append(Portal(entry.id, entry.name, entry.group, url, entry.emc_site_id, components,
                              check.former(entry.former_urls, loc, what)))
    return Inventory(path, tuple(portals))


__all__ = ["GROUPS", "InventoryError", "load_inventory"]
