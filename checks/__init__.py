"""The criteria, one module each: pure functions over what was gathered about a site (its frozen
SiteEvidence: the capture of its homepage and the other gatherers' artifacts), never the browser:
they import only the evidence, the settings and plain helpers (status, verdicts, urls, text), so
that `import checks` works without Playwright and saved evidence can be judged again
(`python -m portal_audit.rejudge`).

Each criterion has a `judge` that gives the verdict, the gatherers it `needs` (portal_audit.evidence.gatherers:
the homepage visit, Lighthouse, DNS, ...; each runs once per site and only when a selected
criterion needs it), and `ready`, the cheap test the visit calls after every snapshot while the
page settles: True once waiting longer cannot change the verdict (today: the criterion already
passes), so a compliant site is released at once and only incomplete ones use the whole settle
budget. `evaluate` runs a judge isolated: an exception in one criterion, or a gatherer it needs
that gave nothing, makes that one verdict broken, with the reason, and the other criteria stand.

A criterion that is `interactive` looks for something a visitor may have to act on the page to
reach (links behind menus, tabs, link lists): while its `ready` does not hold after the page
settled, the visit acts on the page as a visitor would (portal_audit.visit.interact).

Which criteria a run audits (--profile, --criteria) and which are informative (reported, not
scored) is decided by the settings (`criteria:`), not here."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, replace
from typing import Any, Callable

from . import (accessibility, content, domain_name, emc_badge, emc_code, https_security, metadata, mobile,
               page_speed, rating, site_links, update_frequency)
from portal_audit.evidence import gatherers as gather
from portal_audit.evidence.site import GatherMissing, SiteEvidence
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import ErrorKind, Status
from portal_audit.verdicts import Verdict

Judge = Callable[[SiteEvidence, Site, Settings], Verdict]
Ready = Callable[[SiteEvidence, Site, Settings], bool]
ALL_SITES = frozenset({"portal", "component"})


def always_ready(site_evidence: SiteEvidence, site: Site, settings: Settings) -> bool:
    return True


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str  # Vietnamese, shown in test titles and reports
    roles: frozenset[str]  # which sites it applies to
    judge: Judge
    ready: Ready = always_ready
    needs: frozenset[str] = frozenset({gather.VISIT})  # gatherers (portal_audit.evidence.gatherers)
    interactive: bool = False

    def applies_to(self, site: Site) -> bool:
        return site.role in self.roles

    @property
    def needs_visit(self) -> bool:
        return gather.VISIT in gather.expand(self.needs)

    def evaluate(self, site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
        try:
            return self.judge(site_evidence, site, settings)
        except GatherMissing as missing:
            return Verdict(Status.BROKEN, f"Không đánh giá được tiêu chí {self.code} cho {site.url}: {missing.reason}",
                           {"error_kind": str(ErrorKind.GATHER_FAILED), "gatherer": missing.name})
        except Exception as err:  # noqa: BLE001 - one criterion's defect must not cost the others
            where = traceback.extract_tb(err.__traceback__)[-1]
            return Verdict(Status.BROKEN, f"Lỗi của công cụ khi đánh giá tiêu chí {self.code}: "
                                          f"{type(err).__name__}: {err}",
                           {"error_kind": str(ErrorKind.JUDGE_ERROR),
                            "detail": f"{where.filename}:{where.lineno} ({where.name})"})

    def is_ready(self, site_evidence: SiteEvidence, site: Site, settings: Settings) -> bool:
        try:
            return self.ready(site_evidence, site, settings)
        except Exception:  # noqa: BLE001 - the judge will report the defect; keep watching until then
            return False


CRITERIA: tuple[Criterion, ...] = (
    # Official Letter 2820 (the 2024 evaluation).
    Criterion("3.1", "Gắn mã giám sát EMC", ALL_SITES, emc_code.judge, emc_code.ready),
    Criterion("3.2a", "Nhãn đã kết nối EMC", ALL_SITES, emc_badge.judge, emc_badge.ready),
    Criterion("3.2b", "Cổng có liên kết đến trang thành phần", frozenset({"portal"}),
              site_links.judge_portal, site_links.ready, interactive=True),
    Criterion("3.2c", "Trang thành phần có liên kết về cổng", frozenset({"component"}),
              site_links.judge_component, site_links.ready, interactive=True),
    # The 2025 criteria set and Decree 224/2026, as far as they can be seen from outside.
    Criterion("SPEED", "Tốc độ tải trang", ALL_SITES, page_speed.judge, needs=frozenset({gather.LIGHTHOUSE})),
    Criterion("DOMAIN", "Tên miền", ALL_SITES, domain_name.judge, needs=frozenset({gather.DNS})),
    Criterion("HTTPS", "HTTPS và an toàn thông tin", ALL_SITES, https_security.judge,
              needs=frozenset({gather.VISIT, gather.HTTPS})),
    Criterion("HEADERS", "Tiêu đề bảo mật HTTP", ALL_SITES, https_security.judge_headers),
    Criterion("META", "Đặc tả dữ liệu (metadata)", ALL_SITES, metadata.judge, needs=frozenset({gather.METADATA})),
    Criterion("MOBILE", "Hiển thị trên thiết bị di động", ALL_SITES, mobile.judge, needs=frozenset({gather.MOBILE})),
    Criterion("A11Y", "Hỗ trợ người khuyết tật (WCAG)", ALL_SITES, accessibility.judge, needs=frozenset({gather.AXE})),
    Criterion("UPDATE", "Tần suất cập nhật tin bài", ALL_SITES, update_frequency.judge,
              needs=frozenset({gather.NEWS})),
    # The information a portal must publish (Decree 42/2022 Art. 4, Decree 224/2026 Art. 9.1 and 10.3b).
    Criterion("CONTENT", "Thông tin bắt buộc phải cung cấp", ALL_SITES, content.judge, content.ready,
              needs=frozenset({gather.VISIT, gather.PAGE_TEXT, gather.ITEM_PAGES}), interactive=True),
    Criterion("RATING", "Đánh giá mức độ hài lòng", ALL_SITES, rating.judge, rating.ready,
              needs=frozenset({gather.VISIT, gather.PAGE_TEXT})),
)
CODES: tuple[str, ...] = tuple(c.code for c in CRITERIA)


def criteria_for(site: Site, codes: Any = None) -> tuple[Criterion, ...]:
    """The criteria that apply to `site`, of those selected (`codes`; all when None), in registry order."""
    return tuple(c for c in CRITERIA if c.applies_to(site) and (codes is None or c.code in codes))


def by_code(code: str) -> Criterion:
    return next(c for c in CRITERIA if c.code == code)


def needs_of(criteria: tuple[Criterion, ...]) -> frozenset[str]:
    """Every gatherer the criteria need, with what those require."""
    return gather.expand(name for c in criteria for name in c.needs)


def verdict_for(criterion: Criterion, site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    """The verdict of `criterion` on a site's evidence, as the audit records it: broken with the
    visit's reason when the homepage it needs could not be loaded; the visit's attempts and settle
    time added to the judge's evidence (a new verdict: the judge's own is never edited)."""
    failure = site_evidence.visit_failure
    if failure is not None and criterion.needs_visit:
        return Verdict(Status.BROKEN, failure.message, dict(failure.evidence))
    verdict = criterion.evaluate(site_evidence, site, settings)
    capture = site_evidence.capture
    if capture is None:
        return verdict
    return replace(verdict, evidence={**verdict.evidence, "attempts": capture.attempts,
                                      "settle_seconds": capture.settle_seconds})
