"""Months: the one SQL expression that turns a date into its month, and the report period.

SQLite keeps dates as ISO text, PostgreSQL as dates: the month is the text's first seven
characters on the one and to_char(…, 'YYYY-MM') on the other. Both give 'YYYY-MM', which
sorts as the calendar does.
"""

from __future__ import annotations

import datetime as dt

import peewee as pw

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import ValidationError
from incasso_tui.db.database import database
from incasso_tui.services.input_rules import parse_date

DEFAULT_MONTHS = 12  # the period when none is given: this month and the 11 before


def month_of(column: pw.Node) -> pw.Function:
    """'YYYY-MM' of a date (or timestamp) column, computed in the database."""
    # Literals, not parameters: PostgreSQL matches a SELECT expression with its GROUP BY only
    # when both are spelled the same, and two parameters ($1, $2) are not.
    if isinstance(database.obj, pw.SqliteDatabase):
        # substr, not strftime: the same answer on ISO text, and cheaper per row.
        return pw.fn.substr(column, pw.SQL("1"), pw.SQL("7"))
    return pw.fn.to_char(column, pw.SQL("'YYYY-MM'"))


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after the month of `day`."""
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, 1)


def month_end(key: str) -> dt.date:
    first = dt.date(int(key[:4]), int(key[5:7]), 1)
    return add_months(first, 1) - dt.timedelta(days=1)


def months(date_from: dt.date, date_to: dt.date) -> list[str]:
    """Every month from the one of `date_from` to the one of `date_to`, in order."""
    keys, day = [], dt.date(date_from.year, date_from.month, 1)
    while day <= date_to:
        keys.append(month_key(day))
        day = add_months(day, 1)
    return keys


def _date(value: dt.date | str | None, field: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_date(value, field)


def period(
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
    today: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """The report's period: the dates given (YYYY-MM-DD or DD-MM-YYYY), by default from the
    first day of the month eleven months ago to the end of this month (twelve whole months: the
    collections of this month that are underway, dated after today, count in it)."""
    today = today or clock_today()
    end = _date(date_to, "to") or month_end(month_key(today))
    start = _date(date_from, "from") or add_months(end, 1 - DEFAULT_MONTHS)
    if start > end:
        raise ValidationError(
            "from", "must be on or before the end of the period ({end})", start.isoformat(), end=end
        )
    if len(months(start, end)) > 240:
        raise ValidationError("from", "the period may span at most 20 years", start.isoformat())
    return start, end
