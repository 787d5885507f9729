"""Whether a run's records cover every case it collected: a case whose test ran but whose record
never arrived (a test id that could not be matched to its case, a report lost on the way) would
otherwise leave its site out of results.json, the workbook and the reports without a word. The
run then fails, naming the cases.

The cases are known by test id: on the controller of an xdist run, from the ids each worker
collected; without xdist, from the session's items."""

from __future__ import annotations

from dataclasses import dataclass, field

from pytest_portal_audit.collection import AuditCase
from pytest_portal_audit.session import Audit

# The audit's test function (pytest_portal_audit.cases.test_criterion): its ids are audit cases,
# except the one pytest collects, skipped, when a run has no case at all (an empty shard).
CASE_FUNCTION = "test_criterion["
NO_CASE = "test_criterion[NOTSET]"
# Cases named in full on the terminal; the rest are counted.
MAX_NAMED = 20


def case_from_nodeid(audit: Audit, nodeid: str) -> AuditCase | None:
    """The case of a test id, in whichever form pytest wrote the id (see Audit.by_id)."""
    if "[" not in nodeid or "]" not in nodeid:
        return None
    # xdist's loadgroup appends "@group" after the brackets.
    return audit.by_id.get(nodeid[nodeid.index("[") + 1:nodeid.rindex("]")])


@dataclass
class CollectedCases:
    audit: Audit
    nodeids: dict[str, AuditCase | None] = field(default_factory=dict)  # every audit test id collected

    def add(self, nodeids: list[str]) -> None:
        for nodeid in nodeids:
            case = case_from_nodeid(self.audit, nodeid)
            # The test function's own name, not a parameter that merely mentions it (a self-test's id).
            name = nodeid.split("::")[-1]
            if case is not None or (name.startswith(CASE_FUNCTION) and not name.startswith(NO_CASE)):
                self.nodeids[nodeid] = case

    def missing(self, measured: set[tuple[str, str]]) -> list[str]:
        """The collected cases without a record of this run, by test id."""
        return [nodeid for nodeid, case in self.nodeids.items()
                if case is None or (case.site.url, case.code) not in measured]


def missing_lines(missing: list[str]) -> list[str]:
    lines = [f"portal-audit: LỖI: {len(missing)} trường hợp đã thu thập nhưng không có kết quả trong results.json "
             "(lần chạy không đạt yêu cầu, cần chạy lại các trường hợp này):"]
    lines += [f"portal-audit: thiếu kết quả: {nodeid}" for nodeid in missing[:MAX_NAMED]]
    if len(missing) > MAX_NAMED:
        lines.append(f"portal-audit: ... và {len(missing) - MAX_NAMED} trường hợp khác")
    return lines
