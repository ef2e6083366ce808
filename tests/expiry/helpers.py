"""A small world for the expiry tests: two administrations, a bank group, mandates whose
last collection (or effective date) is seeded around the 36-month boundary."""

from __future__ import annotations

import datetime as dt

from schwifty import IBAN

from incasso_tui.db import models as m
from incasso_tui.services.demo import creditor_id

TODAY = dt.date(2026, 11, 24)  # INCASSO_TODAY of tests/conftest.py


def administration(code: str) -> m.Administration:
    return m.Administration.get_or_none(m.Administration.code == code) or m.Administration.create(
        code=code, name=f"Stichting {code}", creditor_id=creditor_id("30123456"), town="Utrecht", country="NL"
    )


def account(adm: m.Administration) -> m.BankAccount:
    group = m.BankGroup.get_or_none(m.BankGroup.code == "ABN") or m.BankGroup.create(
        code="ABN", name="Bank ABN", pain_version="pain.008.001.02", lead_days=2
    )
    iban = str(IBAN.generate("NL", bank_code="ABNA", account_code=f"{adm.id:010d}"))
    return m.BankAccount.get_or_none(m.BankAccount.iban == iban) or m.BankAccount.create(
        administration=adm, bank_group=group, iban=iban, bic="ABNANL2A", bank_name="ABN AMRO"
    )


def mandate(
    number: str,
    *,
    adm: str = "ZON",
    last: dt.date | None = None,
    effective: dt.date | None = TODAY - dt.timedelta(days=400),
    status: str = "active",
    scheme: str = "CORE",
    b2b_registered: bool = False,
) -> m.Mandate:
    administration_ = administration(adm)
    debtor = m.Debtor.create(
        administration=administration_,
        number=number,
        name=f"Peña Müller {number}",
        name_key=f"peña müller {number}",
        iban=str(IBAN.generate("NL", bank_code="INGB", account_code=f"{int(number):010d}")),
        bic="INGBNL2A",
        town="Utrecht",
    )
    return m.Mandate.create(
        administration=administration_,
        debtor=debtor,
        scheme=scheme,
        sequence_number=1,
        reference=f"{number}-1",
        reference_key=f"{number}-1",
        creditor_id=administration_.creditor_id,
        signed_date=effective,
        effective_date=effective,
        last_collection_date=last,
        collected=last is not None,
        status=status,
        b2b_registered=b2b_registered,
    )


def order(mandate_: m.Mandate, *, status: str = "open", collection: dt.date | None = None, n: int = 1):
    return m.CollectionOrder.create(
        administration=mandate_.administration,
        debtor=mandate_.debtor,
        mandate=mandate_,
        bank_account=account(mandate_.administration),
        invoice_number=f"F{mandate_.id:04d}{n}",
        amount_cents=1250,
        requested_date=collection or TODAY + dt.timedelta(days=5),
        status=status,
        collection_date=collection,
        sequence_type="RCUR" if collection else None,
    )


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)
