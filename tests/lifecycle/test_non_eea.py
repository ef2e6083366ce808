"""A debtor whose bank (IBAN country) or address lies outside the EEA must have an address in
the file (sepa-rules §1.7): without a usable one (town and country) the order is held back
with that reason; with one it is written as a structured PstlAdr, and the file passes the
strict checker."""

from __future__ import annotations

from incasso_tui.db import models as m
from incasso_tui.services.collection import sets

from .helpers import files_of, process, sepa_check, transactions, world

GB_IBAN = "GB29NWBK60161331926819"


def _debtor(order: m.CollectionOrder, **values) -> None:
    m.Debtor.update(**values).where(m.Debtor.id == order.debtor_id).execute()


def test_non_eea_debtors_without_an_address_are_held_back_and_with_one_written(admin, tmp_path):
    _group, _adm, _account, orders = world(4)
    _debtor(orders[0], iban=GB_IBAN, bic="NWBKGB2L", town="", country="GB")  # no town
    _debtor(
        orders[1],
        iban=GB_IBAN,
        bic="NWBKGB2L",
        street="Baker Street",
        building_number="221B",
        postcode="NW1 6XE",
        town="London",
        country="GB",
    )
    _debtor(orders[2], town="Genève", country="CH", street="Rue du Rhône")  # NL bank, Swiss address
    _debtor(orders[3], town="Utrecht", country="NL")  # EEA: no address in the file
    created = sets.create_set(admin, "ABN")
    assert (created.orders, created.held_back) == (3, 1)
    held = sets.held_back(admin, created.id)
    assert held.by_reason == {"no_address": 1}
    row = held.rows[0]
    assert row["order_id"] == orders[0].id and row["values"] == {"country": "GB"}
    assert "outside the EEA (GB)" in row["reason"] and "town and country" in row["reason"]

    cset = process(admin, created.id, tmp_path / "out")
    (path,) = files_of(cset)
    by_e2e = {tx["e2e"]: tx for tx in transactions(path)}
    assert f"{cset.id}-{orders[0].id}" not in by_e2e  # never written without the address
    london = by_e2e[f"{cset.id}-{orders[1].id}"]["address"]
    assert london == {
        "StrtNm": "Baker Street",
        "BldgNb": "221B",
        "PstCd": "NW1 6XE",
        "TwnNm": "London",
        "Ctry": "GB",
    }
    geneva = by_e2e[f"{cset.id}-{orders[2].id}"]["address"]
    assert geneva["TwnNm"] == "Geneve" and geneva["Ctry"] == "CH"  # transliterated, structured
    assert by_e2e[f"{cset.id}-{orders[3].id}"]["address"] is None
    report = sepa_check(path)
    assert report["ok"] and report["files"][0]["errors"] == 0


def test_the_address_makes_the_order_collectable_again(admin):
    _group, _adm, _account, orders = world(1)
    _debtor(orders[0], iban=GB_IBAN, bic="NWBKGB2L", town=" ", country="GB")
    created = sets.create_set(admin, "ABN")
    assert created.orders == 0
    _debtor(orders[0], town="London")
    assert sets.add_orders(admin, created.id) == (1, [])
