"""Storneren by hand: the deadlines per kind, refusals, the mandate effects and herincasso."""

from __future__ import annotations

import datetime as dt

import pytest
from sets.helpers import TODAY, world

from feedback.test_feedback_service import sent_set
from incasso_tui.core.errors import Refused, ValidationError
from incasso_tui.db import models as m
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.rules import reversals as rules
from incasso_tui.sepa.calendar import add_target_days, is_target_day
from incasso_tui.services.collection import processing, sets
from incasso_tui.services.feedback import reversals


def test_rules_deadlines():
    day = dt.date(2026, 1, 30)
    assert rules.add_months(day, 1) == dt.date(2026, 2, 28)
    assert rules.add_months(dt.date(2026, 11, 30), 13) == dt.date(2027, 12, 30)
    ok = rules.verdict("refund", scheme="CORE", collection_date=day, on=day + dt.timedelta(days=56))
    assert ok.allowed and ok.flag is None
    moi = rules.verdict("refund", scheme="CORE", collection_date=day, on=day + dt.timedelta(days=57))
    assert moi.allowed and moi.flag == rules.FLAG_MOI and "MOI" in moi.reason
    late = rules.verdict("refund", scheme="CORE", collection_date=day, on=dt.date(2027, 3, 1))
    assert not late.allowed and "13 months" in late.reason
    b2b = rules.verdict("refund", scheme="B2B", collection_date=day, on=day)
    assert b2b.allowed and b2b.flag == rules.FLAG_B2B_REFUND
    last = add_target_days(day, 5)
    assert rules.verdict("reversal", scheme="CORE", collection_date=day, on=last).allowed
    too_late = rules.verdict("reversal", scheme="CORE", collection_date=day, on=last + dt.timedelta(days=1))
    assert not too_late.allowed and last.isoformat() in too_late.reason
    wrong = rules.verdict("reversal", scheme="CORE", collection_date=day, on=day, reason_code="AC04")
    assert not wrong.allowed and "AM05, MS02, MS03" in wrong.reason
    early = rules.verdict("return", scheme="CORE", collection_date=day, on=day - dt.timedelta(days=1))
    assert not early.allowed


def test_reversal_before_the_file_was_sent_is_refused(admin, tmp_path):
    world(2)
    created = sets.create_set(admin, "ABN")
    assert (
        JobRunner().run_one(processing.process_set(admin, created.id, outbox_dir=tmp_path / "out")) == "done"
    )
    order = m.CollectionOrder.select().where(m.CollectionOrder.collection_set == created.id).first()
    with pytest.raises(Refused, match="re-process the set instead"):
        reversals.reverse_order(admin, order.id, "refund", "MD06")
    options = reversals.reversal_options(admin, order.id)
    assert "not been sent" in options["refused"]
    assert not any(k["allowed"] for k in options["kinds"].values())
    assert m.CollectionOrder.get_by_id(order.id).status == "underway"


def test_refund_after_eight_weeks_is_flagged_and_after_thirteen_months_refused(admin, tmp_path):
    _cset, orders, _core = sent_set(admin, tmp_path, n=3)
    day = orders[0].collection_date
    result = reversals.reverse_order(admin, orders[0].id, "refund", "MD06", on=day + dt.timedelta(days=10))
    assert result.effect.order_status == ("underway", "reversed") and not result.warning
    assert m.Mandate.get_by_id(orders[0].mandate_id).collected  # a refund still used it
    moi = reversals.reverse_order(admin, orders[1].id, "refund", "MD06", on=day + dt.timedelta(days=70))
    fb = m.BankFeedback.get_by_id(moi.feedback_id)
    assert fb.flag == rules.FLAG_MOI and "signed mandate" in fb.note
    with pytest.raises(Refused, match="13 months"):
        reversals.reverse_order(admin, orders[2].id, "refund", "MD06", on=day + dt.timedelta(days=420))
    with pytest.raises(Refused, match="already reversed"):
        reversals.reverse_order(admin, orders[0].id, "return", "AM04")


def test_creditor_reversal_only_within_five_target_days(admin, tmp_path):
    _cset, orders, _core = sent_set(admin, tmp_path, n=2)
    day = orders[0].collection_date
    with pytest.raises(Refused, match="5 TARGET2 days"):
        reversals.reverse_order(admin, orders[0].id, "reversal", "MS02", on=add_target_days(day, 6))
    with pytest.raises(Refused, match="AM05, MS02, MS03"):
        reversals.reverse_order(admin, orders[0].id, "reversal", "AC04", on=day)
    with pytest.raises(ValidationError, match="reason code"):
        reversals.reverse_order(admin, orders[0].id, "reversal", "", on=day)
    done = reversals.reverse_order(admin, orders[0].id, "reversal", "MS02", on=add_target_days(day, 5))
    assert done.effect.kind == "reversal" and m.CollectionOrder.get_by_id(orders[0].id).status == "reversed"


def test_manual_reject_of_a_first_collection_and_collect_again(admin, tmp_path):
    _cset, orders, _core = sent_set(admin, tmp_path, n=2)
    assert orders[0].sequence_type == "FRST"
    result = reversals.reverse_order(admin, orders[0].id, "reject", "AM04", on=TODAY, collect_again=True)
    mandate = m.Mandate.get_by_id(orders[0].mandate_id)
    assert not mandate.collected and mandate.last_collection_date is None
    new = m.CollectionOrder.get_by_id(result.new_order_id)
    assert new.status == "open" and new.reopened_from_id == orders[0].id
    assert new.amount_cents == orders[0].amount_cents and new.end_to_end_id is None
    assert new.requested_date >= TODAY + dt.timedelta(days=14) and is_target_day(new.requested_date)
    with pytest.raises(ValidationError, match="pre-notification"):
        reversals.reverse_order(
            admin,
            orders[1].id,
            "return",
            "AM04",
            collect_again=True,
            on=orders[1].collection_date,
            new_date=TODAY + dt.timedelta(days=3),
        )
    assert m.CollectionOrder.get_by_id(orders[1].id).status == "underway"  # all or nothing


def test_support_may_not_reverse(demo, tmp_path):
    order = m.CollectionOrder.select().first()
    with pytest.raises(Refused, match="support"):
        reversals.reverse_order(demo("dirk"), order.id, "refund", "MD06")
