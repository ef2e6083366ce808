"""Amounts in integer cents as text, the one place that groups digits per language."""

from __future__ import annotations


def amount_text(cents: int, language: str = "nl") -> str:
    """1.234,56 for nl/de, 1,234.56 for en; never through a float."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    if language == "en":
        return f"{sign}{euros:,}.{rest:02d}"
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d}"
