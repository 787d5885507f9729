"""The fixed vocabularies: what a case can conclude, why a site failed a criterion, and why a site
could not be evaluated."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Mapping


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


class FailureKind(StrEnum):
    """Why a site fails a criterion, one per thing an agency must fix; judges list them in the
    verdict's evidence ("reasons"), most fundamental first, so that reports and Allure categories
    group failures without reading the Vietnamese messages."""

    EMC_MISSING = "emc_missing"  # no EMC code on the homepage
    EMC_NOT_EXECUTED = "emc_not_executed"  # the code is in the HTML but commented out or disabled
    EMC_MIXED_CONTENT = "emc_mixed_content"  # the script is loaded over http:// on an https:// page
    EMC_SITE_ID = "emc_site_id"  # the site id is missing, empty, or another site's
    EMC_NOT_REPORTING = "emc_not_reporting"  # script not from EMC, wrong tracker, no data sent
    EMC_LEGACY_HOST = "emc_legacy_host"  # an older snippet pointing at a former EMC host
    EMC_BLOCKED_BY_CSP = "emc_blocked_by_csp"  # the page's own Content-Security-Policy blocks the EMC host
    EMC_WRONG_QUEUE = "emc_wrong_queue"  # the EMC commands pushed onto another tracker's queue (_paq)
    BADGE_MISSING = "badge_missing"
    BADGE_HIDDEN = "badge_hidden"
    COMPONENT_LINKS_MISSING = "component_links_missing"  # portal homepage lacks links to components
    PORTAL_LINK_MISSING = "portal_link_missing"  # component homepage lacks the link to its portal
    MANUAL_REVIEW = "manual_review"  # failed by an auditor's review, not by the automatic judgement
    # Profile 2025 (a criterion may list several).
    FCP_SLOW = "fcp_slow"
    LCP_SLOW = "lcp_slow"
    SPEED_INDEX_SLOW = "speed_index_slow"
    TBT_LONG = "tbt_long"
    NOT_GOV_VN = "not_gov_vn"  # a portal outside gov.vn
    OUTSIDE_PORTAL_DOMAIN = "outside_portal_domain"  # a component not under its portal's domain
    NXDOMAIN = "nxdomain"
    NO_AAAA = "no_aaaa"  # no IPv6 address
    NO_HTTPS = "no_https"
    CERT_EXPIRED = "cert_expired"
    CERT_NOT_YET_VALID = "cert_not_yet_valid"
    CERT_SELF_SIGNED = "cert_self_signed"
    CERT_UNTRUSTED = "cert_untrusted"
    CERT_HOSTNAME = "cert_hostname"
    CERT_OTHER = "cert_other"
    OLD_TLS = "old_tls"
    NO_HTTPS_REDIRECT = "no_https_redirect"
    NO_HSTS = "no_hsts"
    HSTS_SHORT = "hsts_short"
    MIXED_CONTENT = "mixed_content"
    MISSING_SECURITY_HEADERS = "missing_security_headers"
    MISSING_METADATA = "missing_metadata"
    NO_VIEWPORT_META = "no_viewport_meta"
    VIEWPORT_NOT_DEVICE_WIDTH = "viewport_not_device_width"
    HORIZONTAL_SCROLL = "horizontal_scroll"
    AXE_VIOLATIONS = "axe_violations"
    STALE_NEWS = "stale_news"
    NO_NEWS_DATES = "no_news_dates"
    # Criterion CONTENT: the information a portal must publish (one per required item that fails).
    ITEM_MISSING = "item_missing"  # no link to the item a visitor can reach from the homepage
    ITEM_PAGE_BROKEN = "item_page_broken"  # the item's link leads to a page that does not load
    ITEM_PAGE_EMPTY = "item_page_empty"  # an empty page ("đang cập nhật", no entries) or the homepage again
    NO_SEARCH_FORM = "no_search_form"  # the legal documents' page has no search or filter form
    CONTACT_INCOMPLETE = "contact_incomplete"  # address, phone or e-mail not shown as text on the homepage
    # Criterion RATING.
    RATING_MISSING = "rating_missing"  # no online satisfaction rating offered on the homepage


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
    # The auditor's side, not the agency's: the machine lost its network (no canary answered), or its
    # browser was closed under the audit. Left out of the compliance score and ranks; the run is
    # incomplete and --rerun-failed-portals audits these sites again.
    AUDITOR_NETWORK = "auditor_network"
    AUDITOR_BROWSER = "auditor_browser"


AUDITOR_SIDE = frozenset({ErrorKind.AUDITOR_NETWORK, ErrorKind.AUDITOR_BROWSER})
# A site's failures after which the auditor's own network is checked (portal_audit.network_watch):
# they look the same whether the site or the auditor's line is down.
NETWORK_SUSPECT = frozenset({ErrorKind.DNS, ErrorKind.REFUSED, ErrorKind.TLS, ErrorKind.TIMEOUT, ErrorKind.NETWORK})


def auditor_side(record: Mapping[str, Any]) -> bool:
    """Whether a record could not be evaluated for a reason on the auditor's side (never the agency's)."""
    evidence = record.get("evidence")
    return (record.get("status") == Status.BROKEN and isinstance(evidence, Mapping)
            and evidence.get("error_kind") in AUDITOR_SIDE)


# Failures the network can be blamed for, worth another attempt; a page that froze the browser,
# an HTTP 4xx or a judge's defect would only fail the same way again.
RETRYABLE = frozenset({ErrorKind.DNS, ErrorKind.REFUSED, ErrorKind.NETWORK, ErrorKind.TIMEOUT,
                       ErrorKind.HTTP_5XX, ErrorKind.CRASH})
