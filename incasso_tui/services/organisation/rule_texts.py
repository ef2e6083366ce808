"""Every rule text the set-up checks can give, as an English template, so a screen can show
it in the user's language with the values kept: "is 80 characters long (maximum 70)" is the
template "is {n} characters long (maximum {max})" with n=80, max=70.

The services word their rules in English (the CLI prints them as they are); `rule_parts`
finds the template a rule was made from and the values filled into it. The Dutch of each
template is in the Dutch catalogue (incasso_tui/locale/nl); a test checks that every template has it and that every
rule the field checks raise matches a template.
"""

from __future__ import annotations

import re
import string
from functools import cache

# Rules of the field checks (services.organisation.field_checks), including those of the
# text, SEPA and amount rules they use (input_rules, sepa.validate, collection.orders).
FIELD_RULES: tuple[str, ...] = (
    # any text (input_rules.text / check_text)
    "is required",
    "is {n} characters long (maximum {max})",
    "must not contain control characters ({char})",
    "must not contain bidirectional text controls ({char})",
    "must be UTF-8 text (byte {byte} is not)",
    "must be valid text ({char} is not a character)",
    # codes, names, the creditor identifier and KvK number
    "is empty",
    "use 1-20 letters, digits, - or _, starting with a letter or digit",
    "has no letters or digits left after transliteration to the SEPA character set",
    "format is country code, 2 check digits, 3-character business code, national identifier",
    "a Dutch creditor identifier is NLkkZZZ + KvK number (8 digits) + 4 digits (19 characters)",
    "check digits (ISO 7064 MOD 97-10, business code excluded) do not match",
    "must be 8 digits (the Chamber of Commerce number)",
    "does not match the KvK number {kvk} inside the creditor identifier {creditor_id}",
    "must be a two-letter ISO 3166 country code",
    # bank groups
    "must be one of {choices}",
    "must be 02 or 08 (pain.008.001.02 or pain.008.001.08)",
    "{bank} (profile {profile}) accepts only {versions} ({source})",
    "must be a whole number from {low} to {high}",
    "must be a whole number of TARGET2 days from {low} to {high}",
    "does not exist (create it first, or mount the share)",
    "is not a directory",
    "is not writable for this user",
    "cannot be split into arguments ({error}): check the quotes",
    "must be an argument list",
    "has no program to run",
    "must contain {file}, where the path of the file goes (arguments, no shell)",
    # bank accounts
    "checksum (MOD 97-10) does not match",
    "unknown country code {code}",
    "has {n} characters; a {country} IBAN has {length}",
    "invalid structure ({error})",
    "is not in the SEPA zone: a collection account must be",
    "must be 8 or 11 characters",
    "is not a BIC (4 bank, 2 country, 2 location, optional 3 branch characters)",
    "does not fit the {version} BIC pattern (first six characters letters); use pain.008.001.08",
    "must be pain.008.001.02 or pain.008.001.08",
    "must be a list of names",
    "is not an amount with at most 2 decimals",
    "must be between 0,01 and 999.999.999,99",
)

# Warnings of the field checks: allowed, shown under the field.
FIELD_WARNINGS: tuple[str, ...] = (
    (
        "business code {code} is not ZZZ, the code Dutch banks issue; a strict `incasso sepa check` "
        "reports it: use the identifier exactly as the bank issued it"
    ),
    "ends in {suffix}, not the usual 0000: make sure it is the identifier the bank issued",
    "{n} is above the {max} transactions per file {bank} accepts ({source}): the bank may refuse the file",
    (
        "{n} is fewer than the {days} days of profile {profile} ({source}): a file may reach the bank after "
        "its cut-off"
    ),
    "program {program} is not found on this host: sending from here will fail",
    (
        "the account is at {bank}, but bank group {group} has profile {profile} ({name}): a bank accepts "
        "files only for the accounts it holds"
    ),
)

# What the services check when storing (codes taken, things that must exist).
STORE_RULES: tuple[str, ...] = (
    "is already used by another administration",
    "is already used by another bank group",
    "is already a bank account (administration {code})",
    "is already a bank account",
    "is already an invoice type of administration {code}",
    "no administration has this code",
    "no bank group has this code",
    "is required with a street or postcode (a structured address needs the town)",
    ("mandate references would clash under it (references are unique per creditor identifier): {references}"),
    "cannot be derived from the IBAN: the file names no creditor BIC (IBAN-only)",
    "is above the maximum per month: the month's limit decides",
    (
        "{n} collected mandate(s) carry the old creditor identifier/name (OrgnlCdtrSchmeId) with their "
        "next collection; tell the debtors of the change"
    ),
)

TEMPLATES: tuple[str, ...] = FIELD_RULES + FIELD_WARNINGS + STORE_RULES


def placeholders(template: str) -> tuple[str, ...]:
    return tuple(name for _text, name, _spec, _conv in string.Formatter().parse(template) if name)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each template with placeholders as a pattern that takes a rule made from it apart."""
    found = []
    for template in TEMPLATES:
        if not placeholders(template):
            continue
        parts = []
        for literal, name, _spec, _conv in string.Formatter().parse(template):
            parts.append(re.escape(literal))
            if name:
                parts.append(f"(?P<{name}>.+?)")
        found.append((template, re.compile("".join(parts), re.DOTALL)))
    return tuple(found)


def rule_parts(rule: str) -> tuple[str, dict[str, str]]:
    """The template `rule` was made from and the values filled into it; a rule that is a
    template as it stands (no values, or a literal "{file}") gives no values; an unknown
    rule comes back as it is."""
    if rule in TEMPLATES:
        return rule, {}
    for template, pattern in _patterns():
        match = pattern.fullmatch(rule)
        if match:
            return template, match.groupdict()
    return rule, {}
