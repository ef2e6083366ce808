"""Creditor bank accounts: the account of an administration its collections are paid into,
in a bank group (the bank the files go to), with what its instruction letter needs and the
collection contract's limits (sepa-rules §7). Admins change them; every change is audited.

The IBAN is checked with schwifty, the BIC derived when not given, the bank recognised; an
account whose bank is not its bank group's bank is allowed with a warning (EQUENS and OTHER
groups take any bank). An account with orders keeps its IBAN and administration (add a new
account instead), and moves to another bank group only while none of its orders is in a set
that is not sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, cast

import peewee as pw

from incasso_tui.core.errors import NotFound, Refused, ValidationError, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.db.database import write_transaction
from incasso_tui.db.statuses import SET_UNSENT
from incasso_tui.rules.bank_profiles import profile_for_iban
from incasso_tui.sepa import derive_bic
from incasso_tui.services import audit
from incasso_tui.services.auth import ADMIN, VIEW, Actor
from incasso_tui.services.input_rules import Collector
from incasso_tui.services.organisation import field_checks as rules
from incasso_tui.services.organisation.listing import get_administration
from incasso_tui.services.organisation.results import Saved, SetupWarning, stored_fields


@dataclass(frozen=True)
class BankAccountDetail:
    id: int
    iban: str
    bic: str
    bank_name: str
    recognised_profile: str | None  # the bank's profile from the IBAN (ABN, ING, RABO)
    administration: str  # code
    bank_group: str  # code
    letter_template: str
    contact: str
    signatories: tuple[str, ...]
    max_per_transaction_cents: int | None
    max_per_month_cents: int | None
    active: bool

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["signatories"] = list(self.signatories)
        return data


def _detail(account: m.BankAccount) -> BankAccountDetail:
    return BankAccountDetail(
        account.id,
        account.iban,
        account.bic,
        account.bank_name,
        profile_for_iban(account.iban),
        account.administration.code,
        account.bank_group.code,
        account.letter_layout,
        account.letter_contact,
        tuple(n for n in account.letter_signatories.splitlines() if n.strip()),
        account.max_per_transaction_cents,
        account.max_per_month_cents,
        account.active,
    )


def get_bank_account(actor: Actor, iban: str) -> m.BankAccount:
    """The account with this IBAN (spaces and case ignored), if the user may see it."""
    compact = "".join((iban or "").split()).upper()
    account = m.BankAccount.get_or_none(m.BankAccount.iban == compact)
    if account is None or not actor.may(VIEW, account.administration_id):
        raise NotFound("bank account {iban} does not exist or is not visible to you", iban=iban)
    return account


def show_bank_account(actor: Actor, iban: str) -> BankAccountDetail:
    return _detail(get_bank_account(actor, iban))


def list_bank_accounts(actor: Actor, administration: str | None = None) -> list[BankAccountDetail]:
    """The accounts of the administrations the user may see (or of one of them)."""
    query = (
        m.BankAccount.select(m.BankAccount, m.Administration, m.BankGroup)
        .join(m.Administration)
        .switch(m.BankAccount)
        .join(m.BankGroup)
        .where(actor.visible(m.BankAccount.administration))
        .order_by(m.Administration.code, m.BankAccount.iban)
    )
    if administration:
        query = query.where(m.BankAccount.administration == get_administration(actor, administration).id)
    return [_detail(a) for a in query]


_Names = Sequence[str] | str | None


def _validated(
    given: dict[str, Any], current: m.BankAccount | None
) -> tuple[dict[str, Any], list[SetupWarning]]:
    """Values to store for the fields given (None: not given), with the administration and
    bank group looked up; raises ValidationErrors naming every bad field."""
    c = Collector()
    warnings: list[SetupWarning] = []
    values: dict[str, Any] = {}
    field_rules = rules.RULES["bank_account"]

    def check(field: str, **ctx: str) -> Any:
        checked: rules.Checked | None = c.run(field_rules[field], given[field], ctx)
        if checked is None:
            return None
        warnings.extend(checked.warnings)
        return checked.value

    if given.get("administration") is not None:
        code = check("administration")
        adm = m.Administration.get_or_none(m.Administration.code == code) if code else None
        if code and adm is None:
            c.add("administration", "no administration has this code", code)
        values["administration"] = adm
    if given.get("bank_group") is not None:
        code = check("bank_group")
        group = m.BankGroup.get_or_none(m.BankGroup.code == code) if code else None
        if code and group is None:
            c.add("bank group", "no bank group has this code", code)
        values["bank_group"] = group
    group = values.get("bank_group") or (current.bank_group if current else None)
    derived: dict[str, str] = {}
    if given.get("iban") is not None:
        # Compared with the bank group below, once both are known.
        checked: rules.Checked | None = c.run(field_rules["iban"], given["iban"], {})
        values["iban"] = checked.value if checked else None
        derived = dict(checked.derived) if checked else {}
    if given.get("bic") is not None:
        values["bic"] = check("bic", pain_version=group.pain_version if group else "")
    iban = values.get("iban") or (current.iban if current else "")
    if iban and ("iban" in values or "bic" in values) and not values.get("bic"):
        values["bic"] = derived.get("bic") if "iban" in values else (derive_bic(iban) or "")
        if not values["bic"]:
            warnings.append(
                SetupWarning(
                    "BIC", "cannot be derived from the IBAN: the file names no creditor BIC (IBAN-only)"
                )
            )
    if values.get("iban"):
        values["bank_name"] = derived.get("bank", "")
    if iban and group is not None and ("iban" in values or "bank_group" in values):
        mismatch = rules.bank_mismatch(iban, group.code, group.profile)
        if mismatch:
            warnings.append(mismatch)
    for field, column in (
        ("letter_template", "letter_layout"),
        ("contact", "letter_contact"),
        ("signatories", "letter_signatories"),
        ("max_per_transaction", "max_per_transaction_cents"),
        ("max_per_month", "max_per_month_cents"),
    ):
        if given.get(field) is not None:
            value = check(field)
            values[column] = "\n".join(value) if field == "signatories" and value is not None else value
    if c.errors:
        raise ValidationErrors(c.errors)
    per_transaction = values.get(
        "max_per_transaction_cents", current.max_per_transaction_cents if current else None
    )
    per_month = values.get("max_per_month_cents", current.max_per_month_cents if current else None)
    limits_given = "max_per_transaction_cents" in values or "max_per_month_cents" in values
    if limits_given and per_transaction and per_month and per_transaction > per_month:
        warnings.append(
            SetupWarning(
                "maximum per transaction", "is above the maximum per month: the month's limit decides"
            )
        )
    return values, warnings


def add_bank_account(
    actor: Actor,
    *,
    administration: str,
    iban: str,
    bank_group: str,
    bic: str = "",
    letter_template: str = "standard",
    contact: str = "",
    signatories: _Names = (),
    max_per_transaction: int | str | None = None,
    max_per_month: int | str | None = None,
) -> Saved[BankAccountDetail]:
    """A new account of `administration` in `bank_group` (codes). Amounts in euros as text
    ("2.500,00", "2500.00") or integer cents; signatories one name per item (or per line)."""
    actor.require(ADMIN, what="bank accounts")
    given = {
        "administration": administration,
        "iban": iban,
        "bank_group": bank_group,
        "bic": bic,
        "letter_template": letter_template,
        "contact": contact,
        "signatories": signatories,
        "max_per_transaction": max_per_transaction,
        "max_per_month": max_per_month,
    }
    values, warnings = _validated(given, None)
    account = _store_new(actor, values)
    return Saved(_detail(account), tuple(warnings), stored_fields(values))


def _iban_taken(iban: str) -> ValidationError:
    owner = m.BankAccount.get_or_none(m.BankAccount.iban == iban)
    if owner is None:
        return ValidationError("IBAN", "is already a bank account", iban)
    return ValidationError(
        "IBAN", "is already a bank account (administration {code})", iban, code=owner.administration.code
    )


@write_transaction
def _store_new(actor: Actor, values: dict[str, Any]) -> m.BankAccount:
    if m.BankAccount.select().where(m.BankAccount.iban == values["iban"]).exists():
        raise ValidationErrors([_iban_taken(values["iban"])])
    try:
        with m.BankAccount._meta.database.atomic():
            account = m.BankAccount.create(**values)
    except pw.IntegrityError:
        raise ValidationErrors([_iban_taken(values["iban"])]) from None
    audit.record(
        actor,
        "bank_account.add",
        account,
        summary=f"bank account {account.iban} of {values['administration'].code} in bank group "
        f"{values['bank_group'].code}",
        changes={k: (None, v) for k, v in values.items() if v not in ("", None)},
    )
    return account


def edit_bank_account(
    actor: Actor,
    iban: str,
    *,
    administration: str | None = None,
    new_iban: str | None = None,
    bank_group: str | None = None,
    bic: str | None = None,
    letter_template: str | None = None,
    contact: str | None = None,
    signatories: _Names = None,
    max_per_transaction: int | str | None = None,
    max_per_month: int | str | None = None,
) -> Saved[BankAccountDetail]:
    """Change the fields given (None: keep); "" clears contact, signatories and the limits,
    and derives the BIC from the IBAN again."""
    actor.require(ADMIN, what="bank accounts")
    account = get_bank_account(actor, iban)
    given = {
        "administration": administration,
        "iban": new_iban,
        "bank_group": bank_group,
        "bic": bic,
        "letter_template": letter_template,
        "contact": contact,
        "signatories": signatories,
        "max_per_transaction": max_per_transaction,
        "max_per_month": max_per_month,
    }
    values, warnings = _validated(given, account)
    changes = audit.diff(account, values)
    if changes:
        _store_edit(actor, account.id, values)
        account = m.BankAccount.get_by_id(account.id)
    return Saved(_detail(account), tuple(warnings), tuple(changes))


@write_transaction
def _store_edit(actor: Actor, account_id: int, values: dict[str, Any]) -> None:
    account = m.BankAccount.get_by_id(account_id)
    changes = audit.diff(account, values)
    if not changes:
        return
    orders = m.CollectionOrder.select().where(m.CollectionOrder.bank_account == account.id)
    if ("iban" in changes or "administration" in changes) and orders.exists():
        raise Refused(
            "bank account {iban} has collection orders: its IBAN and administration stay as "
            "they are (add a new bank account instead)",
            iban=account.iban,
        )
    if "bank_group" in changes:
        unsent = cast(
            "Iterable[tuple[int]]",
            m.CollectionSet.select(m.CollectionSet.id)
            .join(m.CollectionOrder)
            .where(
                (m.CollectionOrder.bank_account == account.id) & m.CollectionSet.status.in_(list(SET_UNSENT))
            )
            .distinct()
            .order_by(m.CollectionSet.id)
            .tuples(),
        )
        ids = [str(i) for (i,) in unsent]
        if ids:
            raise Refused(
                "bank account {iban} has orders in set(s) {ids} of bank group {code}, not sent "
                "yet: send or delete them before moving the account",
                iban=account.iban,
                ids=", ".join(ids),
                code=account.bank_group.code,
            )
    if "iban" in changes and m.BankAccount.select().where(m.BankAccount.iban == values["iban"]).exists():
        raise ValidationErrors([_iban_taken(values["iban"])])
    for key, value in values.items():
        setattr(account, key, value)
    account.save()
    audit.record(
        actor,
        "bank_account.edit",
        account,
        changes=changes,
        summary=f"bank account {account.iban}: " + ", ".join(changes),
    )
