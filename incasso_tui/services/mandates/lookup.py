"""Which mandate covers an order, whether it can be collected, and a mandate's full picture.

Used by the orders and collection-set work: `resolve_mandate` picks the mandate for a
debtor and invoice type, `collectability` says why it cannot go into a file on a date,
`ensure_mandate_for_order` creates one when the administration wants that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import cast

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.db.statuses import MandateStatus
from incasso_tui.rules.mandates import Hold, expiry_date, hold_reason
from incasso_tui.sepa import iban_is_valid
from incasso_tui.services import audit
from incasso_tui.services.auth import EDIT, VIEW, Actor
from incasso_tui.services.debtors import get_debtor
from incasso_tui.services.mandates.amendments import pending_amendment
from incasso_tui.services.mandates.lifecycle import MandateInput, get_mandate, insert_mandate, validate_input

# Preference within one scope: a mandate that can (still) be used before a dead one.
_RANK: dict[str, int] = {
    MandateStatus.ACTIVE: 0,
    MandateStatus.INACTIVE: 1,
    MandateStatus.EXPIRED: 2,
    MandateStatus.BLOCKED: 3,
    MandateStatus.ENDED: 4,
    MandateStatus.REVOKED: 5,
}
_LIVE = (MandateStatus.ACTIVE, MandateStatus.INACTIVE)


def is_live(status: str) -> bool:
    """A mandate in this status can (still) be collected on."""
    return status in _LIVE


def preference(status: str, specific: bool, sequence_number: int) -> tuple:
    """Sort key among the candidate mandates of one order (lowest first): a live one before a
    dead one, the invoice type's own before the general one, then by status, newest first."""
    return (status not in _LIVE, not specific, _RANK.get(status, 9), -sequence_number)


def resolve_mandate(
    debtor: m.Debtor | int, invoice_type: m.InvoiceType | int | None = None
) -> m.Mandate | None:
    """The mandate for an order of `debtor` of `invoice_type`.

    The invoice type's own mandate is preferred, then the general one (no invoice type);
    within each, an active one, then an inactive one, newest first. When none of them is
    live, the best dead one is returned so the caller can tell why (see collectability).
    """
    type_id = invoice_type.id if isinstance(invoice_type, m.InvoiceType) else invoice_type
    scope = m.Mandate.invoice_type.is_null()
    if type_id:
        scope = scope | (m.Mandate.invoice_type == type_id)
    candidates = list(m.Mandate.select().where((m.Mandate.debtor == debtor) & scope))
    if not candidates:
        return None

    return min(
        candidates,
        key=lambda c: preference(c.status, c.invoice_type_id is not None, c.sequence_number),
    )


def collectability(mandate: m.Mandate | None, on_date: dt.date | None = None) -> Hold | None:
    """None when a collection due on `on_date` may go into a file under `mandate`;
    otherwise the reason (code and text), e.g. not yet effective, expired, B2B not registered."""
    if mandate is None:
        return Hold("no_mandate", "no mandate")
    on_date = on_date or clock_today()
    hold = hold_reason(
        on_date=on_date,
        status=mandate.status,
        scheme=mandate.scheme,
        b2b_registered=mandate.b2b_registered,
        effective=mandate.effective_date,
        end=mandate.end_date,
        last_collection=mandate.last_collection_date,
        recurrent=mandate.recurrent,
        collected=mandate.collected,
        final_collected=mandate.final_collected,
    )
    if hold is not None:
        return hold
    iban = mandate.debtor.iban
    if not iban:
        return Hold("no_iban", "debtor has no IBAN")
    if not iban_is_valid(iban):
        return Hold("invalid_iban", "debtor IBAN {iban} is not valid", {"iban": iban})
    return None


@dataclass(frozen=True)
class MandateForOrder:
    """The mandate an order will use; `created` when it was made just now (a signed form must
    still be obtained: the UI reminds the user), `mandate` None when there is none and the
    administration does not create them."""

    mandate: m.Mandate | None
    created: bool = False

    @property
    def reminder(self) -> str:
        if not self.created or self.mandate is None:
            return ""
        if self.mandate.effective_date:
            return (
                f"mandate {self.mandate.reference} was created and activated at once: make "
                f"sure the debtor's signed mandate form exists (European law requires it)"
            )
        return (
            f"mandate {self.mandate.reference} was created inactive: enter the effective "
            f"date once the signed mandate form is in"
        )


def ensure_mandate_for_order(
    actor: Actor, debtor: m.Debtor, invoice_type: m.InvoiceType | None, *, today: dt.date | None = None
) -> MandateForOrder:
    """The live mandate for an order; when there is none and the administration creates
    mandates automatically, a new one: inactive, or effective today with "activate
    immediately". Call inside the transaction that stores the order."""
    today = today or clock_today()
    found = resolve_mandate(debtor, invoice_type)
    if found is not None and found.status in _LIVE:
        return MandateForOrder(found)
    adm = debtor.administration
    if not adm.auto_create_mandates:
        return MandateForOrder(found)
    actor.require(EDIT, adm.id, what=f"mandates of {adm.code}")
    itype = invoice_type if adm.mandate_scope == "invoice_type" else None
    data = MandateInput(
        invoice_type=itype.code if itype else "", effective_date=today if adm.activate_immediately else None
    )
    values, errors = validate_input(data, debtor, adm, today)
    if errors:  # cannot happen for these values; keep the real reason if it does
        raise ValidationErrors(errors)
    how = "activated at once" if adm.activate_immediately else "inactive"
    mandate = insert_mandate(
        actor, adm, debtor, values, today, summary=f"created automatically for an order ({how})"
    )
    return MandateForOrder(mandate, created=True)


@dataclass(frozen=True)
class MandateDetail:
    """Everything the mandate screen and `incasso mandate show` display."""

    id: int
    reference: str
    external_reference: str | None
    written_reference: str
    administration: str
    administration_id: int
    creditor_id: str
    debtor_id: int
    debtor_number: str
    debtor_name: str
    debtor_iban: str
    debtor_bic: str
    debtor_business: bool
    debtor_language: str
    scheme: str
    recurrent: bool
    invoice_type: str | None
    sequence_number: int
    status: str
    status_reason: str
    reason: str
    signed_date: dt.date | None
    effective_date: dt.date | None
    end_date: dt.date | None
    last_collection_date: dt.date | None
    expires_on: dt.date | None
    b2b_registered: bool
    collected: bool
    final_pending: bool
    form_printed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    hold: str | None
    hold_code: str | None
    hold_values: dict | None
    hold_template: str | None
    amendment: dict | None
    orders: tuple[dict, ...]
    orders_total: int
    history: tuple[dict, ...]
    # Collections (orders in a file) and what came back on them: rejects, returns, refunds.
    collections: tuple[dict, ...] = ()

    def as_dict(self) -> dict:
        data = asdict(self)
        data["orders"], data["history"] = list(self.orders), list(self.history)
        data["collections"] = list(self.collections)
        return data


def mandate_detail(
    actor: Actor, mandate_id: int, *, today: dt.date | None = None, orders_limit: int = 50
) -> MandateDetail:
    mandate = get_mandate(actor, mandate_id)
    from incasso_tui.services.feedback.rtransactions import collection_history

    debtor, adm, itype = mandate.debtor, mandate.administration, mandate.invoice_type
    hold = collectability(mandate, today or clock_today())
    orders_query = m.CollectionOrder.select(
        m.CollectionOrder.id,
        m.CollectionOrder.invoice_number,
        m.CollectionOrder.amount_cents,
        m.CollectionOrder.requested_date,
        m.CollectionOrder.status,
        m.CollectionOrder.sequence_type,
        m.CollectionOrder.collection_set,
    ).where(m.CollectionOrder.mandate == mandate)
    order_rows = cast(
        "Iterable[tuple[int, str, int, dt.date, str, str | None, int | None]]",
        # peewee-stubs type .tuples() rows as the model
        orders_query.order_by(m.CollectionOrder.requested_date.desc(), m.CollectionOrder.id.desc())
        .limit(orders_limit)
        .tuples(),
    )
    orders = tuple(
        {
            "id": i,
            "invoice_number": inv,
            "amount_cents": cents,
            "requested_date": d,
            "status": st,
            "sequence_type": seq,
            "set_id": set_id,
        }
        for i, inv, cents, d, st, seq, set_id in order_rows
    )
    history = tuple(
        {"at": e.at, "user": e.user, "action": e.action, "summary": e.summary, "changes": e.changes or {}}
        for e in audit.history(actor, "mandate", mandate.id)
    )
    return MandateDetail(
        mandate.id,
        mandate.reference,
        mandate.external_reference,
        mandate.external_reference or mandate.reference,
        adm.code,
        adm.id,
        mandate.creditor_id,
        debtor.id,
        debtor.number,
        debtor.name,
        debtor.iban,
        debtor.bic,
        debtor.is_business,
        debtor.language,
        mandate.scheme,
        mandate.recurrent,
        itype.code if itype is not None else None,
        mandate.sequence_number,
        mandate.status,
        mandate.status_reason,
        mandate.reason,
        mandate.signed_date,
        mandate.effective_date,
        mandate.end_date,
        mandate.last_collection_date,
        expiry_date(mandate.effective_date, mandate.last_collection_date) if mandate.recurrent else None,
        mandate.b2b_registered,
        mandate.collected,
        mandate.final_pending,
        mandate.form_printed_at,
        mandate.created_at,
        mandate.updated_at,
        str(hold) if hold else None,
        hold.code if hold else None,
        hold.values if hold else None,
        hold.text if hold else None,
        pending_amendment(mandate),
        orders,
        orders_query.count(),
        history,
        tuple(line.as_dict() for line in collection_history(actor, mandate_id=mandate.id, limit=100)),
    )


@dataclass(frozen=True)
class FormContext:
    """What the mandate form needs to know about the debtor and the administration."""

    debtor_id: int
    debtor_number: str
    debtor_name: str
    debtor_business: bool
    administration_id: int
    administration: str
    scope: str
    invoice_types: tuple[tuple[str, str], ...]  # (code, name)


def form_context(actor: Actor, debtor_id: int) -> FormContext:
    debtor = get_debtor(actor, debtor_id)
    adm = debtor.administration
    types = tuple(
        cast(
            "Iterable[tuple[str, str]]",  # peewee-stubs type .tuples() rows as the model
            m.InvoiceType.select(m.InvoiceType.code, m.InvoiceType.name)
            .where(m.InvoiceType.administration == adm)
            .order_by(m.InvoiceType.code)
            .tuples(),
        )
    )
    return FormContext(
        debtor.id, debtor.number, debtor.name, debtor.is_business, adm.id, adm.code, adm.mandate_scope, types
    )


def form_context_by_number(actor: Actor, administration_id: int, number: str) -> FormContext | None:
    """The form's debtor looked up as its number is typed; None when there is no such debtor."""
    debtor = m.Debtor.get_or_none(
        (m.Debtor.administration == administration_id) & (m.Debtor.number == number.strip())
    )
    if debtor is None or not actor.may(VIEW, administration_id):
        return None
    return form_context(actor, debtor.id)


def edit_context(actor: Actor, mandate_id: int) -> tuple[FormContext, MandateInput, bool]:
    """(context, current values, collected) for the edit form of a mandate."""
    mandate = get_mandate(actor, mandate_id)
    return form_context(actor, mandate.debtor_id), MandateInput.from_mandate(mandate), mandate.collected
