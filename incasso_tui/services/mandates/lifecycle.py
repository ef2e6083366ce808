"""Mandates (incassomachtigingen): create, edit, activate, end, confirm B2B registration, revoke,
replace the reference.

Every save recomputes the status from the dates (rules.mandates.compute_status) and is
audited field by field (old -> new), which is the mandate's history. Rules (issue 4,
sepa-rules §2.4, §5): B2B only for business debtors; the scope of the administration
decides whether a mandate may name an invoice type; the signature date is never in the
future; once collected, the scheme and the kind can no longer change, and the reference
written into files only through `replace_mandate_reference`, which tells the bank (§5.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import peewee as pw

from incasso_tui.core.clock import now
from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import NotFound, Refused, UsageError, ValidationError, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.db.statuses import (
    MANDATE_ALLOWS,
    MandateAction,
    MandateStatus,
    OrderStatus,
    SetStatus,
    allows,
)
from incasso_tui.rules.mandates import compute_status
from incasso_tui.sepa import SepaError, validate_mandate_ref
from incasso_tui.services import audit
from incasso_tui.services.auth import EDIT, VIEW, Actor
from incasso_tui.services.input_rules import Collector, parse_date, text
from incasso_tui.services.mandates.references import assign_reference, check_reference, next_sequence

SCHEMES = ("CORE", "B2B")
# Set by whoever blocked or revoked the mandate; the dates never lift them.
_STICKY = (MandateStatus.BLOCKED, MandateStatus.REVOKED)
# Fields that, once collected, are part of what the debtor's bank knows of the mandate.
FROZEN_WHEN_COLLECTED = {
    "reference": "reference",
    "external_reference": "external reference",
    "scheme": "scheme",
    "recurrent": "kind",
}


@dataclass
class MandateInput:
    """A mandate as entered. Dates may be dates or text as typed (see input_rules)."""

    scheme: str = "CORE"
    recurrent: bool = True
    invoice_type: str = ""  # invoice type code; empty = every invoice type of the debtor
    signed_date: dt.date | str | None = None
    effective_date: dt.date | str | None = None
    end_date: dt.date | str | None = None
    reason: str = ""  # incassoreden printed on the form; empty = from invoice type/administration
    reference: str = ""  # empty on creation: assigned from the administration's format
    external_reference: str = ""

    @classmethod
    def from_mandate(cls, mandate: m.Mandate) -> MandateInput:
        itype = mandate.invoice_type
        return cls(
            mandate.scheme,
            mandate.recurrent,
            itype.code if itype is not None else "",
            mandate.signed_date,
            mandate.effective_date,
            mandate.end_date,
            mandate.reason,
            mandate.reference,
            mandate.external_reference or "",
        )


def _date(value, field: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_date(value, field)


def validate_input(
    data: MandateInput,
    debtor: m.Debtor,
    adm: m.Administration,
    today: dt.date,
    existing: m.Mandate | None = None,
    taken: set[str] | None = None,
) -> tuple[dict, list[ValidationError]]:
    """Every rule of a mandate's fields; returns (values for the model, errors).

    `taken` holds the (upper-case) references of other rows of the same import."""
    c = Collector()
    values: dict = {}
    scheme = (data.scheme or "").strip().upper()
    if scheme not in SCHEMES:
        c.add("scheme", "must be CORE (standard) or B2B (business)", data.scheme)
    elif scheme == "B2B" and not debtor.is_business:
        c.add("scheme", "B2B is only for business debtors; this debtor is private")
    values["scheme"] = scheme
    values["recurrent"] = bool(data.recurrent)
    values["invoice_type"] = c.run(_invoice_type, adm, data.invoice_type)
    signed = c.run(_date, data.signed_date, "date signed")
    effective = c.run(_date, data.effective_date, "effective date")
    end = c.run(_date, data.end_date, "end date")
    if signed and signed > today:
        c.add("date signed", "must not be in the future", signed.isoformat())
    if signed and effective and effective < signed:
        c.add("effective date", "must not be before the date signed", effective.isoformat())
    if effective and end and end < effective:  # never collectable: a typing error, not a choice
        c.add("end date", "must not be before the effective date", end.isoformat())
    values.update(signed_date=signed, effective_date=effective, end_date=end)
    values["reason"] = c.run(text, data.reason, "reason", 140, default="")
    except_id = existing.id if existing else None
    external = (data.external_reference or "").strip()
    values["external_reference"] = None
    if external:
        values["external_reference"] = c.run(
            check_reference, adm.creditor_id, external, "external reference", except_id=except_id, taken=taken
        )
    reference = (data.reference or "").strip()
    if existing is not None and not reference:
        c.add("reference", "is required")
    if reference:
        values["reference"] = c.run(
            check_reference, adm.creditor_id, reference, "reference", except_id=except_id, taken=taken
        )
    if reference and external and reference.upper() == external.upper():
        c.add("external reference", "equals the reference; leave it empty")
    return values, c.errors


def _invoice_type(adm: m.Administration, code: str) -> m.InvoiceType | None:
    code = (code or "").strip()
    if not code:
        return None
    if adm.mandate_scope != "invoice_type":
        raise ValidationError(
            "invoice type",
            "administration {code} keeps one mandate per debtor for every invoice type; leave "
            "the invoice type empty",
            code,
            code=adm.code,
        )
    itype = m.InvoiceType.get_or_none((m.InvoiceType.administration == adm) & (m.InvoiceType.code == code))
    if itype is None:
        codes = cast(
            "Iterable[tuple[str]]",  # peewee-stubs type .tuples() rows as the model
            m.InvoiceType.select(m.InvoiceType.code).where(m.InvoiceType.administration == adm).tuples(),
        )
        known = ", ".join(c for (c,) in codes)
        raise ValidationError(
            "invoice type",
            "is not an invoice type of {code} (known: {given})",
            code,
            code=adm.code,
            given=known or "none",
        )
    return itype


def final_settled(mandate: m.Mandate, today: dt.date) -> bool:
    """Whether the mandate's final (FNAL) collection is past its collection date: the moment
    the mandate ends. Processing records the final collection (no other order under the
    mandate is planned from then on); until its date has passed a reject before settlement
    re-pends it (services/feedback/reversals.py) and the mandate simply stays as it was. The
    daily check ends it on the next day, and re-opens one whose final collection a late
    reject re-pended."""
    last = mandate.last_collection_date
    return bool(mandate.final_collected) and (last is None or last < today)


def refresh_status(mandate: m.Mandate, today: dt.date) -> tuple[str, str] | None:
    """Recompute status and reason from the dates; returns (old, new) when the status changed."""
    status, reason = compute_status(
        today=today,
        effective=mandate.effective_date,
        end=mandate.end_date,
        last_collection=mandate.last_collection_date,
        recurrent=mandate.recurrent,
        collected=mandate.collected,
        final_collected=final_settled(mandate, today),
        current=mandate.status,
    )
    old = mandate.status
    if status in _STICKY:
        reason = mandate.status_reason  # set by whoever blocked or revoked it
    mandate.status, mandate.status_reason = status, reason
    return (old, status) if old != status else None


# --- reading ------------------------------------------------------------------------------


def get_mandate(actor: Actor, mandate_id: int) -> m.Mandate:
    mandate = m.Mandate.get_or_none(m.Mandate.id == mandate_id)
    if mandate is None or not actor.may(VIEW, mandate.administration_id):
        raise NotFound("mandate {mandate_id} does not exist or is not visible to you", mandate_id=mandate_id)
    return mandate


def find_mandate(actor: Actor, reference: str, administration: str | None = None) -> m.Mandate:
    """By reference or external reference (any case); `#ID` names a mandate by its id."""
    value = reference.strip()
    if value.startswith("#") and value[1:].isdigit():
        return get_mandate(actor, int(value[1:]))
    key = value.upper()
    query = (
        m.Mandate.select(m.Mandate, m.Administration)
        .join(m.Administration)
        .where(
            ((m.Mandate.reference_key == key) | (m.Mandate.external_key == key))
            & actor.visible(m.Mandate.administration)
        )
    )
    if administration:
        query = query.where(m.Administration.code == administration)
    found = list(query)
    if not found:
        raise NotFound("mandate {given} does not exist or is not visible to you", given=value)
    if len(found) > 1:
        codes = ", ".join(sorted(x.administration.code for x in found))
        raise UsageError(
            f"mandate reference {value} exists in {codes}: name the administration (--administration CODE)"
        )
    return found[0]


def may_change_mandates(actor: Actor) -> bool:
    """Whether the user's role may change mandates at all (in some administration)."""
    return actor.may(EDIT)


def mandate_actions(
    actor: Actor, administration_id: int, status: str, scheme: str, b2b_registered: bool
) -> frozenset[MandateAction]:
    """What the user may do with a mandate in this state: edit, activate, end, confirm the
    B2B registration, revoke. Pure (no database), so screens may ask it on every key; the
    services that perform each action still check it and say why they refuse."""
    if not actor.may(EDIT, administration_id):
        return frozenset()
    actions = set(allows(MANDATE_ALLOWS, status))
    if scheme != "B2B" or b2b_registered:
        actions.discard(MandateAction.CONFIRM_B2B)  # only a B2B mandate not confirmed yet
    return frozenset(actions)


def _editable(actor: Actor, mandate_id: int) -> m.Mandate:
    mandate = get_mandate(actor, mandate_id)
    actor.require(EDIT, mandate.administration_id, what=f"mandate {mandate.reference}")
    return mandate


# --- changing -----------------------------------------------------------------------------


def create_mandate(
    actor: Actor, debtor_id: int, data: MandateInput, *, today: dt.date | None = None, summary: str = ""
) -> m.Mandate:
    today = today or clock_today()
    debtor = m.Debtor.get_or_none(m.Debtor.id == debtor_id)
    if debtor is None or not actor.may(VIEW, debtor.administration_id):
        raise NotFound("debtor {debtor_id} does not exist or is not visible to you", debtor_id=debtor_id)
    adm = debtor.administration
    actor.require(EDIT, adm.id, what=f"mandates of {adm.code}")
    values, errors = validate_input(data, debtor, adm, today)
    if errors:
        raise ValidationErrors(errors)
    with m.Mandate._meta.database.atomic():
        return insert_mandate(actor, adm, debtor, values, today, summary=summary)


def insert_mandate(
    actor: Actor,
    adm: m.Administration,
    debtor: m.Debtor,
    values: dict,
    today: dt.date,
    *,
    summary: str = "",
    taken: set[str] | None = None,
    extra: dict | None = None,
) -> m.Mandate:
    """Store a validated mandate (inside the caller's transaction): sequence number and
    reference assigned, status computed, creation audited with every value."""
    values = dict(values)
    seq = next_sequence(debtor.id)
    itype = values.get("invoice_type")
    if values.get("reference"):
        reference = values.pop("reference")
    else:
        values.pop("reference", None)
        seq, reference = assign_reference(adm, debtor, seq, itype.code if itype else "", taken)
    if not values.get("reason"):
        values["reason"] = (itype.collection_reason if itype else "") or adm.collection_reason
    external = values.get("external_reference")
    mandate = m.Mandate(
        administration=adm,
        debtor=debtor,
        sequence_number=seq,
        reference=reference,
        reference_key=reference.upper(),
        external_key=external.upper() if external else None,
        creditor_id=adm.creditor_id,
        **values,
        **(extra or {}),
    )
    refresh_status(mandate, today)
    try:
        mandate.save(force_insert=True)
    except pw.IntegrityError:
        raise Refused(
            "mandate {reference}: another user stored a mandate for debtor {number} at the "
            "same moment; try again",
            reference=reference,
            number=debtor.number,
        ) from None
    if taken is not None:
        taken.update(x.upper() for x in (reference, external) if x)
    shown = _readable({k: (None, v) for k, v in values.items() if v not in (None, "", False)})
    shown.update(reference=(None, reference), status=(None, mandate.status))
    audit.record(
        actor,
        "mandate.create",
        mandate,
        changes=shown,
        summary=summary or f"mandate {reference} for debtor {debtor.number}",
    )
    return mandate


def update_mandate(
    actor: Actor, mandate_id: int, data: MandateInput, *, today: dt.date | None = None
) -> m.Mandate:
    today = today or clock_today()
    mandate = _editable(actor, mandate_id)
    values, errors = validate_input(data, mandate.debtor, mandate.administration, today, mandate)
    if mandate.collected:
        frozen = [
            label
            for key, label in FROZEN_WHEN_COLLECTED.items()
            if key in values and values[key] != getattr(mandate, key)
        ]
        if frozen:
            hint = (
                "; a new reference is told to the bank with the next collection: replace it "
                "(incasso mandate replace-reference, key c)"
                if {"reference", "external reference"} & set(frozen)
                else ""
            )
            raise Refused(
                "mandate {reference} has been collected under: its {frozen} went into the bank's "
                "file and can no longer be changed (create a new mandate instead){hint}",
                reference=mandate.reference,
                frozen=" and ".join(frozen),
                hint=hint,
            )
    if errors:
        raise ValidationErrors(errors)
    changes = audit.diff(mandate, values)
    if not changes:
        return mandate
    return _save(actor, mandate, values, today, "mandate.update", changes)


def _readable(changes: dict) -> dict:
    """Invoice types by code in the history, not by row id."""

    def code(value):
        return value.code if isinstance(value, m.InvoiceType) else value

    return {k: (code(old), code(new)) for k, (old, new) in changes.items()}


def _save(
    actor: Actor,
    mandate: m.Mandate,
    values: dict,
    today: dt.date,
    action: str,
    changes: dict,
    summary: str = "",
) -> m.Mandate:
    changes = _readable(changes)
    for key, value in values.items():
        setattr(mandate, key, value)
    mandate.reference_key = mandate.reference.upper()
    mandate.external_key = mandate.external_reference.upper() if mandate.external_reference else None
    old_status = mandate.status
    moved = refresh_status(mandate, today)
    if moved:
        changes = {**changes, "status": moved}
    mandate.updated_at = now()
    with m.Mandate._meta.database.atomic():
        try:
            mandate.save()
        except pw.IntegrityError:
            raise Refused(
                "mandate {reference}: the reference was taken by another user at the same moment; try again",
                reference=mandate.reference,
            ) from None
        audit.record(
            actor, action, mandate, changes=changes, summary=summary or _summary(mandate, changes, old_status)
        )
    return mandate


def _summary(mandate: m.Mandate, changes: dict, old_status: str) -> str:
    text_ = f"mandate {mandate.reference}: " + ", ".join(k for k in changes if k != "status")
    if mandate.status != old_status:
        text_ += f" (status {old_status} -> {mandate.status})"
    return text_


def activate_mandate(
    actor: Actor,
    mandate_id: int,
    effective: dt.date | str | None = None,
    *,
    today: dt.date | None = None,
) -> m.Mandate:
    """Effective from `effective` (default: the date signed, or today when there is none).
    Only for an inactive mandate: an ended, expired, revoked or blocked one needs a new
    mandate (a new signature). The date may not precede the signature nor follow the end."""
    today = today or clock_today()
    chosen = _date(effective, "effective date") if effective not in (None, "") else None
    mandate = _editable(actor, mandate_id)
    if mandate.status != MandateStatus.INACTIVE:
        raise Refused(
            "mandate {reference} is {status}; only an inactive mandate can be activated",
            reference=mandate.reference,
            status=mandate.status,
        )
    if mandate.end_date is not None and mandate.end_date < today:
        raise Refused(
            "mandate {reference} ended on {end_date}", reference=mandate.reference, end_date=mandate.end_date
        )
    values: dict = {}
    if mandate.signed_date and mandate.signed_date > today:  # cannot happen since the rule, but
        values["signed_date"] = today  # an old import may have it
    signed = values.get("signed_date", mandate.signed_date)
    effective_date = chosen or activation_default(signed, today)
    if signed and effective_date < signed:
        raise ValidationError(
            "effective date", "must not be before the date signed", effective_date.isoformat()
        )
    if mandate.end_date is not None and effective_date > mandate.end_date:
        raise ValidationError("effective date", "must not be after the end date", effective_date.isoformat())
    values["effective_date"] = effective_date
    return _save(
        actor,
        mandate,
        values,
        today,
        "mandate.activate",
        audit.diff(mandate, values),
        f"mandate {mandate.reference} activated, effective {effective_date.isoformat()}",
    )


def activation_default(signed: dt.date | None, today: dt.date) -> dt.date:
    """The effective date offered on activation: the date signed, or today without one."""
    return signed or today


def end_mandate(
    actor: Actor, mandate_id: int, end_date: dt.date | str | None = None, *, today: dt.date | None = None
) -> m.Mandate:
    """Inactive after `end_date` (default yesterday: ends at once)."""
    today = today or clock_today()
    end = _date(end_date, "end date") if end_date is not None else today - dt.timedelta(days=1)
    if end is None:  # an empty text: the last day is needed
        raise ValidationError("end date", "is required")
    mandate = _editable(actor, mandate_id)
    if mandate.status == MandateStatus.ENDED and mandate.end_date is None:
        raise Refused(
            "mandate {reference} has already ended ({status_reason})",
            reference=mandate.reference,
            status_reason=mandate.status_reason,
        )
    if mandate.status == MandateStatus.REVOKED:
        raise Refused(
            "mandate {reference} is revoked; it cannot be collected anyway", reference=mandate.reference
        )
    values = {"end_date": end}
    changes = audit.diff(mandate, values)
    if not changes:
        return mandate
    return _save(
        actor,
        mandate,
        values,
        today,
        "mandate.end",
        changes,
        f"mandate {mandate.reference} ends on {end.isoformat()}",
    )


def confirm_b2b_registration(actor: Actor, mandate_id: int, *, today: dt.date | None = None) -> m.Mandate:
    """The debtor registered this B2B mandate at their bank: it may be collected now."""
    mandate = _editable(actor, mandate_id)
    if mandate.scheme != "B2B":
        raise Refused(
            "mandate {reference} is a CORE mandate; only B2B mandates are registered at the debtor's bank",
            reference=mandate.reference,
        )
    if mandate.b2b_registered:
        raise Refused("mandate {reference}: registration already confirmed", reference=mandate.reference)
    values = {"b2b_registered": True}
    return _save(
        actor,
        mandate,
        values,
        today or clock_today(),
        "mandate.b2b_registered",
        audit.diff(mandate, values),
        f"mandate {mandate.reference}: registration at the debtor's bank confirmed",
    )


def revoke_mandate(
    actor: Actor, mandate_id: int, reason: str = "", *, today: dt.date | None = None
) -> m.Mandate:
    """The debtor withdrew the mandate (intrekking): never collected again, whatever the dates."""
    mandate = _editable(actor, mandate_id)
    if mandate.status == MandateStatus.REVOKED:
        raise Refused("mandate {reference} is already revoked", reference=mandate.reference)
    why = text(reason, "reason", 140) or "revoked by the debtor"
    values = {"status": MandateStatus.REVOKED, "status_reason": why}
    return _save(
        actor,
        mandate,
        values,
        today or clock_today(),
        "mandate.revoke",
        audit.diff(mandate, values),
        f"mandate {mandate.reference} revoked: {why}",
    )


def replace_mandate_reference(
    actor: Actor, mandate_id: int, new_reference: str, *, today: dt.date | None = None
) -> m.Mandate:
    """Give the mandate a new reference (machtigingskenmerk) — also after it was collected
    (sepa-rules §5.2). It replaces the one written into the files: the external reference
    when the mandate has one, else the reference. Once collected, the bank knows the old
    one: it is kept as the pending amendment and the next collection sends it as
    OrgnlMndtId (processing; sending clears it, a reject before settlement restores it).
    While an amendment is pending the first old reference is kept (the bank still knows
    that one); going back to it withdraws the amendment. A mandate never collected simply
    gets the new reference."""
    today = today or clock_today()
    mandate = _editable(actor, mandate_id)
    current = mandate.external_reference or mandate.reference
    if mandate.status not in MANDATE_ALLOWS[MandateAction.REPLACE_REFERENCE]:
        raise Refused(
            "mandate {current} is {status}: it is never collected again, so its reference stays",
            current=current,
            status=mandate.status,
        )
    new = check_reference(
        mandate.creditor_id, (new_reference or "").strip(), "new reference", except_id=mandate.id
    )
    if new == current:
        raise ValidationError("new reference", "is the mandate's reference already: nothing to replace", new)
    attr = "external_reference" if mandate.external_reference else "reference"
    if attr == "external_reference" and new.upper() == mandate.reference.upper():
        raise ValidationError(
            "new reference",
            "equals the mandate's own reference, which its external reference stands in for in "
            "the files; choose another",
            new,
        )
    _refuse_while_in_unsent_file(mandate, current)
    values: dict = {attr: new}
    pending = mandate.amend_reference
    if pending:
        # The bank still knows the first old reference: keep it, or withdraw the amendment
        # when the reference goes back to it.
        values["amend_reference"] = None if pending == new else pending
    elif mandate.collected:
        values["amend_reference"] = current
    if values.get("amend_reference"):
        told = f"; the next collection tells the bank (OrgnlMndtId {values['amend_reference']})"
    elif pending:
        told = "; back to the reference the bank knows: the pending amendment is withdrawn"
    else:
        told = "; never collected: the bank has not seen the old one"
    return _save(
        actor,
        mandate,
        values,
        today,
        "mandate.replace_reference",
        audit.diff(mandate, values),
        f"mandate reference {current} replaced by {new}{told}",
    )


def _refuse_while_in_unsent_file(mandate: m.Mandate, current: str) -> None:
    """A file being made or made and not sent carries the current reference without an
    amendment; sending it clears the pending amendment, so the bank would never hear of
    the new one. Replace the reference before processing, or after sending."""
    busy = (
        m.CollectionOrder.select(m.CollectionOrder.collection_set)
        .join(m.CollectionSet, on=(m.CollectionOrder.collection_set == m.CollectionSet.id))
        .where(
            (m.CollectionOrder.mandate == mandate.id)
            & m.CollectionOrder.status.in_((OrderStatus.OPEN, OrderStatus.UNDERWAY))
            & m.CollectionSet.status.in_((SetStatus.QUEUED, SetStatus.PROCESSED))
        )
        .first()
    )
    if busy is not None:
        raise Refused(
            "mandate {current} is collected in set {collection_set_id}, whose file is being "
            "made or has not been sent yet and carries the current reference: send that set "
            "first, then replace the reference",
            current=current,
            collection_set_id=busy.collection_set_id,
        )


def check_field(field: str, value: str, today: dt.date | None = None) -> ValidationError | None:
    """The rules of one field that need no database, for checking as the user types:
    dates (and the signature date not in the future), reference syntax."""
    today = today or clock_today()
    labels = {
        "signed_date": "date signed",
        "effective_date": "effective date",
        "end_date": "end date",
        "reference": "reference",
        "external_reference": "external reference",
    }
    label = labels[field]
    try:
        if field.endswith("_date"):
            date = parse_date(value, label)
            if field == "signed_date" and date and date > today:
                return ValidationError(label, "must not be in the future", date.isoformat())
        elif value.strip():
            validate_mandate_ref(value, label)
    except ValidationError as exc:
        return exc
    except SepaError as exc:
        return ValidationError.forward(label, exc.rule, exc.value)
    return None


def check_date_order(effective: str, end: str) -> ValidationError | None:
    """The end date before the effective date (a mandate never collectable), for warning as
    the user types; None while either is empty or not a date yet (check_field says why)."""
    try:
        start, last = parse_date(effective, "effective date"), parse_date(end, "end date")
    except ValidationError:
        return None
    if start and last and last < start:
        return ValidationError("end date", "must not be before the effective date", last.isoformat())
    return None


# Feedback codes that block a mandate because of the account; a corrected IBAN lifts them.
IBAN_BLOCKS = ("AC01", "AC04", "AC06", "AG01")


def unblock_for_new_iban(actor: Actor, debtor: m.Debtor) -> list[m.Mandate]:
    """A corrected IBAN lifts the blocks bank feedback set for a wrong or closed account."""
    lifted = []
    query = m.Mandate.select().where(
        (m.Mandate.debtor == debtor.id) & (m.Mandate.status == MandateStatus.BLOCKED)
    )
    for mandate in query:
        if mandate.status_reason[:4] not in IBAN_BLOCKS:
            continue
        old_reason = mandate.status_reason
        mandate.status, mandate.status_reason = MandateStatus.ACTIVE, ""
        refresh_status(mandate, clock_today())
        mandate.updated_at = now()
        mandate.save()
        audit.record(
            actor,
            "mandate.unblock",
            mandate,
            changes={"status": (MandateStatus.BLOCKED, mandate.status)},
            summary=f"new IBAN for debtor {debtor.number}: block '{old_reason}' lifted",
        )
        lifted.append(mandate)
    return lifted
