"""Replacing a mandate reference (sepa-rules §5.2): before the first collection it simply
changes; after it the old one is kept and the next file says AmdmntInd true with OrgnlMndtId,
once; a second change keeps the first old one, going back to it withdraws the amendment."""

from __future__ import annotations

import datetime as dt

import pytest

from incasso_tui.core.errors import Refused, ValidationError
from incasso_tui.db import models as m
from incasso_tui.services.mandates import lifecycle as mandates

from .helpers import TODAY, files_of, new_set_processed, send, sepa_check, transactions, world


def _next_order(order: m.CollectionOrder) -> m.CollectionOrder:
    return m.CollectionOrder.create(
        administration=order.administration_id,
        debtor=order.debtor_id,
        mandate=order.mandate_id,
        bank_account=order.bank_account_id,
        amount_cents=4200,
        requested_date=TODAY + dt.timedelta(days=7),
    )


def test_a_never_collected_mandate_simply_gets_the_new_reference(admin):
    _group, _adm, _account, orders = world(1)
    mandate = mandates.replace_mandate_reference(admin, orders[0].mandate_id, "ZON-LID-0001")
    assert (mandate.reference, mandate.reference_key, mandate.amend_reference) == (
        "ZON-LID-0001",
        "ZON-LID-0001",
        None,
    )
    entry = m.AuditEntry.get(m.AuditEntry.action == "mandate.replace_reference")
    assert entry.changes == {"reference": ["000001-1", "ZON-LID-0001"]}
    assert "never collected" in entry.summary
    assert mandates.find_mandate(admin, "zon-lid-0001").id == mandate.id


def test_after_a_collection_the_next_file_carries_the_old_reference_once(admin, tmp_path):
    _group, _adm, _account, orders = world(2)
    first = new_set_processed(admin, tmp_path / "out")
    send(admin, first.id, tmp_path / "bank")
    mandate_id = orders[0].mandate_id

    mandate = mandates.replace_mandate_reference(admin, mandate_id, "NEW-A")
    assert (mandate.reference, mandate.amend_reference) == ("NEW-A", "000001-1")
    # A second change before the bank heard of the first: it still knows 000001-1.
    mandate = mandates.replace_mandate_reference(admin, mandate_id, "NEW-B")
    assert (mandate.reference, mandate.amend_reference) == ("NEW-B", "000001-1")

    _next_order(orders[0])
    _next_order(orders[1])
    second = new_set_processed(admin, tmp_path / "out")
    (path,) = files_of(second)
    txs = {tx["mandate"]: tx for tx in transactions(path)}
    assert txs["NEW-B"]["amended"] == "true" and txs["NEW-B"]["original_mandate"] == "000001-1"
    assert txs["000002-1"]["amended"] == "false" and txs["000002-1"]["original_mandate"] is None
    report = sepa_check(path)
    assert report["ok"], report
    send(admin, second.id, tmp_path / "bank")
    assert m.Mandate.get_by_id(mandate_id).amend_reference is None  # told the bank: done

    _next_order(orders[0])
    third = new_set_processed(admin, tmp_path / "out")
    (tx,) = [tx for tx in transactions(files_of(third)[0]) if tx["mandate"] == "NEW-B"]
    assert tx["amended"] == "false" and tx["original_mandate"] is None


def test_going_back_to_the_reference_the_bank_knows_withdraws_the_amendment(admin, tmp_path):
    _group, _adm, _account, orders = world(1)
    send(admin, new_set_processed(admin, tmp_path / "out").id, tmp_path / "bank")
    mandate_id = orders[0].mandate_id
    mandates.replace_mandate_reference(admin, mandate_id, "TEMP-1")
    mandate = mandates.replace_mandate_reference(admin, mandate_id, "000001-1")
    assert (mandate.reference, mandate.amend_reference) == ("000001-1", None)
    assert "withdrawn" in m.AuditEntry.select().order_by(m.AuditEntry.id.desc()).get().summary


def test_the_external_reference_is_the_one_replaced_when_there_is_one(admin, tmp_path):
    _group, _adm, _account, orders = world(1)
    m.Mandate.update(external_reference="EXT-7", external_key="EXT-7").where(
        m.Mandate.id == orders[0].mandate_id
    ).execute()
    send(admin, new_set_processed(admin, tmp_path / "out").id, tmp_path / "bank")
    mandate = mandates.replace_mandate_reference(admin, orders[0].mandate_id, "EXT-8")
    assert (mandate.reference, mandate.external_reference, mandate.amend_reference) == (
        "000001-1",
        "EXT-8",
        "EXT-7",
    )
    with pytest.raises(ValidationError, match="equals the mandate's own reference"):
        mandates.replace_mandate_reference(admin, orders[0].mandate_id, "000001-1")


def test_bad_duplicate_or_untimely_references_are_refused(admin, tmp_path):
    _group, _adm, _account, orders = world(3)
    mandate_id = orders[0].mandate_id
    with pytest.raises(ValidationError, match="new reference"):
        mandates.replace_mandate_reference(admin, mandate_id, "with space")
    with pytest.raises(ValidationError, match="new reference"):
        mandates.replace_mandate_reference(admin, mandate_id, "")
    with pytest.raises(ValidationError, match="already used by mandate 000002-1"):
        mandates.replace_mandate_reference(admin, mandate_id, "000002-1".lower())
    with pytest.raises(ValidationError, match="nothing to replace"):
        mandates.replace_mandate_reference(admin, mandate_id, "000001-1")
    # In a file that has not gone to the bank: that file carries the current reference.
    cset = new_set_processed(admin, tmp_path / "out")
    with pytest.raises(Refused, match=f"set {cset.id}, whose file"):
        mandates.replace_mandate_reference(admin, mandate_id, "LATER-1")
    m.Mandate.update(status="revoked").where(m.Mandate.id == orders[2].mandate_id).execute()
    with pytest.raises(Refused, match="is revoked"):
        mandates.replace_mandate_reference(admin, orders[2].mandate_id, "GONE-1")
    assert m.AuditEntry.select().where(m.AuditEntry.action == "mandate.replace_reference").count() == 0


def test_an_edit_of_a_collected_reference_points_to_the_replace_action(admin, tmp_path):
    _group, _adm, _account, orders = world(1)
    send(admin, new_set_processed(admin, tmp_path / "out").id, tmp_path / "bank")
    mandate = m.Mandate.get_by_id(orders[0].mandate_id)
    data = mandates.MandateInput.from_mandate(mandate)
    data.reference = "EDITED-1"
    with pytest.raises(Refused, match="replace-reference"):
        mandates.update_mandate(admin, mandate.id, data)
