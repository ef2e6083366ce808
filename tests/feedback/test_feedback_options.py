"""What the feedback services tell the screens and the CLI: the kinds and reason codes a
manual reversal offers, the code table, and which keys a row of the feedback list allows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from feedback.test_feedback_service import sent_set
from incasso_tui.db import models as m
from incasso_tui.rules import reason_codes as rc
from incasso_tui.rules import reversals as rules
from incasso_tui.services.auth import actor_for
from incasso_tui.services.feedback import codes, reversals
from incasso_tui.services.feedback.rtransactions import FeedbackAction, FeedbackRow, feedback_actions


def test_reason_codes_offered_per_kind():
    every = [code for code, _name in codes.reason_choices(None)]
    assert every == [c.code for c in rc.all_codes()]
    assert codes.reason_choices(rules.RETURN) == codes.reason_choices(None)
    reversal = codes.reason_choices(rules.REVERSAL, "nl")
    assert [code for code, _name in reversal] == list(rules.REVERSAL_REASONS)
    assert ("AM05", rc.CODES["AM05"].name_nl) in reversal
    assert codes.default_reason(rules.REFUND) == "MD06"
    assert codes.default_reason(rules.RETURN) == "AM04"
    assert codes.default_reason(rules.REVERSAL) == codes.default_reason(None) == "MS02"
    # Every kind starts with a code its own list offers.
    for kind in codes.reversal_kinds():
        assert codes.default_reason(kind) in dict(codes.reason_choices(kind))


def test_code_table_and_labels():
    table = codes.reason_code_table("nl")
    assert [row["code"] for row in table] == sorted(rc.CODES)
    am04 = next(row for row in table if row["code"] == "AM04")
    assert am04["name"] == "Saldo ontoereikend"
    assert am04["action"] == rc.RETRY_ALLOWED
    assert am04["action_label"] == rc.ACTIONS[rc.RETRY_ALLOWED][1]
    assert codes.reason_labels()["AM04"] == "Insufficient funds"
    assert codes.action_label(rc.BLOCK_MANDATE) == "Block mandate"
    assert codes.action_label("something_else", "nl") == "something_else"
    assert codes.action_effect("something_else") == ""
    assert codes.reason_name("XX99") == "Unknown reason code"
    assert codes.kind_label(rules.REVERSAL) == "creditor reversal"
    assert codes.reversal_kinds() == rules.KINDS


def _row(**values: object) -> FeedbackRow:
    row = FeedbackRow(
        1,
        dt.date(2026, 11, 24),
        "return",
        "AM04",
        rc.RETRY_ALLOWED,
        100,
        7,
        "ADM",
        "1",
        "A",
        "M1",
        "manual",
        "E2E",
        True,
        False,
        "",
    )
    return replace(row, **values)


def test_feedback_list_actions(admin):
    assert feedback_actions(admin) == {FeedbackAction.IMPORT}
    assert feedback_actions(admin, _row()) == {FeedbackAction.IMPORT, FeedbackAction.COLLECT_AGAIN}
    # A blocked mandate: the claim is not collected again from the list.
    assert FeedbackAction.COLLECT_AGAIN not in feedback_actions(admin, _row(action=rc.BLOCK_MANDATE))
    # Unmatched feedback has no order to collect again, but waits for a decision.
    unmatched = _row(order_id=None, action=rc.DECIDE, needs_decision=True)
    assert feedback_actions(admin, unmatched) == {FeedbackAction.IMPORT, FeedbackAction.DECIDE}
    support = actor_for(m.User.create(login="sam", role="support"))
    assert feedback_actions(support, unmatched) == frozenset()


def test_reversal_options_carry_the_codes(admin, tmp_path):
    _cset, orders, _core = sent_set(admin, tmp_path, n=1)
    options = reversals.reversal_options(admin, orders[0].id, orders[0].collection_date, language="nl")
    assert options["refused"] == ""
    assert list(options["kinds"]) == list(rules.KINDS)
    assert all(k["allowed"] for k in options["kinds"].values())
    assert options["kinds"][rules.REVERSAL]["label"] == "creditor reversal"
    assert options["codes"][rules.REVERSAL] == codes.reason_choices(rules.REVERSAL, "nl")
    assert options["default_codes"] == {kind: codes.default_reason(kind) for kind in rules.KINDS}
    assert options["all_codes"] == codes.reason_choices(None, "nl")
    assert options["default_code"] == "MS02"
