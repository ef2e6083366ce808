"""Small builders for the set tests: one administration, accounts in bank groups, debtors with
mandates and orders, made directly with the models (fast, and independent of the demo data)."""

from __future__ import annotations

import datetime as dt

from schwifty import IBAN

from incasso_tui.db import models as m
from incasso_tui.services.auth import actor_for
from incasso_tui.services.demo import creditor_id

TODAY = dt.date(2026, 11, 24)


def world(
    n_orders: int = 5,
    *,
    scheme: str = "CORE",
    group_code: str = "ABN",
    adm_code: str = "ZON",
    with_b2b: int = 0,
    account_no: str = "0417164300",
):
    group = m.BankGroup.get_or_none(m.BankGroup.code == group_code) or m.BankGroup.create(
        code=group_code, name=f"Bank {group_code}", pain_version="pain.008.001.02", lead_days=2
    )
    adm = m.Administration.get_or_none(m.Administration.code == adm_code) or m.Administration.create(
        code=adm_code,
        name=f"Stichting {adm_code}",
        creditor_id=creditor_id("30123456"),
        town="Utrecht",
        country="NL",
    )
    iban = str(IBAN.generate("NL", bank_code="ABNA", account_code=account_no))
    account = m.BankAccount.get_or_none(m.BankAccount.iban == iban) or m.BankAccount.create(
        administration=adm,
        bank_group=group,
        iban=iban,
        bic="ABNANL2A",
        bank_name="ABN AMRO",
        letter_contact="Jan Jansen, 030-1234567",
        letter_signatories="A. de Vries\nB. Bakker",
    )
    orders = []
    start = m.Debtor.select().count()
    for i in range(n_orders + with_b2b):
        sch = "B2B" if i >= n_orders else scheme
        number = f"{start + i + 1:06d}"
        d_iban = str(IBAN.generate("NL", bank_code="INGB", account_code=f"{start + i + 1:010d}"))
        debtor = m.Debtor.create(
            administration=adm,
            number=number,
            name=f"Jürgen Müller {number}",
            name_key=f"jürgen müller {number}",
            iban=d_iban,
            bic="INGBNL2A",
        )
        mandate = m.Mandate.create(
            administration=adm,
            debtor=debtor,
            scheme=sch,
            sequence_number=1,
            reference=f"{number}-1",
            creditor_id=adm.creditor_id,
            reference_key=f"{number}-1",
            signed_date=TODAY - dt.timedelta(days=40),
            effective_date=TODAY - dt.timedelta(days=40),
            status="active",
            b2b_registered=sch == "B2B",
        )
        orders.append(
            m.CollectionOrder.create(
                administration=adm,
                debtor=debtor,
                mandate=mandate,
                bank_account=account,
                invoice_number=f"F{i:05d}",
                amount_cents=1000 + i,
                requested_date=TODAY + dt.timedelta(days=5),
                remittance=f"Factuur F{i:05d} ÄÖÜ-toeslag",
            )
        )
    return group, adm, account, orders


def operator(login: str, *adms: m.Administration):
    user = m.User.create(login=login, name=login, role="operator")
    for adm in adms:
        m.UserAdministration.create(user=user, administration=adm)
    return actor_for(user)
