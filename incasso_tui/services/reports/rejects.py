"""R-transactions by reason code and month, with the reject rate: R-transactions ÷ collections
of the month (and of the whole period), the figure banks watch.

The month of an R-transaction is its own date (the bank's); the collections are the orders
collected in that month (collected.py). Feedback on an order counts in the order's
administration, feedback that matched none in the one stored with it (as the feedback list
shows it). Two GROUP BYs in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import peewee as pw

from incasso_tui.db import models as m
from incasso_tui.services.auth import Actor
from incasso_tui.services.feedback.codes import reason_name

# The feedback list's own rule for whose feedback is whose: reused, not restated.
from incasso_tui.services.feedback.rtransactions import feedback_administration, visible_feedback
from incasso_tui.services.reports.collected import collected_by_day
from incasso_tui.services.reports.common import (
    CENTS,
    COUNT,
    MONTH,
    RATE,
    TEXT,
    Chart,
    Column,
    Report,
    Series,
    Table,
    rate,
)
from incasso_tui.services.reports.months import month_key, month_of, months, period
from incasso_tui.services.reports.scope import Scope, scope_for

COLUMNS = (
    Column("month", "Month", MONTH),
    Column("reason_code", "Reason code", TEXT),
    Column("reason", "Reason", TEXT),
    Column("r_transactions", "R-transactions", COUNT),
    Column("amount_cents", "Amount", CENTS),
    Column("share", "Of collections", RATE),
)
SUMMARY_COLUMNS = (
    Column("month", "Month", MONTH),
    Column("collections", "Collections", COUNT),
    Column("r_transactions", "R-transactions", COUNT),
    Column("amount_cents", "Amount", CENTS),
    Column("reject_rate", "Reject rate", RATE),
)


def _feedback_by_code(scope: Scope, start: dt.date, end: dt.date) -> list[tuple[str, str, int, int]]:
    feedback, order = m.BankFeedback, m.CollectionOrder
    where = visible_feedback(scope.actor) & feedback.date.between(start, end)
    if scope.administration_id is not None:
        where &= feedback_administration() == scope.administration_id
    month = month_of(feedback.date)
    query = (
        feedback.select(
            month, feedback.reason_code, pw.fn.COUNT(feedback.id), pw.fn.SUM(feedback.amount_cents)
        )
        .join(order, pw.JOIN.LEFT_OUTER, on=feedback.order == order.id)
        .where(where)
        .group_by(month, feedback.reason_code)
    )
    return [
        (r[0], r[1], int(r[2]), int(r[3] or 0)) for r in cast("Iterable[tuple[Any, ...]]", query.tuples())
    ]


def _collections(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    for day, _adm, _account, _status, n, _cents in collected_by_day(scope, start, end):
        counts[month_key(day)] = counts.get(month_key(day), 0) + n
    return counts


def rejects_report(
    actor: Actor,
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
    administration: str | None = None,
    language: str = "en",
) -> Report:
    scope = scope_for(actor, administration)
    start, end = period(date_from, date_to)
    by_code = sorted(_feedback_by_code(scope, start, end))
    collections = _collections(scope, start, end)
    rows = [
        (month, code, reason_name(code, language), n, cents, rate(n, collections.get(month, 0)))
        for month, code, n, cents in by_code
    ]
    keys = months(start, end)
    counts = {key: [0, 0] for key in keys}
    for month, _code, n, cents in by_code:
        counts[month][0] += n
        counts[month][1] += cents
    summary = [
        (key, collections.get(key, 0), n, cents, rate(n, collections.get(key, 0)))
        for key, (n, cents) in counts.items()
    ]
    all_collections = sum(collections.values())
    all_r = sum(n for n, _ in counts.values())
    summary.append(
        ("total", all_collections, all_r, sum(c for _, c in counts.values()), rate(all_r, all_collections))
    )
    chart = Chart("line", "rate", keys, [Series("Reject rate", [row[4] or 0.0 for row in summary[:-1]])])
    return Report(
        "rejects",
        "R-transactions and reject rate",
        start,
        end,
        scope.administration,
        Table(COLUMNS, rows),
        Table(SUMMARY_COLUMNS, summary),
        chart,
    )
