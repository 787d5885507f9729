"""The audit summary over the records: criterion 3.3 (portals ranked by the visits of the EMC
export) and the compliance counts, scores and ranking per group."""

from portal_audit.summary.emc_data import EmcDataError, VisitData, load_visit_data
from portal_audit.summary.ranking import Summary, build_summary

__all__ = ["EmcDataError", "Summary", "VisitData", "build_summary", "load_visit_data"]
