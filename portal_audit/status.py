"""The fixed vocabularies: what a case can conclude, and why a site could not be evaluated."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    BROKEN = "broken"  # could not be evaluated: never a compliance failure
    SKIPPED = "skipped"  # the criterion does not apply

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {Status.PASSED: "Đạt", Status.FAILED: "Không đạt", Status.BROKEN: "Không đánh giá được",
                 Status.SKIPPED: "Không áp dụng"}
NOT_PASSING = frozenset({Status.FAILED, Status.BROKEN})


class ErrorKind(StrEnum):
    """Why a site or a case is broken (GSA's "could not scan" states, as one list)."""

    DNS = "dns"
    REFUSED = "refused"
    TLS = "tls"
    TIMEOUT = "timeout"
    NETWORK = "network"
    REDIRECT_LOOP = "redirect_loop"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    DOWNLOAD = "download"
    NOT_HTML = "not_html"
    HUNG = "hung"  # the page froze the browser past the hard budget
    CRASH = "crash"  # the browser died
    BLOCKED = "blocked"  # an internal address, refused by the network guard
    JUDGE_ERROR = "judge_error"  # the criterion's own code raised: a defect of the audit, not of the site
    GATHER_FAILED = "gather_failed"  # a gatherer the criterion needs gave nothing (Lighthouse, DNS, ...)
    WORKER_DIED = "worker_died"  # the process running the case ended before it reported
    AUDIT_ERROR = "audit_error"  # any other failure of the audit around the case


# Failures the network can be blamed for, worth another attempt; a page that froze the browser,
# an HTTP 4xx or a judge's defect would only fail the same way again.
RETRYABLE = frozenset({ErrorKind.DNS, ErrorKind.REFUSED, ErrorKind.NETWORK, ErrorKind.TIMEOUT,
                       ErrorKind.HTTP_5XX, ErrorKind.CRASH})
