"""The 2025 criteria judged on saved captures: every branch of every judge, no browser, no network.
Each capture goes through JSON first, as a capture saved from a real run would."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from portal_audit import checks
from portal_audit.checks import page_speed
from portal_audit.evidence import gatherers as gather
from portal_audit.evidence.artifacts import (AxeNode, AxeResult, AxeViolation, Certificate, DatedItem, DomainRecords,
                                         Gathered, HttpRedirect, HttpsProbe, LighthouseResult, LighthouseRun,
                                         MobileView, NewsDates)
from portal_audit.inventory import LinkTarget, Site
from portal_audit.settings import load_settings
from portal_audit.evidence.capture import Capture, NetworkRequest
from portal_audit.evidence.site import SiteEvidence

SETTINGS = load_settings()
PORTAL = "https://tinh-a.gov.vn/"


def site(role: str = "portal", url: str = PORTAL, portal_url: str = PORTAL) -> Site:
    targets = (LinkTarget("Cổng TTĐT tỉnh A", portal_url),) if role == "component" else ()
    return Site("tinh-a", "Cổng TTĐT tỉnh A", "province", role, "Trang A", url, None, targets, (0, 0))


def saved(gathered: Gathered | None = None, **fields) -> SiteEvidence:
    base = dict(requested_url=PORTAL, final_url=PORTAL, status=200, redirects=[], title="", queue_commands=[],
                requests=[], console=[], dialogs=[], links=[], badges=[], html_mentions_emc=False,
                visited_at="2026-11-29T08:00:00+00:00")
    base.update(fields)
    evidence = SiteEvidence(PORTAL, Capture(**base), gathered or Gathered())
    return SiteEvidence.from_dict(json.loads(json.dumps(evidence.to_dict())))


def judged(criterion: str, evidence: SiteEvidence, on: Site | None = None, settings=SETTINGS):
    return checks.by_code(criterion).evaluate(evidence, on or site(), settings)


# -- SPEED ----------------------------------------------------------------------------------------

def lighthouse(**median: float) -> LighthouseResult:
    values = {"fcp": 900.0, "lcp": 1600.0, "speed_index": 950.0, "tbt": 80.0, **median}
    runs = [LighthouseRun(**values, score=0.9, seconds=12.0)]
    return LighthouseResult("12.2.3", "mobile", "simulate", runs, values, PORTAL, PORTAL, report_html="<html>LH</html>")


def test_speed_passes_under_every_limit() -> None:
    capture = saved(Gathered(lighthouse=lighthouse()), web_vitals={"fcp": 300.0, "lcp": 400.0})
    capture.artifacts.lighthouse.report_html = "<html>LH</html>"  # reports are not kept in JSON
    verdict = judged("SPEED", capture)
    assert verdict.status == "passed", verdict.message
    # speed.runs is 3: one run, every metric under half its limit (speed.clear_factor 2), says so.
    assert verdict.message == ("Tốc độ tải trang đạt (Lighthouse 12.2.3, di động, 1 lần đo, các chỉ số cách ngưỡng "
                               "hơn 2 lần nên không đo thêm): FCP 900 ms < 3,0 giây; "
                               "LCP 1,6 giây < 4,0 giây; Speed Index 950 ms < 5,8 giây; TBT 80 ms < 600 ms")
    assert verdict.evidence["in_page_vitals"] == {"fcp": 300.0, "lcp": 400.0}
    assert [a.name for a in verdict.attachments] == ["Báo cáo Lighthouse"]


@pytest.mark.parametrize("metric,value,expected", [
    ("lcp", 6500.0, "LCP 6,5 giây, vượt ngưỡng 4,0 giây (thời gian hiển thị nội dung lớn nhất)"),
    ("tbt", 1200.0, "TBT 1,2 giây, vượt ngưỡng 600 ms (thời gian các tác vụ chặn trang khi tải)"),
    ("fcp", 3100.0, "FCP 3,1 giây, vượt ngưỡng 3,0 giây (thời gian hiển thị nội dung đầu tiên)"),
    ("speed_index", 5800.0, "Speed Index 5,8 giây, vượt ngưỡng 5,8 giây"),
])
def test_speed_fails_on_each_metric(metric: str, value: float, expected: str) -> None:
    verdict = judged("SPEED", saved(Gathered(lighthouse=lighthouse(**{metric: value}))))
    assert verdict.status == "failed"
    assert expected in verdict.message
    assert verdict.evidence["reasons"] == [page_speed.METRICS[metric][2]]


def test_one_run_says_why_only_when_it_decided_alone() -> None:
    """One run where speed.runs asks for 3: the message says why only when every metric is beyond
    speed.clear_factor of its limit (the measurement stopped there); otherwise just "1 lần đo"."""
    far = judged("SPEED", saved(Gathered(lighthouse=lighthouse(lcp=9000.0, tbt=1500.0))))
    assert far.status == "failed"
    assert far.message.startswith("Tốc độ tải trang không đạt (Lighthouse 12.2.3, di động, 1 lần đo, các chỉ số "
                                  "cách ngưỡng hơn 2 lần nên không đo thêm): LCP 9,0 giây"), far.message
    near = judged("SPEED", saved(Gathered(lighthouse=lighthouse(lcp=3000.0))))
    assert near.status == "passed"
    assert "(Lighthouse 12.2.3, di động, 1 lần đo): FCP" in near.message, near.message
    off = SETTINGS.model_copy(update={"speed": SETTINGS.speed.model_copy(update={"clear_factor": 0.0})})
    assert "(Lighthouse 12.2.3, di động, 1 lần đo): FCP" in judged("SPEED", saved(Gathered(lighthouse=lighthouse())),
                                                                  settings=off).message


def test_settled_means_more_than_half_the_runs_on_one_side_of_every_limit() -> None:
    def runs_of(*lcps: float | None) -> list[dict[str, float | None]]:
        return [{"fcp": 900.0, "lcp": lcp, "speed_index": 950.0, "tbt": 80.0} for lcp in lcps]
    three, five = (SETTINGS.speed.model_copy(update={"runs": n}) for n in (3, 5))
    assert three.settled(runs_of(3000.0, 3900.0)) and three.settled(runs_of(4000.0, 9000.0))  # LCP limit 4000
    assert not three.settled(runs_of(3900.0, 4000.0))  # one each side: the third decides
    assert not three.settled(runs_of(3000.0))  # one of three is not more than half
    assert not three.settled(runs_of(3000.0, None))  # a run without LCP counts for neither side
    assert not five.settled(runs_of(3000.0, 3100.0)) and five.settled(runs_of(3000.0, 3100.0, 9000.0, 3200.0))
    assert not three.model_copy(update={"stop_when_settled": False}).settled(runs_of(3000.0, 3100.0))


def test_runs_stopped_once_settled_say_why() -> None:
    """Two of speed.runs 3 on the same side of every limit: the message says the third could not
    change the verdict (speed.stop_when_settled); the same two runs with stop_when_settled off, or
    all three runs, say only how many runs the median is of."""
    two = lighthouse(lcp=4200.0)
    two.runs = [LighthouseRun(fcp=900.0, lcp=v, speed_index=950.0, tbt=80.0) for v in (4100.0, 4300.0)]
    verdict = judged("SPEED", saved(Gathered(lighthouse=two)))
    assert verdict.status == "failed"
    assert verdict.message.startswith(
        "Tốc độ tải trang không đạt (Lighthouse 12.2.3, di động, trung vị 2 lần đo; 2 lần cùng phía ngưỡng ở mọi "
        "chỉ số nên 1 lần còn lại không đổi được kết luận): LCP 4,2 giây, vượt ngưỡng 4,0 giây"), verdict.message
    off = SETTINGS.model_copy(update={"speed": SETTINGS.speed.model_copy(update={"stop_when_settled": False})})
    assert "(Lighthouse 12.2.3, di động, trung vị 2 lần đo): LCP" in judged(
        "SPEED", saved(Gathered(lighthouse=two)), settings=off).message
    three = lighthouse(lcp=4200.0)
    three.runs = [*two.runs, LighthouseRun(fcp=900.0, lcp=3000.0, speed_index=950.0, tbt=80.0)]
    assert "(Lighthouse 12.2.3, di động, trung vị 3 lần đo): LCP" in judged("SPEED", saved(Gathered(lighthouse=three))).message


def test_speed_median_of_runs_and_limits_from_settings() -> None:
    result = lighthouse(lcp=4500.0)
    result.runs = [LighthouseRun(lcp=v) for v in (3000.0, 4500.0, 9000.0)]
    settings = SETTINGS.model_copy(update={"speed": SETTINGS.speed.model_copy(update={
        "limits_ms": SETTINGS.speed.limits_ms.model_copy(update={"lcp": 5000.0})})})
    verdict = judged("SPEED", saved(Gathered(lighthouse=result)), settings=settings)
    assert verdict.status == "passed"
    assert "trung vị 3 lần đo" in verdict.message


def test_speed_without_a_measurement_is_broken_with_the_reason() -> None:
    verdict = judged("SPEED", saved(Gathered(errors={"lighthouse": "Lighthouse không đo được trang: NO_FCP"})))
    assert verdict.status == "broken"
    assert verdict.message == f"Không đánh giá được tiêu chí SPEED cho {PORTAL}: Lighthouse không đo được trang: NO_FCP"
    assert verdict.evidence == {"error_kind": "gather_failed", "gatherer": "lighthouse"}
    partial = lighthouse()
    del partial.median["lcp"]
    assert "Lighthouse không đo được LCP" in judged("SPEED", saved(Gathered(lighthouse=partial))).message


# -- DOMAIN ---------------------------------------------------------------------------------------

def records(host: str, aaaa: list[str] | None = None, a_error: str | None = None,
            aaaa_error: str | None = None) -> Gathered:
    return Gathered(dns=DomainRecords(host, ["203.0.113.5"] if a_error is None else [],
                                      ["2001:db8::5"] if aaaa is None else aaaa, a_error, aaaa_error))


def test_domain_portal_and_component_pass() -> None:
    verdict = judged("DOMAIN", saved(records("tinh-a.gov.vn")))
    assert (verdict.status, verdict.message) == ("passed", "Tên miền đạt: tinh-a.gov.vn thuộc tinh-a.gov.vn; "
                                                           "có bản ghi AAAA (2001:db8::5)")
    component = site("component", "https://stc.tinh-a.gov.vn/", "https://www.tinh-a.gov.vn/")
    verdict = judged("DOMAIN", saved(records("stc.tinh-a.gov.vn")), component)
    assert verdict.status == "passed"
    assert "stc.tinh-a.gov.vn là tên miền con của tinh-a.gov.vn" in verdict.message


@pytest.mark.parametrize("on,gathered,message,code", [
    (site(url="https://tinh-a.com.vn/"), records("tinh-a.com.vn"), "tên miền tinh-a.com.vn không thuộc .gov.vn",
     "not_gov_vn"),
    (site("component", "https://stc.tinh-b.gov.vn/"), records("stc.tinh-b.gov.vn"),
     "stc.tinh-b.gov.vn không phải tên miền con của tinh-a.gov.vn (tên miền của Cổng TTĐT tỉnh A)",
     "outside_portal_domain"),
    (site("component", "https://tinh-a.gov.vn/so-tai-chinh/"), records("tinh-a.gov.vn"),
     "dùng chung tên miền tinh-a.gov.vn của cổng (theo đường dẫn)", "outside_portal_domain"),
    (site(), records("tinh-a.gov.vn", aaaa=[], aaaa_error="noanswer"),
     "không có bản ghi AAAA (IPv6) cho tinh-a.gov.vn", "no_aaaa"),
    (site(), records("tinh-a.gov.vn", aaaa=[], a_error="nxdomain", aaaa_error="nxdomain"),
     "tên miền tinh-a.gov.vn không tồn tại (DNS trả lời NXDOMAIN)", "nxdomain"),
])
def test_domain_names_the_rule_that_failed(on: Site, gathered: Gathered, message: str, code: str) -> None:
    verdict = judged("DOMAIN", saved(gathered), on)
    assert verdict.status == "failed"
    assert message in verdict.message
    assert code in verdict.evidence["reasons"]


def test_domain_exceptions_and_unanswered_dns() -> None:
    assert judged("DOMAIN", saved(records("vpcp.chinhphu.vn")), site(url="https://vpcp.chinhphu.vn/")).status == "passed"
    verdict = judged("DOMAIN", saved(records("tinh-a.gov.vn", aaaa=[], aaaa_error="timeout")))
    assert verdict.status == "broken"
    assert "không tra được bản ghi AAAA của tinh-a.gov.vn (timeout)" in verdict.message


# -- HTTPS and HEADERS ----------------------------------------------------------------------------

def probe(**changes) -> HttpsProbe:
    good = HttpsProbe(host="tinh-a.gov.vn", https=True, protocol="TLSv1.3",
                      certificate=Certificate(True, subject="tinh-a.gov.vn", issuer="CA", not_after="Dec 29 2026"),
                      old_protocols={"TLSv1": False, "TLSv1.1": False},
                      http=HttpRedirect(["301 http://tinh-a.gov.vn/ -> https://tinh-a.gov.vn/"], PORTAL, True),
                      hsts="max-age=31536000")
    return replace(good, **changes)


def test_https_passes() -> None:
    verdict = judged("HTTPS", saved(Gathered(https=probe())))
    assert verdict.status == "passed", verdict.message
    assert verdict.message.startswith("HTTPS đạt: chứng chỉ hợp lệ, cấp bởi CA")


@pytest.mark.parametrize("changes,message,code", [
    ({"https": False, "error": "máy chủ từ chối kết nối", "certificate": None},
     "không truy cập được https://tinh-a.gov.vn/ (máy chủ từ chối kết nối)", "no_https"),
    ({"certificate": Certificate(False, "expired", "certificate has expired")},
     "chứng chỉ đã hết hạn (certificate has expired)", "cert_expired"),
    ({"certificate": Certificate(False, "self_signed", "self-signed certificate")},
     "chứng chỉ tự ký, không do tổ chức chứng thực được tin cậy cấp", "cert_self_signed"),
    ({"certificate": Certificate(False, "untrusted", "unable to get local issuer certificate")},
     "chứng chỉ do tổ chức chứng thực không được tin cậy cấp", "cert_untrusted"),
    ({"certificate": Certificate(False, "hostname", "Hostname mismatch")},
     "chứng chỉ không cấp cho tên miền này", "cert_hostname"),
    ({"old_protocols": {"TLSv1": True, "TLSv1.1": True}},
     "máy chủ vẫn chấp nhận giao thức cũ TLS 1.0, TLS 1.1 (chỉ được dùng TLS 1.2 trở lên)", "old_tls"),
    ({"protocol": "TLSv1.1", "old_protocols": {"TLSv1": None, "TLSv1.1": None}},
     "máy chủ vẫn chấp nhận giao thức cũ TLS 1.1", "old_tls"),
    ({"http": HttpRedirect(["200 http://tinh-a.gov.vn/"], "http://tinh-a.gov.vn/", False)},
     "truy cập http://tinh-a.gov.vn/ không được chuyển hướng sang HTTPS (200 http://tinh-a.gov.vn/)",
     "no_https_redirect"),
    ({"hsts": None}, "không có tiêu đề Strict-Transport-Security (HSTS)", "no_hsts"),
    ({"hsts": "max-age=0"}, "HSTS không hiệu lực hoặc quá ngắn ('max-age=0')", "hsts_short"),
])
def test_https_fails_for_each_reason(changes: dict, message: str, code: str) -> None:
    verdict = judged("HTTPS", saved(Gathered(https=probe(**changes))))
    assert verdict.status == "failed"
    assert message in verdict.message
    assert verdict.evidence["reasons"] == [code]


def test_https_mixed_content_and_no_http_listener() -> None:
    capture = saved(Gathered(https=probe(http=HttpRedirect(error="máy chủ từ chối kết nối"))),
                    requests=[NetworkRequest("http://tinh-a.gov.vn/js/a.js", "GET", "script", frame_url=PORTAL)],
                    console=["Mixed Content: The page at 'https://tinh-a.gov.vn/' was loaded over HTTPS, but "
                             "requested an insecure image 'http://x/y.png'. This content should also be served over HTTPS."])
    verdict = judged("HTTPS", capture)
    assert verdict.status == "failed"
    assert verdict.evidence["reasons"] == ["mixed_content"]  # nothing on port 80 is no failure
    assert "nội dung hỗn hợp): http://tinh-a.gov.vn/js/a.js; Mixed Content:" in verdict.message
    plain = saved(Gathered(https=probe()), final_url="http://tinh-a.gov.vn/",
                  requests=[NetworkRequest("http://tinh-a.gov.vn/a.js", "GET", "script", frame_url="http://tinh-a.gov.vn/")])
    assert judged("HTTPS", plain).status == "passed"


def test_security_headers() -> None:
    headers = {"content-security-policy": "default-src 'self'; frame-ancestors 'self'",
               "x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}
    verdict = judged("HEADERS", saved(headers=headers))
    assert verdict.status == "passed", verdict.message
    assert verdict.evidence["present"]["x-frame-options|frame-ancestors"] == "CSP frame-ancestors"
    verdict = judged("HEADERS", saved(headers={"x-frame-options": "DENY"}))
    assert verdict.status == "failed"
    assert verdict.message == ("Thiếu tiêu đề bảo mật HTTP: content-security-policy, x-content-type-options, "
                               "referrer-policy")


# -- META -----------------------------------------------------------------------------------------

def test_metadata_equivalents_count() -> None:
    properties = {"html:title": ["Trang A"], "meta:author": ["UBND tỉnh A"], "article:published_time": ["2026-11-20"],
                  "og:description": ["Cổng"], "jsonld:publisher": ["UBND tỉnh A"], "link:canonical": [PORTAL],
                  "html:lang": ["vi"]}
    verdict = judged("META", saved(Gathered(metadata=properties)))
    assert verdict.status == "passed", verdict.message
    assert "mô tả (description) từ og:description" in verdict.message


def test_metadata_names_what_is_missing() -> None:
    verdict = judged("META", saved(Gathered(metadata={"html:title": ["Trang A"], "html:lang": ["vi"]})))
    assert verdict.status == "failed"
    assert verdict.message.startswith("Thiếu đặc tả dữ liệu trên trang chủ: tác giả (creator), ngày (date), "
                                      "mô tả (description), cơ quan ban hành (publisher), định danh (identifier)")
    assert verdict.evidence["missing"] == ["creator", "date", "description", "publisher", "identifier"]
    lenient = SETTINGS.model_copy(update={"metadata": SETTINGS.metadata.model_copy(update={"required": ("title",)})})
    assert judged("META", saved(Gathered(metadata={"html:title": ["A"]})), settings=lenient).status == "passed"


# -- MOBILE ---------------------------------------------------------------------------------------

def view(meta: str | None = "width=device-width, initial-scale=1", width: int = 360) -> Gathered:
    return Gathered(mobile=MobileView(PORTAL, meta, 360, max(width, 360), width,
                                      ["div.banner: 1200px"] if width > 360 else [], screenshot=b"jpeg"))


def test_mobile_branches() -> None:
    assert judged("MOBILE", saved(view())).status == "passed"
    assert judged("MOBILE", saved(view(width=363))).status == "passed"  # within the tolerance
    verdict = judged("MOBILE", saved(view(width=1200)))
    assert verdict.message == ("Hiển thị trên điện thoại (rộng 360px) không đạt: trang rộng 1200px, lớn hơn màn hình "
                               "điện thoại 360px nên phải cuộn ngang hoặc thu nhỏ (phần tử tràn: div.banner: 1200px)")
    verdict = judged("MOBILE", saved(view(None, 980)))
    assert verdict.evidence["reasons"] == ["no_viewport_meta"]
    assert 'thiếu thẻ <meta name="viewport">' in verdict.message
    verdict = judged("MOBILE", saved(view("width=1024")))
    assert "thẻ viewport không đặt width=device-width ('width=1024')" in verdict.message


# -- A11Y -----------------------------------------------------------------------------------------

def axe(*impacts: str) -> Gathered:
    violations = [AxeViolation(f"rule-{i}", impact, f"Quy tắc {i}", "https://dequeuniversity.com/", ["wcag2a"], 2,
                               [AxeNode(f"img.logo-{i}", "<img>", "Fix")]) for i, impact in enumerate(impacts)]
    return Gathered(axe=AxeResult("4.10.3", PORTAL, violations, passes=30))


def test_accessibility_branches() -> None:
    verdict = judged("A11Y", saved(axe("minor", "moderate")))
    assert verdict.status == "passed"
    assert "các vi phạm khác: mức trung bình (moderate) 1 quy tắc, 2 phần tử; mức thấp (minor) 1 quy tắc" in verdict.message
    verdict = judged("A11Y", saved(axe("critical", "serious", "minor")))
    assert verdict.status == "failed"
    assert verdict.message.startswith("Trang chủ vi phạm quy tắc WCAG 2.x A/AA (axe-core 4.10.3): mức nghiêm trọng "
                                      "(critical) 1 quy tắc, 2 phần tử; mức cao (serious) 1 quy tắc, 2 phần tử")
    assert "Ví dụ: rule-0 (Quy tắc 0) ở img.logo-0" in verdict.message
    tolerant = SETTINGS.model_copy(update={"accessibility": SETTINGS.accessibility.model_copy(
        update={"max_rules": {"critical": 1}})})
    assert judged("A11Y", saved(axe("critical", "serious")), settings=tolerant).status == "passed"


# -- UPDATE ---------------------------------------------------------------------------------------

def news(*items: DatedItem) -> Gathered:
    return Gathered(news=NewsDates(list(items), feeds=["https://tinh-a.gov.vn/rss"]))


def test_update_branches() -> None:
    verdict = judged("UPDATE", saved(news(DatedItem("2026-11-20", "page", "Hội nghị"),
                                          DatedItem("2026-11-27", "feed", "Tin RSS", "https://tinh-a.gov.vn/rss"))))
    assert verdict.status == "passed"
    assert verdict.message == ("Trang chủ được cập nhật: tin mới nhất ngày 27/11/2026 (2 ngày trước, RSS "
                               "https://tinh-a.gov.vn/rss: 'Tin RSS')")
    verdict = judged("UPDATE", saved(news(DatedItem("2026-08-01", "page", "Tin cũ"))))
    assert verdict.status == "failed"
    assert verdict.message == ("Trang chủ không được cập nhật: tin mới nhất ngày 01/08/2026 (ngày hiển thị cạnh tin bài: "
                               "'Tin cũ'), đã 120 ngày (quá 30 ngày)")
    assert verdict.evidence["reasons"] == ["stale_news"]
    verdict = judged("UPDATE", saved(news()))
    assert verdict.evidence["reasons"] == ["no_news_dates"]
    assert verdict.message.startswith("Không tìm thấy ngày đăng của tin bài nào trên trang chủ")


# -- the registry ---------------------------------------------------------------------------------

def test_criteria_declare_what_they_need() -> None:
    assert checks.by_code("3.1").needs_visit and not checks.by_code("DOMAIN").needs_visit
    assert not checks.by_code("SPEED").needs_visit and not checks.by_code("MOBILE").needs_visit
    assert checks.needs_of(checks.criteria_for(site(), ("UPDATE",))) == {
        gather.VISIT, gather.HTML, gather.DATES, gather.FEEDS, gather.METADATA, gather.NEWS}
    assert [c.code for c in checks.criteria_for(site(), ("3.2c", "DOMAIN", "3.1"))] == ["3.1", "DOMAIN"]
    assert set(SETTINGS.criteria.profiles["2025"]) == set(checks.CODES)
    assert SETTINGS.criteria.profiles["2024"] == ("3.1", "3.2a", "3.2b", "3.2c")


def test_capture_with_gatherers_round_trips_through_json() -> None:
    capture = saved(Gathered(lighthouse=lighthouse(), https=probe(), dns=DomainRecords("a"), errors={"axe": "x"}))
    assert SiteEvidence.from_dict(capture.to_dict()) == capture
    assert capture.artifacts.https.certificate.issuer == "CA"
