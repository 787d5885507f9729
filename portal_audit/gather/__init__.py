"""Gatherers as units: each module of this package is one gatherer (a `Gatherer`: its name, the
gatherers it needs, and `run(context) -> artifact`), and portal_audit.gather.runner runs those a
site's criteria need, once per site and in dependency order, into one frozen SiteEvidence
(portal_audit.evidence.site). The names and what each requires are in portal_audit.evidence.gatherers,
where the judges read them."""
