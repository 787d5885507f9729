"""Addresses and site identity (portal_audit.urls), and --resolve rules: pure functions."""

from __future__ import annotations

import pytest

from portal_audit.urls import host_of, is_subdomain_of, parse_address, registrable_domain, site_key
from portal_audit.network.resolve import ResolveError, address_for, chromium_rules, parse_rule


@pytest.mark.parametrize("text, bare, expected", [
    ("https://stc.tinh-a.gov.vn/", False, "stc.tinh-a.gov.vn"),
    ("HTTP://WWW.Stc.Tinh-A.gov.vn./trang-chu", False, "stc.tinh-a.gov.vn"),
    ("https://stc.tinh-a.gov.vn:443/", False, "stc.tinh-a.gov.vn"),
    ("https://stc.tinh-a.gov.vn:8443/", False, "stc.tinh-a.gov.vn:8443"),
    ("//stc.tinh-a.gov.vn/x", False, "stc.tinh-a.gov.vn"),
    ("stc.tinh-a.gov.vn", True, "stc.tinh-a.gov.vn"),
    ("stc.tinh-a.gov.vn/gioi-thieu", True, "stc.tinh-a.gov.vn"),
    ("stc.tinh-a.gov.vn", False, None),
    ("https://hànội.vn/", False, "xn--hni-9ka0849a.vn"),  # as Chromium writes it
    ("https://HÀNỘI.vn/", False, "xn--hni-9ka0849a.vn"),
    ("https://xn--hni-9ka0849a.vn/", False, "xn--hni-9ka0849a.vn"),
    ("58", True, None),
    ("1.2", True, None),
    ("javascript:void(0)", True, None),
    ("mailto:a@tinh-a.gov.vn", True, None),
    ("https://", False, None),
    ("https://a b.gov.vn/", False, None),
])
def test_host_of(text: str, bare: bool, expected: str | None) -> None:
    assert host_of(text, bare=bare) == expected


def test_bare_host_defaults_to_https_and_keeps_its_path() -> None:
    address = parse_address("stc.tinh-a.gov.vn/trang-chu", bare=True)
    assert address is not None
    assert (address.scheme, address.root, address.path) == ("https", "https://stc.tinh-a.gov.vn/", "/trang-chu")


def test_site_identity() -> None:
    assert site_key("https://www.tinh-a.gov.vn/") == site_key("http://TINH-A.gov.vn") == "tinh-a.gov.vn"
    assert site_key("https://tinh-a.gov.vn/So-TC/") == "tinh-a.gov.vn/so-tc"
    site = parse_address("https://tinh-a.gov.vn/so-tc/")
    assert site is not None
    inside = parse_address("http://www.tinh-a.gov.vn/so-tc/tin-tuc")
    beside = parse_address("https://tinh-a.gov.vn/so-tcx/")
    assert inside is not None and inside.is_within(site)
    assert beside is not None and not beside.is_within(site)


@pytest.mark.parametrize("host, domain", [
    ("stc.tinh-a.gov.vn", "tinh-a.gov.vn"),
    ("tinh-a.gov.vn", "tinh-a.gov.vn"),
    ("www.tinh-a.gov.vn", "tinh-a.gov.vn"),
    ("vpcp.chinhphu.vn", "chinhphu.vn"),
    ("xa-b.huyen-a.tinh-a.gov.vn", "tinh-a.gov.vn"),
    ("gov.vn", ""),
    ("127.0.0.1", ""),
])
def test_registrable_domain_from_the_public_suffix_list(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


def test_subdomains() -> None:
    assert is_subdomain_of("stc.tinh-a.gov.vn", "tinh-a.gov.vn")
    assert not is_subdomain_of("www.tinh-a.gov.vn", "tinh-a.gov.vn")
    assert not is_subdomain_of("stc.tinh-ab.gov.vn", "tinh-a.gov.vn")


def test_resolve_rules() -> None:
    rules = [parse_rule("bad.gov.vn=127.0.0.1:9"), parse_rule("*.gov.vn=127.0.0.1:8443"), parse_rule("x.vn=[::1]")]
    assert chromium_rules(rules) == ("MAP bad.gov.vn 127.0.0.1:9, MAP *.gov.vn 127.0.0.1:8443, MAP x.vn [::1], "
                                     "EXCLUDE localhost")
    assert address_for("BAD.gov.vn", rules) == rules[0]
    assert address_for("stc.tinh-a.gov.vn", rules) == rules[1]
    assert address_for("example.com", rules) is None
    for text, problem in [("nope", "cần dạng MẪU=ĐỊA_CHỈ"), ("a.vn=host.local", "không phải địa chỉ IP"),
                          ("a.vn=127.0.0.1:99999", "cổng không hợp lệ")]:
        with pytest.raises(ResolveError, match=problem):
            parse_rule(text)
