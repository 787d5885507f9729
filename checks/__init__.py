"""The criteria of Official Letter 2820/BTTTT-CPSQG, one module each: pure functions over the
capture of a site's homepage, never the browser.

Each criterion has two functions. `judge` gives the verdict. `ready` is the cheap test the visit
calls after every snapshot while the page settles: True once waiting longer cannot change the
verdict (today: the criterion already passes), so a compliant site is released at once and only
incomplete ones use the whole settle budget. `evaluate` runs a judge isolated: an exception in
one criterion makes that one verdict broken, with the error, and the other criteria stand.

A criterion that is `interactive` looks for something a visitor may have to act on the page to
reach (links behind menus, tabs, link lists): while its `ready` does not hold after the page
settled, the visit acts on the page as a visitor would (portal_audit.visit.interact)."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Callable

from checks import emc_badge, emc_code, site_links
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import ErrorKind, Status
from portal_audit.verdicts import Verdict
from portal_audit.visit import Capture

Judge = Callable[[Capture, Site, Settings], Verdict]
Ready = Callable[[Capture, Site, Settings], bool]


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str  # Vietnamese, shown in test titles and reports
    roles: frozenset[str]  # which sites it applies to
    judge: Judge
    ready: Ready
    interactive: bool = False

    def applies_to(self, site: Site) -> bool:
        return site.role in self.roles

    def evaluate(self, capture: Capture, site: Site, settings: Settings) -> Verdict:
        try:
            return self.judge(capture, site, settings)
        except Exception as err:  # noqa: BLE001 - one criterion's defect must not cost the others
            where = traceback.extract_tb(err.__traceback__)[-1]
            return Verdict(Status.BROKEN, f"Lỗi của công cụ khi đánh giá tiêu chí {self.code}: "
                                          f"{type(err).__name__}: {err}",
                           {"error_kind": str(ErrorKind.JUDGE_ERROR),
                            "detail": f"{where.filename}:{where.lineno} ({where.name})"})

    def is_ready(self, capture: Capture, site: Site, settings: Settings) -> bool:
        try:
            return self.ready(capture, site, settings)
        except Exception:  # noqa: BLE001 - the judge will report the defect; keep watching until then
            return False


CRITERIA: tuple[Criterion, ...] = (
    Criterion("3.1", "Gắn mã giám sát EMC", frozenset({"portal", "component"}), emc_code.judge, emc_code.ready),
    Criterion("3.2a", "Nhãn đã kết nối EMC", frozenset({"portal", "component"}), emc_badge.judge, emc_badge.ready),
    Criterion("3.2b", "Cổng có liên kết đến trang thành phần", frozenset({"portal"}),
              site_links.judge_portal, site_links.ready, interactive=True),
    Criterion("3.2c", "Trang thành phần có liên kết về cổng", frozenset({"component"}),
              site_links.judge_component, site_links.ready, interactive=True),
)


def criteria_for(site: Site) -> tuple[Criterion, ...]:
    return tuple(c for c in CRITERIA if c.applies_to(site))


def by_code(code: str) -> Criterion:
    return next(c for c in CRITERIA if c.code == code)
