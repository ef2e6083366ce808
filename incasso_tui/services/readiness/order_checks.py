"""Orders not processed yet that a set would hold back: no usable mandate (the planner's rule,
rules/mandates.hold_reason, on the order's requested date, or today once that has passed), or
an amount over the bank account's contract maximum per transaction (sepa-rules §7).

hold_reason is written once more as SQL conditions, to count over every open order in the
database; a test keeps the two equal. The reason shown for each order is hold_reason's own.
"""

from __future__ import annotations

import datetime as dt

import peewee as pw

from incasso_tui.core.money import amount_text
from incasso_tui.db import models as m
from incasso_tui.db.statuses import MandateStatus, OrderStatus
from incasso_tui.rules.mandates import EXPIRY_DAYS, Hold, hold_reason
from incasso_tui.services.readiness.model import BLOCKING, Group, Item
from incasso_tui.services.readiness.scope import Scope, days_before

_O, _M = m.CollectionOrder, m.Mandate


def _held(today: dt.date) -> pw.Node:
    """hold_reason(on_date=max(requested date, today), …) is not None, or the debtor has no
    IBAN. With day = max(r, t): end < day ⇔ end < r or end < t; effective > day ⇔ effective > r
    and effective > t; day − since ≥ 1095 days ⇔ since ≤ r − 1095 or since ≤ t − 1095."""
    since = pw.fn.COALESCE(_M.last_collection_date, _M.effective_date)
    return (
        _O.mandate.is_null()
        | _M.status.in_((MandateStatus.REVOKED, MandateStatus.BLOCKED))
        | _M.final_collected
        | (~_M.recurrent & _M.collected)
        | (_M.end_date.is_null(False) & ((_M.end_date < _O.requested_date) | (_M.end_date < today)))
        | _M.effective_date.is_null()
        | ((_M.effective_date > _O.requested_date) & (_M.effective_date > today))
        | (since <= days_before(_O.requested_date, EXPIRY_DAYS))
        | (since <= today - dt.timedelta(days=EXPIRY_DAYS))
        | ((_M.scheme == "B2B") & ~_M.b2b_registered)
        | (m.Debtor.iban == "")
    )


def held_orders(scope: Scope) -> pw.Select:
    """Open orders of the report's administrations without a usable mandate, with what
    hold_reason needs (tests compare it with the rule)."""
    return (
        _O.select(
            _O.id,
            m.Debtor.name,
            m.Administration.code,
            m.Debtor.id,
            _O.requested_date,
            _O.mandate,
            _M.status,
            _M.scheme,
            _M.b2b_registered,
            _M.effective_date,
            _M.end_date,
            _M.last_collection_date,
            _M.recurrent,
            _M.collected,
            _M.final_collected,
            m.Debtor.iban,
        )
        .join(_M, pw.JOIN.LEFT_OUTER, on=(_O.mandate == _M.id))
        .switch(_O)
        .join(m.Debtor, on=(_O.debtor == m.Debtor.id))
        .switch(_O)
        .join(m.Administration, on=(_O.administration == m.Administration.id))
        .where((_O.status == OrderStatus.OPEN) & scope.within(_O.administration) & _held(scope.today))
        .order_by(m.Administration.code, _O.requested_date, _O.id)
    )


def order_hold(row: tuple, today: dt.date) -> Hold | None:
    """The rule's decision for one row of `held_orders`."""
    requested, mandate_id, status, scheme, b2b, effective, end, last, recurrent, collected, final, iban = row[
        4:
    ]
    if mandate_id is None:
        return Hold("no_mandate", "no mandate")
    hold = hold_reason(
        on_date=max(requested, today),
        status=status,
        scheme=scheme,
        b2b_registered=bool(b2b),
        effective=effective,
        end=end,
        last_collection=last,
        recurrent=bool(recurrent),
        collected=bool(collected),
        final_collected=bool(final),
    )
    if hold is None and not iban:
        return Hold("no_iban", "debtor has no IBAN")
    return hold


def orders_without_usable_mandate(scope: Scope) -> Group:
    def item(row: tuple) -> Item:
        hold = order_hold(row, scope.today) or Hold("no_usable_mandate", "no usable mandate")
        return Item("order", row[0], str(row[0]), row[1], row[2], hold.text, dict(hold.values), row[3])

    return scope.group(
        "orders_without_usable_mandate",
        "Open orders without a usable mandate",
        BLOCKING,
        "Activate, confirm or replace the mandate, or cancel the order (incasso order cancel ID); "
        "until then every set holds it back",
        held_orders(scope),
        item,
    )


def orders_over_transaction_limit(scope: Scope) -> Group:
    query = (
        _O.select(
            _O.id,
            m.Debtor.name,
            m.Administration.code,
            m.Debtor.id,
            _O.amount_cents,
            m.BankAccount.iban,
            m.BankAccount.max_per_transaction_cents,
        )
        .join(m.BankAccount, on=(_O.bank_account == m.BankAccount.id))
        .switch(_O)
        .join(m.Debtor, on=(_O.debtor == m.Debtor.id))
        .switch(_O)
        .join(m.Administration, on=(_O.administration == m.Administration.id))
        .where(
            (_O.status == OrderStatus.OPEN)
            & scope.within(_O.administration)
            & m.BankAccount.max_per_transaction_cents.is_null(False)
            & (_O.amount_cents > m.BankAccount.max_per_transaction_cents)
        )
        .order_by(m.Administration.code, _O.id)
    )

    def item(row: tuple) -> Item:
        order_id, name, adm, debtor_id, cents, iban, maximum = row
        return Item(
            "order",
            order_id,
            str(order_id),
            name,
            adm,
            "amount € {amount} is over the maximum per transaction of account {iban} (€ {maximum})",
            {"amount": amount_text(cents, "nl"), "iban": iban, "maximum": amount_text(maximum, "nl")},
            debtor_id,
        )

    return scope.group(
        "orders_over_transaction_limit",
        "Open orders over the bank account's maximum per transaction",
        BLOCKING,
        "Split the order, or have the bank raise the contract's limit (then: incasso bank-account "
        "edit IBAN --max-per-transaction AMOUNT)",
        query,
        item,
    )
