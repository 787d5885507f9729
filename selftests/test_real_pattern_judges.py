"""The pure parts behind real-portal patterns, on hand-made captures (no browser): how a link was
reached in the verdict, look-alike targets, the tracker variants, former addresses in the inventory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal_audit.checks import by_code, emc_code, site_links
from portal_audit.inventory import LinkTarget, Site, load_inventory
from portal_audit.settings import SourceError, load_settings
from portal_audit.evidence.capture import Capture, Link, NetworkRequest
from portal_audit.evidence.site import of_capture

SETTINGS = load_settings()
SCRIPT = "https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js"
TRACKER = "https://f-emc.ngsp.gov.vn/tracking"
PORTAL = LinkTarget("Cổng TTĐT tỉnh A", "https://tinh-a.gov.vn/", ("https://tinha.gov.vn/",))


def component(targets: tuple[LinkTarget, ...] = (PORTAL,), emc_id: str | None = "102") -> Site:
    return Site("tinh-a", "Cổng TTĐT tỉnh A", "province", "component", "Sở Tài chính", "https://stc.tinh-a.gov.vn/",
                emc_id, targets, (0, 1))


def capture(links: list[Link] | None = None, **fields) -> Capture:
    base = dict(requested_url="https://stc.tinh-a.gov.vn/", final_url="https://stc.tinh-a.gov.vn/", status=200,
                redirects=[], title="", queue_commands=[], requests=[], console=[], dialogs=[], links=links or [],
                badges=[], html_mentions_emc=False)
    base.update(fields)
    return Capture(**base)


def link(href: str, text: str = "", kind: str = "a", visible: bool = True, reached_by: str = "", raw: str | None = None,
         hidden_reason: str | None = None) -> Link:
    return Link(href, href if raw is None else raw, text, kind, visible, hidden_reason, "", "", reached_by)


def judge_back(links: list[Link], **fields):
    return site_links.judge_component(of_capture(capture(links, **fields)), component(), SETTINGS)


# ---- how a link was reached ----

def test_a_link_reached_by_acting_on_the_page_counts_and_is_named() -> None:
    how = "hiển thị khi di chuột vào 'Liên kết'"
    verdict = judge_back([link("https://tinh-a.gov.vn/", "Cổng tỉnh", reached_by=how)])
    assert verdict.status == "passed"
    assert verdict.message == f"Trang chủ có liên kết về cổng Cổng TTĐT tỉnh A (https://tinh-a.gov.vn/) — {how}"
    assert verdict.evidence["found"]["https://tinh-a.gov.vn/"]["reached_by"] == how


def test_a_link_in_view_is_preferred_to_one_reached_by_acting() -> None:
    verdict = judge_back([link("https://tinh-a.gov.vn/", reached_by="bấm vào 'Cổng tỉnh'"),
                          link("https://www.tinh-a.gov.vn/gioi-thieu", "Giới thiệu cổng")])
    assert verdict.evidence["found"]["https://tinh-a.gov.vn/"]["reached_by"] == ""
    assert "—" not in verdict.message


def test_portal_message_lists_the_links_a_visitor_must_act_to_reach() -> None:
    targets = (LinkTarget("Sở A", "https://sa.tinh-a.gov.vn/"), LinkTarget("Sở B", "https://sb.tinh-a.gov.vn/"))
    portal = Site("tinh-a", "Cổng", "province", "portal", "Cổng", "https://tinh-a.gov.vn/", "1", targets, (0, 0))
    links = [link("https://sa.tinh-a.gov.vn/"),
             link("https://sb.tinh-a.gov.vn/", "Sở B", "option", reached_by="chọn mục 'Sở B' trong danh sách 'Liên kết website'")]
    verdict = site_links.judge_portal(of_capture(capture(links)), portal, SETTINGS)
    assert verdict.message == ("Trang chủ cổng có liên kết đến đủ 2 trang thành phần; 1 liên kết người xem tới được khi "
                               "thao tác trên trang: Sở B — chọn mục 'Sở B' trong danh sách 'Liên kết website'")
    table = verdict.attachments[0].content
    assert "cách truy cập" in table and "chọn mục 'Sở B'" in table


def test_a_hidden_link_nothing_reveals_does_not_count() -> None:
    hidden = link("https://tinh-a.gov.vn/", "Cổng tỉnh", visible=False, hidden_reason="display:none")
    untried = judge_back([hidden])
    assert untried.status == "failed"
    assert untried.message.endswith("[có liên kết nhưng bị ẩn: display:none]")
    tried = judge_back([hidden], interactions=["di chuột vào 'Liên kết'"])
    assert tried.message.endswith("[có liên kết nhưng bị ẩn: display:none] "
                                  "(không thao tác nào trên trang làm liên kết hiện ra)")
    assert tried.evidence["interactions"] == ["di chuột vào 'Liên kết'"]


# ---- look-alikes ----

@pytest.mark.parametrize("links, reason", [
    ([link("https://dichvucong.tinh-a.gov.vn/", "Cổng TTĐT tỉnh A")],
     "[liên kết 'Cổng TTĐT tỉnh A' dẫn tới https://dichvucong.tinh-a.gov.vn/ "
     "(dichvucong.tinh-a.gov.vn, một trang khác cùng tên miền tinh-a.gov.vn)]"),
    ([link("https://stc.tinh-a.gov.vn/tin/cong-tinh-a", "Cổng thông tin điện tử tỉnh A ra mắt")],
     "[liên kết 'Cổng thông tin điện tử tỉnh A ra mắt' dẫn tới https://stc.tinh-a.gov.vn/tin/cong-tinh-a "
     "(một trang của chính trang này)]"),
    ([link("http://www.tinha.gov.vn/trang-chu", "Cổng tỉnh")],
     "[chỉ có liên kết tới địa chỉ cũ tinha.gov.vn (http://www.tinha.gov.vn/trang-chu)]"),
    ([link("https://stc.tinh-a.gov.vn/58", "Cổng TTĐT tỉnh A", "option", raw="58")],
     "[mục 'Cổng TTĐT tỉnh A' của danh sách chọn không dẫn tới trang nào (giá trị '58')]"),
])
def test_look_alikes_fail_and_are_named(links: list[Link], reason: str) -> None:
    verdict = judge_back(links)
    assert verdict.status == "failed"
    assert verdict.message == f"Trang chủ không có liên kết hiển thị về cổng Cổng TTĐT tỉnh A (tinh-a.gov.vn) {reason}"


def test_a_sibling_site_is_not_the_portal_and_option_ids_are_not_hosts() -> None:
    assert link("https://x/58", kind="option", raw="58").address() is None
    assert link("", kind="option", raw="58").address() is None
    assert judge_back([link("https://pbgdpl.tinh-a.gov.vn/", "Phổ biến giáo dục pháp luật")]).status == "failed"
    assert not site_links.ready(of_capture(capture([link("https://dichvucong.tinh-a.gov.vn/")])), component(), SETTINGS)


def test_capture_keeps_how_links_were_reached_through_json() -> None:
    saved = capture([link("https://tinh-a.gov.vn/", reached_by="bấm vào 'Cổng tỉnh'")], interactions=["bấm vào 'Cổng tỉnh'"],
                    other_queue_commands={"_paq": [["setSiteId", "15"]]})
    again = Capture.from_json(saved.to_json())
    assert again.links[0].reached_by == "bấm vào 'Cổng tỉnh'"
    assert again.interactions == ["bấm vào 'Cổng tỉnh'"] and again.other_queue_commands == {"_paq": [["setSiteId", "15"]]}
    data = json.loads(saved.to_json())
    for key in ("interactions", "other_queue_commands"):
        del data[key]
    del data["links"][0]["reached_by"]
    old = Capture.from_json(json.dumps(data))  # captures saved before these fields existed still load
    assert old.links[0].reached_by == "" and old.interactions == []


def test_link_criteria_ask_the_visit_to_act() -> None:
    assert by_code("3.2b").interactive and by_code("3.2c").interactive
    assert not by_code("3.1").interactive and not by_code("3.2a").interactive


# ---- tracker variants ----

def good_emc(site_id: str = "102") -> dict:
    return dict(queue_commands=[["trackPageView"], ["setTrackerUrl", TRACKER], ["setSiteId", site_id]],
                requests=[NetworkRequest(SCRIPT, "GET", "script", 200),
                          NetworkRequest(f"{TRACKER}?idsite={site_id}&rec=1", "GET", "image", 204)])


def test_another_matomo_next_to_the_emc_code_passes() -> None:
    data = good_emc()
    data["requests"] += [NetworkRequest("https://analytics.tinh-a.gov.vn/matomo.js", "GET", "script", 200),
                         NetworkRequest("https://analytics.tinh-a.gov.vn/matomo.php?idsite=15", "GET", "image", 204)]
    verdict = emc_code.judge(of_capture(capture(other_queue_commands={"_paq": [["setTrackerUrl", "https://analytics.tinh-a.gov.vn/matomo.php"],
                                                                    ["setSiteId", "15"]]}, **data)), component(), SETTINGS)
    assert verdict.status == "passed", verdict.message


def test_emc_commands_on_the_other_trackers_queue_fail() -> None:
    verdict = emc_code.judge(of_capture(capture(requests=[NetworkRequest(SCRIPT, "GET", "script", 200)],
                                     other_queue_commands={"_paq": [["setTrackerUrl", TRACKER], ["setSiteId", "102"]]})),
                             component(), SETTINGS)
    assert verdict.status == "failed"
    assert verdict.message.startswith("Mã giám sát EMC không hoạt động đúng: các lệnh của mã EMC (setTrackerUrl, setSiteId) "
                                      "được đẩy vào hàng lệnh _paq của bộ đếm khác, không phải _govaq")


def test_the_sites_own_csp_blocking_emc_fails_with_that_reason() -> None:
    data = good_emc()
    data["requests"] = [NetworkRequest(SCRIPT, "GET", "script", None, "csp")]
    data["console"] = [f"Loading the script '{SCRIPT}' violates the following Content Security Policy directive: "
                       "\"script-src 'self'\". The action has been blocked."]
    verdict = emc_code.judge(of_capture(capture(**data)), component(), SETTINGS)
    assert verdict.status == "failed"
    assert (f"chính sách bảo mật nội dung (Content-Security-Policy) của trang chặn tập lệnh EMC {SCRIPT}: "
            "cần cho phép f-emc.ngsp.gov.vn trong script-src") in verdict.message
    hits_blocked = good_emc()
    hits_blocked["requests"][1] = NetworkRequest(f"{TRACKER}?idsite=102", "GET", "image", None, "csp")
    verdict = emc_code.judge(of_capture(capture(**hits_blocked)), component(), SETTINGS)
    assert ("chính sách bảo mật nội dung (Content-Security-Policy) của trang chặn yêu cầu gửi dữ liệu tới EMC "
            f"{TRACKER}") in verdict.message


def test_a_legacy_emc_host_fails_as_old() -> None:
    old = "https://tracking.aita.gov.vn"
    data = dict(queue_commands=[["setTrackerUrl", f"{old}/tracking"], ["setSiteId", "102"]],
                requests=[NetworkRequest(f"{old}/embed/gov-tracking.min.js", "GET", "script", 200),
                          NetworkRequest(f"{old}/tracking?idsite=102", "GET", "image", 204)])
    verdict = emc_code.judge(of_capture(capture(**data)), component(), SETTINGS)
    assert verdict.status == "failed"
    assert f"tập lệnh giám sát được tải từ địa chỉ EMC cũ {old}/embed/gov-tracking.min.js" in verdict.message
    assert f"địa chỉ nhận dữ liệu (setTrackerUrl) là địa chỉ EMC cũ '{old}/tracking'" in verdict.message
    other = emc_code.judge(of_capture(capture(requests=[NetworkRequest(f"{old}/js/tracking.js", "GET", "script", 200)])),
                           component(), SETTINGS)
    assert other.message.startswith("Mã giám sát trên trang dùng địa chỉ EMC cũ tracking.aita.gov.vn")


# ---- former addresses in the inventory ----

def test_inventory_former_urls(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text("portals:\n  - id: tinh-a\n    name: Cổng A\n    group: province\n    url: https://tinh-a.gov.vn/\n"
                    "    former_urls: ['https://tinha.gov.vn/']\n    components:\n      - name: Sở A\n"
                    "        url: https://sa.tinh-a.gov.vn/\n", encoding="utf-8")
    sites = list(load_inventory(path).sites())
    assert sites[1].link_targets[0].former_urls == ("https://tinha.gov.vn/",)
    path.write_text(path.read_text(encoding="utf-8").replace("'https://tinha.gov.vn/'", "tinha.gov.vn"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"inventory.yaml:6: địa chỉ cũ không hợp lệ 'tinha.gov.vn' của cổng 'tinh-a'"):
        load_inventory(path)
