"""Every judge, on what a browser really saw: the saved captures of the simulated world
(selftests/captures/, recorded by the real visit) give each criterion's verdict for each site, and
variants of them reach the branches the world has no site for. No browser, no server."""

from __future__ import annotations

import dataclasses

import pytest

from portal_audit.checks import CRITERIA, Criterion, by_code, criteria_for
from portal_audit.inventory import LinkTarget
from portal_audit.settings import load_settings
from portal_audit.status import ErrorKind, Status
from portal_audit.evidence.capture import BadgeCandidate, Capture, Link, NetworkRequest
from portal_audit.evidence.site import of_capture
from portal_audit.gather.site import SiteGatherer
from portal_audit.gather.unit import Tools
from portal_audit.visit import SiteVisits, Visit, VisitError
from pytest_portal_audit.cases import judge_case
from pytest_portal_audit.collection import AuditCase

from .audit_runner import WORLD_CONFIG
from .captures import file_for, load
from .expectations import MESSAGES, P, c
from .world.catalog import EXPECTED

SETTINGS = load_settings(WORLD_CONFIG)
PROFILE_2024 = SETTINGS.criteria.profiles["2024"]  # the criteria the saved captures were recorded for
SAVED = sorted((url, code) for (url, code) in EXPECTED if file_for(url).exists())
SCRIPT = "https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js"
TRACKER = "https://f-emc.ngsp.gov.vn/tracking"


def verdict_of(url: str, code: str, change: dict | None = None):
    site, capture = load(url)
    if change:
        capture = dataclasses.replace(capture, **change)
    return by_code(code).evaluate(of_capture(capture), site, SETTINGS)


def test_every_site_the_world_can_show_has_a_saved_capture() -> None:
    broken = {url for (url, _), status in EXPECTED.items() if status == "broken"}
    assert {url for url, _ in EXPECTED} - broken == {url for url, _ in SAVED}


@pytest.mark.parametrize("url,code", SAVED, ids=lambda v: v)
def test_verdict_on_saved_capture(url: str, code: str) -> None:
    verdict = verdict_of(url, code)
    assert verdict.status == EXPECTED[url, code], verdict.message
    if (url, code) in MESSAGES:
        assert MESSAGES[url, code] in verdict.message


# ----------------------------------------------------------------------------------------- 3.1

def _without(capture_url: str, prefix: str) -> list[NetworkRequest]:
    return [r for r in load(capture_url)[1].requests if not r.url.startswith(prefix)]


def test_emc_script_that_fails_to_load() -> None:
    requests = [NetworkRequest(r.url, r.method, r.resource_type, 404 if r.url.startswith(SCRIPT) else r.status,
                               r.failure, r.frame_url) for r in _without(c("stc"), TRACKER)]
    verdict = verdict_of(c("stc"), "3.1", {"requests": requests})
    assert verdict.status == Status.FAILED
    assert f"tập lệnh EMC không tải được: {SCRIPT}" in verdict.message


def test_queue_without_the_emc_script() -> None:
    verdict = verdict_of(c("stc"), "3.1", {"requests": _without(c("stc"), "https://f-emc.ngsp.gov.vn/")})
    assert verdict.status == Status.FAILED
    assert "trang có lệnh _govaq nhưng không tải tập lệnh EMC" in verdict.message
    assert "không có yêu cầu nào gửi tới máy chủ thu thập EMC https://f-emc.ngsp.gov.vn/tracking" in verdict.message


def test_no_site_id_declared() -> None:
    site, capture = load(c("stc"))
    commands = [cmd for cmd in capture.queue_commands if cmd[0] != "setSiteId"]
    requests = [r for r in capture.requests if not r.url.startswith(TRACKER)]
    verdict = by_code("3.1").evaluate(of_capture(dataclasses.replace(capture, queue_commands=commands, requests=requests)),
                                      site, SETTINGS)
    assert "không khai báo mã website EMC (setSiteId)" in verdict.message


def test_tracking_hit_that_got_no_answer() -> None:
    site, capture = load(c("stc"))
    requests = [dataclasses.replace(r, status=None, failure="net::ERR_CONNECTION_RESET")
                if r.url.startswith(TRACKER) else r for r in capture.requests]
    verdict = by_code("3.1").evaluate(of_capture(dataclasses.replace(capture, requests=requests)), site, SETTINGS)
    assert verdict.status == Status.FAILED
    assert "yêu cầu gửi dữ liệu tới EMC không thành công" in verdict.message
    assert "ERR_CONNECTION_RESET" in verdict.message


def test_passing_emc_code_names_its_evidence() -> None:
    verdict = verdict_of(c("stc"), "3.1")
    assert verdict.message == ("Mã giám sát EMC hoạt động: mã website '102', đã gửi 1 yêu cầu tới "
                               "https://f-emc.ngsp.gov.vn/tracking")
    assert verdict.evidence["site_id"] == "102" and verdict.evidence["registered_site_id"] == "102"


# ---------------------------------------------------------------------------------------- 3.2a

@pytest.mark.parametrize("reason", ["display:none", "visibility:hidden", "opacity:0", "nằm ngoài trang"])
def test_badge_hidden_names_the_reason(reason: str) -> None:
    site, capture = load(c("stc"))
    badges = [dataclasses.replace(b, visible=False, hidden_reason=reason) for b in capture.badges]
    verdict = by_code("3.2a").evaluate(of_capture(dataclasses.replace(capture, badges=badges)), site, SETTINGS)
    assert verdict.message == (f"Nhãn 'Đã kết nối EMC' có trên trang nhưng bị ẩn ({reason}), "
                               "người dùng không nhìn thấy")


def test_badge_prefers_the_label_text() -> None:
    site, capture = load(c("stc"))
    container = BadgeCandidate("selector: #yhy-append", "", True, None, None, "")
    verdict = by_code("3.2a").evaluate(of_capture(dataclasses.replace(capture, badges=[container, *capture.badges])),
                                       site, SETTINGS)
    assert verdict.status == Status.PASSED and "(text: Đã kết nối EMC)" in verdict.message


# ---------------------------------------------------------------------------------- 3.2b, 3.2c

def test_links_match_by_site_not_by_page() -> None:
    site, capture = load(P)
    targets = (LinkTarget("Sở A", "https://sa.tinh-a.gov.vn/"), LinkTarget("Sở B", "https://sb.tinh-a.gov.vn/"),
               LinkTarget("Sở C", "https://sc.tinh-a.gov.vn/"), LinkTarget("Sở D", "https://tinh-a.gov.vn/so-d/"))
    links = [Link("HTTP://WWW.SA.tinh-a.gov.vn/x", "", "Sở A", "a", True, None, ""),
             Link("https://tinh-a.gov.vn/sb.tinh-a.gov.vn", "sb.tinh-a.gov.vn", "Sở B", "option", True, None, ""),
             Link("https://tinh-a.gov.vn/58", "58", "Nhóm 58", "option", True, None, ""),
             Link("https://sc.tinh-a.gov.vn/", "", "Sở C", "a", False, "display:none", ""),
             Link("https://tinh-a.gov.vn/so-d/gioi-thieu", "", "Sở D", "a", True, None, "")]
    verdict = by_code("3.2b").evaluate(of_capture(dataclasses.replace(capture, links=links)),
                                       dataclasses.replace(site, link_targets=targets), SETTINGS)
    assert verdict.status == Status.FAILED
    assert verdict.message == ("Trang chủ cổng thiếu liên kết hiển thị đến 1/4 trang thành phần: "
                               "Sở C (sc.tinh-a.gov.vn) [có liên kết nhưng bị ẩn: display:none]")
    assert set(verdict.evidence["found"]) == {"https://sa.tinh-a.gov.vn/", "https://sb.tinh-a.gov.vn/",
                                              "https://tinh-a.gov.vn/so-d/"}


def test_link_to_a_sibling_page_of_the_portal_host_is_not_a_path_site() -> None:
    site, capture = load(P)
    targets = (LinkTarget("Sở D", "https://tinh-a.gov.vn/so-d/"),)
    links = [Link("https://tinh-a.gov.vn/so-dau/", "", "Sở Đầu", "a", True, None, "")]
    verdict = by_code("3.2b").evaluate(of_capture(dataclasses.replace(capture, links=links)),
                                       dataclasses.replace(site, link_targets=targets), SETTINGS)
    assert verdict.status == Status.FAILED


def test_portal_without_components_is_not_applicable() -> None:
    site, capture = load(P)
    verdict = by_code("3.2b").evaluate(of_capture(capture), dataclasses.replace(site, link_targets=()), SETTINGS)
    assert verdict.status == Status.SKIPPED


# ---------------------------------------------------------------------------- readiness, isolation

@pytest.mark.parametrize("url", [c("stc"), P, c("sxd")])
def test_ready_exactly_when_the_criterion_passes(url: str) -> None:
    site, capture = load(url)
    for criterion in criteria_for(site, PROFILE_2024):
        passes = criterion.evaluate(of_capture(capture), site, SETTINGS).status in (Status.PASSED, Status.SKIPPED)
        assert criterion.is_ready(of_capture(capture), site, SETTINGS) == passes, criterion.code


def _raise(*args: object) -> object:
    raise ZeroDivisionError("chia cho 0")


def test_a_judge_that_raises_costs_one_record() -> None:
    site, capture = load(c("stc"))
    broken = Criterion("3.1", "Gắn mã giám sát EMC", frozenset({"component"}), _raise, _raise)  # type: ignore[arg-type]
    verdict = broken.evaluate(of_capture(capture), site, SETTINGS)
    assert verdict.status == Status.BROKEN
    assert verdict.message == "Lỗi của công cụ khi đánh giá tiêu chí 3.1: ZeroDivisionError: chia cho 0"
    assert verdict.evidence["error_kind"] == ErrorKind.JUDGE_ERROR
    assert broken.is_ready(of_capture(capture), site, SETTINGS) is False


class _SavedVisits(SiteVisits):
    """The audit's visits, answering from a saved capture (or an error) instead of a browser."""

    def __init__(self, result: Capture | VisitError) -> None:
        super().__init__(None, SETTINGS, False, ())  # type: ignore[arg-type]
        self.result = result
        self.count = 0

    def visit(self, url: str, is_complete: object, extras: object = frozenset(),
              links_complete: object = None) -> Visit:
        self.count += 1
        if isinstance(self.result, VisitError):
            raise self.result
        return Visit(self.result)


def test_the_other_criteria_of_a_site_stand_when_one_judge_raises() -> None:
    site, capture = load(c("stc"))
    saved = _SavedVisits(capture)
    visits = SiteGatherer(Tools(saved))
    outcomes = {}
    for index, criterion in enumerate(criteria_for(site, PROFILE_2024)):
        if criterion.code == "3.2a":
            criterion = dataclasses.replace(criterion, judge=_raise)
        case = AuditCase(site, criterion.code, criterion.title, index, criterion)
        outcomes[criterion.code] = judge_case(case, visits, SETTINGS, PROFILE_2024).verdict.status
    assert outcomes == {"3.1": Status.PASSED, "3.2a": Status.BROKEN, "3.2c": Status.PASSED}
    assert saved.count == 1  # one visit for every criterion of the site


def test_a_site_that_cannot_be_loaded_is_broken_for_every_criterion() -> None:
    site, _ = load(c("stc"))
    error = VisitError(site.url, ErrorKind.DNS, "không phân giải được tên miền (lỗi DNS)", "ERR_NAME_NOT_RESOLVED")
    visits = SiteGatherer(Tools(_SavedVisits(error)))
    for index, criterion in enumerate(criteria_for(site, PROFILE_2024)):
        outcome = judge_case(AuditCase(site, criterion.code, criterion.title, index, criterion), visits, SETTINGS,
                             PROFILE_2024)
        assert outcome.verdict.status == Status.BROKEN and outcome.capture is None
        assert outcome.verdict.evidence["error_kind"] == "dns"


def test_every_criterion_of_the_2024_profile_has_saved_cases() -> None:
    assert {criterion.code for criterion in CRITERIA if criterion.code in PROFILE_2024} <= {code for _, code in SAVED}
