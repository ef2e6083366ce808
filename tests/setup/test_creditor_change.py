"""A new creditor identifier or name for an administration (sepa-rules §5.2): the next
collection of each mandate already collected carries OrgnlCdtrSchmeId with what the bank
knows; the file passes the checker; sending clears the amendment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from incasso_tui.core.errors import Refused, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.sepa import check_file, iter_transactions, read_pain008
from incasso_tui.services import organisation as org
from incasso_tui.services.collection import orders, processing, sending, sets
from incasso_tui.services.debtors import DebtorInput, create_debtor
from incasso_tui.services.mandates.lifecycle import MandateInput, create_mandate

from .helpers import ABN_IBAN, CI, CI_2, creditor_id, iban

TODAY = dt.date(2026, 11, 24)
CI_3 = creditor_id("24356789")


def _world(admin, tmp_path, debtors=3):
    """ZON with an ABN group delivering to tmp_path/bank, and debtors 1.. with a mandate each."""
    (tmp_path / "bank").mkdir()
    adm = org.add_administration(admin, "ZON", name="Stichting Zon", creditor_id=CI, town="Utrecht").detail
    org.add_bank_group(admin, "ABN", name="ABN AMRO", profile="ABN", delivery_dir=str(tmp_path / "bank"))
    org.add_bank_account(admin, administration="ZON", iban=ABN_IBAN, bank_group="ABN")
    mandates = []
    for i in range(1, debtors + 1):
        debtor = create_debtor(
            admin, adm.id, DebtorInput(number=str(i), name=f"Debiteur {i}", iban=iban("INGB", f"{i:010d}"))
        )
        signed = TODAY - dt.timedelta(days=30)
        mandates.append(
            create_mandate(admin, debtor.id, MandateInput(signed_date=signed, effective_date=signed))
        )
    return mandates


def _order(admin, debtor: str, day: int):
    orders.add_order(admin, orders.OrderInput("ZON", debtor, "12,50", TODAY + dt.timedelta(days=day)))


def _process(admin, tmp_path) -> tuple[int, Path]:
    created = sets.create_set(admin, "ABN")
    job_id = processing.process_set(admin, created.id, outbox_dir=tmp_path / "outbox")
    assert JobRunner().run_one(job_id) == "done", m.Job.get_by_id(job_id).error
    [f] = m.CollectionSet.get_by_id(created.id).files
    return created.id, Path(f["path"])


def _amendments(path: Path) -> dict[str, object]:
    return {tx.mandate_id: tx.amendment for _, tx in iter_transactions(str(path))}


def _fresh(mandate) -> m.Mandate:
    return m.Mandate.get_by_id(mandate.id)


def test_next_collection_carries_the_old_identifier_and_name_and_passes_the_checker(admin, tmp_path):
    first, second, never = _world(admin, tmp_path)
    _order(admin, "1", 5)
    _order(admin, "2", 5)
    set_id, _ = _process(admin, tmp_path)
    sending.send_set(admin, set_id)
    assert _fresh(first).collected and not _fresh(never).collected

    saved = org.edit_administration(admin, "ZON", creditor_id=CI_2, name="Stichting Zon & Maan")
    assert saved.changed == ("name", "creditor_id", "kvk") and saved.detail.kvk == "30123456"
    assert saved.detail.creditor_amendments_pending == 2
    assert "2 collected mandate(s) carry the old creditor identifier/name" in str(saved.warnings[-1])
    for mandate in (first, second):
        fresh = _fresh(mandate)
        assert (fresh.creditor_id, fresh.amend_creditor_id, fresh.amend_creditor_name) == (
            CI_2,
            CI,
            "Stichting Zon",
        )
    fresh = _fresh(never)  # never collected: the bank has nothing to amend
    assert (fresh.creditor_id, fresh.amend_creditor_id, fresh.amend_creditor_name) == (CI_2, None, None)
    history = m.AuditEntry.select().where(
        (m.AuditEntry.action == "mandate.amendment") & (m.AuditEntry.object_id == str(first.id))
    )
    [entry] = list(history)
    assert entry.changes["amend_creditor_id"] == [None, CI]
    assert entry.changes["creditor identifier"] == [CI, CI_2]

    # A second change before the next collection keeps what the bank knows: the first one.
    org.edit_administration(admin, "ZON", creditor_id=CI_3)
    assert _fresh(first).amend_creditor_id == CI and _fresh(first).creditor_id == CI_3

    for debtor in ("1", "2", "3"):
        _order(admin, debtor, 12)
    set_id, path = _process(admin, tmp_path)
    report = check_file(str(path), today=TODAY)
    assert report.ok, report.errors
    read = read_pain008(str(path))
    assert {info.key.creditor.creditor_id for info, _ in read.batches} == {CI_3}
    amendments = _amendments(path)
    for mandate in (first, second):
        amendment = amendments[mandate.reference]
        assert amendment.original_creditor_id == CI
        assert amendment.original_creditor_name == "Stichting Zon"
    assert amendments[never.reference] is None
    text = path.read_text(encoding="utf-8")
    assert text.count("<OrgnlCdtrSchmeId>") == 2 and f"<Id>{CI}</Id>" in text

    # The bank has it now: sending clears the pending amendment.
    sending.send_set(admin, set_id)
    assert (_fresh(first).amend_creditor_id, _fresh(first).amend_creditor_name) == (None, None)
    assert org.show_administration(admin, "ZON").creditor_amendments_pending == 0


def test_a_name_change_alone_is_an_amendment_unless_the_file_writes_it_the_same(admin, tmp_path):
    first, _, _ = _world(admin, tmp_path)
    _order(admin, "1", 5)
    set_id, _ = _process(admin, tmp_path)
    sending.send_set(admin, set_id)
    # The file writes "Stichting Zón" as "Stichting Zon": the bank sees no change.
    assert org.edit_administration(admin, "ZON", name="Stichting Zón").changed == ("name",)
    assert (_fresh(first).amend_creditor_id, _fresh(first).amend_creditor_name) == (None, None)
    org.edit_administration(admin, "ZON", name="Stichting Maan")
    assert (_fresh(first).amend_creditor_id, _fresh(first).amend_creditor_name) == (None, "Stichting Zon")
    _order(admin, "1", 12)
    set_id, path = _process(admin, tmp_path)
    assert check_file(str(path), today=TODAY).ok
    amendment = _amendments(path)[first.reference]
    assert (amendment.original_creditor_name, amendment.original_creditor_id) == ("Stichting Zon", None)
    # While that file is not sent the name stays: the file has it, and sending it clears
    # the amendment the next file would have to carry.
    with pytest.raises(Refused, match=r"set\(s\) 2 are processed .* but not sent"):
        org.edit_administration(admin, "ZON", name="Stichting Zon")
    sending.send_set(admin, set_id)
    org.edit_administration(admin, "ZON", name="Stichting Zon")  # the bank knows "Maan" now
    assert _fresh(first).amend_creditor_name == "Stichting Maan"
    org.edit_administration(admin, "ZON", name="Stichting Maan")  # back to it: nothing to amend
    assert _fresh(first).amend_creditor_name is None
    withdrawn = m.AuditEntry.select().where(m.AuditEntry.summary.contains("amendment withdrawn")).count()
    assert withdrawn == 1


def test_a_new_identifier_whose_references_clash_is_refused_with_them(admin, tmp_path):
    first, second, _ = _world(admin, tmp_path)
    other = org.add_administration(admin, "KLIM", name="Klimop", creditor_id=CI_2).detail
    debtor = create_debtor(
        admin, other.id, DebtorInput(number="1", name="Lid", iban=iban("RABO", "0123456789"))
    )
    clash = create_mandate(
        admin, debtor.id, MandateInput(signed_date=TODAY, reference=second.reference.lower())
    )
    with pytest.raises(ValidationErrors) as caught:
        org.edit_administration(admin, "ZON", creditor_id=CI_2)
    assert "mandate references would clash under it" in str(caught.value)
    assert f"{clash.reference} (KLIM)" in str(caught.value)
    assert (
        _fresh(first).creditor_id == CI
        and m.Administration.get(m.Administration.code == "ZON").creditor_id == CI
    )
