"""A small world for the mandate tests (faster than the demo data): two administrations with
different mandate scopes, invoice types, debtors, and users with each role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from incasso_tui.db import models as m
from incasso_tui.services.auth import actor_for
from incasso_tui.services.demo import creditor_id

TODAY = dt.date(2026, 11, 24)  # INCASSO_TODAY of tests/conftest.py
IBAN_ABN = "NL91ABNA0417164300"
IBAN_ABN_2 = "NL02ABNA0123456789"
IBAN_ING = "NL20INGB0001234567"


@dataclass
class World:
    zon: m.Administration
    rijn: m.Administration
    huur: m.InvoiceType
    serv: m.InvoiceType
    private: m.Debtor  # ZON, private
    company: m.Debtor  # RIJN, business

    def actor(self, login: str = "tester"):
        return actor_for(m.User.get(m.User.login == login))


@pytest.fixture
def world(database) -> World:
    zon = m.Administration.create(
        code="ZON",
        name="Stichting Zonnebloem",
        creditor_id=creditor_id("30123456"),
        street="Oudegracht",
        building_number="112",
        postcode="3511 AX",
        town="Utrecht",
        collection_reason="Maandelijkse donatie",
    )
    rijn = m.Administration.create(
        code="RIJN",
        name="Woningbouw Rijnmond",
        creditor_id=creditor_id("24356789"),
        town="Rotterdam",
        mandate_scope="invoice_type",
    )
    huur = m.InvoiceType.create(
        administration=rijn, code="HUUR", name="Huur", collection_reason="Huur woning"
    )
    serv = m.InvoiceType.create(administration=rijn, code="SERV", name="Servicekosten")
    users = {"tester": "admin", "anna": "operator", "bram": "support", "chris": "operator"}
    for login, role in users.items():
        m.User.create(login=login, name=login.title(), role=role)
    for login, adm in (("anna", zon), ("bram", zon), ("chris", rijn)):
        m.UserAdministration.create(user=m.User.get(m.User.login == login), administration=adm)
    private = m.Debtor.create(
        administration=zon,
        number="1001",
        name="Łukasz Żółć",
        name_key="łukasz żółć",
        iban=IBAN_ABN,
        bic="ABNANL2A",
        street="Kerkstraat",
        building_number="1",
        postcode="1012 AB",
        town="Amsterdam",
        language="nl",
    )
    company = m.Debtor.create(
        administration=rijn,
        number="2001",
        name="Müller & Söhne GmbH",
        name_key="müller & söhne gmbh",
        iban=IBAN_ING,
        bic="INGBNL2A",
        is_business=True,
        language="de",
        town="Köln",
        country="DE",
    )
    return World(zon, rijn, huur, serv, private, company)
