"""Name lookups outside the browser, against the simulated world's own name server."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal_audit.dns import Resolver
from portal_audit.settings import DnsSettings, SourceError, load_settings

from .world.server import Response, Site, World


@pytest.fixture(scope="module")
def dns_world(tmp_path_factory: pytest.TempPathFactory):
    sites = {"tinh-a.gov.vn": {"/": Response(body="ok")},
             "stc.tinh-a.gov.vn": Site({"/": Response(body="ok")}, ipv6=False)}
    with World(sites, tmp_path_factory.mktemp("dns-world")) as world:
        yield world


@pytest.mark.world
def test_lookups(dns_world: World) -> None:
    resolver = Resolver(DnsSettings(nameservers=(dns_world.dns.address,), timeout=5))
    assert resolver.lookup("tinh-a.gov.vn").addresses == ("127.0.0.1",)
    assert resolver.lookup("TINH-A.gov.vn.", "AAAA").addresses == ("::1",)
    no_ipv6 = resolver.lookup("stc.tinh-a.gov.vn", "AAAA")
    assert (no_ipv6.addresses, no_ipv6.error, no_ipv6.exists) == ((), "noanswer", True)
    missing = resolver.lookup("sxd.tinh-a.gov.vn")
    assert (missing.error, missing.exists) == ("nxdomain", False)
    assert ("sxd.tinh-a.gov.vn", "A") in dns_world.dns.queries


def test_nameserver_setting_is_checked(tmp_path: Path) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text("dns:\n  nameservers: [\"127.0.0.1:99999\"]\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"audit.yaml:2: dns.nameservers\[1\]: cổng không hợp lệ"):
        load_settings(config)
    config.write_text("dns:\n  nameservers: [ns.example]\n", encoding="utf-8")
    with pytest.raises(SourceError, match="không phải địa chỉ IP"):
        load_settings(config)
