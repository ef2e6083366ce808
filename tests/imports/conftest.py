"""A world for the batch imports: two administrations, their accounts, 50 debtors each, and
mandates chosen so every way an order finds its mandate occurs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from incasso_tui.db import models as m
from incasso_tui.rules.search_keys import debtor_keys
from incasso_tui.services.demo import creditor_id

TODAY = dt.date(2026, 11, 24)
DEBTORS = 50
ACCOUNT_1 = "NL91ABNA0417164300"
ACCOUNT_2 = "NL44RABO0123456789"


@dataclass
class World:
    zon: m.Administration  # no automatic mandates
    rijn: m.Administration  # creates mandates for orders, activated at once
    huur: m.InvoiceType
    account_1: m.BankAccount
    account_2: m.BankAccount
    account_rijn: m.BankAccount
    debtors: dict[tuple[str, str], int]  # (administration code, number) -> id
    general: dict[int, int]  # ZON debtor id -> its general mandate (live or revoked)
    specific: dict[int, int]  # ZON debtor id -> its HUUR mandate


def number(k: int) -> str:
    return f"D{k:03d}"


@pytest.fixture
def world(admin) -> World:
    group = m.BankGroup.create(code="ABN", name="ABN AMRO", pain_version="pain.008.001.02")
    zon = m.Administration.create(code="ZON", name="Zon", creditor_id=creditor_id("30123450"))
    rijn = m.Administration.create(
        code="RIJN",
        name="Rijn",
        creditor_id=creditor_id("30123451"),
        auto_create_mandates=True,
        activate_immediately=True,
    )
    huur = m.InvoiceType.create(administration=zon, code="HUUR", name="Huur")
    accounts = [
        m.BankAccount.create(
            administration=adm, bank_group=group, bic="ABNANL2A", bank_name="Bank", iban=iban
        )
        for adm, iban in ((zon, ACCOUNT_1), (zon, ACCOUNT_2), (rijn, "NL02ABNA0123456789"))
    ]
    debtors: dict[tuple[str, str], int] = {}
    general: dict[int, int] = {}
    specific: dict[int, int] = {}
    signed = TODAY - dt.timedelta(days=30)
    for adm in (zon, rijn):
        for k in range(DEBTORS):
            debtor = m.Debtor.create(
                administration=adm,
                number=number(k),
                name=f"Debiteur {k}",
                **debtor_keys(f"Debiteur {k}"),
                iban=ACCOUNT_1,
                bic="ABNANL2A",
            )
            debtors[(adm.code, number(k))] = debtor.id
            if adm is rijn:
                continue  # RIJN: the import creates the mandates
            # k % 3: 0 a general mandate, 1 a general and a HUUR one, 2 only a revoked one.
            for seq, itype, status in [(1, None, "revoked" if k % 3 == 2 else "active")] + (
                [(2, huur, "active")] if k % 3 == 1 else []
            ):
                mandate = m.Mandate.create(
                    administration=adm,
                    debtor=debtor,
                    invoice_type=itype,
                    sequence_number=seq,
                    reference=f"{number(k)}-{seq}",
                    reference_key=f"{number(k)}-{seq}",
                    creditor_id=adm.creditor_id,
                    signed_date=signed,
                    effective_date=signed,
                    status=status,
                )
                (specific if itype else general)[debtor.id] = mandate.id
    return World(zon, rijn, huur, *accounts, debtors, general, specific)
