"""TARGET2 business days and collection dates (sepa-rules.md §4).

TARGET2 is closed on Saturdays, Sundays, 1 January, Good Friday, Easter Monday,
1 May, 25 and 26 December (ECB; fixed since 2000).  Dutch national holidays are
*not* TARGET2 holidays.  The closing days are computed here (Gregorian Easter)
rather than taken from the ``holidays`` package at run time: its ECB calendar
(``holidays.financial_holidays("XECB")``) costs 80 ms and 13 MB per process for
six dates a year.  The tests check this module against it for 2000-2100.

A collection date only ever moves forward: moving it back would break the
pre-notification the debtor received.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from incasso_tui.sepa.errors import SepaError

DEFAULT_LEAD_DAYS = 2
MIN_LEAD_DAYS = 1
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


# The euro changeover: TARGET was also closed on 31 December 2001.
_ONE_OFF_CLOSING_DAYS = {2001: {dt.date(2001, 12, 31): "Additional closing day"}}


@functools.lru_cache(maxsize=64)
def _holidays_of(year: int) -> dict[dt.date, str]:
    """TARGET2 holidays of a year with their names (the names the holidays package uses)."""
    easter = easter_sunday(year)
    extra = _ONE_OFF_CLOSING_DAYS.get(year, {})
    return extra | {
        dt.date(year, 1, 1): "New Year's Day",
        easter - dt.timedelta(days=2): "Good Friday",
        easter + dt.timedelta(days=1): "Easter Monday",
        dt.date(year, 5, 1): "Labour Day",
        dt.date(year, 12, 25): "Christmas Day",
        dt.date(year, 12, 26): "Christmas Holiday",
    }


def closing_reason(day: dt.date) -> str | None:
    """Why TARGET2 is closed on ``day`` ("weekend (Saturday)", "TARGET2 holiday (Good
    Friday)"), or None on a business day."""
    weekday = day.weekday()
    if weekday >= 5:
        return f"weekend ({_WEEKDAYS[weekday]})"
    name = _holidays_of(day.year).get(day)
    if name is not None:
        return f"TARGET2 holiday ({name})"
    return None


def is_target_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def next_target_day(day: dt.date) -> dt.date:
    """``day`` itself when TARGET2 is open, else the next business day."""
    while not is_target_day(day):
        day += dt.timedelta(days=1)
    return day


def add_target_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th TARGET2 business day after ``day`` (``day`` itself not counted)."""
    for _ in range(count):
        day = next_target_day(day + dt.timedelta(days=1))
    return day


def validate_lead_days(lead_days: object, field: str = "lead days") -> int:
    if type(lead_days) is not int:
        raise SepaError(field, "must be a whole number of TARGET2 days", lead_days)
    if lead_days < MIN_LEAD_DAYS:
        raise SepaError(field, f"must be at least {MIN_LEAD_DAYS} (EPC: presentation until D-1)", lead_days)
    return lead_days


@dataclass(frozen=True)
class CollectionDate:
    """A collection date with the reason it differs from what was asked (if it does)."""

    date: dt.date
    requested: dt.date | None = None
    reason: str | None = None

    @property
    def moved(self) -> bool:
        return self.requested is not None and self.requested != self.date


def earliest_collection_date(today: dt.date, lead_days: int = DEFAULT_LEAD_DAYS) -> CollectionDate:
    """The first date a file made ``today`` can collect on: ``lead_days`` TARGET2 days on."""
    lead = validate_lead_days(lead_days)
    earliest = add_target_days(today, lead)
    return CollectionDate(
        earliest, None, f"{lead} TARGET2 business day{'s' if lead != 1 else ''} after {today.isoformat()}"
    )


def adjust_collection_date(
    requested: dt.date, today: dt.date, lead_days: int = DEFAULT_LEAD_DAYS
) -> CollectionDate:
    """``requested`` when possible, else the first possible date after it, with why.

    >>> adjust_collection_date(dt.date(2026, 12, 25), dt.date(2026, 12, 1)).reason
    'requested 2026-12-25, moved to 2026-12-28: TARGET2 holiday (Christmas Day)'
    """
    earliest = earliest_collection_date(today, lead_days)
    if requested < earliest.date:
        why = f"earlier than the first possible date ({earliest.reason})"
        return CollectionDate(earliest.date, requested, _moved(requested, earliest.date, why))
    closed = closing_reason(requested)
    if closed is None:
        return CollectionDate(requested, requested, None)
    day = next_target_day(requested)
    return CollectionDate(day, requested, _moved(requested, day, closed))


def _moved(requested: dt.date, day: dt.date, why: str) -> str:
    return f"requested {requested.isoformat()}, moved to {day.isoformat()}: {why}"
