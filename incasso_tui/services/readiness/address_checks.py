"""Debtors whose collections need an address they do not have (sepa-rules §1.7).

The rule is rules/addresses.py; counting over every debtor needs it in SQL, so the two
predicates are written here once more as conditions, from the same EEA list (a test keeps
them equal to the rule on every debtor). The reason shown for each debtor comes from the rule.
"""

from __future__ import annotations

import peewee as pw

from incasso_tui.db import models as m
from incasso_tui.db.statuses import MandateStatus, OrderStatus
from incasso_tui.rules.addresses import EEA, outside_eea
from incasso_tui.rules.bank_profiles import PAIN_08
from incasso_tui.services.readiness.model import BLOCKING, WARNING, Group, Item
from incasso_tui.services.readiness.scope import Scope

_EEA = tuple(sorted(EEA))


def _outside_eea(code: pw.ColumnBase) -> pw.ColumnBase:
    """rules.addresses.outside_eea: a country code that is given and not in the EEA."""
    return (code != "") & pw.fn.UPPER(code).not_in(_EEA)


def needs_address() -> pw.ColumnBase:
    """rules.addresses.needs_address(iban, country) over the debtor's columns."""
    return _outside_eea(pw.fn.SUBSTR(m.Debtor.iban, pw.SQL("1"), pw.SQL("2"))) | _outside_eea(
        m.Debtor.country
    )


def has_usable_address() -> pw.ColumnBase:
    """rules.addresses.has_usable_address(town, country): TwnNm and Ctry."""
    return (pw.fn.TRIM(m.Debtor.town) != "") & (pw.fn.LENGTH(pw.fn.TRIM(m.Debtor.country)) == 2)


def _has_some_address() -> pw.ColumnBase:
    fields = (m.Debtor.street, m.Debtor.building_number, m.Debtor.postcode, m.Debtor.town)
    condition: pw.ColumnBase = pw.fn.TRIM(fields[0]) != ""
    for field in fields[1:]:
        condition = condition | (pw.fn.TRIM(field) != "")
    return condition


def _collected(scope: Scope) -> pw.ColumnBase:
    """Active debtors of the report's administrations that the next collection may reach:
    an active mandate, or an order not processed yet."""
    mandate = m.Mandate.select(pw.SQL("1")).where(
        (m.Mandate.debtor == m.Debtor.id) & (m.Mandate.status == MandateStatus.ACTIVE)
    )
    order = m.CollectionOrder.select(pw.SQL("1")).where(
        (m.CollectionOrder.debtor == m.Debtor.id) & (m.CollectionOrder.status == OrderStatus.OPEN)
    )
    return (
        m.Debtor.active
        & scope.within(m.Debtor.administration)
        & (pw.fn.EXISTS(mandate) | pw.fn.EXISTS(order))
    )


def _debtors(where: pw.Node) -> pw.Select:
    return (
        m.Debtor.select(
            m.Debtor.id,
            m.Debtor.number,
            m.Debtor.name,
            m.Administration.code,
            m.Debtor.iban,
            m.Debtor.country,
        )
        .join(m.Administration)
        .where(where)
        .order_by(m.Administration.code, m.Debtor.number)
    )


def _missing_item(row: tuple) -> Item:
    debtor_id, number, name, adm, iban, country = row
    bank_country = (iban or "")[:2].upper()
    if outside_eea(bank_country):
        why, value = (
            "bank outside the EEA ({country}): the file must hold the debtor's town and country",
            bank_country,
        )
    else:
        why, value = (
            "address outside the EEA ({country}): the file must hold the debtor's town and country",
            country,
        )
    return Item("debtor", debtor_id, number, name, adm, why, {"country": value}, debtor_id)


def debtors_without_address(scope: Scope) -> Group:
    return scope.group(
        "debtors_without_required_address",
        "Debtors whose files need an address they do not have",
        BLOCKING,
        "Enter at least the town and country: incasso debtor edit NUMBER --town TOWN --country CC "
        "(their orders are held back until then)",
        # The cheap column tests first: the EXISTS of _collected then runs for few debtors.
        _debtors(needs_address() & ~has_usable_address() & _collected(scope)),
        _missing_item,
    )


def debtors_incomplete_address(scope: Scope) -> Group:
    """Debtors of an administration that collects in pain.008.001.08 files whose address
    lacks TwnNm or Ctry: such a file cannot carry it (structured or hybrid addresses only).
    Those who must have an address are in the blocking group above, not here."""
    in_08 = (
        m.BankAccount.select(m.BankAccount.administration)
        .join(m.BankGroup)
        .where(m.BankAccount.active & (m.BankGroup.pain_version == PAIN_08))
    )
    where = (
        _has_some_address()
        & ~has_usable_address()
        & ~needs_address()
        & m.Debtor.administration.in_(in_08)
        & _collected(scope)
    )
    return scope.group(
        "debtors_incomplete_address",
        "Debtors with an address a pain.008.001.08 file cannot carry",
        WARNING,
        "Complete the address with town and country (incasso debtor edit NUMBER --town TOWN --country CC)",
        _debtors(where),
        lambda row: Item(
            "debtor",
            row[0],
            row[1],
            row[2],
            row[3],
            "address without town or country: a pain.008.001.08 address needs both",
            {},
            row[0],
        ),
    )
