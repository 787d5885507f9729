"""What the gatherers found about a site: plain data, JSON round trip included (large reports and
screenshots aside), so that every criterion can be judged and unit-tested on a saved capture."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import TypeAdapter

# DNS answers that say nothing about the records (the name servers did not answer).
UNANSWERED = ("timeout", "servfail")


@dataclass
class LighthouseRun:
    """One Lighthouse run: its metrics in milliseconds, or why it gave none."""

    fcp: float | None = None
    lcp: float | None = None
    speed_index: float | None = None
    tbt: float | None = None
    score: float | None = None  # the performance category score, 0-1 (reported, not judged)
    seconds: float = 0.0
    error: str | None = None


@dataclass
class LighthouseResult:
    version: str
    form_factor: str  # "mobile"
    throttling: str  # "simulate"
    runs: list[LighthouseRun]
    # Per metric, the median over the runs that measured it (fcp, lcp, speed_index, tbt).
    median: dict[str, float]
    requested_url: str = ""
    final_url: str = ""
    # The HTML report of the run nearest the medians: attached to the case, not kept in JSON.
    report_html: str | None = field(default=None, repr=False)


@dataclass
class MobileView:
    """The homepage as a phone shows it."""

    final_url: str
    viewport_meta: str | None  # content of <meta name=viewport>, None when absent
    device_width: int  # the phone's screen width (CSS pixels)
    inner_width: int  # the layout viewport's width (wider than the phone when Chrome zoomed out)
    scroll_width: int  # the document's width: wider than the phone means scrolling or zooming out
    wide_elements: list[str] = field(default_factory=list)  # what sticks out ("div.banner: 1200px")
    screenshot: bytes | None = field(default=None, repr=False)  # JPEG, attached to the case

    @property
    def overflow(self) -> int:
        return max(0, self.scroll_width - self.device_width)


@dataclass
class DomainRecords:
    host: str
    a: list[str] = field(default_factory=list)
    aaaa: list[str] = field(default_factory=list)
    a_error: str | None = None  # "nxdomain" | "noanswer" | "timeout" | "servfail"
    aaaa_error: str | None = None
    nameservers: list[str] = field(default_factory=list)  # empty: the system's resolver


@dataclass
class Certificate:
    valid: bool
    # Why it is not valid: "expired" | "not_yet_valid" | "self_signed" | "untrusted" | "hostname" | "other".
    problem: str | None = None
    detail: str | None = None  # OpenSSL's words
    subject: str | None = None
    issuer: str | None = None
    not_before: str | None = None
    not_after: str | None = None


@dataclass
class HttpRedirect:
    """What http://HOST/ answers: the redirect chain while it stays on HTTP, then where it leads."""

    chain: list[str] = field(default_factory=list)  # "301 http://... -> https://..." lines
    final_url: str | None = None  # the first https:// address reached, or the last http:// one
    to_https: bool | None = None  # None: HTTP not answered (nothing on port 80 is no failure of HTTPS)
    error: str | None = None


@dataclass
class HttpsProbe:
    host: str
    https: bool  # a TLS connection to the host succeeded (certificate checked separately)
    error: str | None = None  # why not
    protocol: str | None = None  # negotiated, e.g. "TLSv1.3"
    certificate: Certificate | None = None
    # Old protocols: True accepted, False refused, None not measurable from this machine.
    old_protocols: dict[str, bool | None] = field(default_factory=dict)
    http: HttpRedirect | None = None
    hsts: str | None = None  # Strict-Transport-Security of the HTTPS answer to GET /
    extra_ca: bool = False  # the extra CA file of the settings was trusted


@dataclass
class AxeNode:
    target: str
    html: str
    summary: str = ""


@dataclass
class AxeViolation:
    id: str
    impact: str  # "critical" | "serious" | "moderate" | "minor"
    help: str
    help_url: str
    tags: list[str]
    node_count: int
    nodes: list[AxeNode] = field(default_factory=list)  # the first ones


@dataclass
class AxeResult:
    version: str
    url: str
    violations: list[AxeViolation]
    passes: int = 0
    incomplete: int = 0


@dataclass
class DateCandidate:
    """A date shown on the rendered homepage, with what surrounds it."""

    text: str  # the date as written ("28/10/2025", "2025-10-28T08:00:00+07:00")
    context: str  # the text of the element holding it
    near_link: bool  # an article link shares its list item / block
    link: str = ""  # that link's text
    kind: str = "text"  # "text" | "time" (a <time datetime>)


@dataclass
class FeedDocument:
    url: str
    body: str | None = None
    error: str | None = None


@dataclass
class DatedItem:
    date: str  # ISO date YYYY-MM-DD
    source: str  # "page" | "time" | "meta" | "feed"
    text: str = ""  # the article's title or the text around the date
    where: str = ""  # the feed URL, the meta property


@dataclass
class NewsDates:
    items: list[DatedItem] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)  # feeds read
    feed_errors: list[str] = field(default_factory=list)

    @property
    def newest(self) -> DatedItem | None:
        return max(self.items, key=lambda i: i.date, default=None)


@dataclass
class PageControl:
    """A link, button, form, frame or script of the homepage, as the rendered HTML holds it."""

    tag: str  # "a" | "button" | "form" | "iframe" | "script" | "input" | the tag of an onclick element
    text: str  # its text, title, aria-label or value (bounded)
    target: str = ""  # href, src or action
    where: str = ""  # "chân trang" | "đầu trang" | "menu" | "hộp thoại" | "nội dung trang"


@dataclass
class PageText:
    """The homepage as text (scripts, styles and images left out) and its controls (criteria CONTENT, RATING)."""

    text: str
    controls: list[PageControl] = field(default_factory=list)


@dataclass
class ItemPage:
    """One page a content item's link leads to, as loaded (criterion CONTENT)."""

    url: str  # the link's address
    final_url: str = ""
    status: int | None = None
    error: str | None = None  # why it did not load (Vietnamese); None when it did
    title: str = ""
    main_text: str = ""  # the page's main part: header, menus, sidebars and footer left out (bounded)
    entries: int = 0  # links with an entry's title (12 characters or more) in the main part
    search_form: bool = False  # a form with a text field or a list in the main part
    seconds: float = 0.0
    screenshot: bytes | None = field(default=None, repr=False)  # JPEG, only of a page that looks wrong


@dataclass
class ItemPages:
    pages: list[ItemPage] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # links not loaded (over content.max_pages)
    seconds: float = 0.0

    def page(self, url: str) -> ItemPage | None:
        return next((p for p in self.pages if p.url == url), None)


@dataclass
class Gathered:
    """Everything the gatherers found; None where a gatherer did not run or failed (see `errors`)."""

    html: str | None = field(default=None, repr=False)
    page_dates: list[DateCandidate] | None = None
    feeds: list[FeedDocument] | None = None
    axe: AxeResult | None = None
    metadata: dict[str, list[str]] | None = None  # source ("og:title", "dc:creator", ...) -> values
    news: NewsDates | None = None
    lighthouse: LighthouseResult | None = None
    mobile: MobileView | None = None
    dns: DomainRecords | None = None
    https: HttpsProbe | None = None
    page_text: PageText | None = None
    item_pages: ItemPages | None = None
    # Gatherer name -> why it gave nothing (a Vietnamese reason).
    errors: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["lighthouse"] is not None:
            data["lighthouse"].pop("report_html", None)
        if data["mobile"] is not None:
            data["mobile"].pop("screenshot", None)
        for page in (data["item_pages"] or {}).get("pages", []):
            page.pop("screenshot", None)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Gathered":
        return _ADAPTER.validate_python(data)


_ADAPTER = TypeAdapter(Gathered)
