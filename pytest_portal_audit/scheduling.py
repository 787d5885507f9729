"""How xdist hands the audit's cases to workers (a strategy of xdist's own `scheduler/` kind).

As --dist loadgroup: a site's cases form one group, sent to one worker, so the site is loaded
once. One difference: when a worker dies mid-case, that case is not run again. loadgroup would
re-queue it with the rest of its site, and a page that kills its worker (a memory bomb) would then
kill each worker xdist starts instead, until xdist stops the whole run. Here it costs that case,
which ends as a broken record; the site's other cases still run, on the new worker."""

from __future__ import annotations

from xdist.scheduler import LoadGroupScheduling
from xdist.workermanage import WorkerController


class SiteScheduling(LoadGroupScheduling):
    def remove_node(self, node: WorkerController) -> str | None:
        workload = self.assigned_work.pop(node)
        if not self._pending_of(workload):
            return None
        crashed = next(nodeid for unit in workload.values() for nodeid, done in unit.items() if not done)
        for unit in workload.values():
            if crashed in unit:
                unit[crashed] = True  # reported by xdist as crashed; never sent again
        self.workqueue.update({scope: unit for scope, unit in workload.items() if not all(unit.values())})
        for other in self.assigned_work:
            self._reschedule(other)
        return crashed
