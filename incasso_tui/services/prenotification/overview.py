"""What a set's debtors were told: the counts per channel and status (cheap, for the set's
page), each order's last notice (for the order rows shown), and the check before processing:
every order to be collected without a notice sent in time, or whose date or amount changed
after it (rules/prenotification.py decides; a warning, never a refusal)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import peewee as pw

from incasso_tui.db import models as m
from incasso_tui.db.statuses import ORDER_IN_FILE, SET_HAS_FILES, OrderStatus, PreNotificationStatus
from incasso_tui.rules.prenotification import PROBLEM_TEXT, Notice, NoticeProblem, notice_problem
from incasso_tui.services.collection.planning import Planner, iter_plan_rows, tuples

_SENT = PreNotificationStatus.SENT


def set_summary(set_id: int) -> dict[str, Any]:
    """Orders with a notice sent, per channel; e-mails not (yet) sent per status; the last one."""
    pn = m.PreNotification
    by: dict[str, dict[str, int]] = {}
    for channel, status, orders in tuples(
        pn.select(pn.channel, pn.status, pw.fn.COUNT(pw.fn.DISTINCT(pn.order)))
        .where(pn.collection_set == set_id)
        .group_by(pn.channel, pn.status)
    ):
        by.setdefault(status, {})[channel] = orders
    notified = (
        pn.select(pw.fn.COUNT(pw.fn.DISTINCT(pn.order)))
        .where((pn.collection_set == set_id) & (pn.status == _SENT))
        .scalar()
    )
    last = (
        pn.select(pw.fn.MAX(pn.sent_at)).where((pn.collection_set == set_id) & (pn.status == _SENT)).scalar()
    )
    return {
        "orders_notified": int(notified or 0),
        "sent_by_channel": by.get(_SENT, {}),
        "email_pending": sum(by.get(s, {}).get("email", 0) for s in ("pending", "sending")),
        "email_unknown": by.get("unknown", {}).get("email", 0),
        "email_failed": by.get("failed", {}).get("email", 0),
        "last_sent_at": last,
    }


def order_marks(order_ids: Iterable[int]) -> dict[int, str]:
    """Per order its last notice sent, e.g. 'email 2026-11-24' (for a few shown rows)."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    pn = m.PreNotification
    marks: dict[int, tuple[dt.datetime, str]] = {}
    for order_id, channel, sent_at in tuples(
        pn.select(pn.order, pn.channel, pn.sent_at)
        .where(pn.order.in_(ids) & (pn.status == _SENT))
        .order_by(pn.id)
    ):
        if order_id not in marks or sent_at >= marks[order_id][0]:
            marks[order_id] = (sent_at, channel)
    return {oid: f"{channel} {sent_at:%Y-%m-%d}" for oid, (sent_at, channel) in marks.items()}


@dataclass
class NoticeCheck:
    """The orders a processing would collect whose notice is missing, late or no longer true."""

    orders: int  # orders checked (to be collected)
    problems: int
    by_problem: dict[str, int] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)  # the first `limit`, with the debtor

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        """One English line per listed order (the CLI's warning lines)."""
        return [
            f"order {r['order_id']} {r['administration']} {r['debtor_number']} {r['debtor_name']}: {r['text']}"
            for r in self.rows
        ]


def _latest_notices(set_id: int) -> dict[int, Notice]:
    """Per order of the set the last notice sent (a later notice replaces what an earlier one
    said): one query joined on the set, no list of the set's order ids."""
    pn, order = m.PreNotification, m.CollectionOrder
    found: dict[int, tuple[dt.datetime, Notice]] = {}
    for order_id, sent_at, created_at, stated, cents in tuples(
        pn.select(pn.order, pn.sent_at, pn.created_at, pn.collection_date, pn.amount_cents)
        .join(order, on=(pn.order == order.id))
        .where((order.collection_set == set_id) & (pn.status == _SENT))
        .order_by(pn.id)
    ):
        at = sent_at or created_at
        if order_id not in found or at >= found[order_id][0]:  # the same second: the later row
            found[order_id] = (at, Notice(at.date(), stated, int(cents)))
    return {oid: notice for oid, (_at, notice) in found.items()}


def check_set(set_id: int, limit: int = 100) -> NoticeCheck:
    """Before processing: per order to be collected (not held back) its planned date; after
    processing: the date in its file. Against the last notice and the administration's
    pre_notification_days. Streams the orders: memory does not grow with the set."""
    cset = m.CollectionSet.get_by_id(set_id)
    return _check(_planned(cset), _latest_notices(set_id), limit)


def _planned(cset: m.CollectionSet) -> Iterator[tuple[int, int, dt.date, int]]:
    """(order, administration, date, cents) of each order the set collects."""
    if cset.status in SET_HAS_FILES:
        yield from tuples(
            m.CollectionOrder.select(
                m.CollectionOrder.id,
                m.CollectionOrder.administration,
                m.CollectionOrder.collection_date,
                m.CollectionOrder.amount_cents,
            ).where(
                (m.CollectionOrder.collection_set == cset.id)
                & m.CollectionOrder.status.in_([OrderStatus.UNDERWAY, OrderStatus.PROCESSED])
            )
        )
        return
    planner = Planner(cset.collection_date or cset.requested_date, keep_underway=True)
    for row in iter_plan_rows(
        (m.CollectionOrder.collection_set == cset.id) & m.CollectionOrder.status.in_(ORDER_IN_FILE)
    ):
        plan = planner.plan(row)
        if plan.hold is None:
            yield plan.id, plan.administration_id, plan.collection_date, plan.amount_cents


def _check(
    planned: Iterable[tuple[int, int, dt.date, int]], notices: dict[int, Notice], limit: int
) -> NoticeCheck:
    days: dict[int, int] = dict(
        tuples(m.Administration.select(m.Administration.id, m.Administration.pre_notification_days))
    )
    found: list[tuple[int, int, NoticeProblem, dt.date, int]] = []
    counts: Counter[str] = Counter()
    orders = 0
    for oid, adm, day, cents in planned:
        orders += 1
        problem = notice_problem(notices.get(oid), day, cents, days.get(adm, 14))
        if problem is not None:
            counts[problem] += 1
            if len(found) < limit:
                found.append((oid, adm, problem, day, cents))
    return NoticeCheck(orders, sum(counts.values()), dict(counts), _describe(found, notices, days))


def _describe(
    found: list[tuple[int, int, NoticeProblem, dt.date, int]],
    notices: dict[int, Notice],
    days: dict[int, int],
) -> list[dict[str, Any]]:
    if not found:
        return []
    who = {
        oid: (code, number, name)
        for oid, code, number, name in tuples(
            m.CollectionOrder.select(
                m.CollectionOrder.id, m.Administration.code, m.Debtor.number, m.Debtor.name
            )
            .join(m.Debtor, on=m.CollectionOrder.debtor == m.Debtor.id)
            .switch(m.CollectionOrder)
            .join(m.Administration, on=m.CollectionOrder.administration == m.Administration.id)
            .where(m.CollectionOrder.id.in_([f[0] for f in found]))
        )
    }
    rows = []
    for oid, adm, problem, day, cents in found:
        notice = notices.get(oid)
        code, number, name = who.get(oid, ("?", "?", "?"))
        rows.append(
            {
                "order_id": oid,
                "administration": code,
                "debtor_number": number,
                "debtor_name": name,
                "problem": str(problem),
                "text": PROBLEM_TEXT[problem].format(days=days.get(adm, 14)),
                "days": days.get(adm, 14),
                "collection_date": day,
                "amount_cents": cents,
                "notified_on": notice.notified_on if notice else None,
                "stated_date": notice.stated_date if notice else None,
                "stated_amount_cents": notice.stated_amount_cents if notice else None,
            }
        )
    return rows
