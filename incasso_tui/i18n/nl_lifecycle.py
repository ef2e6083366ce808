"""Dutch catalogue for final collections, reference replacement, contract limits and held-back reasons."""

NL: dict[str, str] = {}
