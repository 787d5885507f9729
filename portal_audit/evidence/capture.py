"""What one browser visit of a homepage saw. Pure data: checks judge it, never the browser.

A capture round-trips through JSON (screenshots aside), so a check can be unit-tested on a
saved capture."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from portal_audit.urls import Address, parse_address

_BARE_WORD = re.compile(r"^[\w-]+$")


@dataclass
class NetworkRequest:
    url: str
    method: str
    resource_type: str
    status: int | None = None  # HTTP status of the response, None when none arrived
    failure: str | None = None  # the browser's error text when the request failed or was blocked
    frame_url: str = ""


@dataclass
class Link:
    href: str  # absolute URL as the browser resolved it ('' for an option value that is no address)
    raw: str  # the attribute value as written (option values may be bare hosts)
    text: str
    # "a" | "area" | "option"; for a destination recorded by acting on the page, the tag of the
    # element acted on ("li", "img", "button", ...)
    kind: str
    visible: bool
    hidden_reason: str | None
    frame_url: str
    # The link block it sits in (nearest preceding heading, labelled container, or the select's
    # label and first option), e.g. "Liên kết website": lets discovery tell link lists from news.
    section: str = ""
    # How a visitor reaches it, when not simply by looking at the page as loaded (Vietnamese), e.g.
    # "hiển thị khi di chuột vào 'Liên kết'", "chọn mục 'Sở Tài chính' trong danh sách 'Liên kết website'".
    reached_by: str = ""

    def address(self) -> Address | None:
        """Where the link leads. A link-list option may hold a bare host ("stc.tinh-a.gov.vn") that
        the browser resolved as a path of the page: its value as written comes first. An option whose
        value is a bare word or number ("58") leads nowhere by itself: only the page's script knows
        where (the visit records that by choosing it, as a link of its own)."""
        if self.kind == "option":
            if _BARE_WORD.match(self.raw.strip()):
                return None
            return parse_address(self.raw, bare=True) or parse_address(self.href)
        return parse_address(self.href)


@dataclass
class BadgeCandidate:
    matched_by: str  # "text: ..." | "image: ..." | "selector: ..."
    text: str
    visible: bool
    hidden_reason: str | None
    # Position in the page (CSS pixels, document coordinates): used to clip the screenshot.
    rect: dict[str, float] | None
    frame_url: str


@dataclass
class Capture:
    requested_url: str
    final_url: str
    status: int | None
    redirects: list[str]
    title: str
    # Every command pushed onto the EMC queue, in order, as [name, *args] (values stringified).
    queue_commands: list[list[str]]
    requests: list[NetworkRequest]
    console: list[str]  # console errors and warnings (mixed-content blocks are reported there)
    dialogs: list[str]
    links: list[Link]
    badges: list[BadgeCandidate]
    # The served HTML mentions the EMC host (lets 3.1 say "present but not executed").
    html_mentions_emc: bool
    settle_seconds: float = 0.0
    # Commands pushed onto other trackers' queues (settings emc.other_queues), per queue.
    other_queue_commands: dict[str, list[list[str]]] = field(default_factory=dict)
    # What the visit did on the page to reach links that were not there as loaded (Vietnamese), in order.
    interactions: list[str] = field(default_factory=list)
    attempts: int = 1  # visits needed (transient network errors are retried)
    visited_at: str = ""  # when the page was loaded (ISO 8601, UTC): "today" for the update dates
    # Response headers of the homepage document (the final one after redirects), names lower-case.
    headers: dict[str, str] = field(default_factory=dict)
    # The page's own Web Vitals during this visit (PerformanceObserver, no throttling), evidence only:
    # fcp, lcp (ms), long_tasks (count), longest_task, tbt (ms after FCP), cls.
    web_vitals: dict[str, float | None] = field(default_factory=dict)
    screenshot: bytes | None = field(default=None, repr=False)  # full page, JPEG
    badge_clip: bytes | None = field(default=None, repr=False)  # PNG of the visible badge

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("screenshot")
        data.pop("badge_clip")
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Capture":
        data: dict[str, Any] = json.loads(text)
        data["requests"] = [NetworkRequest(**r) for r in data["requests"]]
        data["links"] = [Link(**link) for link in data["links"]]
        data["badges"] = [BadgeCandidate(**b) for b in data["badges"]]
        for former in ("gathered", "visited"):  # kept elsewhere since (SiteEvidence)
            data.pop(former, None)
        return cls(**data)
