"""The criteria of Official Letter 2820/BTTTT-CPSQG, one module each, as pure functions
over a capture of the site's homepage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from checks import emc_badge, emc_code, site_links
from portal_audit.capture import Capture
from portal_audit.config import Settings
from portal_audit.inventory import Site
from portal_audit.verdict import Verdict

Judge = Callable[[Capture, Site, Settings], Verdict]


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str  # Vietnamese, shown in test titles and reports
    roles: frozenset[str]  # which sites it applies to
    judge: Judge

    def applies_to(self, site: Site) -> bool:
        return site.role in self.roles


CRITERIA: tuple[Criterion, ...] = (
    Criterion("3.1", "Gắn mã giám sát EMC", frozenset({"portal", "component"}), emc_code.judge),
    Criterion("3.2a", "Nhãn đã kết nối EMC", frozenset({"portal", "component"}), emc_badge.judge),
    Criterion("3.2b", "Cổng có liên kết đến trang thành phần", frozenset({"portal"}), site_links.judge_portal),
    Criterion("3.2c", "Trang thành phần có liên kết về cổng", frozenset({"component"}), site_links.judge_component),
)


def criteria_for(site: Site) -> tuple[Criterion, ...]:
    return tuple(c for c in CRITERIA if c.applies_to(site))
