"""The rule of each set-up field, once: used by the services when storing and by a form as
the user types (`check_field`), so the CLI and the TUI give the same messages.

Each rule takes the value as given (text from a form, or what the CLI parsed) and a context
of other fields it depends on (the KvK number beside a creditor identifier, the profile
beside a pain version), and returns the normalised value with its warnings and derived
facts (the BIC and bank of an IBAN) — or raises ValidationError naming the field and the
rule. None of them touches the database; whether a code is taken is the services' check.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incasso_tui.core.errors import ValidationError
from incasso_tui.documents.model import LAYOUTS
from incasso_tui.rules.bank_profiles import PAIN_SHORT, PROFILE_CODES, PROFILES, get_profile, profile_for_iban
from incasso_tui.sepa import (
    SepaError,
    derive_bic,
    validate_bic,
    validate_country,
    validate_creditor_id,
    validate_iban,
    validate_name,
)
from incasso_tui.sepa.validate import iban_in_sepa_zone
from incasso_tui.services.collection.orders import parse_cents  # the one amount rule
from incasso_tui.services.input_rules import check_text, from_sepa, text
from incasso_tui.services.organisation.results import SetupWarning

# Labels the messages use (the CLI's options and the forms' fields are named after them).
LABELS: dict[str, str] = {
    "code": "code",
    "name": "name",
    "creditor_id": "creditor identifier",
    "kvk": "KvK number",
    "street": "street",
    "building_number": "building number",
    "postcode": "postcode",
    "town": "town",
    "country": "country",
    "profile": "profile",
    "pain": "pain version",
    "max_per_file": "maximum per file",
    "lead_days": "lead days",
    "delivery_dir": "delivery directory",
    "send_command": "send command",
    "initiating_party": "initiating party",
    "administration": "administration",
    "iban": "IBAN",
    "bank_group": "bank group",
    "bic": "BIC",
    "letter_template": "letter template",
    "contact": "contact",
    "signatories": "signatory",
    "max_per_transaction": "maximum per transaction",
    "max_per_month": "maximum per month",
    "collection_reason": "collection reason",
}

NAME_MAX = 70  # a name in a pain.008 file (Cdtr/Nm, InitgPty/Nm)
MAX_PER_FILE_LIMIT = 10_000_000
LEAD_DAYS_MAX = 60
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}")
_KVK = re.compile(r"[0-9]{8}")


@dataclass(frozen=True)
class Checked:
    """A field that passed its rule: the value to store, warnings, derived facts."""

    value: Any
    warnings: tuple[SetupWarning, ...] = ()
    derived: Mapping[str, str] = field(default_factory=dict)


Rule = Callable[[Any, Mapping[str, str]], Checked]


def _text_of(value: object) -> str:
    return "" if value is None else str(value).strip()


def _sepa(fn: Callable[..., str], value: str, label: str, **kwargs: Any) -> str:
    try:
        return fn(value, label, **kwargs)
    except SepaError as exc:
        raise from_sepa(exc, label) from None


# ------------------------------------------------------------------------ codes and names


def code_rule(label: str = "code") -> Rule:
    def check(value: object, ctx: Mapping[str, str]) -> Checked:
        code = text(_text_of(value), label, 20, required=True).upper()
        if not _CODE.fullmatch(code):
            raise ValidationError(
                label, "use 1-20 letters, digits, - or _, starting with a letter or digit", code
            )
        return Checked(code)

    return check


def creditor_name(value: object, ctx: Mapping[str, str], label: str = "name") -> Checked:
    """A name that goes into the file as a party's name: at most 70 characters, with letters
    or digits left after transliteration to the SEPA character set."""
    name = text(_text_of(value), label, NAME_MAX, required=True)
    _sepa(validate_name, name, label)
    return Checked(name)


def plain_text(label: str, max_len: int, *, required: bool = False) -> Rule:
    def check(value: object, ctx: Mapping[str, str]) -> Checked:
        return Checked(text(_text_of(value), label, max_len, required=required))

    return check


def initiating_party(value: object, ctx: Mapping[str, str]) -> Checked:
    if not _text_of(value):
        return Checked("")
    return creditor_name(value, ctx, "initiating party")


# ------------------------------------------------------------------------ creditor identifier


def creditor_id(value: object, ctx: Mapping[str, str]) -> Checked:
    """Check digits with python-stdnum (sepa.validate_creditor_id); a Dutch identifier is
    NLkk + business code + KvK number (8 digits) + 4 digits. A business code other than
    ZZZ and a suffix other than 0000 are allowed but warned about (sepa-rules §2.2)."""
    label = LABELS["creditor_id"]
    raw = check_text(_text_of(value), label)
    ci = _sepa(validate_creditor_id, raw, label)
    warnings: list[SetupWarning] = []
    derived: dict[str, str] = {}
    if ci.startswith("NL"):
        business, kvk_number, suffix = ci[4:7], ci[7:15], ci[15:]
        derived["kvk"] = kvk_number
        if business != "ZZZ":
            warnings.append(
                SetupWarning(
                    label,
                    f"business code {business} is not ZZZ, the code Dutch banks issue; a strict "
                    "`incasso sepa check` reports it: use the identifier exactly as the bank issued it",
                    ci,
                )
            )
        if suffix != "0000":
            warnings.append(
                SetupWarning(
                    label,
                    f"ends in {suffix}, not the usual 0000: make sure it is the identifier the bank issued",
                    ci,
                )
            )
    return Checked(ci, tuple(warnings), derived)


def kvk(value: object, ctx: Mapping[str, str]) -> Checked:
    """8 digits; beside a Dutch creditor identifier (context "creditor_id") it must be the
    KvK number inside it. Empty is allowed (taken from a Dutch identifier by the services)."""
    label = LABELS["kvk"]
    number = check_text(_text_of(value), label).replace(" ", "").replace(".", "")
    if not number:
        return Checked("")
    if not _KVK.fullmatch(number):
        raise ValidationError(label, "must be 8 digits (the Chamber of Commerce number)", number)
    ci = "".join(ctx.get("creditor_id", "").split()).upper()
    inside = ci[7:15] if ci.startswith("NL") and len(ci) == 19 else ""
    if inside.isdigit() and inside != number:
        raise ValidationError(
            label,
            "does not match the KvK number {inside} inside the creditor identifier {ci}",
            number,
            inside=inside,
            ci=ci,
        )
    return Checked(number)


def country(value: object, ctx: Mapping[str, str]) -> Checked:
    return Checked(_sepa(validate_country, _text_of(value) or "NL", "country"))


# ------------------------------------------------------------------------ bank groups


def profile(value: object, ctx: Mapping[str, str]) -> Checked:
    code = _text_of(value).upper()
    if code not in PROFILES:
        raise ValidationError(
            "profile",
            "must be one of {PROFILE_CODES}",
            _text_of(value),
            PROFILE_CODES=", ".join(PROFILE_CODES),
        )
    return Checked(code)


def pain(value: object, ctx: Mapping[str, str]) -> Checked:
    """02 / 08 (or the full name), and one the profile (context "profile") accepts."""
    label = LABELS["pain"]
    given = _text_of(value).lower()
    version = PAIN_SHORT.get(given) or (given if given in PAIN_SHORT.values() else None)
    if version is None:
        raise ValidationError(label, "must be 02 or 08 (pain.008.001.02 or pain.008.001.08)", _text_of(value))
    if ctx.get("profile"):
        bank = get_profile(ctx["profile"])
        if version not in bank.pain_versions:
            raise ValidationError(
                label,
                "{name} (profile {code}) accepts only {pain_versions} ({sources})",
                version,
                name=bank.name,
                code=bank.code,
                pain_versions=", ".join(bank.pain_versions),
                sources=bank.sources["pain_versions"],
            )
    return Checked(version)


def whole_number(value: object, label: str, low: int, high: int, *, days: bool = False) -> int:
    """An int, or text of digits, from `low` to `high` (`days`: a number of TARGET2 days)."""

    def refused(shown: object) -> ValidationError:
        if days:
            return ValidationError(
                label,
                "must be a whole number of TARGET2 days from {low} to {high}",
                shown,
                low=low,
                high=high,
            )
        return ValidationError(
            label, "must be a whole number from {low} to {high}", shown, low=low, high=high
        )

    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise refused(value)
    raw = value if isinstance(value, int) else value.strip()
    if isinstance(raw, str) and not raw.isdigit():
        raise refused(raw)
    number = int(raw)
    if not low <= number <= high:
        raise refused(str(raw))
    return number


def max_per_file(value: object, ctx: Mapping[str, str]) -> Checked:
    """Transactions per file; empty: the profile's. Above the profile's maximum: a warning."""
    label = LABELS["max_per_file"]
    if value in (None, ""):
        return Checked(None)
    number = whole_number(value, label, 1, MAX_PER_FILE_LIMIT)
    warnings = []
    if ctx.get("profile"):
        bank = get_profile(ctx["profile"])
        if bank.max_per_file and number > bank.max_per_file:
            warnings.append(
                SetupWarning(
                    label,
                    f"{number} is above the {bank.max_per_file} transactions per file {bank.name} "
                    f"accepts ({bank.sources['max_per_file']}): the bank may refuse the file",
                )
            )
    return Checked(number, tuple(warnings))


def lead_days(value: object, ctx: Mapping[str, str]) -> Checked:
    label = LABELS["lead_days"]
    number = whole_number(value, label, 1, LEAD_DAYS_MAX, days=True)
    warnings = []
    if ctx.get("profile"):
        bank = get_profile(ctx["profile"])
        if number < bank.lead_days:
            warnings.append(
                SetupWarning(
                    label,
                    f"{number} is fewer than the {bank.lead_days} days of profile {bank.code} "
                    f"({bank.sources['lead_days']}): a file may reach the bank after its cut-off",
                )
            )
    return Checked(number, tuple(warnings))


def delivery_dir(value: object, ctx: Mapping[str, str]) -> Checked:
    """An existing directory this user may write in, stored as an absolute path; empty:
    none. (Only looked at, never written to: a bank's upload tool may watch it.)"""
    label = LABELS["delivery_dir"]
    raw = text(_text_of(value), label, 400)
    if not raw:
        return Checked(None)
    path = Path(raw).expanduser().absolute()
    if not path.exists():
        raise ValidationError(label, "does not exist (create it first, or mount the share)", str(path))
    if not path.is_dir():
        raise ValidationError(label, "is not a directory", str(path))
    if not os.access(path, os.W_OK | os.X_OK):
        raise ValidationError(label, "is not writable for this user", str(path))
    if len(str(path)) > 400:
        raise ValidationError(
            label, "is {count} characters long (maximum 400)", str(path), count=len(str(path))
        )
    return Checked(str(path))


def send_command(value: object, ctx: Mapping[str, str]) -> Checked:
    """An argument list with a {file} placeholder, run without a shell. One text (a form
    field, or one quoted CLI argument) is split like a shell would split it (shlex)."""
    label = LABELS["send_command"]
    if value is None or value == "" or (isinstance(value, (list, tuple)) and not "".join(value).strip()):
        return Checked(None)
    parts: list[str]
    if isinstance(value, str) or (isinstance(value, (list, tuple)) and len(value) == 1):
        line = value if isinstance(value, str) else str(value[0])
        check_text(line, label)
        try:
            parts = shlex.split(line)
        except ValueError as exc:
            raise ValidationError(
                label, "cannot be split into arguments ({reason}): check the quotes", line, reason=exc
            ) from None
    elif isinstance(value, Sequence):
        parts = [check_text(str(a), label) for a in value]
    else:
        raise ValidationError(label, "must be an argument list", value)
    if not parts or not parts[0].strip():
        raise ValidationError(label, "has no program to run", " ".join(parts))
    if not any("{file}" in part for part in parts):
        raise ValidationError(
            label,
            "must contain {file}, where the path of the file goes (arguments, no shell)",
            " ".join(parts),
        )
    warnings = []
    if shutil.which(parts[0]) is None:
        warnings.append(
            SetupWarning(
                label, f"program {parts[0]!r} is not found on this host: sending from here will fail"
            )
        )
    return Checked(parts, tuple(warnings))


# ------------------------------------------------------------------------ bank accounts


def bank_name_of(iban: str) -> str:
    """The bank holding `iban`: its profile's name, else the name schwifty's registry knows."""
    recognised = profile_for_iban(iban)
    if recognised:
        return PROFILES[recognised].name
    try:
        from schwifty import IBAN

        return str(IBAN(iban).bank_name or "")
    except Exception:  # noqa: BLE001 - a bank not in the registry is simply not named
        return ""


def bank_mismatch(iban: str, group_code: str, group_profile: str) -> SetupWarning | None:
    """A warning when the account's bank is not the bank of its bank group's profile (a bank
    accepts files only for accounts it holds); none for the EQUENS and OTHER profiles."""
    if not group_profile or group_profile in ("EQUENS", "OTHER"):
        return None
    if profile_for_iban(iban) == group_profile:
        return None
    bank = bank_name_of(iban) or f"bank code {iban[4:8]}"
    expected = get_profile(group_profile)
    return SetupWarning(
        "bank group",
        f"the account is at {bank}, but bank group {group_code} has profile {expected.code} "
        f"({expected.name}): a bank accepts files only for the accounts it holds",
        group_code,
    )


def iban(value: object, ctx: Mapping[str, str]) -> Checked:
    """A creditor account: schwifty's IBAN check, in the SEPA zone; derives the BIC (Dutch
    IBANs) and the bank. With context "bank_group_profile" the bank is compared with it."""
    label = LABELS["iban"]
    number = _sepa(validate_iban, check_text(_text_of(value), label), label)
    if not iban_in_sepa_zone(number):
        raise ValidationError(label, "is not in the SEPA zone: a collection account must be", number)
    recognised = profile_for_iban(number) or ""
    derived = {"bic": derive_bic(number) or "", "bank": bank_name_of(number), "profile": recognised}
    warnings = []
    mismatch = bank_mismatch(number, ctx.get("bank_group", ""), ctx.get("bank_group_profile", ""))
    if mismatch:
        warnings.append(mismatch)
    return Checked(number, tuple(warnings), derived)


def bic(value: object, ctx: Mapping[str, str]) -> Checked:
    """Empty: derived from the IBAN by the services. Given: a BIC that fits the pain version
    (context "pain_version")."""
    given = check_text(_text_of(value), "BIC")
    if not given:
        return Checked("")
    return Checked(_sepa(validate_bic, given, "BIC", version=ctx.get("pain_version") or None))


def letter_template(value: object, ctx: Mapping[str, str]) -> Checked:
    name = _text_of(value).lower() or "standard"
    if name not in LAYOUTS:
        raise ValidationError(
            "letter template", "must be one of {LAYOUTS}", _text_of(value), LAYOUTS=", ".join(LAYOUTS)
        )
    return Checked(name)


def signatories(value: object, ctx: Mapping[str, str]) -> Checked:
    """Names for the letter's signature lines: a list, or one text with a name per line."""
    if isinstance(value, str):
        items = value.splitlines()
    elif isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    elif value is None:
        items = []
    else:
        raise ValidationError("signatory", "must be a list of names", value)
    names = [text(str(n), "signatory", NAME_MAX) for n in items]
    return Checked(tuple(n for n in names if n))


def amount_rule(label: str) -> Rule:
    """An amount in euros ("2.500,00", "2500.00", "2500") as integer cents; empty: none."""

    def check(value: object, ctx: Mapping[str, str]) -> Checked:
        if value is None or (isinstance(value, str) and not value.strip()):
            return Checked(None)
        return Checked(parse_cents(value, label))

    return check


# ------------------------------------------------------------------------ per form field

RULES: dict[str, dict[str, Rule]] = {
    "organisation": {"name": creditor_name},
    "administration": {
        "code": code_rule(),
        "name": creditor_name,
        "creditor_id": creditor_id,
        "kvk": kvk,
        "street": plain_text("street", 70),
        "building_number": plain_text("building number", 16),
        "postcode": plain_text("postcode", 16),
        "town": plain_text("town", 35),
        "country": country,
    },
    "bank_group": {
        "code": code_rule(),
        "name": plain_text("name", 70, required=True),
        "profile": profile,
        "pain": pain,
        "max_per_file": max_per_file,
        "lead_days": lead_days,
        "delivery_dir": delivery_dir,
        "send_command": send_command,
        "initiating_party": initiating_party,
    },
    "bank_account": {
        "administration": code_rule("administration"),
        "iban": iban,
        "bank_group": code_rule("bank group"),
        "bic": bic,
        "letter_template": letter_template,
        "contact": plain_text("contact", 140),
        "signatories": signatories,
        "max_per_transaction": amount_rule("maximum per transaction"),
        "max_per_month": amount_rule("maximum per month"),
    },
    "invoice_type": {
        "code": code_rule(),
        "administration": code_rule("administration"),
        "name": plain_text("name", 70, required=True),
        "collection_reason": plain_text("collection reason", 140),
    },
}


@dataclass(frozen=True)
class FieldCheck:
    """One field checked as typed: the normalised value, the error (None: valid) naming the
    field and the rule apart (`error.field`, `error.rule`, as the services raise it, so a
    screen translates each), warnings, and what was derived (creditor_id: kvk; iban: bic,
    bank, profile). `rule_texts.rule_parts` gives a rule's template and values."""

    value: Any
    error: ValidationError | None = None
    warnings: tuple[SetupWarning, ...] = ()
    derived: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def message(self) -> str | None:
        """The error as the CLI words it ("<field> '<value>': <rule>"), None when valid."""
        return None if self.error is None else str(self.error)

    def as_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, (list, tuple)) else self.value
        return {
            "value": value,
            "error": self.message,
            "field": None if self.error is None else self.error.field,
            "rule": None if self.error is None else self.error.rule,
            "warnings": [str(w) for w in self.warnings],
            "derived": dict(self.derived),
        }


def check_field(kind: str, field_name: str, value: object, **context: str) -> FieldCheck:
    """Check one field of a set-up form as the user types; no database access.

    `kind`: organisation, administration, bank_group, bank_account, invoice_type (see RULES
    for each kind's fields). `context`: the other fields a rule depends on — creditor_id
    beside kvk; profile beside pain, max_per_file and lead_days; bank_group and
    bank_group_profile beside iban; pain_version beside bic."""
    try:
        rule = RULES[kind][field_name]
    except KeyError:
        raise ValueError(f"no set-up field {kind}.{field_name}") from None
    try:
        checked = rule(value, context)
    except ValidationError as exc:
        return FieldCheck(value, exc)
    return FieldCheck(checked.value, None, checked.warnings, checked.derived)


def check_setup_field(kind: str, field_name: str, value: object, **context: str) -> str | None:
    """The error message for this field's value, or None when it is valid."""
    return check_field(kind, field_name, value, **context).message
