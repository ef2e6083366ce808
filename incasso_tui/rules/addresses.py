"""When a collection must carry the debtor's postal address (sepa-rules §1.7).

A debtor whose bank is outside the EEA — decided on the IBAN's country — or who lives outside
it must have a structured (or hybrid) address in the file: at least town and country. For
EEA debtors the address is left out. One list, used by the planner (hold back), the file
writer (put it in) and the readiness report (tell before the set is made).
"""

from __future__ import annotations

# EU member states and the other EEA countries (Iceland, Liechtenstein, Norway), with the
# French outermost regions that have their own ISO code but are EU territory.
EEA = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "IS",
        "LI",
        "NO",
        "GF",
        "GP",
        "MQ",
        "RE",
        "YT",
        "BL",
        "MF",
        "AX",
    ]
)


def outside_eea(country: str) -> bool:
    return bool(country) and country.upper() not in EEA


def needs_address(iban: str, country: str) -> bool:
    """True when the file must hold the debtor's address: the IBAN's country or the
    address country is outside the EEA."""
    return outside_eea((iban or "")[:2]) or outside_eea(country or "")


def has_usable_address(town: str, country: str) -> bool:
    """What a structured or hybrid address needs at least: TwnNm and Ctry."""
    return bool((town or "").strip()) and len((country or "").strip()) == 2
