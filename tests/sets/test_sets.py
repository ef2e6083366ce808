"""Sets: creation with eligibility and held-back reasons, rights, consult, modify, delete."""

from __future__ import annotations

import datetime as dt

import pytest

from incasso_tui.core.errors import Refused, ValidationError, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.services.collection import sets
from incasso_tui.services.collection.orders import OrderInput, add_order, cancel_order

from .helpers import TODAY, operator, world


def test_new_set_takes_eligible_orders_and_lists_the_held_back(admin):
    _group, _adm, _account, orders = world(6)
    # Make four of them ineligible in different ways.
    m.Mandate.update(effective_date=TODAY + dt.timedelta(days=30)).where(
        m.Mandate.id == orders[0].mandate_id
    ).execute()
    m.Mandate.update(end_date=TODAY).where(m.Mandate.id == orders[1].mandate_id).execute()
    m.CollectionOrder.update(mandate=None).where(m.CollectionOrder.id == orders[2].id).execute()
    m.Mandate.delete().where(m.Mandate.id == orders[2].mandate_id).execute()
    m.Debtor.update(iban="NL00INGB0000000001").where(m.Debtor.id == orders[3].debtor_id).execute()
    created = sets.create_set(admin, "ABN")
    assert created.collection_date == dt.date(2026, 11, 26)  # 2 TARGET days after Tue 24 Nov
    assert (created.orders, created.held_back, created.skipped_administrations) == (2, 4, 0)
    assert created.total_cents == orders[4].amount_cents + orders[5].amount_cents
    held = sets.held_back(admin, created.id)
    codes = {r["order_id"]: r["code"] for r in held.rows}
    assert codes == {
        orders[0].id: "not_yet_effective",
        orders[1].id: "ended",
        orders[2].id: "no_mandate",
        orders[3].id: "invalid_iban",
    }
    assert all(r["reason"] and r["debtor_number"] for r in held.rows)
    # An order is never in two unsent sets: a second set finds nothing new.
    second = sets.create_set(admin, "ABN")
    assert second.orders == 0


def test_orders_of_administrations_without_rights_are_absent_but_counted(admin):
    _group, zon, _, zon_orders = world(3)
    _, _klim, _, _klim_orders = world(2, adm_code="KLIM", account_no="0000000019")
    anna = operator("anna", zon)
    created = sets.create_set(anna, "ABN")
    assert (created.orders, created.skipped_administrations) == (3, 1)
    in_set = {
        r[0]
        for r in m.CollectionOrder.select(m.CollectionOrder.id)
        .where(m.CollectionOrder.collection_set == created.id)
        .tuples()
    }
    assert in_set == {o.id for o in zon_orders}
    # The held-back list of anna never shows KLIM's orders either.
    assert all(r["administration"] == "ZON" for r in sets.held_back(anna, created.id).rows)
    nobody = operator("nobody")
    with pytest.raises(Refused):
        sets.create_set(nobody, "ABN")


def test_one_frst_per_mandate_and_one_off_once_in_a_set(admin):
    _group, adm, account, orders = world(2)
    extra = m.CollectionOrder.create(
        administration=adm,
        debtor=orders[0].debtor,
        mandate=orders[0].mandate,
        bank_account=account,
        amount_cents=500,
        requested_date=TODAY + dt.timedelta(days=5),
    )
    m.Mandate.update(recurrent=False).where(m.Mandate.id == orders[1].mandate_id).execute()
    extra2 = m.CollectionOrder.create(
        administration=adm,
        debtor=orders[1].debtor,
        mandate=orders[1].mandate,
        bank_account=account,
        amount_cents=600,
        requested_date=TODAY + dt.timedelta(days=5),
    )
    created = sets.create_set(admin, "ABN")
    assert created.orders == 3
    held = sets.held_back(admin, created.id)
    assert [(r["order_id"], r["code"]) for r in held.rows] == [(extra2.id, "one_off_in_set")]
    detail = sets.set_detail(admin, created.id)
    seqs = {o["id"]: o["sequence_type"] for o in detail.order_rows}
    assert seqs == {orders[0].id: "FRST", extra.id: "RCUR", orders[1].id: "OOFF"}


def test_consult_modify_and_delete(admin):
    _group, _adm, _account, orders = world(4)
    created = sets.create_set(admin, "ABN", "2026-12-25")
    assert created.collection_date == dt.date(2026, 12, 28)  # Christmas, Boxing day, then Monday
    assert "Christmas" in created.date_note
    detail = sets.set_detail(admin, created.id)
    assert detail.orders == 4 and detail.totals[0]["count"] == 4
    assert detail.preview and detail.preview[0]["in_file"].startswith("Jurgen Muller")
    assert sets.remove_orders(admin, created.id, [orders[0].id, orders[1].id]) == 2
    held = sets.held_back(admin, created.id)
    assert {r["code"] for r in held.rows} == {"not_added"}
    added, refused = sets.add_orders(admin, created.id, [orders[0].id, 999999])
    assert added == 1 and [r["order_id"] for r in refused] == [999999]
    with pytest.raises(ValidationError):
        sets.change_date(admin, created.id, "2026-11-01")
    assert sets.change_date(admin, created.id, "2026-12-01").collection_date == dt.date(2026, 12, 1)
    sets.delete_set(admin, created.id)
    assert m.CollectionOrder.select().where(m.CollectionOrder.collection_set.is_null(False)).count() == 0


def test_add_and_cancel_orders(admin):
    _group, _adm, _account, orders = world(1)
    added = add_order(
        admin, OrderInput("ZON", orders[0].debtor.number, "12,50", "2026-12-01", invoice_number="F1")
    )
    order = m.CollectionOrder.get_by_id(added.id)
    assert (order.amount_cents, order.mandate_id, order.remittance) == (
        1250,
        orders[0].mandate_id,
        "Factuur F1",
    )
    with pytest.raises(Exception) as info:
        add_order(admin, OrderInput("ZON", "nope", "-1", "2020-01-01"))
    text = str(info.value)
    assert "debtor" in text and "amount" in text and "requested date" in text
    cancel_order(admin, added.id)
    assert m.CollectionOrder.get_by_id(added.id).status == "cancelled"
    with pytest.raises(Refused):
        cancel_order(admin, added.id)


def test_a_date_moved_beyond_the_notice_margin_warns(admin):
    # The debtor was told the requested date; a set dated 9 days later is past the
    # administration's margin (5 days by default): the consult says so, per administration.
    _group, _adm, _account, orders = world(3)
    m.CollectionOrder.update(requested_date=TODAY + dt.timedelta(days=3)).where(
        m.CollectionOrder.id == orders[0].id
    ).execute()
    created = sets.create_set(admin, "ABN", requested_date=TODAY + dt.timedelta(days=12))
    detail = sets.set_detail(admin, created.id)
    # TODAY + 12 is a Sunday: the set collects on Monday, 10 days after the earliest told date.
    assert detail.notice_warnings == [
        {"administration": "ZON", "orders": 3, "most_days": 10, "margin_days": 5}
    ]
    from incasso_tui.services.mandates.settings import set_mandate_settings

    set_mandate_settings(admin, "ZON", notice_margin_days=10)
    assert sets.set_detail(admin, created.id).notice_warnings == []
    with pytest.raises(ValidationErrors, match="notice margin days"):
        set_mandate_settings(admin, "ZON", notice_margin_days=-1)


def test_a_set_is_handled_only_after_it_produced_its_file(admin):
    from incasso_tui.services.collection.orders import handle_orders

    world(2)
    created = sets.create_set(admin, "ABN")
    with pytest.raises(Refused, match="only a processed or sent set can be handled"):
        handle_orders(admin, set_id=created.id)
