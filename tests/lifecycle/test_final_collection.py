"""Final collection: an order marked final goes into the file as FNAL; processing records the
mandate's final collection (no other order under it is collected); the daily check ends the
mandate once the collection date has passed; a reject before settlement re-opens it and the
next collection is the final one again."""

from __future__ import annotations

import datetime as dt

import pytest

from incasso_tui.core.errors import Refused
from incasso_tui.db import models as m
from incasso_tui.services.collection import orders as order_service
from incasso_tui.services.collection import sets
from incasso_tui.services.feedback import reversals
from incasso_tui.services.mandates.daily_check import check_all

from .helpers import TODAY, files_of, new_set_processed, process, send, transactions, world

DAY = dt.date(2026, 11, 30)  # the collection date of the world's orders


def _another_order(order: m.CollectionOrder, days: int = 20) -> m.CollectionOrder:
    return m.CollectionOrder.create(
        administration=order.administration_id,
        debtor=order.debtor_id,
        mandate=order.mandate_id,
        bank_account=order.bank_account_id,
        amount_cents=2500,
        requested_date=TODAY + dt.timedelta(days=days),
    )


@pytest.mark.parametrize("policy", ["frst_first", "always_rcur"])
def test_a_final_order_is_fnal_and_its_mandate_ends_after_the_collection_date(admin, tmp_path, policy):
    _group, adm, _account, orders = world(3)
    m.Administration.update(sequence_policy=policy).where(m.Administration.id == adm.id).execute()
    m.Mandate.update(collected=True, last_collection_date=TODAY - dt.timedelta(days=30)).where(
        m.Mandate.id == orders[1].mandate_id
    ).execute()
    state = order_service.set_order_final(admin, orders[1].id, True)
    assert (state.final, state.mandate) == (True, "000002-1")
    assert m.CollectionOrder.get_by_id(orders[1].id).final
    entry = m.AuditEntry.get(m.AuditEntry.action == "order.final")
    assert entry.object_id == str(orders[1].id) and entry.changes == {"final": [False, True]}
    later = _another_order(orders[1])  # due after the final one: never collected

    cset = new_set_processed(admin, tmp_path / "out")
    (path,) = files_of(cset)
    seq = {tx["e2e"]: tx["seq"] for tx in transactions(path)}
    assert seq[f"{cset.id}-{orders[1].id}"] == "FNAL"
    assert seq[f"{cset.id}-{orders[0].id}"] == ("FRST" if policy == "frst_first" else "RCUR")
    assert f"{cset.id}-{later.id}" not in seq  # held back: the final one is in this set
    mandate = m.Mandate.get_by_id(orders[1].mandate_id)
    assert mandate.final_collected and not mandate.final_pending
    assert mandate.status == "active"  # until the collection date has passed

    held = sets.create_set(admin, "ABN")
    assert held.orders == 0
    assert sets.held_back(admin, held.id).by_reason == {"final_collected": 1}

    check_all(DAY)  # on the collection date itself a reject may still come
    assert m.Mandate.get_by_id(mandate.id).status == "active"
    result = check_all(DAY + dt.timedelta(days=1))
    ended = m.Mandate.get_by_id(mandate.id)
    assert (ended.status, ended.status_reason) == ("ended", "final collection (FNAL) made")
    assert result.changes == {"active->ended": 1}
    assert {md.status for md in m.Mandate.select().where(m.Mandate.id != mandate.id)} == {"active"}


def test_a_reject_before_settlement_reopens_the_mandate_and_the_next_one_is_final(admin, tmp_path):
    _group, _adm, _account, orders = world(1)
    order_service.set_order_final(admin, orders[0].id, True)
    cset = new_set_processed(admin, tmp_path / "out")
    send(admin, cset.id, tmp_path / "bank")
    check_all(DAY + dt.timedelta(days=1))
    assert m.Mandate.get_by_id(orders[0].mandate_id).status == "ended"

    # The debtor's bank rejects it (late): the collection never happened.
    result = reversals.reverse_order(admin, orders[0].id, "reject", "AM04", collect_again=True)
    mandate = m.Mandate.get_by_id(orders[0].mandate_id)
    assert mandate.final_pending and not mandate.final_collected
    assert check_all(DAY + dt.timedelta(days=2)).changes == {"ended->active": 1}
    assert m.Mandate.get_by_id(mandate.id).status == "active"

    # The order collected again is the final collection (the mandate's pending final one).
    again = m.CollectionOrder.get_by_id(result.new_order_id)
    assert not again.final
    assert order_service.final_state(admin, again.id).final
    created = sets.create_set(admin, "ABN", again.requested_date.isoformat())
    second = process(admin, created.id, tmp_path / "out")
    (path,) = files_of(second)
    assert [tx["seq"] for tx in transactions(path)] == ["FNAL"]
    mandate = m.Mandate.get_by_id(mandate.id)
    assert mandate.final_collected and not mandate.final_pending


def test_marking_final_is_refused_where_it_cannot_apply(admin, tmp_path):
    _group, adm, account, orders = world(4)
    m.Mandate.update(recurrent=False).where(m.Mandate.id == orders[0].mandate_id).execute()
    with pytest.raises(Refused, match="one-off mandate"):
        order_service.set_order_final(admin, orders[0].id, True)
    no_mandate = m.CollectionOrder.create(
        administration=adm,
        debtor=orders[1].debtor_id,
        bank_account=account,
        amount_cents=100,
        requested_date=TODAY + dt.timedelta(days=5),
    )
    with pytest.raises(Refused, match="has no mandate yet"):
        order_service.set_order_final(admin, no_mandate.id, True)
    order_service.set_order_final(admin, orders[1].id, True)
    second = _another_order(orders[1])
    with pytest.raises(Refused, match=f"order {orders[1].id} is already the final collection"):
        order_service.set_order_final(admin, second.id, True)
    # Setting what is already so changes nothing and is not audited twice.
    order_service.set_order_final(admin, orders[1].id, True)
    assert m.AuditEntry.select().where(m.AuditEntry.action == "order.final").count() == 1

    created = sets.create_set(admin, "ABN")
    from incasso_tui.services.collection import processing

    processing.process_set(admin, created.id, outbox_dir=tmp_path / "out")  # queued
    with pytest.raises(Refused, match="which is queued"):
        order_service.set_order_final(admin, orders[2].id, True)
    from incasso_tui.jobs.worker import JobRunner

    JobRunner().run_pending(once=True)
    with pytest.raises(Refused, match="is underway: only an order that is not processed"):
        order_service.set_order_final(admin, orders[2].id, True)
    state = order_service.final_state(admin, orders[2].id)
    assert not state.final and "underway" in state.refused


def test_undo_and_rights(admin, tmp_path):
    from sets.helpers import operator

    _group, adm, _account, orders = world(2)
    order_service.set_order_final(admin, orders[0].id, True)
    state = order_service.set_order_final(admin, orders[0].id, False)
    assert not state.final and not m.CollectionOrder.get_by_id(orders[0].id).final
    assert m.AuditEntry.select().where(m.AuditEntry.action == "order.final_undone").count() == 1
    support = m.User.create(login="bram", name="Bram", role="support")
    m.UserAdministration.create(user=support, administration=adm)
    from incasso_tui.services.auth import actor_for

    with pytest.raises(Refused, match="may not"):
        order_service.set_order_final(actor_for(support), orders[0].id, True)
    anna = operator("anna", adm)
    assert order_service.set_order_final(anna, orders[0].id, True).final
    from incasso_tui.db.statuses import OrderAction

    assert OrderAction.MARK_FINAL in order_service.order_actions(anna, "open", None, adm.id)
    assert OrderAction.MARK_FINAL not in order_service.order_actions(actor_for(support), "open", None, adm.id)
    assert OrderAction.MARK_FINAL not in order_service.order_actions(anna, "underway", 1, adm.id)
    cset = new_set_processed(admin, tmp_path / "out")
    seq = {tx["e2e"]: tx["seq"] for tx in transactions(files_of(cset)[0])}
    assert seq == {f"{cset.id}-{orders[0].id}": "FNAL", f"{cset.id}-{orders[1].id}": "FRST"}
