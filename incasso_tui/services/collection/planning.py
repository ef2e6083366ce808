"""Planning a set's orders: the rows the planner reads, and what each order becomes in the file
(sequence type, adjusted collection date) or why it is held back. Shared by creating,
consulting and processing a set. Also the bank accounts' contract limits (sepa-rules §7):
per transaction (an order over it is held back) and per calendar month (a set that would
go over it is refused, see `month_limit_problems`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import peewee as pw

from incasso_tui.core.money import amount_text
from incasso_tui.db import models as m
from incasso_tui.db.database import as_date, database
from incasso_tui.db.statuses import OrderStatus
from incasso_tui.rules.addresses import has_usable_address, needs_address, outside_eea
from incasso_tui.rules.mandates import Hold, hold_reason
from incasso_tui.sepa import (
    ONE_OFF,
    RECURRENT,
    SepaError,
    choose_sequence_type,
    iban_is_valid,
    is_target_day,
    next_target_day,
)
from incasso_tui.sepa.validate import MAX_AMOUNT_CENTS

CHUNK = 5000
# Ids per UPDATE: bound as one parameter (`db.bound_list.ids_in`), so a statement costs little to bind and
# is reused; larger parts mean fewer statements (a JSON text of ~0.5 MB at most).
UPDATE_CHUNK = 50_000


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


# --------------------------------------------------------------------------- planning

# The columns the eligibility check and the processing plan read, as one tuple per order.
PLAN_COLUMNS = (
    m.CollectionOrder.id,
    m.CollectionOrder.administration,
    m.CollectionOrder.bank_account,
    m.CollectionOrder.debtor,
    m.CollectionOrder.invoice_type,
    m.CollectionOrder.mandate,
    m.CollectionOrder.amount_cents,
    m.CollectionOrder.requested_date,
    m.CollectionOrder.status,
    m.CollectionOrder.sequence_type,
    m.Mandate.status,
    m.Mandate.scheme,
    m.Mandate.b2b_registered,
    m.Mandate.effective_date,
    m.Mandate.end_date,
    m.Mandate.last_collection_date,
    m.Mandate.recurrent,
    m.Mandate.collected,
    m.Mandate.final_pending,
    m.Mandate.final_collected,
    m.Debtor.iban,
    m.Administration.sequence_policy,
    m.CollectionOrder.collection_date,
    m.CollectionOrder.final,
    m.Debtor.country,
    m.Debtor.town,
)
PLAN_LAST = next(i for i, c in enumerate(PLAN_COLUMNS) if c is m.Mandate.last_collection_date)


@dataclass(slots=True)
class PlannedOrder:
    id: int
    administration_id: int
    bank_account_id: int
    mandate_id: int | None
    amount_cents: int
    requested_date: dt.date
    status: str
    collection_date: dt.date
    scheme: str | None
    sequence_type: str | None
    hold: Hold | None


def order_date(requested: dt.date, set_date: dt.date) -> dt.date:
    """The collection date of an order in a set: its requested date, not before the set's
    date (which is already a possible date), moved to the next TARGET2 day."""
    day = max(requested, set_date)
    return day if is_target_day(day) else next_target_day(day)


def _plan_query(where: pw.Node):
    return (
        m.CollectionOrder.select(*PLAN_COLUMNS)
        .join(m.Mandate, pw.JOIN.LEFT_OUTER, on=(m.CollectionOrder.mandate == m.Mandate.id))
        .switch(m.CollectionOrder)
        .join(m.Debtor, on=(m.CollectionOrder.debtor == m.Debtor.id))
        .switch(m.CollectionOrder)
        .join(m.Administration, on=(m.CollectionOrder.administration == m.Administration.id))
        .where(where)
        .order_by(m.CollectionOrder.id)
    )


def raw_rows(query: pw.BaseQuery) -> list[tuple[Any, ...]]:
    """All rows of a query as plain DB-API tuples (no per-field conversion: fast); dates and
    booleans are converted by the caller where needed."""
    rows: list[tuple[Any, ...]] = database.execute(query).fetchall()
    return rows


def tuples(query: pw.BaseQuery) -> Iterator[tuple[Any, ...]]:
    """`query.tuples()` (peewee converts each field), typed as what it yields: peewee's stubs
    say model instances."""
    return iter(query.tuples())


_PLAN_DATES = (7, 13, 14, 15, 22)
# Read once per order by the planner: a plain module constant, not an enum attribute look-up.
_UNDERWAY: str = OrderStatus.UNDERWAY


def iter_plan_rows(where: pw.Node) -> Iterator[tuple]:
    """Rows in id order, fetched in chunks (keyset): no cursor stays open between chunks, so
    the caller may write (progress, heartbeat) while iterating, on SQLite and PostgreSQL."""
    last = 0
    while True:
        rows = raw_rows(_plan_query(where & (m.CollectionOrder.id > last)).limit(CHUNK))
        if not rows:
            return
        for raw in rows:
            row = list(raw)
            for i in _PLAN_DATES:
                row[i] = as_date(row[i])
            yield tuple(row)
        last = rows[-1][0]


def euro(cents: int) -> str:
    """€ 1.234,56: how the limits' messages show amounts (the CLI's notation)."""
    return "€ " + amount_text(cents, "nl")


class IdSet:
    """A set of non-negative ids as a bitmap: one bit per id up to the largest, where a set
    of Python ints costs ~60 bytes an id (1M mandates: 125 KB instead of ~60 MB)."""

    __slots__ = ("_bits",)

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, i: int) -> None:
        if i < 0:
            raise ValueError(f"ids are not negative, got {i}")
        byte = i >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))  # doubling
        self._bits[byte] |= 1 << (i & 7)

    def __contains__(self, i: object) -> bool:
        if not isinstance(i, int) or i < 0:
            return False
        byte = i >> 3
        return byte < len(self._bits) and bool(self._bits[byte] >> (i & 7) & 1)


class Planner:
    """Decides per order: collection date, sequence type, or why it is held back.

    Stateful across one set: a mandate gets at most one FRST (later ones RCUR), a one-off
    mandate and a final (FNAL) collection at most one order.
    """

    def __init__(self, set_date: dt.date, *, keep_underway: bool = True):
        self.set_date = set_date
        self.keep_underway = keep_underway
        self.used = IdSet()  # mandates given a collection in this set
        self.final = IdSet()
        # Per order these repeat: few requested dates, few (IBAN country, address country) pairs.
        self._dates: dict[dt.date, dt.date] = {}
        self._needs_address: dict[tuple[str, str], bool] = {}
        # The contracts' maximum per transaction: bank account id -> (IBAN, cents); few rows.
        self.max_transaction: dict[int, tuple[str, int]] = {
            account_id: (iban, cents)
            for account_id, iban, cents in tuples(
                m.BankAccount.select(
                    m.BankAccount.id, m.BankAccount.iban, m.BankAccount.max_per_transaction_cents
                ).where(m.BankAccount.max_per_transaction_cents.is_null(False))
            )
        }

    def plan(self, row: tuple) -> PlannedOrder:
        (
            oid,
            adm_id,
            account_id,
            _debtor_id,
            _itype_id,
            mandate_id,
            cents,
            requested,
            status,
            stored_seq,
            mstatus,
            scheme,
            b2b_reg,
            effective,
            end,
            last,
            recurrent,
            collected,
            final_pending,
            final_collected,
            debtor_iban,
            policy,
            stored_date,
            order_final,
            country,
            town,
        ) = row
        day = self._dates.get(requested)
        if day is None:
            day = self._dates[requested] = order_date(requested, self.set_date)
        hold: Hold | None = None
        seq = None
        if status == _UNDERWAY and self.keep_underway and stored_seq:
            # Already in this set's file: keep what the file said (re-processing is identical).
            seq = stored_seq
            day = stored_date or day
        elif mandate_id is None:
            hold = Hold("no_mandate", "no mandate")
        else:
            hold = hold_reason(
                on_date=day,
                status=mstatus,
                scheme=scheme,
                b2b_registered=b2b_reg,
                effective=effective,
                end=end,
                last_collection=last,
                recurrent=recurrent,
                collected=collected,
                final_collected=final_collected,
            )
            if hold is None and mandate_id in self.used and not recurrent:
                hold = Hold("one_off_in_set", "one-off mandate already collected in this set")
            if hold is None and mandate_id in self.final:
                hold = Hold("final_in_set", "final collection (FNAL) already in this set")
            if hold is None:
                if not debtor_iban:
                    hold = Hold("no_iban", "debtor has no IBAN")
                elif not iban_is_valid(debtor_iban):
                    hold = Hold("invalid_iban", "debtor IBAN {iban} is not valid", {"iban": debtor_iban})
            if hold is None and not (0 < cents <= MAX_AMOUNT_CENTS):
                hold = Hold("invalid_amount", "amount must be between 0.01 and 999999999.99")
            if hold is None:
                hold = self._contract_and_address(account_id, cents, debtor_iban, country, town)
            if hold is None:
                try:
                    seq = choose_sequence_type(
                        RECURRENT if recurrent else ONE_OFF,
                        has_successful_collection=bool(collected) or mandate_id in self.used,
                        # An order marked final, or a final collection pending again after its
                        # reject (services/feedback/reversals.py): FNAL (sepa/sequence.py).
                        final_pending=bool(final_pending) or bool(order_final),
                        final_collected=bool(final_collected),
                        policy=policy or "frst_first",
                    )
                except SepaError as exc:
                    hold = Hold("sequence", "{why}", {"why": str(exc)})
        if hold is None and mandate_id is not None:
            self.used.add(mandate_id)
            if seq == "FNAL":
                self.final.add(mandate_id)
        return PlannedOrder(
            oid, adm_id, account_id, mandate_id, cents, requested, status, day, scheme, seq, hold
        )

    def _contract_and_address(
        self, account_id: int, cents: int, iban: str, country: str | None, town: str | None
    ) -> Hold | None:
        """The bank account's maximum per transaction (sepa-rules §7), and the debtor's
        address where the file must carry it (a bank or an address outside the EEA, §1.7)."""
        limit = self.max_transaction.get(account_id)
        if limit is not None and cents > limit[1]:
            return Hold(
                "over_transaction_max",
                "amount {amount} is over the contract's maximum per transaction {maximum} of {iban}",
                {"amount": euro(cents), "maximum": euro(limit[1]), "iban": limit[0]},
            )
        pair = (iban[:2], country or "")
        needs = self._needs_address.get(pair)
        if needs is None:
            needs = self._needs_address[pair] = needs_address(*pair)
        if needs and not has_usable_address(town or "", country or ""):
            where = iban[:2] if outside_eea(iban[:2]) else (country or "").upper()
            return Hold(
                "no_address",
                "the debtor's bank or address is outside the EEA ({country}): the file needs "
                "the debtor's address, at least town and country",
                {"country": where},
            )
        return None


# --------------------------------------------------------------------------- month limits

# Collections that went to the bank and count towards a month's contract maximum: a
# return or refund after settlement was collected all the same; a reject before settlement
# was not.
_COLLECTED = (OrderStatus.UNDERWAY, OrderStatus.PROCESSED, OrderStatus.REVERSED)

MonthKey = tuple[int, int, int]  # (bank account id, year, month)


def add_to_months(totals: dict[MonthKey, int], plan: PlannedOrder) -> None:
    """Count a planned (not held back) order in its account's collection month."""
    day = plan.collection_date
    key = (plan.bank_account_id, day.year, day.month)
    totals[key] = totals.get(key, 0) + plan.amount_cents


def month_limit_problems(set_id: int, totals: dict[MonthKey, int]) -> list[str]:
    """Per bank account and calendar month where this set (`totals`: its orders to collect)
    and the collections already made would go over the contract's maximum per month: the
    figures, as one sentence each. Empty when every month stays within its maximum."""
    accounts = sorted({key[0] for key in totals})
    if not accounts:
        return []
    limits: dict[int, tuple[str, int]] = {
        account_id: (iban, cents)
        for account_id, iban, cents in tuples(
            m.BankAccount.select(
                m.BankAccount.id, m.BankAccount.iban, m.BankAccount.max_per_month_cents
            ).where(m.BankAccount.id.in_(accounts) & m.BankAccount.max_per_month_cents.is_null(False))
        )
    }
    problems: list[str] = []
    for (account_id, year, month), this_set in sorted(totals.items()):
        if account_id not in limits:
            continue
        iban, maximum = limits[account_id]
        first = dt.date(year, month, 1)
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        already = int(
            m.CollectionOrder.select(pw.fn.COALESCE(pw.fn.SUM(m.CollectionOrder.amount_cents), 0))
            .where(
                (m.CollectionOrder.bank_account == account_id)
                & m.CollectionOrder.status.in_(_COLLECTED)
                & (m.CollectionOrder.collection_date >= first)
                & (m.CollectionOrder.collection_date < after)
                # This set's own orders in its file are counted as "this set", not twice
                # (written null-safe: an order in no set is not this set's).
                & (
                    m.CollectionOrder.collection_set.is_null()
                    | (m.CollectionOrder.collection_set != set_id)
                    | (m.CollectionOrder.status != OrderStatus.UNDERWAY)
                )
            )
            .scalar()
            or 0
        )
        if already + this_set > maximum:
            problems.append(
                f"bank account {iban} in {year:04d}-{month:02d}: already collected {euro(already)} "
                f"+ this set {euro(this_set)} = {euro(already + this_set)}, over the contract's "
                f"maximum per month {euro(maximum)}"
            )
    return problems
