"""Field validators: each returns the normalised value or raises SepaError naming the rule.

Sources of the rules: sepa-rules.md §2 (identifiers, creditor identifier, IBAN/BIC,
mandate reference, amounts).  IBAN and BIC checks are schwifty's; the creditor
identifier checksum is python-stdnum's ``stdnum.eu.at_02`` (ISO 7064 MOD 97-10
over the national identifier, business code excluded).

``iban_is_valid`` is a fast equivalent of the schwifty check (country length,
BBAN format, MOD 97-10) for the writer's and the checker's per-transaction
path, where schwifty's 10 µs per IBAN would dominate; a test keeps the two in
agreement.
"""

from __future__ import annotations

import functools
import re

from schwifty import BIC, IBAN
from schwifty import exceptions as schwifty_errors
from schwifty import registry as schwifty_registry
from stdnum.eu import at_02
from stdnum.exceptions import ValidationError as StdnumValidationError

from incasso_tui.sepa.errors import SepaError
from incasso_tui.sepa.text import SEPA_CHARACTERS_TEXT, first_non_sepa_character, transliterate

PAIN_008_001_02 = "pain.008.001.02"
PAIN_008_001_08 = "pain.008.001.08"
VERSIONS = (PAIN_008_001_02, PAIN_008_001_08)

MAX_AMOUNT_CENTS = 99_999_999_999  # 999 999 999.99 EUR
NAME_MAX = 70
REMITTANCE_MAX = 140
ID_MAX = 35

_WHITESPACE = re.compile(r"\s+")

# ---------------------------------------------------------------- amounts


def format_amount(cents: int) -> str:
    """Integer cents as the file writes them: 1234 -> '12.34'."""
    return "%d.%02d" % divmod(cents, 100)


_AMOUNT_TEXT = re.compile(r"(\d{1,18})(?:\.(\d{1,2}))?")


def parse_amount(text: str, field: str = "amount") -> int:
    """'12.3' / '12.34' / '12' -> cents.  More than two decimals is an error in SEPA."""
    m = _AMOUNT_TEXT.fullmatch(text.strip())
    if not m:
        raise SepaError(field, "is not an amount with at most 2 decimals", text)
    whole, frac = m.groups()
    return int(whole) * 100 + int((frac or "0").ljust(2, "0"))


def validate_amount(cents: object, field: str = "amount") -> int:
    """Integer cents, 1 ... 99 999 999 999 (0.01 ... 999 999 999.99 EUR)."""
    if type(cents) is not int:  # bool and float are refused on purpose
        raise SepaError(field, f"must be an integer number of cents, not {type(cents).__name__}", cents)
    if cents < 1:
        raise SepaError(field, "must be at least 0.01 EUR (1 cent)", cents)
    if cents > MAX_AMOUNT_CENTS:
        raise SepaError(field, "must be at most 999999999.99 EUR", cents)
    return cents


def validate_currency(code: str, field: str = "currency") -> str:
    if code != "EUR":
        raise SepaError(field, "SEPA direct debits are in EUR only", code)
    return code


# ---------------------------------------------------------------- IBAN / BIC


def _compact(value: str) -> str:
    return _WHITESPACE.sub("", value).upper()


def validate_iban(value: str, field: str = "IBAN") -> str:
    """Normalised IBAN (upper case, no spaces), checked with schwifty."""
    if not isinstance(value, str) or not value.strip():
        raise SepaError(field, "is empty", value if isinstance(value, str) else None)
    iban = _compact(value)
    try:
        IBAN(iban)
    except schwifty_errors.InvalidChecksumDigits:
        raise SepaError(field, "checksum (MOD 97-10) does not match", iban) from None
    except schwifty_errors.InvalidCountryCode:
        raise SepaError(field, f"unknown country code '{iban[:2]}'", iban) from None
    except schwifty_errors.InvalidLength:
        expected = schwifty_registry.get_iban_spec(iban[:2]).iban_length
        raise SepaError(
            field, f"has {len(iban)} characters; a {iban[:2]} IBAN has {expected}", iban
        ) from None
    except schwifty_errors.SchwiftyException as e:
        raise SepaError(field, f"invalid structure ({e})", iban) from None
    return iban


# country -> (full-IBAN regex, in SEPA zone) or None; filled on first use
_IBAN_SPECS: dict[str, tuple[re.Pattern[str], bool] | None] = {}


def _iban_spec(country: str) -> tuple[re.Pattern[str], bool] | None:
    """The regex combines what schwifty checks: country, check digits 02-98 (the only
    ones MOD 97-10 produces), the country's BBAN format and length."""
    if country in _IBAN_SPECS:
        return _IBAN_SPECS[country]
    try:
        spec = schwifty_registry.get_iban_spec(country)
    except schwifty_errors.InvalidCountryCode:
        result = None
    else:
        bban = spec.regex.pattern.removeprefix("^").removesuffix("$")
        result = (
            re.compile(
                r"%s(?:0[2-9]|[1-8]\d|9[0-8])(?=[A-Z0-9]{%d}$)(?:%s)"
                % (re.escape(country), spec.bban_length, bban)
            ),
            spec.in_sepa_zone,
        )
    _IBAN_SPECS[country] = result
    return result


_NUMERIFY = str.maketrans({chr(c): str(c - 55) for c in range(ord("A"), ord("Z") + 1)})
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# "NL91ABNA" -> ("10112310", "232191"): the numeric form of an IBAN's letter prefix
_PREFIX_DIGITS: dict[str, tuple[str, str]] = {}


def iban_is_valid(iban: str) -> bool:
    """Fast check of an already normalised IBAN; same verdict as validate_iban()."""
    spec = _IBAN_SPECS.get(iban[:2]) or _iban_spec(iban[:2])
    if spec is None or not spec[0].fullmatch(iban):
        return False
    # MOD 97-10 over BBAN + country + check digits, letters counting 10..35.  Most
    # BBANs are a letter bank code and then digits: convert (and cache) that prefix.
    bban = iban[4:]
    digits = bban.lstrip(_UPPER)
    if not digits.isdigit():
        return int((bban + iban[:4]).translate(_NUMERIFY)) % 97 == 1
    prefix = iban[: len(iban) - len(digits)]
    parts = _PREFIX_DIGITS.get(prefix)
    if parts is None:
        if len(_PREFIX_DIGITS) > 20000:
            _PREFIX_DIGITS.clear()
        parts = _PREFIX_DIGITS[prefix] = (prefix[4:].translate(_NUMERIFY), prefix[:4].translate(_NUMERIFY))
    return int(parts[0] + digits + parts[1]) % 97 == 1


def iban_in_sepa_zone(iban: str) -> bool:
    spec = _iban_spec(iban[:2])
    return bool(spec and spec[1])


def same_bank(iban_a: str, iban_b: str) -> bool:
    """Both IBANs at the same bank (country and national bank code)."""
    a, b = IBAN(_compact(iban_a)), IBAN(_compact(iban_b))
    return a.country_code == b.country_code and a.bank_code == b.bank_code


# BIC patterns of the two XSDs; .02 is the stricter one (letters in the first six).
BIC_PATTERNS = {
    PAIN_008_001_02: re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9](?:[A-Z0-9]{3})?"),
    PAIN_008_001_08: re.compile(r"[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?"),
}


@functools.lru_cache(maxsize=4096)
def validate_bic(value: str, field: str = "BIC", version: str | None = None) -> str:
    """Normalised BIC (8 or 11 characters, ISO 9362, known country).

    With ``version`` the value must also fit that pain.008 version's pattern.
    Cached: a file has few distinct BICs.
    """
    if not isinstance(value, str) or not value.strip():
        raise SepaError(field, "is empty", value if isinstance(value, str) else None)
    bic = _compact(value)
    try:
        BIC(bic)
    except schwifty_errors.InvalidLength:
        raise SepaError(field, "must be 8 or 11 characters", bic) from None
    except schwifty_errors.InvalidCountryCode:
        raise SepaError(field, f"unknown country code '{bic[4:6]}'", bic) from None
    except schwifty_errors.SchwiftyException:
        raise SepaError(
            field, "is not a BIC (4 bank, 2 country, 2 location, optional 3 branch characters)", bic
        ) from None
    if version is not None:
        _check_version(version)
        if not BIC_PATTERNS[version].fullmatch(bic):
            raise SepaError(
                field,
                f"does not fit the {version} BIC pattern (first six characters letters); use pain.008.001.08",
                bic,
            )
    return bic


def derive_bic(iban: str, any_country: bool = False) -> str | None:
    """BIC from the IBAN's bank code (Dutch IBANs; others with any_country=True).

    None when unknown.  The BIC is optional in SEPA ("IBAN-only"), so a missing
    one is written as NOTPROVIDED, never guessed.
    """
    try:
        parsed = IBAN(_compact(iban))
    except (schwifty_errors.SchwiftyException, TypeError):
        return None
    if parsed.country_code != "NL" and not any_country:
        return None
    bic = parsed.bic
    return str(bic) if bic is not None else None


# ---------------------------------------------------------------- creditor identifier


_CI_GENERIC = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9+?/:().,'\-]{1,28}")
_CI_DUTCH = re.compile(r"NL[0-9]{2}[A-Z0-9]{3}[0-9]{12}")


def validate_creditor_id(value: str, field: str = "creditor identifier") -> str:
    """Normalised creditor identifier (Incassant ID).

    Format ``CCkkBBBnational`` (≤ 35), Dutch form ``NLkkZZZ`` + KvK number (8) +
    4 digits; check digits ISO 7064 MOD 97-10 over the national part + country,
    the business code BBB excluded (EPC262-08).
    """
    if not isinstance(value, str) or not value.strip():
        raise SepaError(field, "is empty", value if isinstance(value, str) else None)
    ci = _compact(value)
    if len(ci) > ID_MAX:
        raise SepaError(field, f"is {len(ci)} characters long (maximum 35)", ci)
    if not _CI_GENERIC.fullmatch(ci):
        raise SepaError(
            field,
            "format is country code, 2 check digits, 3-character business code, national identifier",
            ci,
        )
    if ci.startswith("NL") and not _CI_DUTCH.fullmatch(ci):
        raise SepaError(
            field,
            "a Dutch creditor identifier is NLkkZZZ + KvK number (8 digits) + 4 digits (19 characters)",
            ci,
        )
    try:
        at_02.validate(ci)
    except StdnumValidationError:
        raise SepaError(
            field, "check digits (ISO 7064 MOD 97-10, business code excluded) do not match", ci
        ) from None
    return ci


# ---------------------------------------------------------------- identifiers

# EPC: MsgId/PmtInfId/InstrId/EndToEndId may contain a space, mandate references not;
# none may start or end with '/' or contain '//' (sepa-rules.md §1.6, §2.4).
# Spaces at either end are refused too: banks trim them and the id would not match.
_ID_RE = re.compile(r"(?![/ ])(?!.*//)[A-Za-z0-9/\-?:().,'+ ]{1,35}(?<![/ ])")
_MANDATE_RE = re.compile(r"(?!/)(?!.*//)[A-Za-z0-9/\-?:().,'+]{1,35}(?<!/)")


def identifier_ok(value: str) -> bool:
    return _ID_RE.fullmatch(value) is not None


def mandate_ref_ok(value: str) -> bool:
    return _MANDATE_RE.fullmatch(value) is not None


def validate_identifier(value: str, field: str = "identifier") -> str:
    """MsgId, PmtInfId, InstrId, EndToEndId: 1-35 SEPA characters, space allowed."""
    return _validate_id(value, field, space_allowed=True)


def validate_mandate_ref(value: str, field: str = "mandate reference") -> str:
    """MndtId / OrgnlMndtId: 1-35 SEPA characters, no space."""
    return _validate_id(value, field, space_allowed=False)


def _validate_id(value: str, field: str, space_allowed: bool) -> str:
    if not isinstance(value, str):
        raise SepaError(field, f"must be text, not {type(value).__name__}")
    ident = value.strip()
    if not ident:
        raise SepaError(field, "is empty (1 to 35 characters required)", value)
    if len(ident) > ID_MAX:
        raise SepaError(field, f"is {len(ident)} characters long (maximum 35)", ident)
    bad = first_non_sepa_character(ident)
    if bad is not None:
        raise SepaError(
            field, f"contains {bad!r}, which is not in the SEPA character set ({SEPA_CHARACTERS_TEXT})", ident
        )
    if not space_allowed and " " in ident:
        raise SepaError(field, "contains a space (not allowed in a mandate reference)", ident)
    if ident.startswith("/") or ident.endswith("/"):
        raise SepaError(field, "must not start or end with '/'", ident)
    if "//" in ident:
        raise SepaError(field, "must not contain '//'", ident)
    return ident


# ---------------------------------------------------------------- text fields


def validate_name(value: str, field: str = "name", max_len: int = NAME_MAX) -> str:
    """Name as written to the file: transliterated, ≤ 70, with a letter or digit left."""
    if not isinstance(value, str) or not value.strip():
        raise SepaError(field, "is empty", value if isinstance(value, str) else None)
    text = transliterate(value, max_len)
    if not any(c.isalnum() for c in text):
        raise SepaError(
            field, "has no letters or digits left after transliteration to the SEPA character set", value
        )
    return text


def validate_remittance(value: str | None, field: str = "remittance information") -> str | None:
    """Unstructured remittance (Ustrd): transliterated, ≤ 140; None when empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise SepaError(field, f"must be text, not {type(value).__name__}")
    text = transliterate(value, REMITTANCE_MAX)
    return text or None


_UETR_RE = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}")


def validate_uetr(value: str, field: str = "UETR") -> str:
    uetr = value.strip().lower()
    if not _UETR_RE.fullmatch(uetr):
        raise SepaError(field, "must be a UUID version 4 (8-4-4-4-12 hex digits)", value)
    return uetr


_COUNTRY_RE = re.compile(r"[A-Z]{2}")


def validate_country(value: str, field: str = "country") -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if not _COUNTRY_RE.fullmatch(code):
        raise SepaError(field, "must be a two-letter ISO 3166 country code", value)
    return code


def validate_version(version: str) -> str:
    _check_version(version)
    return version


def _check_version(version: str) -> None:
    if version not in VERSIONS:
        raise SepaError("pain.008 version", "must be pain.008.001.02 or pain.008.001.08", version)
