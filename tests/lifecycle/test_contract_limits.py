"""Contract limits per bank account (sepa-rules §7): an order over the maximum per transaction
is held back with the amounts; a set that would push a calendar month over the maximum per
month is refused with the figures — when it is made, when orders are added and again when it
is queued for processing."""

from __future__ import annotations

import datetime as dt

import pytest

from incasso_tui.core.errors import Refused
from incasso_tui.db import models as m
from incasso_tui.services.collection import processing, sets

from .helpers import TODAY, new_set_processed, process, world

DAY = dt.date(2026, 11, 30)  # the set's collection date: orders due on the 29th (a Sunday)


def _limits(account: m.BankAccount, *, per_transaction: int | None = None, per_month: int | None = None):
    m.BankAccount.update(max_per_transaction_cents=per_transaction, max_per_month_cents=per_month).where(
        m.BankAccount.id == account.id
    ).execute()


def _collected(account, order, cents: int, day: dt.date, status: str = "processed") -> m.CollectionOrder:
    """A collection made earlier under the same account (another debtor's claim)."""
    return m.CollectionOrder.create(
        administration=order.administration_id,
        debtor=order.debtor_id,
        mandate=order.mandate_id,
        bank_account=account,
        amount_cents=cents,
        requested_date=day,
        collection_date=day,
        status=status,
        sequence_type="RCUR",
    )


def test_an_order_over_the_maximum_per_transaction_is_held_back_with_the_amounts(admin, tmp_path):
    _group, _adm, account, orders = world(3)
    m.CollectionOrder.update(amount_cents=125000).where(m.CollectionOrder.id == orders[1].id).execute()
    _limits(account, per_transaction=100000)
    created = sets.create_set(admin, "ABN")
    assert (created.orders, created.held_back) == (2, 1)
    held = sets.held_back(admin, created.id)
    assert held.by_reason == {"over_transaction_max": 1}
    row = held.rows[0]
    assert row["order_id"] == orders[1].id
    assert row["reason"] == (
        f"amount € 1.250,00 is over the contract's maximum per transaction € 1.000,00 of {account.iban}"
    )
    # An order of exactly the maximum goes; the file holds only the orders within it.
    m.CollectionOrder.update(amount_cents=100000).where(m.CollectionOrder.id == orders[1].id).execute()
    added, refused = sets.add_orders(admin, created.id, [orders[1].id])
    assert (added, refused) == (1, [])
    m.CollectionOrder.update(amount_cents=100001).where(m.CollectionOrder.id == orders[0].id).execute()
    cset = process(admin, created.id, tmp_path / "out")
    assert m.CollectionOrder.get_by_id(orders[0].id).collection_set_id is None  # left the set
    assert sum(f["count"] for f in cset.files) == 2


def test_without_limits_nothing_is_held_back_or_refused(admin):
    _group, _adm, _account, orders = world(2)
    m.CollectionOrder.update(amount_cents=99_999_999_999).where(
        m.CollectionOrder.id == orders[0].id
    ).execute()
    created = sets.create_set(admin, "ABN")
    assert (created.orders, created.held_back) == (2, 0)


def test_a_set_over_the_month_maximum_is_refused_with_the_figures(admin):
    _group, _adm, account, orders = world(3)  # 10,00 + 10,01 + 10,02 = 30,03 on 30 November
    _collected(account, orders[0], 2000, dt.date(2026, 11, 10))  # counts: same month
    _collected(account, orders[0], 500, dt.date(2026, 11, 12), status="reversed")  # was collected
    _collected(account, orders[0], 9999, dt.date(2026, 11, 13), status="rejected")  # was not
    _collected(account, orders[0], 9999, dt.date(2026, 10, 30))  # another month
    _limits(account, per_month=5000)
    with pytest.raises(Refused) as refused:
        sets.create_set(admin, "ABN")
    message = str(refused.value)
    assert f"bank account {account.iban} in 2026-11" in message
    assert "already collected € 25,00 + this set € 30,03 = € 55,03" in message
    assert "maximum per month € 50,00" in message
    # Nothing of the refused set stays behind.
    assert m.CollectionSet.select().count() == 0
    assert m.CollectionOrder.select().where(m.CollectionOrder.collection_set.is_null(False)).count() == 0
    _limits(account, per_month=5503)  # exactly the maximum: allowed
    assert sets.create_set(admin, "ABN").orders == 3


def test_the_month_is_checked_again_when_the_set_is_queued(admin, tmp_path):
    _group, _adm, account, orders = world(2)
    _limits(account, per_month=3000)
    created = sets.create_set(admin, "ABN")  # 20,01 of 30,00
    _collected(account, orders[0], 1500, dt.date(2026, 11, 2))  # collected meanwhile
    with pytest.raises(Refused) as refused:
        processing.process_set(admin, created.id, outbox_dir=tmp_path / "out")
    message = str(refused.value)
    assert f"set {created.id} refused" in message
    assert "2026-11: already collected € 15,00 + this set € 20,01 = € 35,01" in message
    assert "maximum per month € 30,00" in message
    assert m.CollectionSet.get_by_id(created.id).status == "open"
    assert m.Job.select().count() == 0
    # Adding orders that would go over it is refused too (and adds nothing).
    _limits(account, per_month=None)
    extra = m.CollectionOrder.create(
        administration=orders[0].administration_id,
        debtor=orders[0].debtor_id,
        mandate=orders[0].mandate_id,
        bank_account=account,
        amount_cents=1000,
        requested_date=TODAY + dt.timedelta(days=5),
    )
    _limits(account, per_month=4000)  # 15,00 + 30,01 would be over it
    with pytest.raises(Refused, match=r"this set € 30,01"):
        sets.add_orders(admin, created.id, [extra.id])
    assert m.CollectionOrder.get_by_id(extra.id).collection_set_id is None


def test_reprocessing_counts_the_sets_own_file_once(admin, tmp_path):
    _group, _adm, account, _orders = world(2)
    _limits(account, per_month=2001)  # exactly this set
    cset = new_set_processed(admin, tmp_path / "out")
    assert {o.status for o in m.CollectionOrder.select()} == {"underway"}
    # Its own underway orders are "this set", not also "already collected".
    again = process(admin, cset.id, tmp_path / "out")
    assert again.status == "processed"
    # A second set in the same month now counts them as already collected.
    order = m.CollectionOrder.get()
    m.CollectionOrder.create(
        administration=order.administration_id,
        debtor=order.debtor_id,
        mandate=order.mandate_id,
        bank_account=account,
        amount_cents=1,
        requested_date=TODAY + dt.timedelta(days=5),
    )
    with pytest.raises(Refused, match=r"already collected € 20,01 \+ this set € 0,01"):
        sets.create_set(admin, "ABN")
