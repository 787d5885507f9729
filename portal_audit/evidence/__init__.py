"""What was gathered about a site: pure data, JSON round trip included; the judges read only this."""
