"""Debtors: create and edit with a structured address, the IBAN validated and the BIC derived.

The debtor number is unique per administration and becomes part of mandate references,
so it is limited to characters a reference may hold. A number the system chooses (one above
the highest) is chosen inside the transaction that stores the debtor, so debtors added at the
same moment (two processes, two users) never get the same number. Changing the IBAN of a
debtor whose mandates were collected records a pending amendment on each of them (sepa-rules
§5.2).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import cast

import peewee as pw

from incasso_tui.core.clock import now
from incasso_tui.core.errors import NotFound, UsageError, ValidationError, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.db.database import busy_error, write_transaction
from incasso_tui.db.statuses import MandateStatus, OrderStatus
from incasso_tui.sepa import (
    SepaError,
    derive_bic,
    validate_bic,
    validate_country,
    validate_iban,
    validate_name,
)
from incasso_tui.services import audit
from incasso_tui.services.auth import EDIT, VIEW, Actor
from incasso_tui.services.input_rules import Collector, from_sepa, text
from incasso_tui.services.mandates.amendments import record_iban_change
from incasso_tui.services.mandates.lifecycle import unblock_for_new_iban

LANGUAGES = ("nl", "en", "de")
_NUMBER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,18}[A-Za-z0-9])?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class DebtorInput:
    """What a form, the CLI or an import row gives for a debtor (text as typed)."""

    number: str = ""
    name: str = ""
    street: str = ""
    building_number: str = ""
    postcode: str = ""
    town: str = ""
    country: str = "NL"
    language: str = "nl"
    is_business: bool = False
    iban: str = ""
    bic: str = ""
    email: str = ""

    @classmethod
    def from_debtor(cls, debtor: m.Debtor) -> DebtorInput:
        return cls(**{f.name: getattr(debtor, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class IbanCheck:
    """The outcome of checking an IBAN as it is typed: normalised value and derived BIC,
    or the rule it breaks."""

    iban: str = ""
    bic: str = ""
    error: ValidationError | None = None


def check_iban(value: str) -> IbanCheck:
    """Pure and fast (no database): used on every keystroke of the debtor form."""
    if not (value or "").strip():
        return IbanCheck()
    try:
        iban = validate_iban(value, "IBAN")
    except SepaError as exc:
        return IbanCheck(error=from_sepa(exc, "IBAN"))
    return IbanCheck(iban, derive_bic(iban) or "")


def validate_fields(data: DebtorInput) -> tuple[dict, list[ValidationError]]:
    """Every field rule that needs no database; returns (values to store, errors)."""
    c = Collector()
    values: dict = {}
    number = (data.number or "").strip()
    if not number:
        c.add("number", "is required")
    elif not _NUMBER.fullmatch(number):
        c.add(
            "number",
            "use 1-20 letters or digits, with - or . only inside (it becomes part of mandate references)",
            number,
        )
    values["number"] = number
    values["name"] = c.run(text, data.name, "name", 140, required=True, default="")
    if values["name"] and "name" not in c.fields():
        c.run(_sepa, validate_name, values["name"], "name")
    for field, label, size in (
        ("street", "street", 70),
        ("building_number", "building number", 16),
        ("postcode", "postcode", 16),
        ("town", "town", 35),
    ):
        values[field] = c.run(text, getattr(data, field), label, size, default="")
    values["country"] = c.run(_sepa, validate_country, data.country or "", "country", default="")
    if (values["street"] or values["postcode"] or values["building_number"]) and not values["town"]:
        c.add(
            "town", "is required with a street or postcode (a structured address needs the town and country)"
        )
    language = (data.language or "").strip().lower()
    if language not in LANGUAGES:
        c.add("language", "must be nl, en or de", data.language)
    values["language"] = language
    values["is_business"] = bool(data.is_business)
    check = check_iban(data.iban)
    if check.error:
        c.errors.append(check.error)
    values["iban"] = check.iban
    bic = (data.bic or "").strip()
    if bic:
        values["bic"] = c.run(_sepa, validate_bic, bic, "BIC", default="")
    else:
        values["bic"] = check.bic
    email = c.run(text, data.email, "email", 254, default="")
    if email and not _EMAIL.fullmatch(email):
        c.add("email", "is not an e-mail address", email)
    values["email"] = email
    return values, c.errors


def _sepa(fn, value: str, field: str):
    try:
        return fn(value, field)
    except SepaError as exc:
        raise from_sepa(exc, field) from None


def _editable_administration(actor: Actor, administration_id: int) -> m.Administration:
    adm = m.Administration.get_or_none(m.Administration.id == administration_id)
    if adm is None or not actor.may(VIEW, adm.id):
        raise NotFound(
            "administration {administration_id} does not exist or is not visible to you",
            administration_id=administration_id,
        )
    actor.require(EDIT, adm.id, what=f"debtors of {adm.code}")
    return adm


def _number_taken(administration_id: int, number: str, except_id: int | None = None) -> m.Debtor | None:
    query = m.Debtor.select().where(
        (m.Debtor.administration == administration_id) & (m.Debtor.number == number)
    )
    if except_id:
        query = query.where(m.Debtor.id != except_id)
    return query.first()


class SuggestedNumber(str):
    """A debtor number `next_number` proposed, not one a person chose: when another debtor
    gets it before this one is stored, `create_debtor` takes the next free number instead of
    refusing."""

    __slots__ = ()


# How often a debtor insert may meet a number another process took at the same moment (on
# PostgreSQL; SQLite serialises writers): each collision means another debtor was stored.
_NUMBER_ATTEMPTS = 100


def next_number(actor: Actor, administration_id: int) -> SuggestedNumber:
    """A suggestion for a new debtor number: one above the highest numeric one."""
    actor.require(VIEW, administration_id)
    return SuggestedNumber(_above_highest(administration_id))


def _above_highest(administration_id: int) -> str:
    numbers = cast(
        "Iterable[tuple[str]]",  # peewee-stubs type .tuples() rows as the model
        m.Debtor.select(m.Debtor.number).where(m.Debtor.administration == administration_id).tuples(),
    )
    highest = max((int(n) for (n,) in numbers if n.isdigit()), default=10000 - 1)
    return str(highest + 1)


def create_debtor(
    actor: Actor,
    administration_id: int,
    data: DebtorInput,
    *,
    summary: str = "",
    auto_number: bool = False,
) -> m.Debtor:
    """Store a new debtor. With `auto_number`, or a number from `next_number`, the debtor gets
    the number above the highest one at the moment it is stored (`data.number` may be empty);
    a number a person chose that is taken meanwhile is refused, naming the field."""
    adm = _editable_administration(actor, administration_id)
    auto = auto_number or isinstance(data.number, SuggestedNumber)
    values, errors = validate_fields(data)
    if auto:
        errors = [e for e in errors if e.field != "number"]
    elif values["number"] and _number_taken(adm.id, values["number"]):
        errors.append(_number_used(adm, values["number"]))
    if errors:
        raise ValidationErrors(errors)
    return _store_debtor(actor, adm, values, summary, auto)


def _number_used(adm: m.Administration, number: str) -> ValidationError:
    return ValidationError("number", "already used in administration {code}", number, code=adm.code)


@write_transaction
def _store_debtor(actor: Actor, adm: m.Administration, values: dict, summary: str, auto: bool) -> m.Debtor:
    values = dict(values)
    if auto:
        values["number"] = _above_highest(adm.id)
    for _ in range(_NUMBER_ATTEMPTS):
        try:
            # A savepoint: a number taken meanwhile undoes only this insert.
            with m.Debtor._meta.database.atomic():
                debtor = m.Debtor.create(administration=adm, **values)
            break
        except pw.IntegrityError:
            if not _number_taken(adm.id, values["number"]):
                raise
            if not auto:
                raise ValidationErrors([_number_used(adm, values["number"])]) from None
            values["number"] = _above_highest(adm.id)
    else:
        raise busy_error("debtor numbers: every number tried was taken meanwhile")
    audit.record(
        actor,
        "debtor.create",
        debtor,
        summary=summary or f"debtor {debtor.number} {debtor.name} in {adm.code}",
        changes={k: (None, v) for k, v in values.items() if v not in ("", False)},
    )
    return debtor


def update_debtor(actor: Actor, debtor_id: int, data: DebtorInput) -> m.Debtor:
    debtor = get_debtor(actor, debtor_id)
    actor.require(EDIT, debtor.administration_id, what=f"debtor {debtor.number}")
    values, errors = validate_fields(data)
    if values["number"] and _number_taken(debtor.administration_id, values["number"], debtor.id):
        errors.append(
            ValidationError(
                "number", "already used by another debtor in this administration", values["number"]
            )
        )
    if not values["is_business"] and debtor.is_business:
        b2b = _live_b2b_references(debtor)
        if b2b:
            errors.append(
                ValidationError(
                    "business",
                    "the debtor has B2B mandates ({references}); end them before making the debtor private",
                    references=", ".join(b2b),
                )
            )
    if errors:
        raise ValidationErrors(errors)
    changes = audit.diff(debtor, values)
    if not changes:
        return debtor
    old_iban = debtor.iban
    with m.Debtor._meta.database.atomic():
        for key, value in values.items():
            setattr(debtor, key, value)
        debtor.updated_at = now()
        try:
            with m.Debtor._meta.database.atomic():  # a savepoint, for the check below
                debtor.save()
        except pw.IntegrityError:
            if not _number_taken(debtor.administration_id, values["number"], debtor.id):
                raise
            raise ValidationErrors(
                [
                    ValidationError(
                        "number", "already used by another debtor in this administration", values["number"]
                    )
                ]
            ) from None
        audit.record(
            actor,
            "debtor.update",
            debtor,
            changes=changes,
            summary=f"debtor {debtor.number}: " + ", ".join(changes),
        )
        if "iban" in changes and old_iban:
            record_iban_change(actor, debtor, old_iban, debtor.iban)
        if "iban" in changes and debtor.iban:
            unblock_for_new_iban(actor, debtor)  # blocked by AC01/AC04/AC06/AG01 feedback
    return debtor


def _live_b2b_references(debtor: m.Debtor) -> list[str]:
    rows = cast(
        "Iterable[tuple[str]]",  # peewee-stubs type .tuples() rows as the model
        m.Mandate.select(m.Mandate.reference)
        .where(
            (m.Mandate.debtor == debtor)
            & (m.Mandate.scheme == "B2B")
            & m.Mandate.status.in_((MandateStatus.ACTIVE, MandateStatus.INACTIVE))
        )
        .tuples(),
    )
    return [r for (r,) in rows]


def get_debtor(actor: Actor, debtor_id: int) -> m.Debtor:
    debtor = m.Debtor.get_or_none(m.Debtor.id == debtor_id)
    if debtor is None or not actor.may(VIEW, debtor.administration_id):
        raise NotFound("debtor {debtor_id} does not exist or is not visible to you", debtor_id=debtor_id)
    return debtor


def find_debtor(actor: Actor, number: str, administration: str | None = None) -> m.Debtor:
    """A debtor by number; the administration code is needed when the number is used in
    more than one administration the user may see."""
    query = (
        m.Debtor.select(m.Debtor, m.Administration)
        .join(m.Administration)
        .where((m.Debtor.number == number.strip()) & actor.visible(m.Debtor.administration))
    )
    if administration:
        query = query.where(m.Administration.code == administration)
    found = list(query)
    if not found:
        where = f" in administration {administration}" if administration else ""
        raise NotFound(
            "debtor {number}{where} does not exist or is not visible to you", number=number, where=where
        )
    if len(found) > 1:
        codes = ", ".join(sorted(d.administration.code for d in found))
        raise UsageError(
            f"debtor number {number} exists in {codes}: name the administration (--administration CODE)"
        )
    return found[0]


@dataclass(frozen=True)
class DebtorDetail:
    id: int
    administration_id: int
    administration: str
    number: str
    name: str
    street: str
    building_number: str
    postcode: str
    town: str
    country: str
    language: str
    is_business: bool
    iban: str
    bic: str
    email: str
    created_at: dt.datetime
    updated_at: dt.datetime
    mandates: tuple[dict, ...]
    open_orders: int

    def as_dict(self) -> dict:
        data = asdict(self)
        data["mandates"] = list(self.mandates)
        return data

    @property
    def address_lines(self) -> list[str]:
        street = " ".join(p for p in (self.street, self.building_number) if p)
        town = "  ".join(p for p in (self.postcode, self.town) if p)
        return [line for line in (street, town, self.country) if line]


def debtor_detail(actor: Actor, debtor_id: int) -> DebtorDetail:
    debtor = get_debtor(actor, debtor_id)
    reference = pw.fn.COALESCE(m.Mandate.external_reference, m.Mandate.reference)
    rows = cast(
        "Iterable[tuple[int, str, str, bool, str, str | None, dt.date | None, dt.date | None]]",
        # peewee-stubs type .tuples() rows as the model
        m.Mandate.select(
            m.Mandate.id,
            reference,
            m.Mandate.scheme,
            m.Mandate.recurrent,
            m.Mandate.status,
            m.InvoiceType.code,
            m.Mandate.effective_date,
            m.Mandate.end_date,
        )
        .join(m.InvoiceType, pw.JOIN.LEFT_OUTER)
        .where(m.Mandate.debtor == debtor)
        .order_by(m.Mandate.sequence_number)
        .tuples(),
    )
    mandates = tuple(
        {
            "id": i,
            "reference": ref,
            "scheme": scheme,
            "recurrent": rec,
            "status": status,
            "invoice_type": itype,
            "effective_date": eff,
            "end_date": end,
        }
        for i, ref, scheme, rec, status, itype, eff, end in rows
    )
    open_orders = (
        m.CollectionOrder.select()
        .where((m.CollectionOrder.debtor == debtor) & (m.CollectionOrder.status == OrderStatus.OPEN))
        .count()
    )
    adm = debtor.administration
    return DebtorDetail(
        debtor.id,
        adm.id,
        adm.code,
        debtor.number,
        debtor.name,
        debtor.street,
        debtor.building_number,
        debtor.postcode,
        debtor.town,
        debtor.country,
        debtor.language,
        debtor.is_business,
        debtor.iban,
        debtor.bic,
        debtor.email,
        debtor.created_at,
        debtor.updated_at,
        mandates,
        open_orders,
    )


def editable_administrations(actor: Actor) -> list[tuple[int, str, str]]:
    """(id, code, name) of the administrations where the user may add debtors."""
    return [
        (a.id, a.code, a.name)
        for a in m.Administration.select()
        .where(actor.visible(m.Administration.id) & m.Administration.active)
        .order_by(m.Administration.code)
        if actor.may(EDIT, a.id)
    ]
