"""Administrations (creditors): add, edit, show, deactivate — admins only, every change
audited with its diff.

A changed creditor identifier or name is an amendment for each mandate already collected
(sepa-rules §5.2): its next collection carries OrgnlCdtrSchmeId with what the bank knows
(services.mandates.amendments). While a file of the administration is written but not
sent, the change is refused: that file has the old values and its sending would clear the
amendment the next file must carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, cast

import peewee as pw

from incasso_tui.core.errors import Refused, ValidationError, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.db.database import write_transaction
from incasso_tui.db.statuses import SET_UNSENT, MandateStatus, OrderStatus, SetStatus
from incasso_tui.services import audit
from incasso_tui.services.auth import ADMIN, Actor
from incasso_tui.services.input_rules import Collector
from incasso_tui.services.mandates.amendments import (
    CreditorChange,
    record_creditor_change,
    reference_clashes,
)
from incasso_tui.services.organisation import field_checks as rules
from incasso_tui.services.organisation.listing import get_administration
from incasso_tui.services.organisation.naming import adopt_first_name
from incasso_tui.services.organisation.results import Saved, SetupWarning, stored_fields

ADDRESS_FIELDS = ("street", "building_number", "postcode", "town", "country")
# Mandates that still lead to collections: an administration with any cannot be deactivated.
USABLE_MANDATES = (MandateStatus.ACTIVE, MandateStatus.INACTIVE)
OPEN_ORDERS = (OrderStatus.OPEN, OrderStatus.UNDERWAY)
# Sets whose file holds the administration's current identifier and name but is not sent.
FILES_NOT_SENT = (SetStatus.QUEUED, SetStatus.PROCESSED)


@dataclass(frozen=True)
class AdministrationDetail:
    id: int
    code: str
    name: str
    creditor_id: str
    kvk: str
    street: str
    building_number: str
    postcode: str
    town: str
    country: str
    active: bool
    mandate_scope: str
    sequence_policy: str
    bank_accounts: tuple[str, ...]  # IBANs
    invoice_types: tuple[str, ...]  # codes
    debtors: int
    mandates: int
    # Mandates whose next collection carries OrgnlCdtrSchmeId (old identifier and/or name).
    creditor_amendments_pending: int

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["bank_accounts"] = list(self.bank_accounts)
        data["invoice_types"] = list(self.invoice_types)
        return data


@dataclass(frozen=True)
class AdministrationUsage:
    """What still uses an administration (deactivating it is refused while any is > 0)."""

    usable_mandates: int
    open_orders: int
    unsent_sets: tuple[int, ...]

    @property
    def in_use(self) -> bool:
        return bool(self.usable_mandates or self.open_orders or self.unsent_sets)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "unsent_sets": list(self.unsent_sets), "in_use": self.in_use}

    def __str__(self) -> str:
        parts = []
        if self.usable_mandates:
            parts.append(f"{self.usable_mandates} active or inactive mandate(s)")
        if self.open_orders:
            parts.append(f"{self.open_orders} open or underway order(s)")
        if self.unsent_sets:
            parts.append("unsent set(s) " + ", ".join(str(i) for i in self.unsent_sets))
        return "; ".join(parts) or "nothing"


def _detail(adm: m.Administration) -> AdministrationDetail:
    ibans = cast(
        "Iterable[tuple[str]]",
        m.BankAccount.select(m.BankAccount.iban)
        .where(m.BankAccount.administration == adm.id)
        .order_by(m.BankAccount.iban)
        .tuples(),
    )
    types = cast(
        "Iterable[tuple[str]]",
        m.InvoiceType.select(m.InvoiceType.code)
        .where(m.InvoiceType.administration == adm.id)
        .order_by(m.InvoiceType.code)
        .tuples(),
    )
    mandates = m.Mandate.select().where(m.Mandate.administration == adm.id)
    pending = mandates.where(
        m.Mandate.amend_creditor_id.is_null(False) | m.Mandate.amend_creditor_name.is_null(False)
    )
    return AdministrationDetail(
        adm.id,
        adm.code,
        adm.name,
        adm.creditor_id,
        adm.kvk,
        adm.street,
        adm.building_number,
        adm.postcode,
        adm.town,
        adm.country,
        adm.active,
        adm.mandate_scope,
        adm.sequence_policy,
        tuple(i for (i,) in ibans),
        tuple(c for (c,) in types),
        m.Debtor.select().where(m.Debtor.administration == adm.id).count(),
        mandates.count(),
        pending.count(),
    )


def show_administration(actor: Actor, code: str) -> AdministrationDetail:
    """An administration the user may see, with its accounts, invoice types and counts."""
    return _detail(get_administration(actor, code))


# ------------------------------------------------------------------------ validation


def _check(c: Collector, rule: rules.Rule, value: object, warnings: list[SetupWarning], **ctx: str) -> Any:
    checked: rules.Checked | None = c.run(rule, value, ctx)
    if checked is None:
        return None
    warnings.extend(checked.warnings)
    return checked.value


def _validated(
    given: dict[str, Any], current: m.Administration | None
) -> tuple[dict[str, Any], list[SetupWarning]]:
    """The values to store of the fields given (None: not given), checked together; raises
    ValidationErrors naming every bad field."""
    c = Collector()
    warnings: list[SetupWarning] = []
    values: dict[str, Any] = {}
    if given.get("name") is not None:
        values["name"] = _check(c, rules.creditor_name, given["name"], warnings)
    ci_given = given.get("creditor_id") is not None
    if ci_given:
        values["creditor_id"] = _check(c, rules.creditor_id, given["creditor_id"], warnings)
    creditor_id = values.get("creditor_id") or (current.creditor_id if current else "")
    if ci_given and values["creditor_id"] is None:
        creditor_id = ""  # invalid: the KvK number cannot be compared with it
    if given.get("kvk") is not None:
        values["kvk"] = _check(c, rules.kvk, given["kvk"], warnings, creditor_id=creditor_id)
    if creditor_id.startswith("NL") and not values.get("kvk") and "kvk" not in c.fields():
        # The KvK number of a Dutch creditor is the one inside its identifier.
        values["kvk"] = creditor_id[7:15]
    for name in ADDRESS_FIELDS:
        if given.get(name) is not None:
            values[name] = _check(c, rules.RULES["administration"][name], given[name], warnings)
    merged = {n: values.get(n, getattr(current, n) if current else "") for n in ADDRESS_FIELDS}
    address = merged["street"] or merged["postcode"] or merged["building_number"]
    if address and not merged["town"] and "town" not in c.fields():
        c.add("town", "is required with a street or postcode (a structured address needs the town)")
    if c.errors:
        raise ValidationErrors(c.errors)
    return values, warnings


# ------------------------------------------------------------------------ add / edit


def add_administration(
    actor: Actor,
    code: str,
    *,
    name: str,
    creditor_id: str,
    kvk: str = "",
    street: str = "",
    building_number: str = "",
    postcode: str = "",
    town: str = "",
    country: str = "NL",
) -> Saved[AdministrationDetail]:
    """A new administration (creditor). The first one also names the organisation when it
    has no name yet (the default initiating party of the files)."""
    actor.require(ADMIN, what="administrations")
    c = Collector()
    checked_code = c.run(rules.code_rule(), code, {})
    try:
        values, warnings = _validated(
            {
                "name": name,
                "creditor_id": creditor_id,
                "kvk": kvk,
                "street": street,
                "building_number": building_number,
                "postcode": postcode,
                "town": town,
                "country": country,
            },
            None,
        )
    except ValidationErrors as exc:
        raise ValidationErrors(c.errors + exc.errors) from None
    if c.errors:
        raise ValidationErrors(c.errors)
    code_value = checked_code.value
    adm = _store_new(actor, code_value, values)
    return Saved(_detail(adm), tuple(warnings), stored_fields(values))


def _code_taken(code: str) -> ValidationError:
    return ValidationError("code", "is already used by another administration", code)


@write_transaction
def _store_new(actor: Actor, code: str, values: dict[str, Any]) -> m.Administration:
    if m.Administration.select().where(m.Administration.code == code).exists():
        raise ValidationErrors([_code_taken(code)])
    try:
        with m.Administration._meta.database.atomic():
            adm = m.Administration.create(code=code, **values)
    except pw.IntegrityError:
        raise ValidationErrors([_code_taken(code)]) from None
    audit.record(
        actor,
        "administration.add",
        adm,
        administration_id=adm.id,
        summary=f"administration {code} {adm.name} ({adm.creditor_id})",
        changes={k: (None, v) for k, v in values.items() if v not in ("", None)},
    )
    adopt_first_name(actor, adm.name)
    return adm


def edit_administration(
    actor: Actor,
    code: str,
    *,
    name: str | None = None,
    creditor_id: str | None = None,
    kvk: str | None = None,
    street: str | None = None,
    building_number: str | None = None,
    postcode: str | None = None,
    town: str | None = None,
    country: str | None = None,
) -> Saved[AdministrationDetail]:
    """Change the fields given (None: keep). A new creditor identifier or name makes each
    collected mandate's next collection carry the old one (OrgnlCdtrSchmeId); refused while
    references would clash under the new identifier or a file with the old one is not sent."""
    adm = get_administration(actor, code)
    actor.require(ADMIN, adm.id, what=f"administration {adm.code}")
    given = {
        "name": name,
        "creditor_id": creditor_id,
        "kvk": kvk,
        "street": street,
        "building_number": building_number,
        "postcode": postcode,
        "town": town,
        "country": country,
    }
    values, warnings = _validated(given, adm)
    changes = audit.diff(adm, values)
    if not changes:
        return Saved(_detail(adm), tuple(warnings), ())
    change = _store_edit(actor, adm.id, values)
    if change and change.amended:
        warnings.append(
            SetupWarning(
                "creditor identifier" if "creditor_id" in changes else "name",
                f"{change.amended} collected mandate(s) carry the old creditor identifier/name "
                "(OrgnlCdtrSchmeId) with their next collection; tell the debtors of the change",
            )
        )
    adm = m.Administration.get_by_id(adm.id)
    return Saved(_detail(adm), tuple(warnings), tuple(changes))


@write_transaction
def _store_edit(actor: Actor, adm_id: int, values: dict[str, Any]) -> CreditorChange | None:
    adm = m.Administration.get_by_id(adm_id)
    changes = audit.diff(adm, values)
    old_id, old_name = adm.creditor_id, adm.name
    creditor_change = "creditor_id" in changes or "name" in changes
    if creditor_change:
        _refuse_unsent_files(adm)
    if "creditor_id" in changes:
        clashes = reference_clashes(adm.id, values["creditor_id"])
        if clashes:
            raise ValidationErrors(
                [
                    ValidationError(
                        "creditor identifier",
                        "mandate references would clash under it (references are unique per "
                        "creditor identifier): {clashes}",
                        values["creditor_id"],
                        clashes=", ".join(clashes),
                    )
                ]
            )
    for key, value in values.items():
        setattr(adm, key, value)
    adm.save()
    change = record_creditor_change(actor, adm, old_id, old_name) if creditor_change else None
    summary = f"administration {adm.code}: " + ", ".join(changes)
    if change:
        summary += f"; {change.amended} mandate(s) carry the old creditor details with their next collection"
    audit.record(
        actor, "administration.edit", adm, administration_id=adm.id, changes=changes, summary=summary
    )
    return change


def _refuse_unsent_files(adm: m.Administration) -> None:
    sets = cast(
        "Iterable[tuple[int]]",
        m.CollectionSet.select(m.CollectionSet.id)
        .join(m.CollectionOrder)
        .where((m.CollectionOrder.administration == adm.id) & m.CollectionSet.status.in_(FILES_NOT_SENT))
        .distinct()
        .order_by(m.CollectionSet.id)
        .tuples(),
    )
    ids = [str(i) for (i,) in sets]
    if ids:
        raise Refused(
            "administration {code}: set(s) {ids} are processed (or being processed) with the "
            "current creditor identifier and name but not sent; send them first, then change "
            "them",
            code=adm.code,
            ids=", ".join(ids),
        )


# ------------------------------------------------------------------------ (de)activate


def administration_usage(actor: Actor, code: str) -> AdministrationUsage:
    adm = get_administration(actor, code)
    return _usage(adm)


def _usage(adm: m.Administration) -> AdministrationUsage:
    mandates = (
        m.Mandate.select()
        .where((m.Mandate.administration == adm.id) & m.Mandate.status.in_(USABLE_MANDATES))
        .count()
    )
    orders = (
        m.CollectionOrder.select()
        .where((m.CollectionOrder.administration == adm.id) & m.CollectionOrder.status.in_(OPEN_ORDERS))
        .count()
    )
    sets = cast(
        "Iterable[tuple[int]]",
        m.CollectionSet.select(m.CollectionSet.id)
        .join(m.CollectionOrder)
        .where((m.CollectionOrder.administration == adm.id) & m.CollectionSet.status.in_(list(SET_UNSENT)))
        .distinct()
        .order_by(m.CollectionSet.id)
        .tuples(),
    )
    return AdministrationUsage(mandates, orders, tuple(i for (i,) in sets))


def deactivate_administration(actor: Actor, code: str) -> Saved[AdministrationDetail]:
    """Refused while mandates, orders or unsent sets still use the administration."""
    return _set_active(actor, code, False)


def activate_administration(actor: Actor, code: str) -> Saved[AdministrationDetail]:
    return _set_active(actor, code, True)


@write_transaction
def _set_active(actor: Actor, code: str, active: bool) -> Saved[AdministrationDetail]:
    adm = get_administration(actor, code)
    actor.require(ADMIN, adm.id, what=f"administration {adm.code}")
    if adm.active == active:
        return Saved(_detail(adm), (), ())
    if not active:
        usage = _usage(adm)
        if usage.in_use:
            raise Refused(
                "administration {code} is still in use: mandates (active or inactive): {mandates}; "
                "orders (open or underway): {orders}; unsent sets: {sets}",
                code=adm.code,
                mandates=usage.usable_mandates,
                orders=usage.open_orders,
                sets=", ".join(str(i) for i in usage.unsent_sets) or "0",
            )
    adm.active = active
    adm.save(only=[m.Administration.active])
    verb = "activate" if active else "deactivate"
    audit.record(
        actor,
        f"administration.{verb}",
        adm,
        administration_id=adm.id,
        changes={"active": (not active, active)},
        summary=f"administration {adm.code} {verb}d",
    )
    return Saved(_detail(adm), (), ("active",))
