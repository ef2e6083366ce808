"""Mandates over time: new and ended per month, how many were live at each month's end, how
many expire (36 months without a collection) or reach their end date in the coming months,
and how many there are now per status.

New = the effective date's month. Ended = the day a mandate stopped counting: the day after its
end date, the day after its final (or one-off) collection, the day it expired (the expiry rule
of rules/mandates.expiry_date), or the month it was revoked (its last change). Only mandates
that were ever effective count, so live at month end = new up to then − ended up to then.

Everything is grouped in the database; where an ended day depends on a date rule, the query
groups by that date (a few hundred distinct dates) and the rule maps each to its month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any, cast

import peewee as pw

from incasso_tui.core.clock import today as clock_today
from incasso_tui.db import models as m
from incasso_tui.db.database import as_date
from incasso_tui.db.statuses import MandateStatus
from incasso_tui.rules.mandates import EXPIRY_DAYS, expiry_date
from incasso_tui.services.auth import Actor
from incasso_tui.services.reports.common import COUNT, MONTH, TEXT, Chart, Column, Report, Series, Table
from incasso_tui.services.reports.months import add_months, month_key, month_of, months, period
from incasso_tui.services.reports.scope import Scope, scope_for

COMING_MONTHS = 6  # expiring and ending: this month and the five after it

COLUMNS = (
    Column("month", "Month", MONTH),
    Column("new", "New", COUNT),
    Column("ended", "Ended", COUNT),
    Column("live", "Live at month end", COUNT),
    Column("expiring", "Expiring", COUNT),
    Column("ending", "Reaching end date", COUNT),
)
SUMMARY_COLUMNS = (Column("status", "Status", TEXT), Column("mandates", "Mandates", COUNT))

_ONE_DAY = dt.timedelta(days=1)
_SINCE = pw.fn.COALESCE(m.Mandate.last_collection_date, m.Mandate.effective_date)


def _day(value: Any) -> dt.date:
    """A date the query grouped by (SQLite gives an expression's dates as text)."""
    day = as_date(value)
    assert day is not None  # the queries group only non-NULL dates
    return day


def _rows(query: pw.SelectBase) -> list[tuple[Any, ...]]:
    return list(cast("Iterable[tuple[Any, ...]]", query.tuples()))


def _grouped(where: pw.Node, *keys: pw.Node) -> list[tuple[Any, ...]]:
    """(key…, count) of the mandates matching `where`, grouped by `keys`."""
    return _rows(m.Mandate.select(*keys, pw.fn.COUNT(m.Mandate.id)).where(where).group_by(*keys))


def _new_per_month(scope: Scope, end: dt.date) -> Counter[str]:
    mandate = m.Mandate
    where = scope.within(mandate.administration) & (mandate.effective_date <= end)
    return Counter({key: int(n) for key, n in _grouped(where, month_of(mandate.effective_date))})


def _ended_per_month(scope: Scope) -> Counter[str]:
    """When each ever-effective mandate stopped counting, as month → number."""
    mandate, status = m.Mandate, m.Mandate.status
    live_once = scope.within(mandate.administration) & mandate.effective_date.is_null(False)
    ended: Counter[str] = Counter()

    def add(day: Any, n: Any) -> None:
        if day is not None:
            ended[month_key(day)] += int(n)

    for key, n in _grouped(live_once & (status == MandateStatus.REVOKED), month_of(mandate.updated_at)):
        ended[key] += int(n)
    by_end_date = (
        live_once
        & status.not_in((MandateStatus.REVOKED, MandateStatus.EXPIRED))
        & mandate.end_date.is_null(False)
        & (mandate.end_date >= mandate.effective_date)
    )
    for day, n in _grouped(by_end_date, mandate.end_date):
        add(_day(day) + _ONE_DAY, n)
    final = live_once & (status == MandateStatus.ENDED) & mandate.end_date.is_null()
    for day, n in _grouped(final & mandate.last_collection_date.is_null(False), mandate.last_collection_date):
        add(_day(day) + _ONE_DAY, n)
    for since, end, n in _grouped(live_once & (status == MandateStatus.EXPIRED), _SINCE, mandate.end_date):
        expires = expiry_date(as_date(since), None)
        ends = _day(end) + _ONE_DAY if end is not None else None
        add(min(d for d in (expires, ends) if d is not None), n)
    return ended


def _coming(scope: Scope, today: dt.date) -> tuple[list[str], Counter[str], Counter[str]]:
    """The coming months, and per month the active mandates expiring and reaching their end date."""
    mandate = m.Mandate
    last_day = add_months(today, COMING_MONTHS) - _ONE_DAY
    active = scope.within(mandate.administration) & (mandate.status == MandateStatus.ACTIVE)
    # expiry_date() = since + EXPIRY_DAYS falls on today … last_day: bound `since` so the
    # query can use the dates' indexes; the rule itself maps each date to its expiry.
    window = _SINCE.between(today - dt.timedelta(days=EXPIRY_DAYS), last_day - dt.timedelta(days=EXPIRY_DAYS))
    expiring: Counter[str] = Counter()
    for since, n in _grouped(active & window, _SINCE):
        expires = expiry_date(as_date(since), None)
        if expires is not None and today <= expires <= last_day:
            expiring[month_key(expires)] += int(n)
    ending = Counter(
        {
            key: int(n)
            for key, n in _grouped(
                active & mandate.end_date.between(today, last_day), month_of(mandate.end_date)
            )
        }
    )
    return months(today, last_day), expiring, ending


def _by_status(scope: Scope) -> list[tuple[str, int]]:
    counts = dict(_grouped(scope.within(m.Mandate.administration), m.Mandate.status))
    return [(status.value, int(counts.get(status.value, 0))) for status in MandateStatus]


def mandates_report(
    actor: Actor,
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
    administration: str | None = None,
    today: dt.date | None = None,
) -> Report:
    scope = scope_for(actor, administration)
    start, end = period(date_from, date_to)
    today = today or clock_today()
    new = _new_per_month(scope, end)
    ended = _ended_per_month(scope)
    keys = months(start, end)
    coming, expiring, ending = _coming(scope, today)
    before = month_key(start)
    live = sum(n for key, n in new.items() if key < before) - sum(
        n for key, n in ended.items() if key < before
    )
    figures: dict[str, list[int | None]] = {}
    for key in keys:
        live += new[key] - ended[key]
        figures[key] = [new[key], ended[key], live, None, None]
    for key in coming:
        row = figures.setdefault(key, [None, None, None, None, None])
        row[3], row[4] = expiring[key], ending[key]
    rows = [(key, *values) for key, values in sorted(figures.items())]
    chart = Chart(
        "bar",
        "count",
        keys,
        [Series("New", [new[key] for key in keys]), Series("Ended", [ended[key] for key in keys])],
    )
    return Report(
        "mandates",
        "Mandates over time",
        start,
        end,
        scope.administration,
        Table(COLUMNS, rows),
        Table(SUMMARY_COLUMNS, list(_by_status(scope))),
        chart,
    )
