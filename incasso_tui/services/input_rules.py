"""Reading what people type or put in a CSV file: dates, yes/no, bounded text.

Shared by the forms (inline validation), the CLI and the CSV import, so a date that
one of them accepts the others accept too. Errors are ValidationError(field, rule).

Every text a person gives is single-line, terminal-safe text (`check_text`): control
characters (NUL, ESC, C1 …) and bidirectional overrides/isolates are refused with the
field and the character named, on every database alike (PostgreSQL cannot store NUL).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from incasso_tui.core.errors import ValidationError
from incasso_tui.core.terminal_text import unsafe_rule

if TYPE_CHECKING:  # the SEPA engine loads when a form checks an IBAN, not with every date rule
    from incasso_tui.sepa import SepaError

DATE_FORMATS = "YYYY-MM-DD or DD-MM-YYYY"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_TRUE = {"yes", "y", "ja", "j", "true", "1", "x"}
_FALSE = {"no", "n", "nee", "false", "0", ""}


def parse_date(text: str | None, field: str) -> dt.date | None:
    """'2026-11-24', '24-11-2026', '24/11/2026' or '24.11.2026'; empty gives None."""
    value = (text or "").strip()
    if not value:
        return None
    match = _ISO.fullmatch(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DUTCH.fullmatch(value)
        if not match:
            raise ValidationError(
                field, "is not a date (write {DATE_FORMATS})", value, DATE_FORMATS=DATE_FORMATS
            )
        day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(field, "is not a date in the calendar", value) from None


def iso_date(value: object, field: str) -> dt.date | None:
    """A date given as a date or as YYYY-MM-DD (the CLI's and the services' arguments);
    empty gives None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(field, "must be a date YYYY-MM-DD", value) from None


def parse_bool(text: str | None, field: str, default: bool = False) -> bool:
    value = (text or "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValidationError(field, "must be yes or no (also: ja/nee, true/false, 1/0)", text)


def check_text(value: str, field: str, *, multiline: bool = False) -> str:
    """`value` unchanged when it holds no control character, bidirectional override or
    isolate, or undecodable byte (`multiline`: line feeds allowed); else ValidationError
    naming the field and the character (the value itself is not echoed: it is what must not
    reach a terminal)."""
    rule = unsafe_rule(value.replace("\n", " ") if multiline else value)
    if rule is not None:
        raise ValidationError.forward(field, rule)
    return value


def text(value: str | None, field: str, max_len: int, required: bool = False) -> str:
    """Stripped, terminal-safe text (`check_text`) of at most `max_len` characters."""
    result = check_text((value or "").strip(), field)
    if required and not result:
        raise ValidationError(field, "is required")
    if len(result) > max_len:
        raise ValidationError(
            field,
            "is {count} characters long (maximum {max_len})",
            result,
            count=len(result),
            max_len=max_len,
        )
    return result


def from_sepa(error: SepaError, field: str) -> ValidationError:
    """A SEPA engine refusal as a form/import error naming our field and its rule."""
    return ValidationError.forward(field, error.rule, error.value)


class Collector:
    """Gathers every field error of a form or CSV row instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def run(self, fn, *args, default=None, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            self.errors.append(exc)
            return default

    def add(self, field: str, rule: str, value: object = None) -> None:
        self.errors.append(ValidationError.forward(field, rule, value))

    def fields(self) -> set[str]:
        return {e.field for e in self.errors}
