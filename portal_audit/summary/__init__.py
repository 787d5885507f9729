"""The audit summary over the records: criterion 3.3 (portals ranked by the visits of the EMC
export) and the compliance counts, scores and ranking per group."""

from portal_audit.summary.emc_data import EmcDataError, TrafficData, load_traffic_data
from portal_audit.summary.ranking import Rankings, build_rankings

__all__ = ["EmcDataError", "Rankings", "TrafficData", "build_rankings", "load_traffic_data"]
