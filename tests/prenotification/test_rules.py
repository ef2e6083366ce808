"""The one rule: a notice counts when it went out at least the agreed days before the
collection and states the date and amount that are collected."""

from __future__ import annotations

import datetime as dt

import pytest

from incasso_tui.rules.prenotification import (
    Notice,
    NoticeProblem,
    in_time,
    latest_notice_day,
    notice_problem,
)

DAY = dt.date(2026, 12, 15)


def test_in_time_counts_calendar_days():
    assert latest_notice_day(DAY, 14) == dt.date(2026, 12, 1)
    assert in_time(dt.date(2026, 12, 1), DAY, 14)
    assert not in_time(dt.date(2026, 12, 2), DAY, 14)
    assert in_time(DAY, DAY, 0)  # a period of 0 days agreed with the debtor


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (None, NoticeProblem.NONE_SENT),
        (Notice(dt.date(2026, 12, 1), DAY, 1250), None),
        (Notice(dt.date(2026, 12, 2), DAY, 1250), NoticeProblem.TOO_LATE),
        (Notice(dt.date(2026, 11, 1), DAY - dt.timedelta(days=1), 1250), NoticeProblem.DATE_MOVED),
        (Notice(dt.date(2026, 11, 1), DAY, 1251), NoticeProblem.AMOUNT_CHANGED),
        # A notice for another date is no notice in time for this one.
        (Notice(dt.date(2026, 12, 10), DAY + dt.timedelta(days=3), 1250), NoticeProblem.DATE_MOVED),
    ],
)
def test_notice_problem(notice, expected):
    assert notice_problem(notice, DAY, 1250, 14) == expected
