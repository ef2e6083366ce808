"""Invoice types (factuursoorten) of an administration: a code unique within it, a name and
the collection reason its mandates and orders default to. Admins add and change them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import peewee as pw

from incasso_tui.core.errors import NotFound, ValidationError, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.db.database import write_transaction
from incasso_tui.services import audit
from incasso_tui.services.auth import ADMIN, Actor
from incasso_tui.services.input_rules import Collector
from incasso_tui.services.organisation import field_checks as rules
from incasso_tui.services.organisation.listing import get_administration
from incasso_tui.services.organisation.results import Saved


@dataclass(frozen=True)
class InvoiceTypeDetail:
    id: int
    administration: str  # code
    code: str
    name: str
    collection_reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _detail(itype: m.InvoiceType) -> InvoiceTypeDetail:
    return InvoiceTypeDetail(
        itype.id, itype.administration.code, itype.code, itype.name, itype.collection_reason
    )


def list_invoice_types(actor: Actor, administration: str | None = None) -> list[InvoiceTypeDetail]:
    """The invoice types of the administrations the user may see (or of one of them)."""
    query = (
        m.InvoiceType.select(m.InvoiceType, m.Administration)
        .join(m.Administration)
        .where(actor.visible(m.InvoiceType.administration))
        .order_by(m.Administration.code, m.InvoiceType.code)
    )
    if administration:
        query = query.where(m.InvoiceType.administration == get_administration(actor, administration).id)
    return [_detail(t) for t in query]


def _fields(c: Collector, name: str | None, collection_reason: str | None) -> dict[str, Any]:
    values = {}
    field_rules = rules.RULES["invoice_type"]
    for field, value in (("name", name), ("collection_reason", collection_reason)):
        if value is not None:
            checked = c.run(field_rules[field], value, {})
            values[field] = checked.value if checked else None
    return values


def add_invoice_type(
    actor: Actor, code: str, *, administration: str, name: str, collection_reason: str = ""
) -> Saved[InvoiceTypeDetail]:
    actor.require(ADMIN, what="invoice types")
    adm = get_administration(actor, administration)
    c = Collector()
    checked = c.run(rules.code_rule(), code, {})
    values = _fields(c, name, collection_reason)
    if c.errors:
        raise ValidationErrors(c.errors)
    itype = _store_new(actor, adm, checked.value, values)
    return Saved(_detail(itype), (), ("code", *values))


def _code_taken(adm: m.Administration, code: str) -> ValidationError:
    return ValidationError("code", "is already an invoice type of administration {code}", code, code=adm.code)


@write_transaction
def _store_new(actor: Actor, adm: m.Administration, code: str, values: dict[str, Any]) -> m.InvoiceType:
    taken = m.InvoiceType.select().where(
        (m.InvoiceType.administration == adm.id) & (m.InvoiceType.code == code)
    )
    if taken.exists():
        raise ValidationErrors([_code_taken(adm, code)])
    try:
        with m.InvoiceType._meta.database.atomic():
            itype = m.InvoiceType.create(administration=adm, code=code, **values)
    except pw.IntegrityError:
        raise ValidationErrors([_code_taken(adm, code)]) from None
    audit.record(
        actor,
        "invoice_type.add",
        itype,
        summary=f"invoice type {code} {itype.name} in {adm.code}",
        changes={k: (None, v) for k, v in {"code": code, **values}.items() if v},
    )
    return itype


def edit_invoice_type(
    actor: Actor,
    code: str,
    *,
    administration: str,
    name: str | None = None,
    collection_reason: str | None = None,
) -> Saved[InvoiceTypeDetail]:
    """Change the name or collection reason (None: keep) of an administration's invoice type."""
    actor.require(ADMIN, what="invoice types")
    adm = get_administration(actor, administration)
    itype = m.InvoiceType.get_or_none(
        (m.InvoiceType.administration == adm.id) & (m.InvoiceType.code == (code or "").strip().upper())
    )
    if itype is None:
        raise NotFound(
            "invoice type {code} does not exist in administration {code2}", code=code, code2=adm.code
        )
    c = Collector()
    values = _fields(c, name, collection_reason)
    if c.errors:
        raise ValidationErrors(c.errors)
    changes = audit.diff(itype, values)
    if changes:
        with m.InvoiceType._meta.database.atomic():
            for key, value in values.items():
                setattr(itype, key, value)
            itype.save()
            audit.record(
                actor,
                "invoice_type.edit",
                itype,
                changes=changes,
                summary=f"invoice type {itype.code} of {adm.code}: " + ", ".join(changes),
            )
    return Saved(_detail(itype), (), tuple(changes))
