"""A second look before the irreversible: what processing or sending a set would do.

Processing writes files the bank will collect from; sending hands them over. Before either,
the user sees the orders, the total, the collection dates, the number of files (after
splitting over the bank group's per-file maximum), the bank group and where the files go.
Read-only: the same rights as the action itself (the whole set, the right to process).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import peewee as pw

from incasso_tui.core.errors import Refused
from incasso_tui.db import models as m
from incasso_tui.db.statuses import ORDER_IN_FILE, SET_ALLOWS, OrderStatus, SetAction, SetStatus
from incasso_tui.rules.bank_profiles import max_per_file
from incasso_tui.services.auth import Actor
from incasso_tui.services.collection.planning import Planner, iter_plan_rows, tuples
from incasso_tui.services.collection.sets import get_set, require_processable
from incasso_tui.services.collection.splitting import pack


@dataclass(frozen=True)
class SecondLook:
    set_id: int
    action: str  # "process" or "send"
    bank_group: str
    bank_group_name: str
    orders: int
    total_cents: int
    held_back: int  # orders of the set a processing leaves out (with a reason)
    dates: list[tuple[dt.date, int]]  # collection date, orders on it
    files: int
    max_per_file: int | None
    delivery_dir: str | None
    send_command: list[str] | None
    already_sent: bool  # re-processing a sent set: the bank may collect twice
    file_names: list[str] = field(default_factory=list)


def _group_facts(cset: m.CollectionSet) -> dict:
    group = cset.bank_group
    return {
        "bank_group": group.code,
        "bank_group_name": group.name,
        "delivery_dir": group.delivery_dir or None,
        "send_command": list(group.send_command) if group.send_command else None,
        "max_per_file": max_per_file(group.profile, group.max_per_file),
    }


def process_preview(actor: Actor, set_id: int) -> SecondLook:
    """What `processing.process_set` would put in files now (planned as processing plans)."""
    cset = get_set(actor, set_id)
    require_processable(actor, cset)
    if cset.status not in SET_ALLOWS[SetAction.PROCESS]:
        raise Refused(
            "set {set_id} is {status}: it cannot be processed now", set_id=set_id, status=cset.status
        )
    facts = _group_facts(cset)
    planner = Planner(cset.collection_date or cset.requested_date, keep_underway=True)
    batches: Counter[tuple] = Counter()  # one PmtInf per account, scheme, sequence type, date
    dates: Counter[dt.date] = Counter()
    orders = cents = held = 0
    for row in iter_plan_rows(
        (m.CollectionOrder.collection_set == cset.id) & m.CollectionOrder.status.in_(ORDER_IN_FILE)
    ):
        plan = planner.plan(row)
        if plan.hold is not None:
            held += 1
            continue
        orders += 1
        cents += plan.amount_cents
        dates[plan.collection_date] += 1
        batches[(plan.bank_account_id, plan.scheme, plan.sequence_type, plan.collection_date)] += 1
    keys = sorted(batches, key=repr)
    files = sum(
        len(pack([(k, batches[k]) for k in keys if k[1] == scheme], facts["max_per_file"]))
        for scheme in sorted({str(k[1]) for k in keys})
    )
    return SecondLook(
        cset.id,
        "process",
        orders=orders,
        total_cents=cents,
        held_back=held,
        dates=sorted(dates.items()),
        files=files,
        already_sent=cset.status == SetStatus.SENT,
        **facts,
    )


def send_preview(actor: Actor, set_id: int) -> SecondLook:
    """What `sending.send_set` would hand to the bank: the set's current files."""
    cset = get_set(actor, set_id)
    require_processable(actor, cset)
    if cset.status not in SET_ALLOWS[SetAction.SEND]:
        raise Refused(
            "set {set_id} is {status}: only a processed set can be sent", set_id=set_id, status=cset.status
        )
    files = [f for f in (cset.files or []) if not f.get("superseded")]
    dates = Counter(
        {
            day: n
            for day, n in tuples(
                m.CollectionOrder.select(m.CollectionOrder.collection_date, pw.fn.COUNT(m.CollectionOrder.id))
                .where(
                    (m.CollectionOrder.collection_set == cset.id)
                    & (m.CollectionOrder.status == OrderStatus.UNDERWAY)
                )
                .group_by(m.CollectionOrder.collection_date)
            )
            if day is not None
        }
    )
    return SecondLook(
        cset.id,
        "send",
        orders=sum(int(f.get("count", 0)) for f in files),
        total_cents=sum(int(f.get("total_cents", 0)) for f in files),
        held_back=0,
        dates=sorted(dates.items()),
        files=len(files),
        already_sent=False,
        file_names=[str(f.get("name", "")) for f in files],
        **_group_facts(cset),
    )
