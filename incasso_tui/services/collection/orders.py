"""Collection orders (incasso-opdrachten): add (form, CLI, CSV import), cancel, handle.

Statuses: open (niet verwerkt) → underway (onderweg, in a generated file) → processed
(verwerkt/afgehandeld); or rejected / reversed / cancelled. Administration and creditor
bank account come from the debtor's administration; the mandate is resolved (or created,
when the administration wants that) with the mandate services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from typing import Any

from incasso_tui.core.clock import now as clock_now
from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import NotFound, Refused, ValidationError, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.db.database import database, write_transaction
from incasso_tui.db.statuses import (
    ORDER_ALLOWS,
    SET_ALLOWS,
    SET_EDITABLE,
    OrderAction,
    OrderStatus,
    SetAction,
    allows,
)
from incasso_tui.sepa import SepaError, parse_amount, transliterate
from incasso_tui.sepa.validate import MAX_AMOUNT_CENTS, REMITTANCE_MAX
from incasso_tui.services import audit
from incasso_tui.services.auth import EDIT, PROCESS, VIEW, Actor
from incasso_tui.services.input_rules import check_text


@dataclass
class OrderInput:
    administration: str
    debtor: str  # debtor number
    amount: str | int  # "12,50" / "12.50" or cents (int)
    requested_date: dt.date | str | None = None
    invoice_type: str = ""
    invoice_number: str = ""
    remittance: str = ""
    bank_account: str = ""  # IBAN; empty = the administration's only/first active account


@dataclass
class OrderAdded:
    id: int
    mandate: str | None
    mandate_created: bool
    reminder: str

    def as_dict(self) -> dict:
        return asdict(self)


def parse_cents(value, field: str = "amount") -> int:
    """An amount as integer cents: cents as an int, or euros as text ("2.500,00" Dutch,
    "2500.00", "2500"); ValidationError naming `field` unless 0,01 to 999.999.999,99."""
    if isinstance(value, int) and not isinstance(value, bool):
        cents = value
    else:
        text = str(value).strip().replace(" ", "")
        if "," in text:  # Dutch notation: 1.234,56
            text = text.replace(".", "").replace(",", ".")
        try:
            cents = parse_amount(text, field)
        except SepaError as exc:
            raise ValidationError.forward(field, exc.rule, value) from None
    if not 0 < cents <= MAX_AMOUNT_CENTS:
        raise ValidationError(field, "must be between 0,01 and 999.999.999,99", value)
    return cents


@dataclass(frozen=True)
class OrderScope:
    """What an order's checks look up in its administration: once per order for the form
    and the CLI, once per file for a CSV import."""

    administration: m.Administration
    accounts: list[tuple[int, str]]  # the active accounts (id, IBAN), oldest first
    invoice_types: dict[str, int]  # code -> id


def order_scope(adm: m.Administration) -> OrderScope:
    accounts = [
        (account.id, account.iban)
        for account in m.BankAccount.select(m.BankAccount.id, m.BankAccount.iban)
        .where((m.BankAccount.administration == adm) & m.BankAccount.active)
        .order_by(m.BankAccount.id)
    ]
    types = {
        itype.code: itype.id
        for itype in m.InvoiceType.select(m.InvoiceType.code, m.InvoiceType.id).where(
            m.InvoiceType.administration == adm
        )
    }
    return OrderScope(adm, accounts, types)


def check_order(
    scope: OrderScope, data: OrderInput, debtor_id: int | None, today: dt.date
) -> tuple[dict, list[ValidationError]]:
    """The rules of a new order, in the order they are reported: its values (ids for what it
    refers to) and every broken rule. `debtor_id` is the debtor numbered `data.debtor` in the
    administration (None: there is none)."""
    code = scope.administration.code
    errors: list[ValidationError] = []
    if debtor_id is None:
        errors.append(
            ValidationError("debtor", "no debtor with this number in {code}", data.debtor, code=code)
        )
    cents = None
    try:
        cents = parse_cents(data.amount)
    except ValidationError as exc:
        errors.append(exc)
    requested = data.requested_date
    if requested in (None, ""):
        requested = today
    elif not isinstance(requested, dt.date):
        try:
            requested = dt.date.fromisoformat(str(requested).strip())
        except ValueError:
            errors.append(ValidationError("requested date", "must be a date YYYY-MM-DD", data.requested_date))
            requested = None
    if isinstance(requested, dt.date) and requested < today:
        errors.append(ValidationError("requested date", "may not be in the past", requested.isoformat()))
    type_id = None
    if data.invoice_type.strip():
        type_id = scope.invoice_types.get(data.invoice_type.strip().upper())
        if type_id is None:
            errors.append(ValidationError("invoice type", "unknown in {code}", data.invoice_type, code=code))
    for label, value in (("invoice number", data.invoice_number), ("remittance", data.remittance)):
        try:
            check_text((value or "").strip(), label)
        except ValidationError as exc:
            errors.append(exc)
    if len(data.invoice_number) > 35:
        errors.append(ValidationError("invoice number", "at most 35 characters", data.invoice_number))
    remittance = (data.remittance or "").strip()
    if not remittance and data.invoice_number:
        remittance = f"Factuur {data.invoice_number.strip()}"
    if not _fits_remittance(remittance):
        errors.append(
            ValidationError(
                "remittance",
                "at most {REMITTANCE_MAX} characters in the SEPA character set",
                remittance[:40] + "…",
                REMITTANCE_MAX=REMITTANCE_MAX,
            )
        )
    account_id = None
    if data.bank_account.strip():
        wanted = data.bank_account.replace(" ", "").upper()
        account_id = next((i for i, iban in scope.accounts if iban == wanted), None)
        if account_id is None:
            errors.append(
                ValidationError(
                    "bank account", "not an active account of {code}", data.bank_account, code=code
                )
            )
    elif scope.accounts:
        account_id = scope.accounts[0][0]
    else:
        errors.append(ValidationError("bank account", "{code} has no active bank account", code=code))
    values = {
        "administration": scope.administration.id,
        "debtor": debtor_id,
        "amount_cents": cents,
        "requested_date": requested,
        "invoice_type": type_id,
        "invoice_number": data.invoice_number.strip(),
        "remittance": remittance,
        "bank_account": account_id,
    }
    return values, errors


def _fits_remittance(remittance: str) -> bool:
    # Plain ASCII without "@" never grows in transliteration: no need to transliterate it.
    if len(remittance) <= REMITTANCE_MAX and remittance.isascii() and "@" not in remittance:
        return True
    return len(transliterate(remittance)) <= REMITTANCE_MAX


def validate_order(actor: Actor, data: OrderInput, today: dt.date | None = None) -> dict:
    """Checked values for a new order, or ValidationErrors naming every bad field."""
    today = today or clock_today()
    code = (data.administration or "").strip().upper()
    adm = m.Administration.get_or_none(m.Administration.code == code)
    if adm is None or not actor.may(VIEW, adm.id):
        raise ValidationErrors([ValidationError("administration", "unknown, or not visible to you", code)])
    if not actor.may(EDIT, adm.id):
        raise ValidationErrors([ValidationError("administration", "you may not add orders here", code)])
    debtor = m.Debtor.get_or_none(
        (m.Debtor.administration == adm) & (m.Debtor.number == str(data.debtor).strip())
    )
    values, errors = check_order(order_scope(adm), data, debtor.id if debtor else None, today)
    if errors:
        raise ValidationErrors(errors)
    # insert_order wants the rows (the mandate look-up reads the debtor's administration).
    return {
        **values,
        "administration": adm,
        "debtor": debtor,
        "invoice_type": m.InvoiceType.get_by_id(values["invoice_type"]) if values["invoice_type"] else None,
        "bank_account": m.BankAccount.get_by_id(values["bank_account"]),
    }


def insert_order(actor: Actor, values: dict, summary: str = "") -> OrderAdded:
    from incasso_tui.services.mandates.lookup import ensure_mandate_for_order

    found = ensure_mandate_for_order(actor, values["debtor"], values["invoice_type"])
    order = m.CollectionOrder.create(mandate=found.mandate, created_by=actor.user_id, **values)
    audit.record(
        actor,
        "order.create",
        order,
        summary=summary
        or f"order {order.id}: {order.amount_cents} cents for debtor {values['debtor'].number}",
    )
    return OrderAdded(
        order.id, found.mandate.reference if found.mandate else None, found.created, found.reminder
    )


def add_order(actor: Actor, data: OrderInput, today: dt.date | None = None) -> OrderAdded:
    """One order in one transaction. While another process writes (a set being processed),
    it waits for the lock and tries again within the busy bound, then says the database
    is busy (DatabaseBusy); the checks above need no lock."""
    values = validate_order(actor, data, today)
    return _insert_order_waiting(actor, values)


_insert_order_waiting = write_transaction(insert_order)


def get_order(actor: Actor, order_id: int) -> m.CollectionOrder:
    order = m.CollectionOrder.get_or_none(m.CollectionOrder.id == int(order_id))
    if order is None or not actor.may(VIEW, order.administration_id):
        raise NotFound("order {order_id} does not exist or is not visible to you", order_id=order_id)
    return order


# What changes the order itself (the right to edit); every other action is processing.
_EDITS = frozenset({OrderAction.CANCEL, OrderAction.MARK_FINAL})


def order_actions(
    actor: Actor, status: str, set_id: int | None, administration_id: int | None = None
) -> frozenset[OrderAction]:
    """What the user may do with an order in `status` (in set `set_id`, or None): what the
    status allows (ORDER_ALLOWS), cancelling with the right to edit, the rest with the right
    to process; processing alone only for an order in no set. No database access.
    Without `administration_id` the rights are the role's (the row is visible already)."""
    allowed = set(allows(ORDER_ALLOWS, status))
    if not actor.may(EDIT, administration_id):
        allowed -= _EDITS
    if not actor.may(PROCESS, administration_id):
        allowed &= _EDITS  # every other action is processing
    if set_id is not None:
        allowed.discard(OrderAction.PROCESS)
    return frozenset(allowed)


def cancel_order(actor: Actor, order_id: int) -> None:
    """Only before it is in a file: status open and its set (if any) not queued/processed."""
    order = get_order(actor, order_id)
    actor.require(EDIT, order.administration_id, what=f"order {order_id}")
    if order.status not in ORDER_ALLOWS[OrderAction.CANCEL]:
        raise Refused(
            "order {order_id} is {status}: only an order that is not processed can be cancelled",
            order_id=order_id,
            status=order.status,
        )
    with database.atomic():
        n = (
            m.CollectionOrder.update(
                status=OrderStatus.CANCELLED, collection_set=None, updated_at=clock_now()
            )
            .where(
                (m.CollectionOrder.id == order.id)
                & (m.CollectionOrder.status == OrderStatus.OPEN)
                & (
                    m.CollectionOrder.collection_set.is_null()
                    | m.CollectionOrder.collection_set.in_(
                        m.CollectionSet.select(m.CollectionSet.id).where(
                            m.CollectionSet.status.in_(sorted(SET_EDITABLE))
                        )
                    )
                )
            )
            .execute()
        )
        if n != 1:
            raise Refused(
                "order {order_id} is in set {collection_set_id}, which is being processed: remove "
                "it from the set first or wait",
                order_id=order_id,
                collection_set_id=order.collection_set_id,
            )
        audit.record(actor, "order.cancel", order, summary=f"order {order.id} cancelled")


# --------------------------------------------------------------------------- final collection


@dataclass
class FinalState:
    """Whether an order is the final collection under its mandate, for the screens' question
    and the CLI's answer; `refused` says why it cannot be changed ("" when it can)."""

    order_id: int
    final: bool
    mandate: str | None  # the reference written into the file
    refused: str = ""
    refusal: Refused | None = dataclass_field(default=None, compare=False)  # the same, for translation

    def as_dict(self) -> dict:
        return {
            "order_id": self.order_id,
            "final": self.final,
            "mandate": self.mandate,
            "refused": self.refused,
        }


def _is_final(order: m.CollectionOrder, mandate: m.Mandate | None) -> bool:
    # Final by its own mark, or as the collection that follows a rejected final one
    # (the mandate's final collection pending again, services/feedback/reversals.py).
    return bool(order.final) or bool(mandate is not None and mandate.final_pending)


def _final_refusal(order: m.CollectionOrder, mandate: m.Mandate | None, final: bool) -> Refused | None:
    """Why `final` cannot be set on this order now (None when it can)."""
    if order.status not in ORDER_ALLOWS[OrderAction.MARK_FINAL]:
        return Refused(
            "order {id} is {status}: only an order that is not processed can be "
            "marked final or unmarked (a file already says what it is)",
            id=order.id,
            status=order.status,
        )
    cset = order.collection_set if order.collection_set_id else None
    if cset is not None and cset.status not in SET_EDITABLE:
        return Refused(
            "order {id} is in set {set}, which is {status}: only an order in a set "
            "that is not processed yet can be changed",
            id=order.id,
            set=cset.id,
            status=cset.status,
        )
    if not final:
        return None
    if mandate is None:
        return Refused(
            "order {id} has no mandate yet: only a collection under a recurrent mandate can be final",
            id=order.id,
        )
    reference = mandate.external_reference or mandate.reference
    if not mandate.recurrent:
        return Refused(
            "mandate {reference} is a one-off mandate: its only collection is OOFF; only a "
            "collection under a recurrent mandate can be final",
            reference=reference,
        )
    if mandate.final_collected:
        return Refused("mandate {reference} already had its final collection (FNAL)", reference=reference)
    other = m.CollectionOrder.get_or_none(
        (m.CollectionOrder.mandate == mandate.id)
        & (m.CollectionOrder.id != order.id)
        & m.CollectionOrder.final
        & (m.CollectionOrder.status == OrderStatus.OPEN)
    )
    if other is not None:
        return Refused(
            "order {id} is already the final collection of mandate {reference}: undo that first",
            id=other.id,
            reference=reference,
        )
    return None


def final_state(actor: Actor, order_id: int) -> FinalState:
    """Whether the order is final now, and whether that can be changed (for the screens)."""
    order = get_order(actor, order_id)
    mandate = order.mandate if order.mandate_id else None
    final = _is_final(order, mandate)
    refused = _final_refusal(order, mandate, not final)
    if refused is None and not actor.may(EDIT, order.administration_id):
        refused = Refused("user {login} may not change orders of this administration", login=actor.login)
    reference = (mandate.external_reference or mandate.reference) if mandate else None
    return FinalState(order.id, final, reference, "" if refused is None else str(refused), refused)


def set_order_final(actor: Actor, order_id: int, final: bool) -> FinalState:
    """Mark an order as the final collection under its recurrent mandate, or undo that.

    The planner gives it sequence type FNAL (sepa/sequence.py: every policy uses FNAL for
    the last collection); processing records the mandate's final collection, after which
    no other order under it is collected; the daily mandate check ends the mandate once the
    collection date has passed (services/mandates/daily_check.py). Only for an order not in
    a file yet. Undoing also withdraws a final collection pending again after a reject."""
    order = get_order(actor, order_id)
    actor.require(EDIT, order.administration_id, what=f"order {order_id}")
    mandate = order.mandate if order.mandate_id else None
    refused = _final_refusal(order, mandate, final)
    if refused is not None:
        raise refused
    reference = (mandate.external_reference or mandate.reference) if mandate else None
    if _is_final(order, mandate) == final:
        return FinalState(order.id, final, reference)
    with database.atomic():
        n = (
            m.CollectionOrder.update(final=final, updated_at=clock_now())
            .where((m.CollectionOrder.id == order.id) & (m.CollectionOrder.status == OrderStatus.OPEN))
            .execute()
        )
        if n != 1:
            raise Refused("order {id} changed meanwhile; look at it again", id=order.id)
        changes: dict[str, tuple[Any, Any]] = {"final": (bool(order.final), final)}
        if not final and mandate is not None and mandate.final_pending:
            m.Mandate.update(final_pending=False, updated_at=clock_now()).where(
                m.Mandate.id == mandate.id
            ).execute()
            changes["mandate final collection pending"] = (True, False)
        audit.record(
            actor,
            "order.final" if final else "order.final_undone",
            order,
            changes=changes,
            summary=f"order {order.id}: "
            + (
                f"final collection (FNAL) of mandate {reference}; the mandate ends after it"
                if final
                else f"no longer the final collection of mandate {reference}"
            ),
        )
    return FinalState(order.id, final, reference)


def handle_orders(actor: Actor, order_ids: Iterable[int] | None = None, *, set_id: int | None = None) -> int:
    """Afhandelen: underway orders → processed, singly or for a whole set."""
    if set_id is not None:
        from incasso_tui.services.collection.sets import get_set, require_processable

        cset = get_set(actor, set_id)
        require_processable(actor, cset)
        if cset.status not in SET_ALLOWS[SetAction.HANDLE]:
            raise Refused(
                "set {id} is {status}: only a processed or sent set can be handled",
                id=cset.id,
                status=cset.status,
            )
        where = (m.CollectionOrder.collection_set == cset.id) & (
            m.CollectionOrder.status == OrderStatus.UNDERWAY
        )
        ids = None
    else:
        ids = sorted({int(i) for i in order_ids or ()})
        for oid in ids:
            order = get_order(actor, oid)
            actor.require(PROCESS, order.administration_id, what=f"order {oid}")
            if order.status not in ORDER_ALLOWS[OrderAction.HANDLE]:
                raise Refused(
                    "order {oid} is {status}: only an order underway can be handled",
                    oid=oid,
                    status=order.status,
                )
        where = m.CollectionOrder.id.in_(ids)
    with database.atomic():
        n = (
            m.CollectionOrder.update(status=OrderStatus.PROCESSED, updated_at=clock_now())
            .where(where & (m.CollectionOrder.status == OrderStatus.UNDERWAY))
            .execute()
        )
        audit.record(
            actor,
            "order.handle",
            object_type="collectionset" if set_id else "order",
            object_id=set_id if set_id else (ids[0] if ids else None),
            summary=f"{n} orders handled" + (f" in set {set_id}" if set_id else ""),
        )
    return n


# The CSV import of orders (`incasso import orders`): services/imports/orders.py, which checks
# each row with the rules of validate_order a batch at a time.
