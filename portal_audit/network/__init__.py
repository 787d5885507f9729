"""Network rules below both the browser and the probes: --resolve (where a host is reached) and the
guard (which addresses an audit may reach)."""
