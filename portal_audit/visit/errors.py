"""Why a site could not be evaluated: Chromium's errors mapped onto the fixed vocabulary of
portal_audit.status.ErrorKind, each with the reason an auditor reads."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Response
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from portal_audit.status import ErrorKind

_NET_ERRORS: tuple[tuple[str, ErrorKind, str], ...] = (
    ("ERR_NAME_NOT_RESOLVED", ErrorKind.DNS, "không phân giải được tên miền (lỗi DNS)"),
    ("ERR_NAME_RESOLUTION_FAILED", ErrorKind.DNS, "không phân giải được tên miền (lỗi DNS)"),
    ("ERR_CONNECTION_REFUSED", ErrorKind.REFUSED, "máy chủ từ chối kết nối"),
    ("ERR_CERT_", ErrorKind.TLS, "chứng chỉ TLS không hợp lệ"),
    ("ERR_SSL_", ErrorKind.TLS, "lỗi kết nối TLS"),
    ("ERR_BAD_SSL_CLIENT_AUTH_CERT", ErrorKind.TLS, "lỗi kết nối TLS"),
    ("ERR_TIMED_OUT", ErrorKind.TIMEOUT, "quá thời gian chờ kết nối"),
    ("ERR_CONNECTION_TIMED_OUT", ErrorKind.TIMEOUT, "quá thời gian chờ kết nối"),
    ("ERR_TOO_MANY_REDIRECTS", ErrorKind.REDIRECT_LOOP, "chuyển hướng lặp vô hạn"),
    ("ERR_CONNECTION_RESET", ErrorKind.NETWORK, "kết nối bị máy chủ ngắt"),
    ("ERR_CONNECTION_CLOSED", ErrorKind.NETWORK, "kết nối bị máy chủ đóng"),
    ("ERR_EMPTY_RESPONSE", ErrorKind.NETWORK, "máy chủ không trả về dữ liệu"),
    ("ERR_ADDRESS_UNREACHABLE", ErrorKind.NETWORK, "không tới được địa chỉ máy chủ"),
    ("ERR_INTERNET_DISCONNECTED", ErrorKind.NETWORK, "không có kết nối mạng"),
    ("ERR_ABORTED", ErrorKind.NETWORK, "trình duyệt hủy tải trang"),
    ("ERR_BLOCKED_BY_CLIENT", ErrorKind.BLOCKED, "tên miền trỏ tới địa chỉ nội bộ (loopback/mạng riêng) nên bị chặn; "
                                                 "dùng --resolve nếu đây là chủ ý"),
)


class VisitError(Exception):
    """The site could not be evaluated (a 'broken' verdict, never a 'failed' one)."""

    def __init__(self, url: str, kind: ErrorKind, reason: str, detail: str = "", final_url: str | None = None,
                 attempts: int = 1) -> None:
        self.url = url
        self.kind = kind
        self.reason = reason
        self.detail = detail
        self.final_url = final_url
        self.attempts = attempts
        super().__init__(self.message)

    @property
    def message(self) -> str:
        tries = f" (sau {self.attempts} lần thử)" if self.attempts > 1 else ""
        return f"Không đánh giá được {self.url}: {self.reason}" + (f" [{self.detail}]" if self.detail else "") + tries

    def __str__(self) -> str:
        return self.message

    @property
    def evidence(self) -> dict[str, Any]:
        return {"error_kind": str(self.kind), "detail": self.detail, "final_url": self.final_url,
                "attempts": self.attempts}


def hung(url: str, budget: float) -> VisitError:
    return VisitError(url, ErrorKind.HUNG, f"trang không phản hồi, vượt quá ngân sách {budget:g} giây "
                                           "cho một lần truy cập")


# Content types a full Chromium shows in its own viewer instead of downloading them. The lighter
# headless shell (Playwright's default headless browser, Debian's chromium-headless-shell) has no
# viewer and downloads them: the verdict must not depend on which of the two the auditor runs.
VIEWER_TYPES = ("application/pdf",)


def not_html(url: str, content_type: str, final_url: str | None = None) -> VisitError:
    return VisitError(url, ErrorKind.NOT_HTML, f"trang chủ không phải trang web (Content-Type: {content_type})",
                      final_url=final_url)


def content_type_of(response: Response) -> str:
    return (response.headers.get("content-type") or "").split(";")[0].strip().lower()


def classify(url: str, error: Exception, navigation_timeout: float,
             document: Response | None = None) -> VisitError:
    """`document`: the main frame's response seen before the error, if any (a download's)."""
    text = str(error)
    if isinstance(error, PlaywrightTimeout):
        return VisitError(url, ErrorKind.TIMEOUT, f"quá thời gian chờ ({navigation_timeout:g} giây) khi tải trang chủ")
    code = re.search(r"net::(ERR_[A-Z_]+)", text)
    if code:
        for prefix, kind, reason in _NET_ERRORS:
            if code.group(1).startswith(prefix):
                return VisitError(url, kind, reason, code.group(1))
        return VisitError(url, ErrorKind.NETWORK, "lỗi mạng khi tải trang chủ", code.group(1))
    if "Download is starting" in text:
        if document is not None and content_type_of(document) in VIEWER_TYPES:
            return not_html(url, content_type_of(document), document.url)
        return VisitError(url, ErrorKind.DOWNLOAD, "trang chủ là một tệp tải về, không phải trang web")
    first_line = text.splitlines()[0][:200] if text else type(error).__name__
    if "closed" in text.lower() or "crash" in text.lower():
        return VisitError(url, ErrorKind.CRASH, "trình duyệt bị dừng khi tải trang", first_line)
    return VisitError(url, ErrorKind.NETWORK, "lỗi khi tải trang chủ", first_line)
