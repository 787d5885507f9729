"""The audit settings as typed models: every key, type and range is checked when the file is read,
so a wrong value stops the run at start-up with one line naming the file, the line and the key."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, field_validator, model_validator

from portal_audit.yamlio import StrictModel


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as err:
        raise ValueError(f"không phải biểu thức chính quy hợp lệ: '{pattern}' ({err})") from None
    return pattern


Regex = Annotated[str, AfterValidator(_regex)]
Seconds = Annotated[float, Field(gt=0)]
NonNegativeSeconds = Annotated[float, Field(ge=0)]
Text = Annotated[str, Field(min_length=1)]


class EmcSettings(StrictModel):
    """The EMC service (Official Letter 2820, criterion 3.1)."""

    host: Text
    script_path: Text
    tracker_path: Text
    queue: Text  # the command queue the embed snippet pushes onto
    # Hosts of older EMC snippets: a page still sending its data there fails 3.1 ("địa chỉ EMC cũ").
    legacy_hosts: tuple[Text, ...] = ()
    # Other trackers' command queues recorded as well (a site's own Matomo, `_paq`), so that EMC
    # commands pushed onto the wrong queue can be named.
    other_queues: tuple[Text, ...] = ()


class BadgeSettings(StrictModel):
    """Criterion 3.2a: the elements the EMC script renders and the label it shows."""

    selectors: tuple[str, ...]
    texts: tuple[Text, ...]
    image_pattern: Regex


class Viewport(StrictModel):
    width: Annotated[int, Field(gt=0)]
    height: Annotated[int, Field(gt=0)]


class VisitSettings(StrictModel):
    navigation_timeout: Seconds
    load_timeout: Seconds
    settle_budget: NonNegativeSeconds
    poll_interval: Seconds
    loading_poll_interval: Seconds
    hard_budget: Seconds
    retries: Annotated[int, Field(ge=0)]
    retry_backoff: NonNegativeSeconds
    viewport: Viewport
    locale: Text
    user_agent_suffix: str
    screenshot_max_height: Annotated[int, Field(gt=0)]
    # The rendered HTML kept for the criteria that read it (metadata, update dates) is cut here.
    html_max_bytes: Annotated[int, Field(gt=0)]


class BrowserSettings(StrictModel):
    args: tuple[str, ...]
    # Tried before fallback_executables when the browser runs headless (the audit's default).
    headless_executables: tuple[str, ...]
    fallback_executables: tuple[str, ...]
    # Chromium on the browser server of --browser-endpoint; None: the server's own.
    remote_executable: Text | None


class Labels(StrictModel):
    groups: dict[str, str]
    roles: dict[str, str]
    # Names of the failure categories reports group cases under (Allure categories, the agency
    # reports, the workbook): per FailureKind, and per ErrorKind for sites that could not be
    # evaluated. Kinds sharing a name form one category.
    failure_kinds: dict[str, Text]
    error_kinds: dict[str, Text]


def _canary(url: str) -> str:
    parts = urlsplit(url)
    try:
        parts.port
    except ValueError:
        raise ValueError(f"'{url}': cổng không hợp lệ") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{url}' không phải địa chỉ http:// hoặc https:// có tên máy chủ")
    return url


class NetworkSettings(StrictModel):
    """The auditor's own network (portal_audit.network_watch)."""

    # Reached when one answers anything over HTTP(S); empty: not watched.
    canaries: tuple[Annotated[str, AfterValidator(_canary)], ...]
    timeout: Seconds  # one check, every canary at once
    check_interval: NonNegativeSeconds  # between checks after sites that did not fail on the network
    outage_budget: NonNegativeSeconds  # waited in all per audit process for the network to come back
    poll_interval: Seconds  # between checks while waiting


class ExportColumns(StrictModel):
    """Accepted headers of the EMC visit export, per field (compared ignoring case and spaces)."""

    site_id: tuple[str, ...]
    url: tuple[str, ...]
    visits: tuple[str, ...]
    period: tuple[str, ...]


class EmcDataSettings(StrictModel):
    columns: ExportColumns
    # Unmatched and repeated rows kept as examples (all are counted).
    sample_rows: Annotated[int, Field(ge=0, le=10_000)]


class RankingSettings(StrictModel):
    # Criterion 3.3: count the component sites' visits in their portal's total as well.
    include_components: bool
    # Weight of each criterion in the compliance score (criteria not listed weigh 1).
    weights: dict[str, Annotated[float, Field(ge=0)]]


class DomainScanSettings(StrictModel):
    """Discovery's domain scan: names under the portal's domain looked up in DNS, then loaded."""

    # Labels tried besides the shipped list (portal_audit/discovery/labels.txt), e.g. local communes.
    extra_labels: tuple[Text, ...] = ()
    concurrency: Annotated[int, Field(ge=1, le=64)]
    queries_per_second: Annotated[float, Field(gt=0)]
    homepage_timeout: Seconds
    progress_seconds: Seconds


class DiscoverySettings(StrictModel):
    """Proposing component sites from a portal homepage (python -m portal_audit.discovery)."""

    link_blocks: tuple[str, ...]
    other_host_suffixes: tuple[str, ...]
    exclude_hosts: tuple[Regex, ...]
    exclude_paths: tuple[Regex, ...]
    sitemap_paths: tuple[str, ...]
    sitemap_max_files: Annotated[int, Field(ge=0)]
    stable_seconds: NonNegativeSeconds
    title_timeout: Seconds
    scan: DomainScanSettings


def split_nameserver(value: str) -> tuple[str, int]:
    """'IP', 'IP:PORT' or '[IPv6]:PORT' as (ip, port); ValueError naming the problem."""
    host, port = value, "53"
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest.removeprefix(":") or "53"
    elif value.count(":") == 1:
        host, port = value.split(":")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"'{value}' không phải địa chỉ IP[:PORT] của máy chủ tên miền") from None
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"cổng không hợp lệ trong '{value}'")
    return host, int(port)


def _nameserver(value: str) -> str:
    split_nameserver(value)
    return value


class DnsSettings(StrictModel):
    """Name lookups outside the browser (domain scan, AAAA records)."""

    # Name servers as IP or IP:PORT; empty: the system's resolver.
    nameservers: tuple[Annotated[str, AfterValidator(_nameserver)], ...]
    timeout: Seconds


class CriteriaSettings(StrictModel):
    """Which criteria an evaluation asks (--profile NAME; --criteria CODE,... picks any set)."""

    default_profile: Text
    profiles: dict[str, tuple[Text, ...]]
    # Reported with their findings but not scored: they never fail the run nor count in the score.
    informative: tuple[Text, ...]


class SpeedLimits(StrictModel):
    """Lighthouse mobile limits in milliseconds (the 2025 criteria: 'not red' on each metric)."""

    fcp: Annotated[float, Field(gt=0)]
    lcp: Annotated[float, Field(gt=0)]
    speed_index: Annotated[float, Field(gt=0)]
    tbt: Annotated[float, Field(gt=0)]


class SpeedSettings(StrictModel):
    """Page speed (Lighthouse, mobile profile), measured `runs` times, the median judged."""

    runs: Annotated[int, Field(ge=1, le=15)]
    limits_ms: SpeedLimits
    timeout: Seconds  # one Lighthouse run
    command: str  # empty: tools/node_modules/.bin/lighthouse of this repository
    locale: Text  # language of the Lighthouse report
    lock_file: str  # empty: portal-audit-lighthouse.lock in the system's temporary folder
    # service: one long-lived Lighthouse (Node API) and Chromium per worker; cli: the lighthouse
    # command once per run (also used when the service cannot start).
    engine: Literal["service", "cli"]
    # A first run whose every metric is at most limit / clear_factor or at least limit × clear_factor
    # decides alone: the other runs could move no median across its limit (docs/toc-do-trang.md).
    # 0: this rule off.
    clear_factor: Annotated[float, Field(ge=0)]
    # Stop once more than half of `runs` are on the same side of every limit: whatever the other runs
    # measure, each median stays on that side, so the verdict is the one `runs` runs would give.
    stop_when_settled: bool
    # The service's CPU quiet window (Lighthouse's cpuQuietThresholdMs, 1000 by default, kept by the
    # CLI): how long the page's main thread must stay free of long tasks before the trace stops.
    service_cpu_quiet_ms: Annotated[int, Field(ge=0, le=10_000)]

    @field_validator("clear_factor")
    @classmethod
    def _factor(cls, value: float) -> float:
        if 0 < value <= 1:
            raise ValueError("clear_factor phải bằng 0 (tắt) hoặc lớn hơn 1")
        return value

    def decides_alone(self, values: dict[str, float | None]) -> bool:
        """Whether one run with these metrics (ms, by limit name) settles the verdict: every metric at
        most limit / clear_factor or at least limit × clear_factor (the measurement stops after it, and
        the judge says why there was one run). Never with clear_factor 0."""
        if self.clear_factor <= 1:
            return False
        limits = self.limits_ms.model_dump()
        return all(values.get(name) is not None and (values[name] <= limit / self.clear_factor  # type: ignore[operator]
                                                     or values[name] >= limit * self.clear_factor)  # type: ignore[operator]
                   for name, limit in limits.items())

    def settled(self, runs: list[dict[str, float | None]]) -> bool:
        """Whether the measured `runs` (metrics in ms, by limit name) fix the verdict of all `runs`
        runs: for every metric, more than half of `self.runs` on the same side of its limit (below it,
        or at or above it, as the judge compares). The median of the runs made is then on that side
        too. Never with stop_when_settled off."""
        if not self.stop_when_settled:
            return False
        limits = self.limits_ms.model_dump()
        for name, limit in limits.items():
            values = [run[name] for run in runs if run.get(name) is not None]
            below = sum(1 for value in values if value < limit)  # type: ignore[operator]
            if max(below, len(values) - below) * 2 <= self.runs:
                return False
        return True


class DomainSettings(StrictModel):
    """Domain names (Decree 224/2026, Art. 11.4)."""

    suffix: Text  # the public suffix a portal's domain must be registered under
    # Registrable domains accepted outside it (e.g. chinhphu.vn, the national broadcasters).
    exceptions: tuple[Text, ...]
    require_ipv6: bool


class HttpsSettings(StrictModel):
    # PEM file of extra certificate authorities the audit trusts (a staging copy signed by a private
    # CA): the browser, Lighthouse and the HTTPS probes accept certificates they sign.
    extra_ca_file: str
    timeout: Seconds
    # HSTS counts when max-age is at least this (seconds).
    hsts_min_max_age: Annotated[int, Field(ge=0)]
    # Security headers reported (criterion HEADERS); a list entry "a|b" is met by either header.
    security_headers: tuple[Text, ...]


class MetadataSettings(StrictModel):
    """Metadata (đặc tả dữ liệu): each element is met by any of its sources."""

    required: tuple[Text, ...]
    elements: dict[str, tuple[Text, ...]]
    labels: dict[str, Text]

    @model_validator(mode="after")
    def _known_elements(self) -> "MetadataSettings":
        unknown = [e for e in self.required if e not in self.elements]
        if unknown:
            raise ValueError(f"required: phần tử {', '.join(unknown)} không có trong elements")
        return self


class MobileSettings(StrictModel):
    viewport: Viewport
    device_scale_factor: Annotated[float, Field(gt=0, le=4)]
    user_agent: Text
    settle: NonNegativeSeconds  # seconds to wait after the load event before measuring
    overflow_tolerance: Annotated[int, Field(ge=0)]  # CSS pixels of horizontal overflow tolerated


class AccessibilitySettings(StrictModel):
    """axe-core (the pinned npm package) with WCAG 2.x A/AA tags."""

    tags: tuple[Text, ...]
    # Fails when more rules than this are violated at an impact level; other impacts are reported only.
    max_rules: dict[str, Annotated[int, Field(ge=0)]]
    max_nodes_per_rule: Annotated[int, Field(ge=1)]
    timeout: Seconds


class FreshnessSettings(StrictModel):
    """Update frequency (Circular 32/2017): the newest article the homepage shows."""

    max_age_days: Annotated[int, Field(ge=1)]
    max_feeds: Annotated[int, Field(ge=0)]
    # A date whose surrounding text matches this is today's-date widget, not an article (regex, case-insensitive).
    ignore_context: Regex
class InteractionSettings(StrictModel):
    """What the visit does, as a visitor would, when a link the criteria look for is not on the page
    as loaded: choosing options of link lists, hovering menus, clicking tabs, "Xem thêm" and
    carousels, and clicking elements that act as links."""

    budget: NonNegativeSeconds  # per site; 0 turns interaction off
    max_actions: Annotated[int, Field(ge=0)]
    # Seconds given to what an action shows (a menu that fades in, a carousel that slides).
    reaction: NonNegativeSeconds
    # Buttons that show more of a list ("Xem thêm") or move a carousel on: matched (case-insensitive
    # regex) against their text, label, title and class.
    more_pattern: Regex
    next_pattern: Regex
    # Never clicked (text, onclick, class or id; case-insensitive regex): what would change something on
    # the server or leave the page's purpose (votes, log-in, search, sharing, printing).
    avoid_pattern: Regex
    # Seconds to watch carousels that move on by themselves, when links are still cut off in one.
    carousel_wait: NonNegativeSeconds


class LinkSettings(StrictModel):
    """Criteria 3.2b/3.2c: telling a look-alike from a link to the site."""

    # Words a site's name starts with that say nothing of which site it is ("Cổng TTĐT tỉnh A" names
    # "tỉnh A"): left out when a link's text is compared with the name.
    generic_words: tuple[Text, ...] = ()


class ArtifactSettings(StrictModel):
    """Sizes (bytes) of what the report and the merge read back from a run's files: artifacts are
    copied from other machines and read as untrusted, a file above its limit is refused, one line."""

    results_max_bytes: Annotated[int, Field(gt=0)]  # results.json
    allure_result_max_bytes: Annotated[int, Field(gt=0)]  # one *-result.json of the Allure folder
    attachment_max_bytes: Annotated[int, Field(gt=0)]  # one attachment embedded in an agency report
    history_max_bytes: Annotated[int, Field(gt=0)]  # the Allure history (JSON lines)
    run_info_max_bytes: Annotated[int, Field(gt=0)]  # portal-audit.json

SiteKind = Literal["province_portal", "ministry_portal", "component"]


class ContentItem(StrictModel):
    """One piece of information a site must publish (criterion CONTENT)."""

    code: Text  # stable, in reasons and reviews (`item: lanh_dao`)
    label: Text  # Vietnamese, in messages and reports
    # Texts a link to it may carry, compared without letter case, accents and punctuation.
    names: tuple[Text, ...] = ()
    kinds: tuple[SiteKind, ...]  # the sites it is required of
    # What its page must show: content | search_form | leaders; contact: checked on the homepage.
    show: Literal["content", "search_form", "leaders", "contact"] = "content"
    accept_hosts: tuple[Text, ...] = ()  # a link to these hosts counts without loading it

    @model_validator(mode="after")
    def _named(self) -> "ContentItem":
        if self.show != "contact" and not self.names:
            raise ValueError(f"mục '{self.code}': cần ít nhất một tên liên kết (names)")
        return self


class ContactPatterns(StrictModel):
    address: Regex
    phone: Regex
    email: Regex


class ContentSettings(StrictModel):
    """Criterion CONTENT: the items, and the bounds of the item pages loaded per site."""

    items: tuple[ContentItem, ...]
    max_link_words: Annotated[int, Field(ge=1)]
    links_per_item: Annotated[int, Field(ge=1)]
    max_pages: Annotated[int, Field(ge=0)]
    budget: Seconds  # for all the item pages of a site
    settle: NonNegativeSeconds
    min_text: Annotated[int, Field(ge=0)]
    empty_pattern: Regex
    leader_titles: Regex
    contact: ContactPatterns
    contact_labels: dict[str, Text]

    @model_validator(mode="after")
    def _unique(self) -> "ContentSettings":
        codes = [item.code for item in self.items]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"mã mục trùng nhau: {', '.join(twice)}")
        return self


class RatingSettings(StrictModel):
    """Criterion RATING: what names an online satisfaction rating on the homepage."""

    texts: tuple[Text, ...]
    widget_pattern: Regex


class Settings(StrictModel):
    emc: EmcSettings
    badge: BadgeSettings
    visit: VisitSettings
    browser: BrowserSettings
    labels: Labels
    network: NetworkSettings
    discovery: DiscoverySettings
    emc_data: EmcDataSettings
    ranking: RankingSettings
    dns: DnsSettings
    criteria: CriteriaSettings
    speed: SpeedSettings
    domain: DomainSettings
    https: HttpsSettings
    metadata: MetadataSettings
    mobile: MobileSettings
    accessibility: AccessibilitySettings
    freshness: FreshnessSettings
    interaction: InteractionSettings
    links: LinkSettings
    artifacts: ArtifactSettings

    content: ContentSettings
    rating: RatingSettings
