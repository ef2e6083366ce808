"""Bank feedback against a real processed and sent set: the import of every fixture, what it
does to orders and mandates, idempotency, the preview, bad files, rights, and the round trip
reject -> FRST again in the next set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sets.helpers import TODAY, operator, world

from feedback.fixtures import write
from incasso_tui.core.errors import NotFound, Refused
from incasso_tui.db import models as m
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.sepa.reader import iter_transactions
from incasso_tui.services.collection import processing, sets
from incasso_tui.services.feedback import reversals
from incasso_tui.services.feedback.importing import FeedbackFileError, import_feedback
from incasso_tui.services.feedback.rtransactions import (
    FeedbackFilter,
    blocked_by_feedback,
    collection_history,
    search_feedback,
)

OLD_IBAN = "NL91ABNA0417164300"


def sent_set(
    admin,
    tmp_path: Path,
    n: int = 6,
    *,
    collected: tuple[int, ...] = (),
    b2b: int = 0,
    amended: tuple[int, ...] = (),
):
    """A set of n orders (mandates listed in `collected` already used: RCUR), processed and
    sent. Returns (set, orders in id order, file entry)."""
    group, _adm, _account, orders = world(n, with_b2b=b2b)
    for i in collected:
        m.Mandate.update(collected=True, last_collection_date=TODAY - dt.timedelta(days=30)).where(
            m.Mandate.id == orders[i].mandate_id
        ).execute()
    for i in amended:  # the debtor moved to another bank since the last collection
        m.Mandate.update(amend_iban=OLD_IBAN, amend_smnda=True).where(
            m.Mandate.id == orders[i].mandate_id
        ).execute()
    created = sets.create_set(admin, "ABN")
    job_id = processing.process_set(admin, created.id, outbox_dir=tmp_path / "outbox")
    assert JobRunner().run_one(job_id) == "done"
    delivery = tmp_path / "bank"
    delivery.mkdir()
    m.BankGroup.update(delivery_dir=str(delivery)).where(m.BankGroup.id == group.id).execute()
    from incasso_tui.services.collection.sending import send_set

    send_set(admin, created.id)
    cset = m.CollectionSet.get_by_id(created.id)
    assert cset.status == "sent"
    fresh = list(
        m.CollectionOrder.select()
        .where(m.CollectionOrder.collection_set == created.id)
        .order_by(m.CollectionOrder.id)
    )
    core = next(f for f in cset.files if f["scheme"] == "CORE")
    return cset, fresh, core


def ids_for(orders, core, **extra) -> dict:
    values = {
        "msg_id": core["msg_id"],
        "pmt_inf_1": core["pmt_inf"][0]["id"],
        "pmt_inf_2": core["pmt_inf"][-1]["id"],
        "date": orders[0].collection_date,
        "booking_date": orders[0].collection_date + dt.timedelta(days=3),
    }
    for n, order in enumerate(orders[:6], start=1):
        values[f"e2e_{n}"] = order.end_to_end_id
        values[f"mandate_{n}"] = order.mandate.reference
        values[f"amount_{n}"] = f"{order.amount_cents // 100}.{order.amount_cents % 100:02d}"
    return {**values, **extra}


def status_of(order) -> str:
    return m.CollectionOrder.get_by_id(order.id).status


def mandate_of(order) -> m.Mandate:
    return m.Mandate.get_by_id(order.mandate_id)


def test_pain002_rejects_then_the_next_set_collects_frst_again(admin, tmp_path):
    _cset, orders, core = sent_set(admin, tmp_path, collected=(1,))
    assert [o.sequence_type for o in orders[:3]] == ["FRST", "RCUR", "FRST"]
    before = TODAY - dt.timedelta(days=30)  # the RCUR mandate's date before this set
    assert mandate_of(orders[2]).last_collection_date == orders[2].collection_date
    path = write(tmp_path, "pain002_03_tx_rejects.xml", **ids_for(orders, core))

    preview = import_feedback(admin, path, dry_run=True)
    assert [(e.order_id, e.reason_code, e.action) for e in preview.effects] == [
        (orders[0].id, "AC04", "block_mandate"),
        (orders[1].id, "MD01", "mandate_invalid"),
        (orders[2].id, "AM04", "retry_allowed"),
    ]
    assert preview.accepted == 1 and not preview.unmatched
    assert preview.effects[0].next_sequence == "FRST again"
    assert preview.effects[1].mandate_status == ("active", "revoked")
    assert status_of(orders[0]) == "underway"  # the preview changed nothing
    assert not m.BankFeedback.select().exists()

    report = import_feedback(admin, path)
    assert report.feedback_file_id and len(report.effects) == 3
    assert [status_of(o) for o in orders[:4]] == ["rejected", "rejected", "rejected", "underway"]
    blocked, revoked, retry = (mandate_of(o) for o in orders[:3])
    assert (blocked.status, blocked.status_reason) == ("blocked", "AC04: Closed account number")
    assert revoked.status == "revoked" and revoked.status_reason.startswith("MD01")
    assert retry.status == "active" and not retry.collected
    assert retry.last_collection_date is None  # restored: this was its first collection
    assert mandate_of(orders[1]).last_collection_date == before  # RCUR: back to 30 days ago
    assert mandate_of(orders[1]).collected  # an earlier collection still counts
    history = collection_history(admin, mandate_id=retry.id)
    assert [h.what for h in history] == ["collection", "reject"]

    # Importing the same file again changes nothing and says so.
    again = import_feedback(admin, path)
    assert again.already_imported and not again.effects
    assert m.BankFeedback.select().count() == 3

    # Herincasso of the AM04 order, and a new order for the blocked mandate: the next set
    # puts FRST on the retried mandate and holds the blocked one back with the bank's reason.
    new_id = reversals.collect_again(admin, orders[2].id)
    new = m.CollectionOrder.get_by_id(new_id)
    assert new.reopened_from_id == orders[2].id and new.status == "open"
    assert new.requested_date >= TODAY + dt.timedelta(days=14)
    with pytest.raises(Refused, match="already collected again"):
        reversals.collect_again(admin, orders[2].id)
    m.CollectionOrder.create(
        administration=orders[0].administration_id,
        debtor=orders[0].debtor_id,
        mandate=orders[0].mandate_id,
        bank_account=orders[0].bank_account_id,
        amount_cents=500,
        requested_date=new.requested_date,
    )
    second = sets.create_set(admin, "ABN", requested_date=new.requested_date)
    held = sets.held_back(admin, second.id)
    reasons = {r["order_id"]: r["reason"] for r in held.rows}
    assert any("AC04: Closed account number" in text for text in reasons.values()), reasons
    job_id = processing.process_set(admin, second.id, outbox_dir=tmp_path / "outbox")
    assert JobRunner().run_one(job_id) == "done"
    path2 = m.CollectionSet.get_by_id(second.id).files[0]["path"]
    in_file = {tx.end_to_end_id: info.key.sequence_type for info, tx in iter_transactions(path2)}
    again = m.CollectionOrder.get_by_id(new_id)
    assert again.sequence_type == "FRST" and in_file[again.end_to_end_id] == "FRST"
    assert again.end_to_end_id != orders[2].end_to_end_id


def test_pain002_v10_every_action_and_a_new_iban_lifts_the_block(admin, tmp_path):
    _cset, orders, core = sent_set(admin, tmp_path)
    path = write(tmp_path, "pain002_10_tx_rejects.xml", **ids_for(orders, core))
    report = import_feedback(admin, path)
    got = {e.reason_code: (e.action, e.mandate_status) for e in report.effects}
    assert got == {
        "AC06": ("block_mandate", ("active", "blocked")),
        "AC01": ("needs_new_iban", ("active", "blocked")),
        "MD07": ("cancel_mandate", ("active", "revoked")),
        "MS03": ("retry_allowed", None),
        "XX99": ("decide", None),
        "AG01": ("block_mandate", ("active", "blocked")),
    }
    open_items = search_feedback(admin, FeedbackFilter(open_only=True)).rows
    assert [r.reason_code for r in open_items] == ["XX99"]
    assert blocked_by_feedback(admin) == 4  # AC06, AC01, AG01 blocked; MD07 revoked
    # A corrected IBAN lifts the AC01 block (the others stay blocked until theirs changes).
    from incasso_tui.services.debtors import DebtorInput, update_debtor

    debtor = orders[1].debtor
    update_debtor(
        admin,
        debtor.id,
        DebtorInput(
            number=debtor.number,
            name=debtor.name,
            iban="NL91ABNA0417164300",
            bic="",
            is_business=False,
            language="nl",
            country="NL",
        ),
    )
    assert mandate_of(orders[1]).status == "active"
    assert mandate_of(orders[0]).status == "blocked"


def test_group_and_block_rejects_cover_their_orders(admin, tmp_path):
    cset, orders, core = sent_set(admin, tmp_path, n=3, b2b=2)
    b2b = next(f for f in cset.files if f["scheme"] == "B2B")
    block = write(
        tmp_path, "pain002_03_block_reject.xml", **ids_for(orders, b2b, pmt_inf_2=b2b["pmt_inf"][0]["id"])
    )
    report = import_feedback(admin, block)
    assert not report.unmatched, report.unmatched
    b2b_orders = [o for o in orders if o.file_name == b2b["name"]]
    assert sorted(e.order_id for e in report.effects) == [o.id for o in b2b_orders]
    assert {status_of(o) for o in b2b_orders} == {"rejected"}
    group = write(tmp_path, "pain002_03_group_reject.xml", **ids_for(orders, core))
    report = import_feedback(admin, group)
    core_orders = [o for o in orders if o.file_name == core["name"]]
    assert sorted(e.order_id for e in report.effects) == [o.id for o in core_orders]
    assert {e.reason_code for e in report.effects} == {"FF01"}
    assert {status_of(o) for o in orders} == {"rejected"}
    # FF01 is a technical reject: the mandates stay active.
    assert {mandate_of(o).status for o in core_orders} == {"active"}


def test_camt053_batch_returns_refund_and_a_pre_settlement_reject(admin, tmp_path):
    _cset, orders, core = sent_set(admin, tmp_path)
    path = write(tmp_path, "camt053_02_returns.xml", **ids_for(orders, core))
    report = import_feedback(admin, path)
    kinds = {e.order_id: (e.kind, e.order_status[1]) for e in report.effects}
    assert kinds == {
        orders[0].id: ("return", "reversed"),
        orders[1].id: ("reject", "rejected"),
        orders[2].id: ("return", "reversed"),
        orders[3].id: ("refund", "reversed"),
    }
    # After settlement the collection counted as use; the /RTYP/RJCT reject did not.
    assert mandate_of(orders[0]).collected and mandate_of(orders[2]).collected
    assert not mandate_of(orders[1]).collected
    assert mandate_of(orders[2]).status == "revoked"  # MD01
    assert mandate_of(orders[3]).status == "active"  # MD06 refund: mandate stays valid


def test_camt054_matches_by_mandate_when_there_is_no_end_to_end_id(admin, tmp_path):
    _cset, orders, core = sent_set(admin, tmp_path)
    path = write(tmp_path, "camt054_02_refund.xml", **ids_for(orders, core))
    report = import_feedback(admin, path)
    assert {e.order_id: e.kind for e in report.effects} == {orders[4].id: "refund", orders[5].id: "return"}
    assert mandate_of(orders[5]).status == "blocked"  # AC04


def test_unmatched_references_are_listed_and_kept(admin, tmp_path):
    _cset, orders, core = sent_set(admin, tmp_path, n=2)
    values = ids_for(orders, core)
    values.update(e2e_3="99-999999", e2e_6="98-888888")
    path = write(tmp_path, "camt053_08_return.xml", **values)
    report = import_feedback(admin, path)
    assert not report.effects
    assert [(u.reference, u.why) for u in report.unmatched] == [("98-888888", "no order has this EndToEndId")]
    rows = search_feedback(admin, FeedbackFilter(open_only=True)).rows
    assert [(r.source_ref, r.matched, r.reason_code) for r in rows] == [("98-888888", False, "AC01")]


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("broken.xml", "not well-formed"),
        ("unrelated.xml", "not a pain.002"),
        ("pain001_status.xml", "pain.001"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(admin, tmp_path, name, fragment):
    _cset, orders, core = sent_set(admin, tmp_path, n=2)
    path = write(tmp_path, name, **ids_for(orders, core))
    with pytest.raises(FeedbackFileError, match=fragment) as caught:
        import_feedback(admin, path)
    assert "nothing was imported" in str(caught.value)
    assert not m.BankFeedback.select().exists() and not m.FeedbackFile.select().exists()
    assert {status_of(o) for o in orders} == {"underway"}


def test_rights_support_may_not_import_and_operators_only_their_administrations(admin, tmp_path):
    _cset, orders, core = sent_set(admin, tmp_path, n=2)
    path = write(
        tmp_path,
        "camt053_08_return.xml",
        **ids_for(orders, core, e2e_6=orders[0].end_to_end_id, mandate_6=orders[0].mandate.reference),
    )
    support = m.User.create(login="bram", name="Bram", role="support")
    from incasso_tui.services.auth import actor_for

    with pytest.raises(Refused, match="support"):
        import_feedback(actor_for(support), path)
    other_adm = m.Administration.create(
        code="RIJN", name="Rijn", creditor_id=orders[0].administration.creditor_id
    )
    outsider = operator("chris", other_adm)
    with pytest.raises(Refused, match="ZON"):
        import_feedback(outsider, path)
    assert status_of(orders[0]) == "underway"
    with pytest.raises(NotFound):  # not even visible to an operator of another administration
        reversals.reverse_order(outsider, orders[0].id, "refund", "MD06")


def test_group_reject_of_two_collections_of_one_mandate_makes_it_frst_again(admin, tmp_path):
    # One mandate with a FRST and an RCUR in the same file; the whole file is rejected:
    # neither used the mandate, so the next one is FRST and the last date goes back to none.
    _group, adm, account, orders = world(1)
    first = orders[0]
    m.CollectionOrder.create(
        administration=adm,
        debtor=first.debtor_id,
        mandate=first.mandate_id,
        bank_account=account,
        amount_cents=700,
        requested_date=first.requested_date,
    )
    created = sets.create_set(admin, "ABN")
    assert (
        JobRunner().run_one(processing.process_set(admin, created.id, outbox_dir=tmp_path / "outbox"))
        == "done"
    )
    m.CollectionSet.update(status="sent").where(m.CollectionSet.id == created.id).execute()
    both = list(
        m.CollectionOrder.select()
        .where(m.CollectionOrder.collection_set == created.id)
        .order_by(m.CollectionOrder.id)
    )
    assert [o.sequence_type for o in both] == ["FRST", "RCUR"]
    core = m.CollectionSet.get_by_id(created.id).files[0]
    path = write(tmp_path, "pain002_03_group_reject.xml", msg_id=core["msg_id"])
    report = import_feedback(admin, path)
    assert len(report.effects) == 2
    mandate = mandate_of(both[0])
    assert not mandate.collected and mandate.last_collection_date is None


def test_a_rejected_amended_collection_sends_its_amendment_again(admin, tmp_path):
    _cset, orders, core = sent_set(admin, tmp_path, n=2, collected=(0, 1), amended=(0,))
    assert mandate_of(orders[0]).amend_iban is None  # cleared when the file was sent
    assert m.CollectionOrder.get_by_id(orders[0].id).amendment_sent["amend_iban"] == OLD_IBAN
    path = write(tmp_path, "camt053_02_returns.xml", **ids_for(orders, core))
    # e2e_1 (orders[0]) is returned after settlement (AM04): the bank saw the amendment.
    report = import_feedback(admin, path, dry_run=True)
    assert all(e.restore_amendment is None for e in report.effects)
    # The pain.002 rejects orders[0] with AM04 (retry allowed) and orders[1] with AC04.
    values = ids_for(orders, core)
    values.update(
        e2e_1=orders[1].end_to_end_id,
        mandate_1=orders[1].mandate.reference,
        e2e_3=orders[0].end_to_end_id,
        mandate_3=orders[0].mandate.reference,
        e2e_2="1-999999",
    )
    path = write(tmp_path, "pain002_03_tx_rejects.xml", **values)
    report = import_feedback(admin, path)
    effect = next(e for e in report.effects if e.order_id == orders[0].id)
    assert effect.reason_code == "AM04"
    assert effect.restore_amendment["amend_iban"] == OLD_IBAN
    mandate = mandate_of(orders[0])
    assert (mandate.amend_iban, mandate.amend_smnda) == (OLD_IBAN, True)
    # The next collection carries it (AmdmntInd with the SMNDA marker).
    again = reversals.collect_again(admin, orders[0].id)
    second = sets.create_set(admin, "ABN", requested_date=m.CollectionOrder.get_by_id(again).requested_date)
    assert (
        JobRunner().run_one(processing.process_set(admin, second.id, outbox_dir=tmp_path / "outbox"))
        == "done"
    )
    path2 = m.CollectionSet.get_by_id(second.id).files[0]["path"]
    tx = next(
        tx
        for _info, tx in iter_transactions(path2)
        if tx.end_to_end_id == m.CollectionOrder.get_by_id(again).end_to_end_id
    )
    assert tx.amendment is not None and tx.amendment.new_debtor_account
