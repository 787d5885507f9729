"""The shipped inventories stay valid: the loader accepts them, ids and URLs are unique, every body
is in the right group, every entry says where its domain comes from, and the counts match the scope
(today: 22 central bodies + 34 provinces; the 2024 evaluation: 30 + 63)."""

from __future__ import annotations

from collections import Counter

import pytest

from portal_audit.urls import site_key
from portal_audit.inventory import GROUPS, load_inventory

from .audit_runner import REPO, load_yaml

SHIPPED = {
    "inventory.yaml": {"ministry": 22, "province": 34},
    "inventories/2024.yaml": {"ministry": 30, "province": 63},
}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_inventory_is_valid_and_complete(name: str) -> None:
    path = REPO / name
    inventory = load_inventory(path)  # raises InventoryError 'FILE:LINE: problem' on any schema error
    portals = inventory.portals
    assert Counter(p.group for p in portals) == SHIPPED[name]
    assert all(p.group in GROUPS for p in portals)
    ids = [p.id for p in portals]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    keys = [site_key(s.url) for s in inventory.sites()]
    assert len(keys) == len(set(keys)), [k for k, n in Counter(keys).items() if n > 1]
    # Provincial portals follow tentinhthanh.gov.vn (Ho Chi Minh City: hochiminhcity.gov.vn).
    for portal in portals:
        if portal.group == "province":
            assert portal.url.startswith("https://") and portal.url.endswith(".gov.vn/"), portal.url


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_entry_says_whether_its_domain_is_confirmed_or_inferred(name: str) -> None:
    raw = load_yaml((REPO / name).read_text(encoding="utf-8"))
    for portal in raw["portals"]:
        entries = [portal, *(portal.get("components") or [])]
        for entry in entries:
            source = entry.get("source", "")
            assert any(word in source for word in ("confirmed", "inferred", "seen")), (portal["id"], entry["url"])


def test_current_scope_follows_the_2025_reorganisation() -> None:
    current = {p.id: p for p in load_inventory(REPO / "inventory.yaml").portals}
    before = {p.id: p for p in load_inventory(REPO / "inventories/2024.yaml").portals}
    # Merged away in 2025: the Ministry of Information and Communications (into Science and
    # Technology), Planning and Investment (into Finance), and e.g. the province of Bắc Kạn.
    for gone in ("bo-thong-tin-va-truyen-thong", "bo-ke-hoach-va-dau-tu", "bac-kan", "ha-giang"):
        assert gone in before and gone not in current
    assert current["ho-chi-minh"].url == "https://hochiminhcity.gov.vn/"
    assert current["bo-khoa-hoc-va-cong-nghe"].url == "https://mst.gov.vn/"

