"""Dutch catalogue for administrations, bank groups, bank accounts, invoice types, the first-run wizard."""

NL: dict[str, str] = {}
