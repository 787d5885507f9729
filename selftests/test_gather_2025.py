"""The gatherers that need no browser, against their own small worlds or plain data: HTTPS probes
(a world with its own CA), DNS records, metadata extraction, article dates and feeds, the Lighthouse
lock and medians, the extra-CA trust store."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from portal_audit.gather.dns_probe import domain_records
from portal_audit.gather.https_probe import Blocked, probe_https
from portal_audit.gather.metadata import extract_metadata
from portal_audit.gather.news import feed_items, news_dates, parse_date
from portal_audit.evidence.artifacts import DateCandidate, FeedDocument
from portal_audit.settings import DnsSettings, load_settings
from portal_audit.visit.lighthouse import machine_lock, run_lighthouse
from portal_audit.network.resolve import parse_rule
from portal_audit.visit.trust import TrustError, nss_home

from . import required
from .world.server import Request, Response, Site, World

SETTINGS = load_settings()


def _secure(body: str, hsts: bool = True):
    def route(request: Request) -> Response:
        if request.scheme == "http":
            return Response(301, "", headers={"Location": f"https://{request.host}{request.path}"})
        return Response(body=body, headers={"Strict-Transport-Security": "max-age=31536000"} if hsts else {})
    return route


@pytest.fixture(scope="module")
def tls_world(tmp_path_factory: pytest.TempPathFactory):
    sites = {"good.tinh-t.gov.vn": Site({"/": _secure("ok")}),
             "expired.tinh-t.gov.vn": Site({"/": _secure("ok")}, cert="expired"),
             "self.tinh-t.gov.vn": Site({"/": _secure("ok")}, cert="self-signed"),
             "old.tinh-t.gov.vn": Site({"/": _secure("ok")}, tls_min="TLSv1"),
             "plain.tinh-t.gov.vn": Site({"/": Response(body="ok")}, https=False),
             "both.tinh-t.gov.vn": Site({"/": Response(body="ok")}),
             "hop.tinh-t.gov.vn": Site({"/": Response(302, "", headers={"Location": "http://www.tinh-t.gov.vn/x"})}),
             "www.tinh-t.gov.vn": Site({"*": _secure("ok")}, ipv6=False)}
    with World(sites, tmp_path_factory.mktemp("tls-world"), ca=True) as world:
        yield world


def probe(world: World, host: str, trust: bool = True):
    settings = SETTINGS.https.model_copy(update={"extra_ca_file": str(world.ca_file) if trust else ""})
    return probe_https(f"https://{host}/", settings, (parse_rule(f"*.tinh-t.gov.vn={world.address}"),))


@pytest.mark.world
def test_https_probe_reads_certificates_versions_and_redirects(tls_world: World) -> None:
    good = probe(tls_world, "good.tinh-t.gov.vn")
    assert (good.https, good.protocol, good.certificate.valid) == (True, "TLSv1.3", True)
    assert good.certificate.issuer == "portal-audit world CA"
    assert good.old_protocols == {"TLSv1": False, "TLSv1.1": False}
    assert good.http.to_https and good.hsts == "max-age=31536000" and good.extra_ca
    assert probe(tls_world, "good.tinh-t.gov.vn", trust=False).certificate.problem == "untrusted"
    expired = probe(tls_world, "expired.tinh-t.gov.vn")
    assert (expired.certificate.problem, expired.https, expired.hsts) == ("expired", True, "max-age=31536000")
    assert probe(tls_world, "self.tinh-t.gov.vn").certificate.problem == "self_signed"
    assert probe(tls_world, "old.tinh-t.gov.vn").old_protocols == {"TLSv1": True, "TLSv1.1": True}
    plain = probe(tls_world, "plain.tinh-t.gov.vn")
    assert not plain.https and "lỗi bắt tay TLS" in plain.error
    assert plain.http.to_https is False and plain.http.chain == ["200 http://plain.tinh-t.gov.vn/"]
    both = probe(tls_world, "both.tinh-t.gov.vn")
    assert both.https and both.http.to_https is False and both.hsts is None
    hop = probe(tls_world, "hop.tinh-t.gov.vn").http
    assert hop.to_https and hop.final_url == "https://www.tinh-t.gov.vn/x"
    assert hop.chain[0] == "302 http://hop.tinh-t.gov.vn/ -> http://www.tinh-t.gov.vn/x"


def test_https_probe_keeps_away_from_internal_addresses() -> None:
    # localhost is internal and not mapped with --resolve: nothing is sent to it, the gatherer fails.
    with pytest.raises(Blocked, match="localhost trỏ tới địa chỉ nội bộ"):
        probe_https("https://localhost/", SETTINGS.https, ())


@pytest.mark.world
def test_dns_records(tls_world: World) -> None:
    dns = DnsSettings(nameservers=(tls_world.dns.address,), timeout=5)
    good = domain_records("good.tinh-t.gov.vn", dns)
    assert (good.a, good.aaaa, good.nameservers) == (["127.0.0.1"], ["::1"], [tls_world.dns.address])
    assert domain_records("www.tinh-t.gov.vn", dns).aaaa_error == "noanswer"
    assert domain_records("khong-co.tinh-t.gov.vn", dns).a_error == "nxdomain"


def test_metadata_extraction_of_every_source() -> None:
    html = """<html lang="vi"><head><title> Cổng  A </title>
<meta name="DC.title" content="Cổng A"><meta name="dcterms.modified" content="2026-11-01">
<meta property="og:site_name" content="UBND tỉnh A"><meta property="article:published_time" content="2026-11-20T08:00:00+07:00">
<meta name="description" content="Mô tả"><meta name="Author" content="Văn phòng"><meta http-equiv="Content-Language" content="vi">
<link rel="canonical" href="https://tinh-a.gov.vn/">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"H",
 "datePublished":"2026-11-21","publisher":{"@type":"Organization","name":"UBND"}},]}</script>
<script type="application/ld+json">{not json</script></head><body></body></html>"""
    found = extract_metadata(html, "https://tinh-a.gov.vn/")
    assert found == {"dc:title": ["Cổng A"], "dc:modified": ["2026-11-01"], "og:site_name": ["UBND tỉnh A"],
                     "article:published_time": ["2026-11-20T08:00:00+07:00"], "jsonld:headline": ["H"],
                     "jsonld:datePublished": ["2026-11-21"], "jsonld:publisher": ["UBND"], "html:lang": ["vi"],
                     "html:title": ["Cổng A"], "meta:description": ["Mô tả"], "meta:author": ["Văn phòng"],
                     "meta:content-language": ["vi"], "link:canonical": ["https://tinh-a.gov.vn/"]}
    assert extract_metadata("", "https://tinh-a.gov.vn/") == {}


def test_dates_as_vietnamese_pages_write_them() -> None:
    assert [str(parse_date(t)) for t in ("28/10/2026", "5-3-2026", "2026-11-02T08:00:00+07:00",
                                         "ngày 5 tháng 3 năm 2026", "Thứ Ba, 28.10.2026")] == [
        "2026-10-28", "2026-03-05", "2026-11-02", "2026-03-05", "2026-10-28"]
    assert parse_date("31/02/2026") is None and parse_date("số 12/2026/QĐ") is None


def test_article_dates_from_page_meta_and_feeds() -> None:
    rss = FeedDocument("https://tinh-a.gov.vn/rss", body="""<?xml version="1.0"?><rss><channel>
<item><title>Tin RSS</title><pubDate>Fri, 27 Nov 2026 08:00:00 +0700</pubDate></item></channel></rss>""")
    atom = FeedDocument("https://tinh-a.gov.vn/atom", body="""<feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>Tin Atom</title><updated>2026-11-25T01:00:00Z</updated></entry></feed>""")
    candidates = [DateCandidate("29/11/2026", "Thứ Bảy, 29/11/2026", True, "Đăng nhập hệ thống quản trị"),
                  DateCandidate("20/11/2026", "20/11/2026", True, "Hội nghị tổng kết năm"),
                  DateCandidate("26/11/2026", "26/11/2026", False),
                  DateCandidate("2026-12-15", "Lịch họp 15/12/2026", True, "Hội nghị sắp tới", "time")]
    found = news_dates(candidates, [rss, atom, FeedDocument("https://tinh-a.gov.vn/x", error="HTTP 404"),
                                    FeedDocument("https://tinh-a.gov.vn/y", body="<html><p>")],
                       {"article:published_time": ["2026-11-22T08:00:00+07:00"], "dc:date": ["2026-11-28"]},
                       "2026-11-29T08:00:00+00:00", SETTINGS.freshness.ignore_context)
    # Today's-date widget, a date away from any article link, a future event and the page's DC.date do not count.
    assert [(i.date, i.source) for i in found.items] == [("2026-11-20", "page"), ("2026-11-22", "meta"),
                                                         ("2026-11-27", "feed"), ("2026-11-25", "feed")]
    assert found.newest.text == "Tin RSS"
    assert found.feed_errors[0] == "https://tinh-a.gov.vn/x: HTTP 404"
    assert "không phải tệp RSS/Atom" in found.feed_errors[1]
    with pytest.raises(ValueError):
        feed_items(FeedDocument("u", body="not xml"))


def test_lighthouse_runs_one_at_a_time_per_machine(tmp_path: Path) -> None:
    lock = tmp_path / "lighthouse.lock"
    order: list[str] = []

    def second() -> None:
        with machine_lock(lock):
            order.append("second")

    with machine_lock(lock):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        order.append("first")
    thread.join(timeout=30)
    assert order == ["first", "second"]


# A stand-in Lighthouse CLI: its n-th run (counted in a file beside it) reports the n-th metrics of
# RUNS and an HTML report naming the run, as the real one writes them (--output-path=P: P.report.*).
STAND_IN_LIGHTHOUSE = """#!{python}
import json, pathlib, sys
RUNS = {runs!r}
count = pathlib.Path(__file__).with_name("count")
n = int(count.read_text()) if count.exists() else 0
count.write_text(str(n + 1))
out = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--output-path="))
fcp, lcp = RUNS[n]
audits = {{"first-contentful-paint": {{"numericValue": fcp}}, "largest-contentful-paint": {{"numericValue": lcp}},
          "speed-index": {{"numericValue": 1000}}, "total-blocking-time": {{"numericValue": 10}}}}
pathlib.Path(out + ".report.json").write_text(json.dumps({{"audits": audits, "lighthouseVersion": "0-stand-in"}}))
pathlib.Path(out + ".report.html").write_text(f"run {{n}}")
"""


@pytest.mark.world  # starts a (stand-in) Lighthouse process
def test_the_attached_report_is_the_run_nearest_the_medians(tmp_path: Path) -> None:
    # Medians FCP 1000, LCP 2100. Run 0 has the median FCP, run 1 the lowest LCP, run 2 is nearest
    # the medians overall (relative distances 0.90, 0.15, 0.10): its report is the one attached.
    runs = [(1000, 4000), (1100, 2000), (900, 2100)]
    command = tmp_path / "lighthouse"
    command.write_text(STAND_IN_LIGHTHOUSE.format(python=sys.executable, runs=runs), encoding="utf-8")
    command.chmod(0o755)
    settings = SETTINGS.model_copy(update={"speed": SETTINGS.speed.model_copy(update={
        "runs": 3, "command": str(command), "lock_file": str(tmp_path / "lock")})})
    result = run_lighthouse("https://p.gov.vn/", settings, chromium=None, ignore_https_errors=False)
    assert [(r.fcp, r.lcp) for r in result.runs] == runs
    assert result.median["fcp"] == 1000 and result.median["lcp"] == 2100
    assert result.report_html == "run 2"


def _stand_in(tmp_path: Path, runs: list[tuple[int, int]], clear_factor: float, settled: bool = False):
    command = tmp_path / "lighthouse"
    command.write_text(STAND_IN_LIGHTHOUSE.format(python=sys.executable, runs=runs), encoding="utf-8")
    command.chmod(0o755)
    return SETTINGS.model_copy(update={"speed": SETTINGS.speed.model_copy(update={
        "runs": 3, "command": str(command), "lock_file": str(tmp_path / "lock"), "clear_factor": clear_factor,
        "stop_when_settled": settled})})


@pytest.mark.world  # starts a (stand-in) Lighthouse process
@pytest.mark.parametrize(("first", "factor", "measured"), [
    ((1500, 2000), 2, 1),  # FCP and LCP at exactly half their limits (3000, 4000), SI 1000, TBT 10: clear
    ((1000, 8000), 2, 1),  # LCP twice its limit: failed whatever the other runs say
    ((1000, 2001), 2, 3),  # LCP just over half its limit: the other runs are needed
    ((1000, 7999), 2, 3),  # LCP just under twice its limit
    ((1500, 2000), 0, 3),  # clear_factor 0: always speed.runs runs
    ((1000, 3000), 4, 3),  # a larger factor asks for more: LCP 3000 is not under 4000 / 4
])
def test_a_first_run_far_from_every_limit_decides_alone(tmp_path: Path, first: tuple[int, int], factor: float,
                                                         measured: int) -> None:
    runs = [first, (1100, 2100), (900, 1900)]
    settings = _stand_in(tmp_path, runs, factor)
    result = run_lighthouse("https://p.gov.vn/", settings, chromium=None, ignore_https_errors=False)
    assert [(r.fcp, r.lcp) for r in result.runs] == runs[:measured]
    assert int((tmp_path / "count").read_text()) == measured  # the skipped runs never started


@pytest.mark.world  # starts a (stand-in) Lighthouse process
@pytest.mark.parametrize(("runs", "settled", "measured", "lcp"), [
    ([(1000, 3000), (1100, 3100), (900, 9000)], True, 2, 3050),  # two passing runs: a third cannot fail it
    ([(1000, 4100), (1100, 4300), (900, 1000)], True, 2, 4200),  # two failing LCPs: a third cannot pass it
    ([(1000, 3000), (1100, 4100), (900, 3500)], True, 3, 3500),  # the two runs disagree on LCP: the third decides
    ([(1000, 3000), (1100, 3100), (900, 9000)], False, 3, 3100),  # stop_when_settled off: every run
])
def test_runs_stop_once_the_rest_cannot_change_the_verdict(tmp_path: Path, runs: list[tuple[int, int]],
                                                           settled: bool, measured: int, lcp: float) -> None:
    """speed.stop_when_settled: with 3 runs, 2 on the same side of every limit fix every median's side
    (the median of 3 is the middle value); clear_factor 0 here, so only this rule stops the runs."""
    settings = _stand_in(tmp_path, runs, 0, settled)
    result = run_lighthouse("https://p.gov.vn/", settings, chromium=None, ignore_https_errors=False)
    assert [(r.fcp, r.lcp) for r in result.runs] == runs[:measured]
    assert int((tmp_path / "count").read_text()) == measured  # the skipped run never started
    assert result.median["lcp"] == lcp
    full = _median_lcp(runs)
    assert (result.median["lcp"] >= 4000) == (full >= 4000)  # the verdict of all three runs


def _median_lcp(runs: list[tuple[int, int]]) -> float:
    return sorted(lcp for _, lcp in runs)[len(runs) // 2]


def test_clear_factor_is_off_or_above_one(tmp_path: Path) -> None:
    for value, accepted in (("0", True), ("1.5", True), ("1", False), ("0.5", False)):
        config = tmp_path / f"factor-{value}.yaml"
        config.write_text(f"speed:\n  clear_factor: {value}\n", encoding="utf-8")
        if accepted:
            assert load_settings(config).speed.clear_factor == float(value)
        else:
            with pytest.raises(Exception, match="clear_factor"):
                load_settings(config)


@pytest.mark.world
def test_extra_ca_trust_store(tls_world: World, tmp_path: Path) -> None:
    required.command("certutil", why="libnss3-tools, installed by bin/setup")
    home = nss_home(tls_world.ca_file, tmp_path / "home")
    assert (home / ".pki" / "nssdb" / "cert9.db").exists()
    empty = tmp_path / "empty.pem"
    empty.write_text("nothing here", encoding="ascii")
    with pytest.raises(TrustError, match="không có chứng chỉ PEM nào"):
        nss_home(empty, tmp_path / "other")
