"""Criteria HTTPS and HEADERS: information security as far as it shows from outside (the 2025
criteria set's security group is about documents; these are the external proxies national auditors
use). HTTPS: a valid certificate, http:// redirected to https://, TLS 1.2 or newer only, HSTS, no
mixed content. HEADERS: the security headers of the homepage (CSP, X-Content-Type-Options,
frame-ancestors or X-Frame-Options, Referrer-Policy), informative by default."""

from __future__ import annotations

import re
from dataclasses import asdict

from portal_audit.evidence.artifacts import HttpsProbe
from portal_audit.evidence.capture import Capture
from portal_audit.evidence.gatherers import HTTPS
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.verdicts import Verdict
from portal_audit.evidence.site import SiteEvidence

CERTIFICATE_PROBLEMS = {
    "expired": "chứng chỉ đã hết hạn",
    "not_yet_valid": "chứng chỉ chưa đến ngày có hiệu lực",
    "self_signed": "chứng chỉ tự ký, không do tổ chức chứng thực được tin cậy cấp",
    "untrusted": "chứng chỉ do tổ chức chứng thực không được tin cậy cấp",
    "hostname": "chứng chỉ không cấp cho tên miền này",
    "other": "chứng chỉ không hợp lệ",
}
OLD_PROTOCOLS = ("TLSv1", "TLSv1.1")
PROTOCOL_NAMES = {"TLSv1": "TLS 1.0", "TLSv1.1": "TLS 1.1"}
_MAX_AGE = re.compile(r"max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
MAX_LISTED = 3


def mixed_content(capture: Capture) -> list[str]:
    """What an https:// page loaded (or tried to) over plain HTTP."""
    if not capture.final_url.startswith("https://"):
        return []
    found = [r.url for r in capture.requests if r.url.startswith("http://") and r.frame_url.startswith("https://")]
    found += [line for line in capture.console if "Mixed Content" in line]
    return list(dict.fromkeys(found))


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    capture = site_evidence.homepage
    probe: HttpsProbe = site_evidence.artifact(HTTPS)
    problems: list[str] = []
    codes: list[FailureKind] = []
    host = probe.host
    if not probe.https:
        problems.append(f"không truy cập được https://{host}/ ({probe.error})")
        codes.append(FailureKind.NO_HTTPS)
    else:
        cert = probe.certificate
        if cert is not None and not cert.valid:
            problem = cert.problem or "other"
            problems.append(f"{CERTIFICATE_PROBLEMS.get(problem, CERTIFICATE_PROBLEMS['other'])} ({cert.detail})")
            codes.append(FailureKind._value2member_map_.get(f"cert_{problem}", FailureKind.CERT_OTHER))  # type: ignore[arg-type]
        old = [name for name in OLD_PROTOCOLS if probe.old_protocols.get(name)]
        if probe.protocol in OLD_PROTOCOLS and probe.protocol not in old:
            old.append(probe.protocol)
        if old:
            problems.append(f"máy chủ vẫn chấp nhận giao thức cũ {', '.join(PROTOCOL_NAMES[n] for n in old)} "
                            "(chỉ được dùng TLS 1.2 trở lên)")
            codes.append(FailureKind.OLD_TLS)
        if probe.http is not None and probe.http.to_https is False:
            shown = probe.http.chain[-1] if probe.http.chain else f"http://{host}/"
            problems.append(f"truy cập http://{host}/ không được chuyển hướng sang HTTPS ({shown})")
            codes.append(FailureKind.NO_HTTPS_REDIRECT)
        if not probe.hsts:
            problems.append("không có tiêu đề Strict-Transport-Security (HSTS)")
            codes.append(FailureKind.NO_HSTS)
        else:
            age = _MAX_AGE.search(probe.hsts)
            if age is None or int(age.group(1)) <= 0 or int(age.group(1)) < settings.https.hsts_min_max_age:
                problems.append(f"HSTS không hiệu lực hoặc quá ngắn ('{probe.hsts}')")
                codes.append(FailureKind.HSTS_SHORT)
    mixed = mixed_content(capture)
    if mixed:
        problems.append(f"trang HTTPS tải nội dung qua HTTP (nội dung hỗn hợp): {'; '.join(mixed[:MAX_LISTED])}")
        codes.append(FailureKind.MIXED_CONTENT)
    evidence = {"probe": asdict(probe), "mixed_content": mixed, "final_url": capture.final_url, "reasons": [str(code) for code in codes]}
    if problems:
        return Verdict(Status.FAILED, "HTTPS không đạt: " + "; ".join(problems), evidence)
    cert = probe.certificate
    issuer = f", cấp bởi {cert.issuer}, hết hạn {cert.not_after}" if cert and cert.issuer else ""
    return Verdict(Status.PASSED, f"HTTPS đạt: chứng chỉ hợp lệ{issuer}; {probe.protocol}; không chấp nhận TLS 1.0/1.1; "
                                  f"http:// chuyển hướng sang https://; có HSTS ({probe.hsts})", evidence)


def _has(headers: dict[str, str], name: str) -> bool:
    if name == "frame-ancestors":
        return "frame-ancestors" in headers.get("content-security-policy", "").lower()
    return bool(headers.get(name, "").strip())


def judge_headers(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    capture = site_evidence.homepage
    headers = capture.headers
    present: dict[str, str] = {}
    missing: list[str] = []
    for entry in settings.https.security_headers:
        names = [n.strip().lower() for n in entry.split("|") if n.strip()]
        found = next((n for n in names if _has(headers, n)), None)
        if found is None:
            missing.append(" hoặc ".join(names))
        else:
            present[entry] = headers.get(found, "") if found != "frame-ancestors" else "CSP frame-ancestors"
    evidence = {"present": present, "missing": missing, "final_url": capture.final_url,
                "reasons": [str(FailureKind.MISSING_SECURITY_HEADERS)] if missing else []}
    if missing:
        return Verdict(Status.FAILED, f"Thiếu tiêu đề bảo mật HTTP: {', '.join(missing)}", evidence)
    return Verdict(Status.PASSED, f"Có đủ tiêu đề bảo mật HTTP: {', '.join(present)}", evidence)


# What the agencies read about this criterion (docs/tieu-chi.md, generated by portal_audit.criteria_doc);
# one block at the end of the module, apart from the judge's body, with its own imports.
from portal_audit.guidance import About  # noqa: E402
from portal_audit.status import FailureKind as K  # noqa: E402

ABOUT = {
    "HTTPS": About(
        basis="Bộ tiêu chí đánh giá năm 2025, nhóm an toàn thông tin (các dấu hiệu thấy được từ bên ngoài)",
        checks="Chứng chỉ hợp lệ (tin cậy, đúng tên miền, còn hạn); không chấp nhận TLS 1.0/1.1; http:// chuyển "
               "sang https://; có tiêu đề Strict-Transport-Security (HSTS); trang HTTPS không tải nội dung qua http://.",
        why="Kết nối mã hóa bảo vệ thông tin người dân gửi và nhận, và chống giả mạo nội dung trang.",
        reasons=(K.NO_HTTPS, K.CERT_EXPIRED, K.CERT_NOT_YET_VALID, K.CERT_SELF_SIGNED, K.CERT_UNTRUSTED,
                 K.CERT_HOSTNAME, K.CERT_OTHER, K.OLD_TLS, K.NO_HTTPS_REDIRECT, K.NO_HSTS, K.HSTS_SHORT,
                 K.MIXED_CONTENT)),
    "HEADERS": About(
        basis="Bộ tiêu chí đánh giá năm 2025, nhóm an toàn thông tin (tham khảo, không tính điểm)",
        checks="Các tiêu đề bảo mật HTTP của trang chủ: Content-Security-Policy, X-Content-Type-Options, "
               "frame-ancestors hoặc X-Frame-Options, Referrer-Policy.",
        why="Các tiêu đề này hạn chế tấn công chèn mã, nhúng trang giả mạo và lộ thông tin.",
        reasons=(K.MISSING_SECURITY_HEADERS,)),
}
