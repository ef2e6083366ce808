"""TARGET2 calendar and collection dates."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from incasso_tui.sepa import (
    SepaError,
    add_target_days,
    adjust_collection_date,
    closing_reason,
    earliest_collection_date,
    is_target_day,
    next_target_day,
)
from incasso_tui.sepa.calendar import _holidays_of, easter_sunday

D = dt.date


@pytest.mark.parametrize(
    "day",
    [
        D(2025, 4, 18),
        D(2025, 4, 21),  # verified values in sepa-rules.md §4.2
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2027, 3, 26),
        D(2027, 3, 29),
        D(2028, 4, 14),
        D(2028, 4, 17),
        D(2026, 1, 1),
        D(2026, 5, 1),
        D(2026, 12, 25),
        D(2027, 12, 24 + 2),
    ],
)
def test_closed_days(day):
    assert not is_target_day(day)
    assert closing_reason(day) is not None


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 4, 27),  # King's Day: a Dutch holiday, not a TARGET2 one
        D(2026, 5, 5),  # Liberation Day
        D(2026, 5, 14),  # Ascension Day
        D(2026, 5, 25),  # Whit Monday
        D(2026, 12, 24),
        D(2026, 12, 31),
        D(2026, 3, 2),
    ],
)
def test_open_days(day):
    assert is_target_day(day)
    assert closing_reason(day) is None


def test_reasons():
    assert closing_reason(D(2026, 4, 3)) == "TARGET2 holiday (Good Friday)"
    assert closing_reason(D(2026, 3, 7)) == "weekend (Saturday)"


def test_same_closing_days_as_the_holidays_package_ecb_calendar():
    for year in range(2000, 2101):
        assert _holidays_of(year) == dict(holidays.financial_holidays("XECB", years=year)), year


def test_easter():
    assert easter_sunday(2026) == D(2026, 4, 5)
    assert easter_sunday(2027) == D(2027, 3, 28)
    assert easter_sunday(2038) == D(2038, 4, 25)  # the latest possible


def test_business_day_arithmetic():
    assert next_target_day(D(2026, 4, 3)) == D(2026, 4, 7)  # Good Friday -> after Easter Monday
    assert next_target_day(D(2026, 3, 2)) == D(2026, 3, 2)
    assert add_target_days(D(2026, 3, 2), 2) == D(2026, 3, 4)
    assert add_target_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Friday + 1 -> Monday
    assert add_target_days(D(2026, 4, 2), 1) == D(2026, 4, 7)


def test_earliest_collection_date():
    assert earliest_collection_date(D(2026, 3, 2)).date == D(2026, 3, 4)  # default lead 2
    assert earliest_collection_date(D(2026, 3, 7), 2).date == D(2026, 3, 10)  # Saturday
    assert earliest_collection_date(D(2026, 4, 2), 1).date == D(2026, 4, 7)
    assert earliest_collection_date(D(2026, 12, 23), 2).date == D(2026, 12, 28)


def test_adjust_moves_forward_and_says_why():
    r = adjust_collection_date(D(2026, 12, 25), today=D(2026, 12, 1))
    assert r.date == D(2026, 12, 28) and r.moved
    assert r.reason == "requested 2026-12-25, moved to 2026-12-28: TARGET2 holiday (Christmas Day)"
    r = adjust_collection_date(D(2026, 3, 7), today=D(2026, 3, 1))
    assert r.date == D(2026, 3, 9)
    assert r.reason == "requested 2026-03-07, moved to 2026-03-09: weekend (Saturday)"
    r = adjust_collection_date(D(2026, 3, 2), today=D(2026, 3, 2), lead_days=2)
    assert r.date == D(2026, 3, 4)
    assert r.reason.startswith(
        "requested 2026-03-02, moved to 2026-03-04: earlier than the "
        "first possible date (2 TARGET2 business days after 2026-03-02)"
    )
    r = adjust_collection_date(D(2026, 3, 10), today=D(2026, 3, 2))
    assert r.date == D(2026, 3, 10) and not r.moved and r.reason is None


def test_adjust_never_moves_back():
    today = D(2026, 1, 1)
    for offset in range(400):
        requested = today + dt.timedelta(days=offset)
        result = adjust_collection_date(requested, today, 2)
        assert result.date >= requested
        assert is_target_day(result.date)
        assert result.date >= earliest_collection_date(today, 2).date


@pytest.mark.parametrize("lead", [0, -1, 1.5, "2", None])
def test_lead_days_minimum_one(lead):
    with pytest.raises(SepaError) as e:
        earliest_collection_date(D(2026, 3, 2), lead)
    assert e.value.field == "lead days"
