"""Builders for the readiness tests: problems made with the models, on the demo data or on an
empty database, so each test can say exactly what it expects the report to find."""

from __future__ import annotations

import datetime as dt
import itertools

from incasso_tui.db import models as m
from incasso_tui.services.demo import creditor_id
from incasso_tui.services.readiness import Group, Report

TODAY = dt.date(2026, 11, 24)  # INCASSO_TODAY of tests/conftest.py
GB_IBAN = "GB33BUKB20201555555555"  # a valid IBAN of a bank outside the EEA
CH_IBAN = "CH9300762011623852957"
_numbers = itertools.count(90000)


def group(report: Report, key: str) -> Group:
    return next(g for g in report.groups if g.key == key)


def counts(report: Report) -> dict[str, int]:
    return {g.key: g.count for g in report.groups}


def debtor(adm: m.Administration, **fields) -> m.Debtor:
    number = str(next(_numbers))
    values = {
        "administration": adm,
        "number": number,
        "name": f"Zoë Test {number}",
        "name_key": f"zoë test {number}",
        "iban": "NL91ABNA0417164300",
        "town": "Utrecht",
        "country": "NL",
        **fields,
    }
    return m.Debtor.create(**values)


def mandate(d: m.Debtor, **fields) -> m.Mandate:
    adm = d.administration
    seq = m.Mandate.select().where(m.Mandate.debtor == d).count() + 1
    reference = f"RDY-{d.number}-{seq}"
    values = {
        "administration": adm,
        "debtor": d,
        "sequence_number": seq,
        "reference": reference,
        "reference_key": reference,
        "creditor_id": adm.creditor_id,
        "signed_date": TODAY - dt.timedelta(days=100),
        "effective_date": TODAY - dt.timedelta(days=100),
        "status": "active",
        **fields,
    }
    return m.Mandate.create(**values)


def order(d: m.Debtor, mnd: m.Mandate | None, **fields) -> m.CollectionOrder:
    account = m.BankAccount.get(m.BankAccount.administration == d.administration_id)
    values = {
        "administration": d.administration_id,
        "debtor": d,
        "mandate": mnd,
        "bank_account": account,
        "amount_cents": 1250,
        "requested_date": TODAY + dt.timedelta(days=7),
        **fields,
    }
    return m.CollectionOrder.create(**values)


def one_problem_of_each_kind() -> None:
    """On the demo data: whatever the demo lacks, so that every group finds something."""
    zon = m.Administration.get(m.Administration.code == "ZON")
    m.Administration.create(code="NEW", name="Stichting Nieuw", creditor_id=creditor_id("12345678"))
    mandate(debtor(zon, iban=GB_IBAN, town=""))
    mandate(debtor(zon, iban="NL91ABNA0417164300", country="CH", town=""))
    mandate(debtor(zon, street="Kerkstraat", town=""))
    mandate(debtor(zon), end_date=TODAY + dt.timedelta(days=5))
    mandate(debtor(zon), signed_date=None, effective_date=None, status="inactive")
    d = debtor(zon)
    big = order(d, mandate(d), amount_cents=999_999)
    m.BankAccount.update(max_per_transaction_cents=500_000).where(
        m.BankAccount.id == big.bank_account_id
    ).execute()
