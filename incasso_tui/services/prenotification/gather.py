"""Which collections a pre-notification covers, and what it says: per debtor the orders of a
set (or one order) that will be collected, each with the date the planner gives it (the set's
collection date rule, moved to a TARGET2 day) and its amount in cents.

Orders held back (no mandate, blocked, …) are left out: they will not be collected, so
telling the debtor they would be is untrue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import Refused
from incasso_tui.db import models as m
from incasso_tui.db.statuses import (
    ORDER_ALLOWS,
    SET_ALLOWS,
    OrderAction,
    OrderStatus,
    SetAction,
)
from incasso_tui.documents.formatting import one_line_address
from incasso_tui.documents.model import MANDATE_LANGUAGES, Party
from incasso_tui.documents.prenotification import NoticeLine, PreNotificationLetter
from incasso_tui.services.auth import PROCESS, Actor
from incasso_tui.services.collection.planning import Planner, iter_plan_rows, tuples


@dataclass(frozen=True)
class NoticeOrder:
    """One order as the notice states it."""

    order_id: int
    collection_date: dt.date
    amount_cents: int


@dataclass
class DebtorNotice:
    """One debtor's pre-notification: the letter, and the orders it covers."""

    debtor_id: int
    administration_id: int
    administration: str  # code
    debtor_number: str
    email: str
    letter: PreNotificationLetter
    orders: list[NoticeOrder] = field(default_factory=list)


@dataclass
class Gathered:
    set_id: int | None
    notices: list[DebtorNotice]
    held_back: int  # orders left out: they will not be collected

    @property
    def orders(self) -> int:
        return sum(len(n.orders) for n in self.notices)

    @property
    def by_email(self) -> int:
        return sum(1 for n in self.notices if n.email)


def _party(row: m.Administration | m.Debtor) -> Party:
    return Party(row.name, row.street, row.building_number, row.postcode, row.town, row.country)


def for_set(actor: Actor, set_id: int) -> Gathered:
    """A set before processing: its orders that will be collected, grouped per debtor."""
    from incasso_tui.services.collection.sets import get_set, require_processable

    cset = get_set(actor, set_id)
    require_processable(actor, cset, what=f"the pre-notifications of set {set_id}")
    if cset.status not in SET_ALLOWS[SetAction.PRENOTIFY]:
        raise Refused(
            "set {set_id} is {status}: pre-notifications are made before the set is processed",
            set_id=set_id,
            status=cset.status,
        )
    planner = Planner(cset.collection_date or cset.requested_date, keep_underway=True)
    return _gather(
        planner,
        (m.CollectionOrder.collection_set == cset.id) & (m.CollectionOrder.status == OrderStatus.OPEN),
        cset.id,
    )


def for_order(actor: Actor, order_id: int) -> Gathered:
    """One order not yet in a file: in a set, the set's date rule; alone, the earliest date its
    bank group can collect on (what `incasso order process` would give it today)."""
    from incasso_tui.services.collection.orders import get_order
    from incasso_tui.services.collection.sets import earliest_date

    order = get_order(actor, order_id)
    actor.require(PROCESS, order.administration_id, what=f"order {order_id}")
    if order.status not in ORDER_ALLOWS[OrderAction.PRENOTIFY]:
        raise Refused(
            "order {order_id} is {status}: only an order not yet processed is pre-notified",
            order_id=order_id,
            status=order.status,
        )
    cset = order.collection_set
    if cset is not None and cset.status not in SET_ALLOWS[SetAction.PRENOTIFY]:
        raise Refused(
            "order {order_id} is in set {id}, which is {status}",
            order_id=order_id,
            id=cset.id,
            status=cset.status,
        )
    if cset is not None:
        set_date = cset.collection_date or cset.requested_date
    else:
        set_date = earliest_date(order.bank_account.bank_group, clock_today())
    gathered = _gather(
        Planner(set_date, keep_underway=True),
        m.CollectionOrder.id == order.id,
        cset.id if cset is not None else None,
    )
    if not gathered.notices:
        raise Refused(
            "order {order_id} cannot be collected as it is (it is held back): no pre-notification",
            order_id=order_id,
        )
    return gathered


def _gather(planner: Planner, where, set_id: int | None) -> Gathered:
    planned: list[tuple[int, dt.date, int]] = []  # order id, date, cents
    held = 0
    for row in iter_plan_rows(where):
        plan = planner.plan(row)
        if plan.hold is not None:
            held += 1
            continue
        planned.append((plan.id, plan.collection_date, plan.amount_cents))
    return Gathered(set_id, notices_for(planned), held)


_CHUNK = 2000


def notices_for(planned: list[tuple[int, dt.date, int]]) -> list[DebtorNotice]:
    """Per debtor the letter stating (order id, date, cents) of each planned order."""
    dates = {oid: (day, cents) for oid, day, cents in planned}
    rows: list[tuple] = []
    ids = sorted(dates)
    for i in range(0, len(ids), _CHUNK):
        rows += tuples(
            m.CollectionOrder.select(
                m.CollectionOrder.id,
                m.CollectionOrder.debtor,
                m.CollectionOrder.administration,
                m.CollectionOrder.bank_account,
                m.CollectionOrder.remittance,
                m.Mandate.reference,
                m.Mandate.external_reference,
                m.Mandate.scheme,
            )
            .join(m.Mandate, on=m.CollectionOrder.mandate == m.Mandate.id)
            .where(m.CollectionOrder.id.in_(ids[i : i + _CHUNK]))
        )
    debtor_ids = {r[1] for r in rows}
    debtors = _by_id(m.Debtor, debtor_ids)
    adms = _by_id(m.Administration, {r[2] for r in rows})
    accounts = _by_id(m.BankAccount, {r[3] for r in rows})
    today = clock_today()
    grouped: dict[int, list[tuple]] = {}
    for row in sorted(rows, key=lambda r: (dates[r[0]][0], r[0])):
        grouped.setdefault(row[1], []).append(row)
    notices: list[DebtorNotice] = []
    for debtor_id, orders in grouped.items():
        debtor = debtors[debtor_id]
        adm = adms[orders[0][2]]
        account = accounts[orders[0][3]]
        language = debtor.language if debtor.language in MANDATE_LANGUAGES else "nl"
        creditor = _party(adm)
        lines = tuple(
            NoticeLine(
                mandate_reference=ext or ref,
                collection_date=dates[oid][0],
                amount_cents=dates[oid][1],
                remittance=remittance or "",
                scheme=scheme,
            )
            for oid, _d, _a, _b, remittance, ref, ext, scheme in orders
        )
        letter = PreNotificationLetter(
            language=language,
            creditor=creditor,
            creditor_id=adm.creditor_id,
            contact=account.letter_contact or one_line_address(creditor, language),
            debtor=_party(debtor),
            debtor_number=debtor.number,
            debtor_iban=debtor.iban,
            letter_date=today,
            lines=lines,
        )
        notices.append(
            DebtorNotice(
                debtor_id,
                adm.id,
                adm.code,
                debtor.number,
                (debtor.email or "").strip(),
                letter,
                [NoticeOrder(r[0], *dates[r[0]]) for r in orders],
            )
        )
    notices.sort(key=lambda n: (n.administration, n.debtor_number))
    return notices


def _by_id(model, ids: Iterable[int]) -> dict:
    wanted = sorted(set(ids))
    found = {}
    for i in range(0, len(wanted), _CHUNK):
        for row in model.select().where(model.id.in_(wanted[i : i + _CHUNK])):
            found[row.id] = row
    return found


__all__ = ["DebtorNotice", "Gathered", "NoticeOrder", "for_order", "for_set", "notices_for"]
