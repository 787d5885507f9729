"""Criterion 3.1: the EMC monitoring code is embedded and actually reports (Circular 22, Art. 4 cl. 6).

Judged from what the browser did, not from the HTML text: the commands pushed onto the EMC
queue, the script request, and at least one request to the tracker endpoint. A failure names its
cause where the browser shows it: the page's own Content-Security-Policy blocking the EMC host, an
older snippet still pointing at a former EMC host (settings emc.legacy_hosts), the EMC commands
pushed onto another tracker's queue (a site's own Matomo, `_paq`). Another tracker next to the EMC
code does not matter."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from portal_audit.cells import to_csv
from portal_audit.inventory import Site
from portal_audit.settings import EmcSettings, Settings
from portal_audit.status import FailureKind, Status
from portal_audit.urls import match_host, parse_address
from portal_audit.verdicts import Attachment, Verdict
from portal_audit.evidence.capture import Capture, NetworkRequest
from portal_audit.evidence.site import SiteEvidence


def _is_endpoint(url: str, host: str, path: str) -> bool:
    address = parse_address(url)
    return (address is not None and address.match_host == match_host(host)
            and address.path.rstrip("/") == path.rstrip("/"))


def _query(url: str) -> str:
    address = parse_address(url)
    return address.query if address else ""


def _script_name(emc: EmcSettings) -> str:
    return emc.script_path.rsplit("/", 1)[-1]


def _on_legacy_host(url: str, emc: EmcSettings) -> bool:
    address = parse_address(url)
    return address is not None and address.match_host in {match_host(h) for h in emc.legacy_hosts}


def _csp_blocked(request: NetworkRequest) -> bool:
    # Chromium refuses a request the page's Content-Security-Policy forbids before it leaves
    # (DevTools shows "blocked:csp"), and says so on the console.
    return request.failure is not None and "csp" in request.failure.lower()


def _misqueued(capture: Capture, emc: EmcSettings) -> str | None:
    """The other tracker's queue that received the EMC commands (its setTrackerUrl names the EMC host)."""
    for queue, commands in capture.other_queue_commands.items():
        if any(emc.host in arg for command in commands for arg in command[1:]):
            return queue
    return None


def _mixed_content_blocked(capture: Capture, emc: EmcSettings) -> list[str]:
    """Script URLs of the EMC host that Chromium refused as mixed content (reported on the console)."""
    return [line for line in capture.console if "Mixed Content" in line and emc.host in line and "blocked" in line]


def _describe(request: NetworkRequest) -> str:
    if request.failure:
        return f"{request.url} ({request.failure})"
    return f"{request.url} (HTTP {request.status})"


def _request_table(scripts: list[NetworkRequest], trackers: list[NetworkRequest]) -> Attachment:
    """The requests to the EMC script and tracker, as the agency's developers will look for them."""
    rows: list[list[object]] = [["loại", "địa chỉ", "mã HTTP", "lỗi"]]
    for kind, requests in (("tập lệnh EMC", scripts), ("gửi dữ liệu", trackers)):
        for request in requests:
            rows.append([kind, request.url, request.status or "", request.failure or ""])
    return Attachment("Yêu cầu tới máy chủ EMC", to_csv(rows), "text/csv", "csv")


@dataclass(frozen=True)
class _Seen:
    """What the page showed of the EMC code: read once, shared by the judge and `ready`."""

    commands: list[list[str]]
    scripts: list[NetworkRequest]  # requests to the EMC script
    loaded: list[NetworkRequest]  # those that loaded
    copies: list[NetworkRequest]  # the same script file from elsewhere
    legacy: list[NetworkRequest]  # requests to a former EMC host
    tracker_requests: list[NetworkRequest]
    hits: list[NetworkRequest]  # tracker requests that got an answer
    tracker_urls: list[str]
    site_id: str | None
    misqueued: str | None
    expected_script: str
    expected_tracker: str


def _seen(capture: Capture, emc: EmcSettings) -> _Seen:
    commands = capture.queue_commands
    scripts = [r for r in capture.requests if _is_endpoint(r.url, emc.host, emc.script_path)]
    tracker_requests = [r for r in capture.requests if _is_endpoint(r.url, emc.host, emc.tracker_path)]
    hits = [r for r in tracker_requests if r.status is not None]
    site_ids = [c[1] for c in commands if c[0] == "setSiteId" and len(c) > 1]
    hit_ids = [v for r in hits for v in parse_qs(_query(r.url)).get("idsite", [])]
    return _Seen(
        commands=commands, scripts=scripts,
        loaded=[r for r in scripts if r.failure is None and r.status is not None and r.status < 400],
        copies=[r for r in capture.requests
                if r.url.split("?")[0].endswith("/" + _script_name(emc)) and r not in scripts],
        legacy=[r for r in capture.requests if _on_legacy_host(r.url, emc)],
        tracker_requests=tracker_requests, hits=hits,
        tracker_urls=[c[1] for c in commands if c[0] == "setTrackerUrl" and len(c) > 1],
        site_id=site_ids[-1] if site_ids else (hit_ids[0] if hit_ids else None),
        misqueued=_misqueued(capture, emc),
        expected_script=f"https://{emc.host}{emc.script_path}", expected_tracker=f"https://{emc.host}{emc.tracker_path}")


def _evidence(seen: _Seen, capture: Capture, site: Site) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "site_id": seen.site_id,
        "registered_site_id": site.emc_site_id,
        "tracker_url": seen.tracker_urls[-1] if seen.tracker_urls else None,
        "script_requests": [_describe(r) for r in seen.scripts + seen.copies],
        "tracker_requests": [_describe(r) for r in seen.tracker_requests],
        "queue_commands": seen.commands,
        "final_url": capture.final_url,
    }
    if seen.legacy:
        evidence["legacy_requests"] = [_describe(r) for r in seen.legacy]
    if capture.other_queue_commands:
        evidence["other_queue_commands"] = capture.other_queue_commands
    return evidence


def _absent(seen: _Seen, capture: Capture, emc: EmcSettings) -> tuple[FailureKind, str] | None:
    """Why there is no EMC code at all on the page, or None when there is some."""
    if seen.commands or seen.scripts or seen.copies:
        return None
    if seen.legacy:
        return FailureKind.EMC_LEGACY_HOST, (
            f"Mã giám sát trên trang dùng địa chỉ EMC cũ {parse_address(seen.legacy[0].url).match_host} "  # type: ignore[union-attr]
            f"({_describe(seen.legacy[0])}), cần thay bằng mã nhúng mới của {emc.host}")
    if seen.misqueued:
        return FailureKind.EMC_WRONG_QUEUE, (f"Các lệnh của mã giám sát EMC được đẩy vào hàng lệnh {seen.misqueued} "
                                             f"của bộ đếm khác, không phải {emc.queue}, và không tải tập lệnh "
                                             f"{seen.expected_script}")
    if capture.html_mentions_emc:
        return FailureKind.EMC_NOT_EXECUTED, ("Mã giám sát EMC có trong mã nguồn trang chủ nhưng không được thực thi "
                                              "(bị chú thích hoặc vô hiệu hóa)")
    return FailureKind.EMC_MISSING, (f"Không tìm thấy mã giám sát EMC trên trang chủ: không có lệnh {emc.queue} "
                                     f"và không tải tập lệnh {seen.expected_script}")


def _script_problem(seen: _Seen, capture: Capture, emc: EmcSettings) -> tuple[FailureKind, str] | None:
    """Why the EMC script did not load, or None when it did."""
    if seen.loaded:
        return None
    blocked = _mixed_content_blocked(capture, emc)
    failed = [r for r in seen.scripts if r not in seen.loaded]
    copies = seen.copies
    if any(_csp_blocked(r) for r in failed):
        url = next(r.url for r in failed if _csp_blocked(r))
        return FailureKind.EMC_BLOCKED_BY_CSP, ("chính sách bảo mật nội dung (Content-Security-Policy) của trang "
                                                f"chặn tập lệnh EMC {url}: cần cho phép {emc.host} trong script-src")
    if blocked or any(r.url.startswith("http://") for r in failed) and capture.final_url.startswith("https://"):
        url = failed[0].url if failed else blocked[0]
        return FailureKind.EMC_MIXED_CONTENT, ("tập lệnh EMC bị trình duyệt chặn do nội dung hỗn hợp "
                                               f"(http:// trên trang https://): {url}")
    if failed:
        return FailureKind.EMC_NOT_REPORTING, f"tập lệnh EMC không tải được: {_describe(failed[0])}"
    if copies and _on_legacy_host(copies[0].url, emc):
        return FailureKind.EMC_LEGACY_HOST, (f"tập lệnh giám sát được tải từ địa chỉ EMC cũ {copies[0].url}, "
                                             f"cần thay bằng {seen.expected_script}")
    if copies:
        return FailureKind.EMC_NOT_REPORTING, (f"tập lệnh giám sát được tải từ {copies[0].url}, không phải từ máy "
                                               f"chủ EMC {seen.expected_script}")
    return FailureKind.EMC_NOT_REPORTING, f"trang có lệnh {emc.queue} nhưng không tải tập lệnh EMC {seen.expected_script}"


def _tracker_problem(seen: _Seen, emc: EmcSettings) -> tuple[FailureKind, str] | None:
    """A setTrackerUrl that does not name the EMC tracker."""
    urls = seen.tracker_urls
    if not urls or any(_is_endpoint(url, emc.host, emc.tracker_path) for url in urls):
        return None
    if _on_legacy_host(urls[-1], emc):
        return FailureKind.EMC_LEGACY_HOST, (f"địa chỉ nhận dữ liệu (setTrackerUrl) là địa chỉ EMC cũ '{urls[-1]}', "
                                             f"cần thay bằng {seen.expected_tracker}")
    return FailureKind.EMC_NOT_REPORTING, (f"địa chỉ nhận dữ liệu (setTrackerUrl) là '{urls[-1]}', không phải máy "
                                           f"chủ EMC {seen.expected_tracker}")


def _site_id_problem(seen: _Seen, site: Site) -> tuple[FailureKind, str] | None:
    site_id = seen.site_id
    if site_id is None:
        return FailureKind.EMC_SITE_ID, "không khai báo mã website EMC (setSiteId)"
    if not site_id.strip():
        return FailureKind.EMC_SITE_ID, "mã website EMC (setSiteId) bị để trống"
    if site.emc_site_id and site_id.strip() != site.emc_site_id:
        return FailureKind.EMC_SITE_ID, (f"mã website EMC trên trang là '{site_id}', khác mã đã đăng ký "
                                         f"'{site.emc_site_id}' (có thể sao chép từ trang khác)")
    return None


def _hits_problem(seen: _Seen, emc: EmcSettings) -> tuple[FailureKind, str] | None:
    """Why no data reached the EMC tracker, or None when some did."""
    if seen.hits:
        return None
    blocked_hits = [r for r in seen.tracker_requests if _csp_blocked(r)]
    if blocked_hits:
        return FailureKind.EMC_BLOCKED_BY_CSP, ("chính sách bảo mật nội dung (Content-Security-Policy) của trang "
                                                "chặn yêu cầu gửi dữ liệu tới EMC "
                                                f"{blocked_hits[0].url.split('?')[0]}: cần cho phép {emc.host} "
                                                "(img-src, connect-src)")
    if seen.tracker_requests:
        return FailureKind.EMC_NOT_REPORTING, ("yêu cầu gửi dữ liệu tới EMC không thành công: "
                                               f"{_describe(seen.tracker_requests[0])}")
    return FailureKind.EMC_NOT_REPORTING, f"không có yêu cầu nào gửi tới máy chủ thu thập EMC {seen.expected_tracker}"


def _problems(seen: _Seen, capture: Capture, site: Site, emc: EmcSettings) -> list[tuple[FailureKind, str]]:
    """What is wrong with an EMC code that is on the page, in the order the message names them."""
    misqueued = None
    if seen.misqueued:
        misqueued = (FailureKind.EMC_WRONG_QUEUE, "các lệnh của mã EMC (setTrackerUrl, setSiteId) được đẩy vào "
                                                  f"hàng lệnh {seen.misqueued} của bộ đếm khác, không phải {emc.queue}")
    found = (misqueued, _script_problem(seen, capture, emc), _tracker_problem(seen, emc), _site_id_problem(seen, site),
             _hits_problem(seen, emc))
    return [problem for problem in found if problem is not None]


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    capture = site_evidence.homepage
    emc = settings.emc
    seen = _seen(capture, emc)
    facts = _evidence(seen, capture, site)
    attachments = [_request_table(seen.scripts + seen.copies, seen.tracker_requests)]
    absent = _absent(seen, capture, emc)
    if absent is not None:
        kind, reason = absent
        return Verdict(Status.FAILED, reason, {**facts, "reasons": [str(kind)]}, attachments)
    problems = _problems(seen, capture, site, emc)
    if problems:
        message = "Mã giám sát EMC không hoạt động đúng: " + "; ".join(text for _, text in problems)
        reasons = [str(kind) for kind in FailureKind if any(k == kind for k, _ in problems)]
        return Verdict(Status.FAILED, message, {**facts, "reasons": reasons}, attachments)
    return Verdict(Status.PASSED, f"Mã giám sát EMC hoạt động: mã website '{seen.site_id}', "
                                  f"đã gửi {len(seen.hits)} yêu cầu tới {seen.expected_tracker}", facts, attachments)


def ready(site_evidence: SiteEvidence, site: Site, settings: Settings) -> bool:
    """Whether the judge would pass, without building its evidence or attachments (called on every
    snapshot while the page settles)."""
    capture = site_evidence.homepage
    seen = _seen(capture, settings.emc)
    return _absent(seen, capture, settings.emc) is None and not _problems(seen, capture, site, settings.emc)


# What the agencies read about this criterion (docs/tieu-chi.md, generated by portal_audit.criteria_doc);
# one block at the end of the module, apart from the judge's body, with its own imports.
from portal_audit.guidance import About  # noqa: E402
from portal_audit.status import FailureKind as K  # noqa: E402

ABOUT = {"3.1": About(
    basis="Thông tư 22/2023/TT-BTTTT, Điều 4, khoản 6; Công văn 2820/BTTTT-CPSQG, tiêu chí 3.1",
    checks="Trang chủ gắn mã giám sát EMC và mã thực sự hoạt động: trình duyệt tải tập lệnh EMC, trang khai báo "
           "mã website (setSiteId) của chính nó, và gửi ít nhất một lượt ghi nhận về máy chủ EMC. Đánh giá theo "
           "những gì trình duyệt làm, không theo chữ trong mã nguồn; một bộ đếm khác (Matomo ...) bên cạnh "
           "không ảnh hưởng.",
    why="Hệ thống giám sát EMC thống kê lượt truy cập (tiêu chí 3.3) và theo dõi an toàn của từng trang; "
        "trang không gửi dữ liệu thì không được giám sát, không được xếp hạng.",
    reasons=(K.EMC_MISSING, K.EMC_NOT_EXECUTED, K.EMC_MIXED_CONTENT, K.EMC_BLOCKED_BY_CSP, K.EMC_LEGACY_HOST,
             K.EMC_WRONG_QUEUE, K.EMC_SITE_ID, K.EMC_NOT_REPORTING))}
