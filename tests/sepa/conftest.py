"""Shared sample data for the SEPA engine tests (incasso_tui.sepa is pure: no DB needed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import SimpleNamespace

import pytest

from incasso_tui.sepa import (
    Address,
    Amendment,
    BatchKey,
    Creditor,
    FileHeader,
    Transaction,
    group_transactions,
)

# Real-format test data; every IBAN and creditor id passes its checksum.
CREDITOR = Creditor(
    name="Sportvereniging Sneek & Omstreken",
    iban="NL91ABNA0417164300",
    creditor_id="NL16ZZZ300384870000",
    bic="ABNANL2A",
)
CREDITOR_NO_BIC = Creditor(
    name="Energie Coöperatie Noord U.A.", iban="NL20INGB0001234567", creditor_id="NL69ZZZ123456780000"
)
COLLECTION = dt.date(2026, 3, 2)  # a Monday, TARGET2 open
COLLECTION_2 = dt.date(2026, 3, 16)
CREATED = dt.datetime(2026, 2, 20, 10, 15, 0)
HEADER = FileHeader(
    msg_id="INC-42-20260220101500",
    created_at=CREATED,
    initiating_party_name="Sportvereniging Sneek & Omstreken",
)

NL_BANKS = {
    "INGB": "INGBNL2A",
    "RABO": "RABONL2U",
    "ABNA": "ABNANL2A",
    "SNSB": "SNSBNL2A",
    "TRIO": "TRIONL2U",
    "KNAB": "KNABNL2H",
    "BUNQ": "BUNQNL2A",
    "ASNB": "ASNBNL21",
}
# Literal values (made once with schwifty's IBAN.generate) so golden files never depend on
# a library's random generator.
DEBTOR_IBANS = [
    "NL20INGB0001234567",
    "NL58RABO0001337514",
    "NL79ABNA0001440461",
    "NL55SNSB0001543408",
    "NL79TRIO0001646355",
    "NL43KNAB0001749302",
    "NL61BUNQ0001852249",
    "NL61ASNB0001955196",
    "NL39INGB0002058143",
    "NL77RABO0002161090",
    "NL98ABNA0002264037",
    "NL74SNSB0002366984",
    "NL98TRIO0002469931",
    "NL62KNAB0002572878",
    "NL80BUNQ0002675825",
    "NL80ASNB0002778772",
    "NL58INGB0002881719",
    "NL96RABO0002984666",
    "NL20ABNA0003087613",
    "NL93SNSB0003190560",
    "NL20TRIO0003293507",
    "NL81KNAB0003396454",
    "NL02BUNQ0003499401",
    "NL02ASNB0003602348",
]
FOREIGN_IBANS = {
    "DE": "DE89370400440532013000",
    "BE": "BE68539007547034",
    "FR": "FR1420041010050500013M02606",
    "CH": "CH9300762011623852957",
    "GB": "GB29NWBK60161331926819",
    "AT": "AT611904300234573201",
    "ES": "ES9121000418450200051332",
}


def tx(n: int = 1, **changes) -> Transaction:
    """A plain valid transaction; keyword arguments override fields."""
    base = Transaction(
        end_to_end_id=f"E2E-42-{n:06d}",
        amount_cents=1000 + n,
        mandate_id=f"MDT-{n:05d}",
        mandate_date=dt.date(2021, 1, 1) + dt.timedelta(days=n),
        debtor_name=f"Debiteur {n}",
        debtor_iban=DEBTOR_IBANS[n % len(DEBTOR_IBANS)],
        debtor_bic=None,
        remittance=f"Contributie maart 2026 lidnr {n}",
    )
    return replace(base, **changes)


def key(
    seq: str = "RCUR",
    date: dt.date = COLLECTION,
    creditor: Creditor = CREDITOR,
    instrument: str = "CORE",
    batch_booking: bool = True,
) -> BatchKey:
    return BatchKey(creditor, instrument, seq, date, batch_booking)


def small_batches():
    """The fixed input behind the golden files: every optional element at least once."""
    items = [
        (
            key("FRST"),
            tx(
                1,
                debtor_name="José Müller-Strauß",
                debtor_bic="INGBNL2A",
                debtor_iban="NL20INGB0001234567",
                remittance="Contributie 2026 — lidnr 1 (€ 12,50) & meer",
            ),
        ),
        (key("FRST"), tx(2, amount_cents=1, remittance=None, debtor_name="Ærø Trading ApS")),
        (
            key("RCUR"),
            tx(
                3,
                amount_cents=99_999_999_999,
                debtor_bic="RABONL2U",
                debtor_name="Grand Café_Central @ Sneek",
                amendment=Amendment(original_mandate_id="OLD-00003", new_debtor_account=True),
            ),
        ),
        (
            key("RCUR"),
            tx(
                4,
                debtor_iban=FOREIGN_IBANS["CH"],
                debtor_name="Zürcher Verein",
                debtor_address=Address(
                    country="CH", town="Zürich", street="Bahnhofstrasse", building_number="1", postcode="8001"
                ),
                ultimate_debtor_name="Lid: Anna Zoë",
                instruction_id="INSTR-4",
            ),
        ),
        (
            key("RCUR", COLLECTION_2),
            tx(
                5,
                amendment=Amendment(
                    original_creditor_id="NL66ZZZ301234560000",
                    original_creditor_name="SV Sneek",
                    original_debtor_iban="NL91ABNA0417164300",
                ),
                debtor_iban="NL02ABNA0123456789",
            ),
        ),
    ]
    return group_transactions(items)


@pytest.fixture
def samples():
    return SimpleNamespace(
        tx=tx,
        key=key,
        small_batches=small_batches,
        header=HEADER,
        creditor=CREDITOR,
        creditor_no_bic=CREDITOR_NO_BIC,
        collection=COLLECTION,
        collection_2=COLLECTION_2,
        debtor_ibans=DEBTOR_IBANS,
        foreign_ibans=FOREIGN_IBANS,
        nl_banks=NL_BANKS,
    )
