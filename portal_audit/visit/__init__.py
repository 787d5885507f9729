"""The only code that drives a browser: one load of a homepage, watched until it settles, turned
into a Capture (pure data the criteria judge); plus fetching single documents for discovery."""

from portal_audit.visit.browser import LiveBrowser, launch_options, lighthouse_chromium
from portal_audit.evidence.capture import BadgeCandidate, Capture, Link, NetworkRequest
from portal_audit.visit.errors import VisitError
from portal_audit.visit.page import Readiness, Visit, visit_site
from portal_audit.network.resolve import ResolveError, ResolveRule, parse_rule
from portal_audit.visit.visits import SiteVisits

__all__ = ["BadgeCandidate", "Capture", "Link", "LiveBrowser", "NetworkRequest", "Readiness", "ResolveError",
           "ResolveRule", "SiteVisits", "Visit", "VisitError", "launch_options", "lighthouse_chromium", "parse_rule",
           "visit_site"]
