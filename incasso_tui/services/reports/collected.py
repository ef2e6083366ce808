"""Collected per month: count and amount per administration and bank account, with the part
rejected (before settlement) and reversed (returned, refunded or reversed after it).

Collected = every order that went out in a file: underway, processed, and the rejected and
reversed ones (they went out too). The month is the collection date's. The database groups
the orders per day, account and status (collected_by_day); Python adds up those few thousand
rows into months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import peewee as pw

from incasso_tui.db import models as m
from incasso_tui.db.database import as_date
from incasso_tui.db.statuses import OrderStatus
from incasso_tui.services.auth import Actor
from incasso_tui.services.reports.common import (
    CENTS,
    COUNT,
    MONTH,
    TEXT,
    Chart,
    Column,
    Report,
    Series,
    Table,
)
from incasso_tui.services.reports.months import add_months, month_key, months, period
from incasso_tui.services.reports.scope import Scope, scope_for

# Orders that went out in a file.
COLLECTED = (OrderStatus.UNDERWAY, OrderStatus.PROCESSED, OrderStatus.REJECTED, OrderStatus.REVERSED)

_FIGURES = (
    Column("collections", "Collections", COUNT),
    Column("amount_cents", "Amount", CENTS),
    Column("rejected", "Rejected", COUNT),
    Column("rejected_cents", "Rejected amount", CENTS),
    Column("reversed", "Reversed", COUNT),
    Column("reversed_cents", "Reversed amount", CENTS),
    Column("net_cents", "Net collected", CENTS),
)
COLUMNS = (
    Column("month", "Month", MONTH),
    Column("administration", "Administration", TEXT),
    Column("bank_account", "Bank account", TEXT),
    *_FIGURES,
)
SUMMARY_COLUMNS = (Column("month", "Month", MONTH), *_FIGURES)
# Where a status's count and amount go in a row of figures.
_PART = {OrderStatus.REJECTED.value: 2, OrderStatus.REVERSED.value: 4}


def collected_where(scope: Scope, start: dt.date, end: dt.date) -> pw.Node:
    """The orders collected from `start` to `end` in the scope (the rejects report's
    denominator too)."""
    order = m.CollectionOrder
    return (
        scope.within(order.administration)
        & order.status.in_(COLLECTED)
        & order.collection_date.between(start, end)
    )


def collected_by_day(
    scope: Scope, start: dt.date, end: dt.date
) -> list[tuple[dt.date, int, int, str, int, int]]:
    """(collection date, administration id, bank account id, status, count, cents) of the
    collected orders: plain columns, so with the index on (collection_date, administration,
    bank_account, status, amount_cents) SQLite answers from the index alone, in its order (no
    sort); a month expression or CASE per row costs more than the few thousand rows it saves."""
    order = m.CollectionOrder
    keys = (order.collection_date, order.administration, order.bank_account, order.status)
    query = (
        order.select(*keys, pw.fn.COUNT(order.id), pw.fn.SUM(order.amount_cents))
        .where(collected_where(scope, start, end))
        .group_by(*keys)
    )
    # int(): PostgreSQL sums a BIGINT as numeric (a Decimal); cents are ints.
    return [
        (_day(r[0]), r[1], r[2], r[3], int(r[4]), int(r[5] or 0))
        for r in cast("Iterable[tuple[Any, ...]]", query.tuples())
    ]


def _day(value: Any) -> dt.date:
    day = as_date(value)
    assert day is not None  # collected orders have a collection date
    return day


def _grouped(scope: Scope, start: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
    """(month, administration id, bank account id, n, cents, rejected n, cents, reversed n,
    cents), rolled up from the days."""
    sums: dict[tuple[str, int, int], list[int]] = {}
    for day, adm, account, status, n, cents in collected_by_day(scope, start, end):
        row = sums.setdefault((month_key(day), adm, account), [0] * 6)
        row[0] += n
        row[1] += cents
        if status in _PART:
            row[_PART[status]] += n
            row[_PART[status] + 1] += cents
    return [(*key, *figures) for key, figures in sums.items()]


def _figures(count: int, cents: int, rej: int, rej_cents: int, rev: int, rev_cents: int) -> tuple[int, ...]:
    return count, cents, rej, rej_cents, rev, rev_cents, cents - rej_cents - rev_cents


def collected_report(
    actor: Actor,
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
    administration: str | None = None,
) -> Report:
    scope = scope_for(actor, administration)
    start, end = period(date_from, date_to)
    grouped = _grouped(scope, start, end)
    codes = dict(
        cast(
            "Iterable[tuple[int, str]]",
            m.Administration.select(m.Administration.id, m.Administration.code).tuples(),
        )
    )
    ibans = dict(
        cast("Iterable[tuple[int, str]]", m.BankAccount.select(m.BankAccount.id, m.BankAccount.iban).tuples())
    )
    rows = sorted(
        (month, codes.get(adm, ""), ibans.get(account, ""), *_figures(*figures))
        for month, adm, account, *figures in grouped
    )
    keys = months(start, end)
    per_month = {key: [0] * 6 for key in keys}
    for month, _adm, _account, *figures in grouped:
        per_month[month] = [a + b for a, b in zip(per_month[month], figures, strict=True)]
    summary = [(key, *_figures(*per_month[key])) for key in keys]
    totals = [sum(row[i] for row in per_month.values()) for i in range(6)]
    summary.append(("total", *_figures(*totals)))
    chart = Chart(
        "stacked",
        "cents",
        keys,
        [
            Series("Net collected", [_figures(*per_month[key])[6] for key in keys]),
            Series("Rejected", [per_month[key][3] for key in keys]),
            Series("Reversed", [per_month[key][5] for key in keys]),
        ],
    )
    return Report(
        "collected",
        "Collected per month",
        start,
        end,
        scope.administration,
        Table(COLUMNS, rows),
        Table(SUMMARY_COLUMNS, summary),
        chart,
    )


def collected_trend(actor: Actor, n_months: int = 12, today: dt.date | None = None) -> list[tuple[str, int]]:
    """(month, amount collected in cents) for the last `n_months` months up to today: the
    Home screen's trend. One small GROUP BY on the collection date."""
    end = today or period()[1]
    start = add_months(end, 1 - n_months)
    amounts = dict.fromkeys(months(start, end), 0)
    for day, _adm, _account, _status, _n, cents in collected_by_day(scope_for(actor), start, end):
        amounts[month_key(day)] += cents
    return list(amounts.items())
