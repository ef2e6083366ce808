"""The reason code table: the actions the issue asks for, texts, unknown codes."""

from __future__ import annotations

import pytest

from incasso_tui.rules import reason_codes as rc

EXPECTED_ACTIONS = {
    "AC04": "block_mandate",
    "AC06": "block_mandate",
    "AG01": "block_mandate",
    "AC13": "block_mandate",
    "SL01": "block_mandate",
    "MD07": "cancel_mandate",
    "MD01": "mandate_invalid",
    "AC01": "needs_new_iban",
    "AM04": "retry_allowed",
    "MS03": "retry_allowed",
    "MD06": "refund",
    "MS02": "contact_debtor",
    "AM05": "contact_debtor",
    "AG02": "fix_data",
    "BE05": "fix_data",
    "FF01": "fix_data",
    "MD02": "fix_data",
    "RR01": "fix_data",
    "RR02": "fix_data",
    "RR03": "fix_data",
    "RR04": "fix_data",
    "CNOR": "fix_data",
    "DNOR": "fix_data",
}


@pytest.mark.parametrize("code, action", sorted(EXPECTED_ACTIONS.items()))
def test_issue_codes_map_to_their_action(code, action):
    assert rc.lookup(code).action == action
    assert rc.CODES[code].action == action


def test_dutch_names_of_the_common_codes():
    assert rc.lookup("AM04").name_nl == "Saldo ontoereikend"
    assert rc.lookup("AC04").name_nl == "Rekeningnummer opgeheven"
    assert rc.lookup("MD06").name_nl == "Terugboeking op verzoek van debiteur"
    assert rc.lookup("MD07").name_nl == "Debiteur overleden"
    assert rc.lookup("AM04").name_en == "Insufficient funds"


def test_lookup_ignores_case_and_spaces():
    assert rc.lookup(" am04 ") is rc.CODES["AM04"]


@pytest.mark.parametrize("code", ["XX99", "", "R042 Rekening onbekend"])
def test_unknown_code_is_decide(code):
    reason = rc.lookup(code)
    assert (reason.code, reason.action) == (code, "decide")
    assert (reason.name_en, reason.name_nl) == ("Unknown reason code", "Onbekende redencode")
    assert reason.advice_en and reason.advice_nl
    assert code not in rc.CODES


def test_every_code_has_texts_and_a_known_action():
    assert len(rc.CODES) >= len(EXPECTED_ACTIONS)
    for key, reason in rc.CODES.items():
        assert reason.code == key and len(key) == 4 and key.isupper()
        for text in (reason.name_en, reason.name_nl, reason.advice_en, reason.advice_nl):
            assert text.strip() == text and text, (key, text)
        assert reason.advice_en.endswith(".") and reason.advice_nl.endswith("."), key
        assert reason.action in rc.ACTIONS, key


def test_actions_cover_every_action_used_and_are_all_used():
    used = {reason.action for reason in rc.CODES.values()} | {rc.lookup("XX99").action}
    assert used == set(rc.ACTIONS)
    assert set(rc.ACTIONS) == {
        "block_mandate",
        "cancel_mandate",
        "mandate_invalid",
        "needs_new_iban",
        "retry_allowed",
        "refund",
        "contact_debtor",
        "fix_data",
        "decide",
    }
    for action, labels in rc.ACTIONS.items():
        assert len(labels) == 3 and all(label.strip() for label in labels), action


def test_all_codes_is_sorted():
    codes = [reason.code for reason in rc.all_codes()]
    assert codes == sorted(rc.CODES) and codes[0] == "AC01"


def test_reversal_reasons():
    assert rc.REVERSAL_REASONS == ("AM05", "MS02", "MS03")
    assert all(code in rc.CODES for code in rc.REVERSAL_REASONS)


def test_every_feedback_screen_text_is_translated():
    # Same check as tests/mandates/test_i18n.py, for the bank feedback and reversal screens.
    from mandates import test_i18n

    from incasso_tui import i18n
    from incasso_tui.rules.reversals import KIND_LABELS

    saved = test_i18n.FILES
    test_i18n.FILES = [
        "feedback.py",
        "modals/feedback_import.py",
        "modals/feedback_detail.py",
        "modals/reason_codes.py",
        "modals/reverse_form.py",
        "mandate_detail.py",
    ]
    try:
        texts = test_i18n.literals()
    finally:
        test_i18n.FILES = saved
    texts.update(KIND_LABELS.values())
    i18n.set_language("nl")
    catalogue = i18n.catalogue()
    assert len(texts) > 60
    assert sorted(x for x in texts if x not in catalogue) == []


def test_the_mandate_actions_are_the_ones_reversals_apply():
    from incasso_tui.rules.reason_codes import MANDATE_ACTIONS
    from incasso_tui.services.feedback.reversals import MANDATE_STATUS

    assert set(MANDATE_STATUS) == set(MANDATE_ACTIONS)
