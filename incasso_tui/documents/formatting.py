"""Money, dates, IBANs and addresses written the way each language expects them."""

from __future__ import annotations

from datetime import date, datetime

from incasso_tui.core.money import amount_text
from incasso_tui.documents.model import Party

_MONTHS = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
}

# Countries a Dutch creditor meets most; any other code is printed as the code itself.
_COUNTRIES = {
    "NL": ("Nederland", "Netherlands", "Niederlande"),
    "BE": ("België", "Belgium", "Belgien"),
    "DE": ("Duitsland", "Germany", "Deutschland"),
    "LU": ("Luxemburg", "Luxembourg", "Luxemburg"),
    "FR": ("Frankrijk", "France", "Frankreich"),
    "AT": ("Oostenrijk", "Austria", "Österreich"),
    "ES": ("Spanje", "Spain", "Spanien"),
    "IT": ("Italië", "Italy", "Italien"),
    "PL": ("Polen", "Poland", "Polen"),
    "DK": ("Denemarken", "Denmark", "Dänemark"),
    "IE": ("Ierland", "Ireland", "Irland"),
    "PT": ("Portugal", "Portugal", "Portugal"),
    "SE": ("Zweden", "Sweden", "Schweden"),
    "CH": ("Zwitserland", "Switzerland", "Schweiz"),
    "GB": ("Verenigd Koninkrijk", "United Kingdom", "Vereinigtes Königreich"),
}
_LANGUAGE_INDEX = {"nl": 0, "en": 1, "de": 2}


def format_cents(cents: int, language: str) -> str:
    """€ 1.234,56 for nl/de, €1,234.56 for en. Cents are an int, never a float."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError(f"amount must be integer cents, got {cents!r}")
    sign = "-" if cents < 0 else ""
    text = amount_text(abs(cents), "en" if language == "en" else "nl")
    return f"{sign}€{text}" if language == "en" else f"{sign}€ {text}"


def format_count(count: int, language: str) -> str:
    grouped = f"{count:,}"
    return grouped if language == "en" else grouped.replace(",", ".")


def format_date(value: date | None, language: str) -> str:
    """Short numeric date for tables and fields; ISO for English (no d/m vs m/d doubt)."""
    if value is None:
        return ""
    if language == "en":
        return value.isoformat()
    separator = "." if language == "de" else "-"
    return f"{value.day:02d}{separator}{value.month:02d}{separator}{value.year}"


def format_long_date(value: date, language: str) -> str:
    """Date for the top of a letter: '24 november 2025', '24. November 2025'."""
    month = _MONTHS[language][value.month - 1]
    day = f"{value.day}." if language == "de" else str(value.day)
    return f"{day} {month} {value.year}"


def format_datetime(value: datetime, language: str) -> str:
    return f"{format_date(value.date(), language)} {value:%H:%M:%S}"


def format_iban(iban: str) -> str:
    """Groups of four, as IBANs are printed on paper (NL91 ABNA 0417 1643 00)."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def country_name(code: str, language: str) -> str:
    names = _COUNTRIES.get(code.upper())
    return names[_LANGUAGE_INDEX.get(language, 1)] if names else code.upper()


def street_line(party: Party) -> str:
    return " ".join(p for p in (party.street, party.building_number) if p)


def postcode_town(party: Party) -> str:
    return " ".join(p for p in (party.postcode, party.town) if p)


def party_country(party: Party, language: str) -> str:
    return country_name(party.country, language) if party.country else ""


def address_lines(party: Party, language: str) -> list[str]:
    """Street line, postcode + town, country; empty parts are left out."""
    lines = [street_line(party), postcode_town(party), party_country(party, language)]
    return [line for line in lines if line]


def one_line_address(party: Party, language: str) -> str:
    return ", ".join(p for p in (party.name, *address_lines(party, language)) if p)
