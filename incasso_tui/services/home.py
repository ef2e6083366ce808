"""The figures on the home screen, within the user's rights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

import peewee as pw

from incasso_tui.core.clock import today as clock_today
from incasso_tui.db import models as m
from incasso_tui.db.statuses import OrderStatus, SetStatus
from incasso_tui.services.auth import Actor


@dataclass(frozen=True)
class HomeCounts:
    mandates_by_status: dict[str, int] = field(default_factory=dict)
    mandates_expiring_60d: int = 0
    orders_open: int = 0
    sets_to_process: int = 0
    sets_to_send: int = 0
    jobs_by_status: dict[str, int] = field(default_factory=dict)
    blocked_by_feedback_30d: int = 0
    feedback_to_decide: int = 0


def home_counts(actor: Actor, today: dt.date | None = None) -> HomeCounts:
    today = today or clock_today()
    by_status = dict(
        cast(
            "Iterable[tuple[str, int]]",
            m.Mandate.select(m.Mandate.status, pw.fn.COUNT(m.Mandate.id))
            .where(actor.visible(m.Mandate.administration))
            .group_by(m.Mandate.status)
            .tuples(),
        )
    )
    # Active mandates whose 36-month window closes within 60 days (the readiness report's
    # window); the mandates screen's expiring view lists exactly these.
    from incasso_tui.services.browse import EXPIRING_VIEW_DAYS, expiring_condition

    expiring = (
        m.Mandate.select()
        .where(actor.visible(m.Mandate.administration) & expiring_condition(today, EXPIRING_VIEW_DAYS))
        .count()
    )
    orders_open = (
        m.CollectionOrder.select()
        .where(
            actor.visible(m.CollectionOrder.administration) & (m.CollectionOrder.status == OrderStatus.OPEN)
        )
        .count()
    )
    from incasso_tui.services.browse import list_sets

    to_process = list_sets(actor, status=SetStatus.OPEN, limit=1).total
    to_send = list_sets(actor, status=SetStatus.PROCESSED, limit=1).total
    from incasso_tui.services.feedback.rtransactions import blocked_by_feedback, open_decisions
    from incasso_tui.services.jobs import queue_counts

    return HomeCounts(
        by_status,
        expiring,
        orders_open,
        to_process,
        to_send,
        queue_counts(actor),
        blocked_by_feedback(actor, days=30),
        open_decisions(actor),
    )
