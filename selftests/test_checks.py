"""The checks are pure functions over a capture: judged here on hand-made captures, no browser."""

from __future__ import annotations

from portal_audit.inventory import LinkTarget, Site
from portal_audit.settings import load_settings
from portal_audit.visit.capture import BadgeCandidate, Capture, Link, NetworkRequest
from portal_audit.visit.resolve import ResolveError, address_for, chromium_rules, parse_rule

import pytest

from checks import emc_badge, emc_code, site_links

SETTINGS = load_settings()
SCRIPT = "https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js"
TRACKER = "https://f-emc.ngsp.gov.vn/tracking"


def site(role: str = "portal", emc_id: str | None = "101", targets: tuple[LinkTarget, ...] = ()) -> Site:
    return Site("tinh-a", "Cổng TTĐT tỉnh A", "province", role, "Trang A", "https://tinh-a.gov.vn/", emc_id,
                targets, (0, 0))


def capture(**fields) -> Capture:
    base = dict(requested_url="https://tinh-a.gov.vn/", final_url="https://tinh-a.gov.vn/", status=200, redirects=[],
                title="", queue_commands=[], requests=[], console=[], dialogs=[], links=[], badges=[],
                html_mentions_emc=False)
    base.update(fields)
    return Capture(**base)


def good_emc(site_id: str = "101") -> dict:
    return dict(queue_commands=[["trackPageView"], ["setTrackerUrl", TRACKER], ["setSiteId", site_id]],
                requests=[NetworkRequest(SCRIPT, "GET", "script", 200),
                          NetworkRequest(f"{TRACKER}?idsite={site_id}&rec=1", "GET", "image", 204)])


def test_emc_code_passes_and_round_trips_through_json() -> None:
    saved = capture(**good_emc()).to_json()
    verdict = emc_code.judge(Capture.from_json(saved), site(), SETTINGS)
    assert verdict.status == "passed", verdict.message
    assert verdict.evidence["site_id"] == "101"


def test_emc_code_without_tracker_hit_fails() -> None:
    data = good_emc()
    data["requests"] = data["requests"][:1]
    verdict = emc_code.judge(capture(**data), site(), SETTINGS)
    assert verdict.status == "failed"
    assert "không có yêu cầu nào gửi tới máy chủ thu thập EMC https://f-emc.ngsp.gov.vn/tracking" in verdict.message


def test_emc_code_registered_id_mismatch_fails() -> None:
    verdict = emc_code.judge(capture(**good_emc("205")), site(emc_id="101"), SETTINGS)
    assert verdict.status == "failed"
    assert "mã website EMC trên trang là '205', khác mã đã đăng ký '101'" in verdict.message


def test_badge_visible_hidden_and_missing() -> None:
    shown = BadgeCandidate("text: Đã kết nối EMC", "Đã kết nối EMC", True, None, None, "")
    hidden = BadgeCandidate("text: Đã kết nối EMC", "Đã kết nối EMC", False, "display:none", None, "")
    assert emc_badge.judge(capture(badges=[shown]), site(), SETTINGS).status == "passed"
    verdict = emc_badge.judge(capture(badges=[hidden]), site(), SETTINGS)
    assert (verdict.status, verdict.message) == ("failed", "Nhãn 'Đã kết nối EMC' có trên trang nhưng bị ẩn "
                                                 "(display:none), người dùng không nhìn thấy")
    assert emc_badge.judge(capture(), site(), SETTINGS).message == "Không thấy nhãn 'Đã kết nối EMC' trên trang chủ"


def test_links_match_by_host_and_bare_option_values() -> None:
    targets = (LinkTarget("Sở A", "https://sa.tinh-a.gov.vn/"), LinkTarget("Sở B", "https://sb.tinh-a.gov.vn/"),
               LinkTarget("Sở C", "https://sc.tinh-a.gov.vn/"))
    links = [Link("HTTP://WWW.SA.tinh-a.gov.vn/x", "", "Sở A", "a", True, None, ""),
             Link("https://tinh-a.gov.vn/sb.tinh-a.gov.vn", "sb.tinh-a.gov.vn", "Sở B", "option", True, None, ""),
             Link("https://sc.tinh-a.gov.vn/", "", "Sở C", "a", False, "display:none", "")]
    verdict = site_links.judge_portal(capture(links=links), site(targets=targets), SETTINGS)
    assert verdict.status == "failed"
    assert verdict.message == ("Trang chủ cổng thiếu liên kết hiển thị đến 1/3 trang thành phần: "
                               "Sở C (sc.tinh-a.gov.vn) [có liên kết nhưng bị ẩn: display:none]")
    assert set(verdict.evidence["found"]) == {"https://sa.tinh-a.gov.vn/", "https://sb.tinh-a.gov.vn/"}


def test_portal_without_components_is_skipped() -> None:
    assert site_links.judge_portal(capture(), site(), SETTINGS).status == "skipped"


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
