"""Read-only, paged look-ups for the lists: debtors, mandates, orders, sets, jobs.

Every query is limited to the administrations the user may see, sorts in SQL,
and returns one page of small row tuples (no model instances: lists stay fast).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import reduce
from typing import Any, Generic, TypeVar, cast

import peewee as pw

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import NotFound, ValidationError
from incasso_tui.db import interrupt
from incasso_tui.db import models as m
from incasso_tui.db.database import QueryStopped
from incasso_tui.db.statuses import MandateStatus, OrderStatus
from incasso_tui.rules.mandates import expiring_since_range, expiry_date
from incasso_tui.services import search
from incasso_tui.services.auth import Actor
from incasso_tui.services.exports.streaming import stream_tuples
from incasso_tui.services.paging import Page
from incasso_tui.services.readiness.mandate_checks import EXPIRY_HORIZON_DAYS

R = TypeVar("R")

MANDATE_VIEWS: dict[str, tuple[pw.Field[Any], bool]] = {
    # view name -> (column, descending); the keys are the screen's view keys
    "reference": (m.Mandate.reference_key, False),
    "effective": (m.Mandate.effective_date, True),
    "end": (m.Mandate.end_date, True),
    "signed": (m.Mandate.signed_date, True),
    "last_collection": (m.Mandate.last_collection_date, True),
}


@dataclass(frozen=True)
class MandateFilter:
    search: str = ""
    status: str | None = None
    scheme: str | None = None
    administration_id: int | None = None
    debtor_id: int | None = None
    view: str = "reference"
    # Only active mandates whose 36 months without a collection run out within this many
    # days (rules/mandates.py), sorted by that date.
    expiring_within: int | None = None
    today: dt.date | None = None  # for expiring_within; the clock's today when None


# The mandates screen's expiring view and the Home card: the readiness report's horizon.
EXPIRING_VIEW_DAYS = EXPIRY_HORIZON_DAYS


def expiring_condition(today: dt.date, within_days: int) -> pw.Expression:
    """Active mandates expiring within `within_days` (the Home card counts the same):
    two index-friendly halves instead of COALESCE(last collection, effective)."""
    if within_days < 1:
        raise ValidationError("expiring", "must be a number of days of at least 1", within_days)
    first, last = expiring_since_range(today, within_days)
    collected = m.Mandate.last_collection_date.between(first, last)
    never = m.Mandate.last_collection_date.is_null() & m.Mandate.effective_date.between(first, last)
    return (m.Mandate.status == MandateStatus.ACTIVE) & (collected | never)


@dataclass(frozen=True)
class MandateRow:
    id: int
    reference: str
    debtor_number: str
    debtor_name: str
    administration: str
    scheme: str
    recurrent: bool
    status: str
    signed: dt.date | None
    effective: dt.date | None
    end: dt.date | None
    last_collection: dt.date | None
    b2b_registered: bool = False
    debtor_id: int = 0
    administration_id: int = 0

    @property
    def expires(self) -> dt.date | None:
        """When an active mandate expires if not collected before (None for the others)."""
        if self.status != MandateStatus.ACTIVE:
            return None
        return expiry_date(self.effective, self.last_collection)

    def as_dict(self) -> dict:
        return asdict(self)


def _tuples(query: pw.SelectBase) -> list[tuple[Any, ...]]:
    """The rows of `query` as plain tuples (peewee's stubs type a model query's rows as the model)."""
    return cast("list[tuple[Any, ...]]", list(query.tuples()))


def _page(rows: list, offset: int, limit: int, counted: pw.Select) -> Page:
    """A page with its total. A first page that is not full already says the total. A
    screen's look-up (inside db.interrupt.interactive) gets its page at once and its count
    afterwards (Page.count), at most COUNT_CAP rows and within COUNT_SECONDS, else "more
    than"; the CLI counts exactly."""
    shown = offset + len(rows)
    if offset == 0 and len(rows) < limit:
        return Page(rows, len(rows), offset)
    if not interrupt.in_interactive():
        return Page(rows, counted.count(), offset)

    def count() -> tuple[int, bool]:
        try:
            with interrupt.time_box(COUNT_SECONDS) as box:
                total = counted.limit(COUNT_CAP + 1).count()
        except QueryStopped:
            if not interrupt.boxed_out(box):
                raise
            return shown, True
        return (COUNT_CAP, True) if total > COUNT_CAP else (total, False)

    return Page(rows, shown, offset, capped=True, count=count)


# What a screen counts before it says "more than": a count is there to tell how much a
# search found, and no one scrolls ten thousand rows.
COUNT_CAP = 10_000
COUNT_SECONDS = 2.0


@dataclass(frozen=True)
class Listing(Generic[R]):
    """A list's query for one filter, rights included, sorted: the page and the export both
    read it, and `row` maps its tuples to the list's rows (one mapping for both)."""

    query: pw.Select
    # Tuples -> rows, a batch at a time (a list may look up something for a batch, as the
    # sets list does its totals).
    rows: Callable[[list[tuple[Any, ...]]], list[R]]
    # What the page needs to count the total without the joins and the sort.
    counted: pw.Select | None = None
    condition: pw.Node | None = None

    def page(self, offset: int, limit: int) -> Page[R]:
        found = _tuples(self.query.offset(offset).limit(limit))
        if self.counted is not None and self.condition is not None:
            counted = self.counted.where(self.condition)
        else:
            counted = self.query.order_by()
        page = _page(found, offset, limit, counted)
        return Page(self.rows(found), page.total, offset, page.capped, page.count)

    def iterate(self, limit: int | None = None, batch: int = 500) -> Iterator[R]:
        """Every row (or the first `limit`), streamed: flat memory on both back-ends."""
        query = self.query if limit is None else self.query.limit(limit)
        pending: list[tuple[Any, ...]] = []
        for r in stream_tuples(query):
            pending.append(r)
            if len(pending) >= batch:
                yield from self.rows(pending)
                pending = []
        if pending:
            yield from self.rows(pending)


def per_row(row: Callable[[tuple[Any, ...]], R]) -> Callable[[list[tuple[Any, ...]]], list[R]]:
    return lambda found: [row(r) for r in found]


def _order(column: pw.Field, descending: bool) -> list:
    # Date views run newest first with NULLs last on both back-ends; written as NULLS LAST
    # (not "column IS NULL" first) so SQLite walks the column's index. The one ascending
    # view, reference, is never NULL.
    return [column.desc(nulls="LAST") if descending else column.asc()]


def search_mandates(actor: Actor, flt: MandateFilter, offset: int = 0, limit: int = 200) -> Page[MandateRow]:
    """One page of mandates. With 100,000 mandates this answers in tens of milliseconds:
    the page walks the view's index, a search finds its debtors once (a materialised CTE
    of index scans) instead of per row, and the total is only counted when the page does
    not already tell it."""
    return mandate_listing(actor, flt).page(offset, limit)


def mandate_listing(actor: Actor, flt: MandateFilter) -> Listing[MandateRow]:
    where = [actor.visible(m.Mandate.administration)]
    if flt.status:
        where.append(m.Mandate.status == flt.status)
    if flt.scheme:
        where.append(m.Mandate.scheme == flt.scheme)
    if flt.administration_id:
        where.append(m.Mandate.administration == flt.administration_id)
    if flt.debtor_id:
        where.append(m.Mandate.debtor == flt.debtor_id)
    if flt.expiring_within is not None:
        where.append(expiring_condition(flt.today or clock_today(), flt.expiring_within))
    searched = search.typed(flt.search)
    if searched:
        where.append(
            search.debtor_match(actor, searched, m.Mandate.debtor)
            | search.prefix(m.Mandate.reference_key, searched.upper)
            | search.prefix(m.Mandate.external_key, searched.upper)
        )
    condition = reduce(operator.and_, where)
    reference = pw.fn.COALESCE(m.Mandate.external_reference, m.Mandate.reference)
    column, descending = MANDATE_VIEWS.get(flt.view, MANDATE_VIEWS["reference"])
    query = m.Mandate.select(
        m.Mandate.id,
        reference,
        m.Debtor.number,
        m.Debtor.name,
        m.Mandate.administration,
        m.Mandate.scheme,
        m.Mandate.recurrent,
        m.Mandate.status,
        m.Mandate.signed_date,
        m.Mandate.effective_date,
        m.Mandate.end_date,
        m.Mandate.last_collection_date,
        m.Mandate.b2b_registered,
        m.Mandate.debtor,
    )
    if flt.expiring_within is not None:
        # Soonest expiry first: expiry_date() is the since-date plus a fixed number of days.
        order = [pw.fn.COALESCE(m.Mandate.last_collection_date, m.Mandate.effective_date).asc()]
    else:
        order = _order(column, descending)
    query = query.join(m.Debtor).where(condition).order_by(*order, m.Mandate.id)
    codes = _administration_codes()

    def row(r: tuple[Any, ...]) -> MandateRow:
        return MandateRow(*(*r[:4], codes.get(r[4], ""), *r[5:], r[4]))

    # The count joins the debtor too: a search with many matches tests the debtor's row.
    counted = m.Mandate.select(m.Mandate.id).join(m.Debtor) if searched else m.Mandate.select(m.Mandate.id)
    return Listing(query, per_row(row), counted, condition)


@dataclass(frozen=True)
class CollectionDates:
    """A mandate's collections split at today: a file's collection date may lie ahead, and
    it is no collection until that day has come."""

    last: dt.date | None  # the latest collection date on or before today
    next: dt.date | None  # the earliest collection date after today of an order in a file
    # Set when the mandate is not effective yet today but will be by its next collection:
    # why an "inactive" mandate sits in a file (the planner checks the collection date).
    active_from: dt.date | None = None


# Orders that were (or are to be) collected; a rejected or cancelled one never was.
_COLLECTED = (OrderStatus.UNDERWAY, OrderStatus.PROCESSED, OrderStatus.REVERSED)


def mandate_collection_dates(actor: Actor, mandate_id: int, today: dt.date | None = None) -> CollectionDates:
    today = today or clock_today()
    orders = m.CollectionOrder.select(pw.fn.MAX(m.CollectionOrder.collection_date)).where(
        actor.visible(m.CollectionOrder.administration)
        & (m.CollectionOrder.mandate == mandate_id)
        & m.CollectionOrder.status.in_(_COLLECTED)
    )
    last = orders.where(m.CollectionOrder.collection_date <= today).scalar()
    following = (
        m.CollectionOrder.select(pw.fn.MIN(m.CollectionOrder.collection_date))
        .where(
            actor.visible(m.CollectionOrder.administration)
            & (m.CollectionOrder.mandate == mandate_id)
            & (m.CollectionOrder.status == OrderStatus.UNDERWAY)
            & (m.CollectionOrder.collection_date > today)
        )
        .scalar()
    )
    # A last collection recorded without its orders (an import, the demo) counts once it is past.
    found = _tuples(
        m.Mandate.select(m.Mandate.last_collection_date, m.Mandate.effective_date).where(
            actor.visible(m.Mandate.administration) & (m.Mandate.id == mandate_id)
        )
    )
    recorded, effective = found[0] if found else (None, None)
    if recorded is not None and recorded <= today and (last is None or recorded > last):
        last = recorded
    pending = effective is not None and effective > today and following is not None and effective <= following
    return CollectionDates(last, following, effective if pending else None)


def _administration_codes() -> dict[int, str]:
    return {r[0]: r[1] for r in _tuples(m.Administration.select(m.Administration.id, m.Administration.code))}


@dataclass(frozen=True)
class DebtorRow:
    id: int
    number: str
    name: str
    administration: str
    town: str
    iban: str
    business: bool
    language: str
    mandates: int

    def as_dict(self) -> dict:
        return asdict(self)


def search_debtors(
    actor: Actor, text: str = "", administration_id: int | None = None, offset: int = 0, limit: int = 200
) -> Page[DebtorRow]:
    """One page of debtors; the search is the mandates list's (services/search.py)."""
    return debtor_listing(actor, text, administration_id).page(offset, limit)


def debtor_listing(actor: Actor, text: str = "", administration_id: int | None = None) -> Listing[DebtorRow]:
    condition = actor.visible(m.Debtor.administration)
    if administration_id:
        condition &= m.Debtor.administration == administration_id
    searched = search.typed(text)
    if searched:
        condition &= search.debtor_match(actor, searched, m.Debtor.id)
    mandates = m.Mandate.select(pw.fn.COUNT(m.Mandate.id)).where(m.Mandate.debtor == m.Debtor.id)
    query = m.Debtor.select(
        m.Debtor.id,
        m.Debtor.number,
        m.Debtor.name,
        m.Debtor.administration,
        m.Debtor.town,
        m.Debtor.iban,
        m.Debtor.is_business,
        m.Debtor.language,
        mandates.alias("n"),
    )
    query = query.where(condition).order_by(m.Debtor.name_key, m.Debtor.id)
    codes = _administration_codes()

    def row(r: tuple[Any, ...]) -> DebtorRow:
        return DebtorRow(r[0], r[1], r[2], codes.get(r[3], ""), *r[4:])

    return Listing(query, per_row(row), m.Debtor.select(m.Debtor.id), condition)


@dataclass(frozen=True)
class OrderLinks:
    """What an order hangs on: from a held-back order, one key to the mandate or debtor that
    blocks it."""

    order_id: int
    mandate_id: int | None  # None: the order has no mandate (that is why it is held back)
    debtor: DebtorRow


def order_links(actor: Actor, order_id: int) -> OrderLinks:
    found = _tuples(
        m.CollectionOrder.select(m.CollectionOrder.mandate, m.CollectionOrder.debtor).where(
            actor.visible(m.CollectionOrder.administration) & (m.CollectionOrder.id == order_id)
        )
    )
    if not found:
        raise NotFound("order {order_id} does not exist", order_id=order_id)
    mandate_id, debtor_id = found[0]
    listing = debtor_listing(actor)
    debtors = listing.rows(_tuples(listing.query.where(m.Debtor.id == debtor_id)))
    if not debtors:
        raise NotFound("the debtor of order {order_id} does not exist", order_id=order_id)
    return OrderLinks(order_id, mandate_id, debtors[0])


@dataclass(frozen=True)
class OrderRow:
    id: int
    administration: str
    debtor_number: str
    debtor_name: str
    invoice_number: str
    amount_cents: int
    requested_date: dt.date
    status: str
    set_id: int | None
    sequence_type: str | None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class OrderFilter:
    search: str = ""
    status: str | None = None
    administration_id: int | None = None
    bank_group_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    set_id: int | None = None
    debtor_id: int | None = None


def search_orders(actor: Actor, flt: OrderFilter, offset: int = 0, limit: int = 200) -> Page[OrderRow]:
    return order_listing(actor, flt).page(offset, limit)


def order_listing(actor: Actor, flt: OrderFilter) -> Listing[OrderRow]:
    query = (
        m.CollectionOrder.select(
            m.CollectionOrder.id,
            m.Administration.code,
            m.Debtor.number,
            m.Debtor.name,
            m.CollectionOrder.invoice_number,
            m.CollectionOrder.amount_cents,
            m.CollectionOrder.requested_date,
            m.CollectionOrder.status,
            m.CollectionOrder.collection_set,
            m.CollectionOrder.sequence_type,
        )
        .join(m.Debtor)
        .switch(m.CollectionOrder)
        .join(m.Administration)
        .where(actor.visible(m.CollectionOrder.administration))
    )
    if flt.status:
        query = query.where(m.CollectionOrder.status == flt.status)
    if flt.administration_id:
        query = query.where(m.CollectionOrder.administration == flt.administration_id)
    if flt.bank_group_id:
        accounts = m.BankAccount.select(m.BankAccount.id).where(m.BankAccount.bank_group == flt.bank_group_id)
        query = query.where(m.CollectionOrder.bank_account.in_(accounts))
    if flt.date_from:
        query = query.where(m.CollectionOrder.requested_date >= flt.date_from)
    if flt.date_to:
        query = query.where(m.CollectionOrder.requested_date <= flt.date_to)
    if flt.set_id:
        query = query.where(m.CollectionOrder.collection_set == flt.set_id)
    if flt.debtor_id:
        query = query.where(m.CollectionOrder.debtor == flt.debtor_id)
    searched = search.typed(flt.search)
    if searched:
        query = query.where(
            search.debtor_match(actor, searched, m.CollectionOrder.debtor)
            | search.prefix(m.CollectionOrder.invoice_number, searched.text)
            | search.prefix(m.CollectionOrder.end_to_end_id, searched.text)
        )
    # The total counts the filtered query as before (its joins are inner joins on required keys).
    return Listing(
        query.order_by(m.CollectionOrder.requested_date, m.CollectionOrder.id), per_row(_order_row)
    )


def _order_row(r: tuple[Any, ...]) -> OrderRow:
    return OrderRow(*r)


@dataclass(frozen=True)
class SetRow:
    id: int
    bank_group: str
    status: str
    requested_date: dt.date
    collection_date: dt.date | None
    created_by: str
    created_at: dt.datetime
    orders: int
    total_cents: int

    def as_dict(self) -> dict:
        return asdict(self)


def list_sets(actor: Actor, status: str | None = None, offset: int = 0, limit: int = 200) -> Page[SetRow]:
    """Sets holding orders the user may see, or created by the user (an empty new set)."""
    return set_listing(actor, status).page(offset, limit)


def set_listing(actor: Actor, status: str | None = None) -> Listing[SetRow]:
    visible_orders = m.CollectionOrder.select(m.CollectionOrder.collection_set).where(
        actor.visible(m.CollectionOrder.administration) & m.CollectionOrder.collection_set.is_null(False)
    )
    counts = (
        m.CollectionOrder.select(
            m.CollectionOrder.collection_set,
            pw.fn.COUNT(m.CollectionOrder.id),
            pw.fn.COALESCE(pw.fn.SUM(m.CollectionOrder.amount_cents), 0),
        )
        .where(
            actor.visible(m.CollectionOrder.administration) & m.CollectionOrder.collection_set.is_null(False)
        )
        .group_by(m.CollectionOrder.collection_set)
    )
    query = (
        m.CollectionSet.select(
            m.CollectionSet.id,
            m.BankGroup.code,
            m.CollectionSet.status,
            m.CollectionSet.requested_date,
            m.CollectionSet.collection_date,
            m.User.login,
            m.CollectionSet.created_at,
        )
        .join(m.BankGroup)
        .switch(m.CollectionSet)
        .join(m.User, on=m.CollectionSet.created_by == m.User.id)
    )
    if not actor.is_admin:
        query = query.where(
            m.CollectionSet.id.in_(visible_orders) | (m.CollectionSet.created_by == actor.user_id)
        )
    if status:
        query = query.where(m.CollectionSet.status == status)

    def rows(page: list[tuple[Any, ...]]) -> list[SetRow]:
        # The totals of just these sets: one grouped query per page (or export batch).
        ids = [r[0] for r in page]
        # int(): PostgreSQL gives SUM over a BIGINT column as numeric (a Decimal); cents are ints.
        totals = (
            {
                r[0]: (int(r[1]), int(r[2]))
                for r in _tuples(counts.where(m.CollectionOrder.collection_set.in_(ids)))
            }
            if ids
            else {}
        )
        return [SetRow(*(*r, *totals.get(r[0], (0, 0)))) for r in page]

    return Listing(query.order_by(m.CollectionSet.id.desc()), rows)


@dataclass(frozen=True)
class JobRow:
    id: int
    kind: str
    status: str
    progress: int
    message: str
    user: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    attempts: int
    error: str | None
    # Whose job it is, for the actions it allows (services.jobs.job_actions); not in as_dict,
    # so `incasso jobs list --json` prints what it always printed.
    user_id: int | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        del data["user_id"]
        return data


def list_jobs(actor: Actor, status: str | None = None, offset: int = 0, limit: int = 200) -> Page[JobRow]:
    """Admins see every job; others see their own."""
    return job_listing(actor, status).page(offset, limit)


def job_listing(actor: Actor, status: str | None = None) -> Listing[JobRow]:
    query = m.Job.select(
        m.Job.id,
        m.Job.kind,
        m.Job.status,
        m.Job.progress,
        m.Job.message,
        m.User.login,
        m.Job.created_at,
        m.Job.started_at,
        m.Job.finished_at,
        m.Job.attempts,
        m.Job.error,
        m.Job.user,
    ).join(m.User, pw.JOIN.LEFT_OUTER, on=m.Job.user == m.User.id)
    if not actor.is_admin:
        query = query.where(m.Job.user == actor.user_id)
    if status:
        query = query.where(m.Job.status == status)
    return Listing(query.order_by(m.Job.id.desc()), per_row(_job_row))


def _job_row(r: tuple[Any, ...]) -> JobRow:
    return JobRow(*r)
