"""Dutch catalogue for the readiness report (incasso check, its Home tile and screen)."""

NL: dict[str, str] = {}
