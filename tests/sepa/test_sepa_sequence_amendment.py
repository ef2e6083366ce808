"""Sequence type choice and amendment details."""

from __future__ import annotations

import pytest

from incasso_tui.sepa import (
    Amendment,
    SepaError,
    amendment_for_change,
    check_amendment,
    choose_sequence_type,
    counts_as_use,
)


@pytest.mark.parametrize(
    "kind, used, final, policy, expected",
    [
        ("one-off", False, False, "frst_first", "OOFF"),
        ("one-off", False, True, "always_rcur", "OOFF"),
        ("recurrent", False, False, "frst_first", "FRST"),
        ("recurrent", True, False, "frst_first", "RCUR"),
        ("recurrent", False, False, "always_rcur", "RCUR"),
        ("recurrent", True, True, "frst_first", "FNAL"),
        ("recurrent", False, True, "always_rcur", "FNAL"),
    ],
)
def test_sequence_type(kind, used, final, policy, expected):
    assert (
        choose_sequence_type(kind, has_successful_collection=used, final_pending=final, policy=policy)
        == expected
    )


def test_used_one_off_and_closed_mandates_are_refused():
    with pytest.raises(SepaError) as e:
        choose_sequence_type("one-off", has_successful_collection=True)
    assert "one-off mandate has already been used" in e.value.rule
    with pytest.raises(SepaError) as e:
        choose_sequence_type("recurrent", has_successful_collection=True, final_collected=True)
    assert "final (FNAL)" in e.value.rule


def test_bad_arguments():
    with pytest.raises(SepaError):
        choose_sequence_type("monthly", has_successful_collection=False)
    with pytest.raises(SepaError):
        choose_sequence_type("recurrent", has_successful_collection=False, policy="never")


def test_what_counts_as_use():
    # a pre-settlement reject does not count; a return (reversal, refund) does
    assert not counts_as_use("rejected") and not counts_as_use("cancelled")
    assert not counts_as_use("not_processed")
    for status in ("underway", "processed", "returned", "reversed", "Refunded"):
        assert counts_as_use(status)
    with pytest.raises(SepaError):
        counts_as_use("lost")


# ------------------------------------------------------------------ amendments


BASE = {
    "mandate_id": "MDT-2",
    "creditor_id": "NL16ZZZ300384870000",
    "creditor_name": "SV Sneek",
    "debtor_iban": "NL91ABNA0417164300",
}


def test_nothing_changed_gives_none():
    assert amendment_for_change(**BASE) is None
    assert (
        amendment_for_change(**BASE, old_mandate_id="MDT-2", old_debtor_iban="nl91 abna 0417 1643 00") is None
    )


def test_mandate_reference_changed():
    a = amendment_for_change(**BASE, old_mandate_id="MDT-1")
    assert a == Amendment(original_mandate_id="MDT-1")


def test_creditor_changed():
    a = amendment_for_change(
        **BASE, old_creditor_id="NL69ZZZ123456780000", old_creditor_name="Sportvereniging Sneek"
    )
    assert a.original_creditor_id == "NL69ZZZ123456780000"
    assert a.original_creditor_name == "Sportvereniging Sneek"
    assert a.original_debtor_iban is None and not a.new_debtor_account


def test_new_iban_same_bank_sends_the_old_iban():
    a = amendment_for_change(
        **{**BASE, "debtor_iban": "NL02ABNA0123456789"}, old_debtor_iban="NL91ABNA0417164300"
    )
    assert a == Amendment(original_debtor_iban="NL91ABNA0417164300")


def test_new_iban_other_bank_sends_smnda():
    a = amendment_for_change(
        **{**BASE, "debtor_iban": "NL20INGB0001234567"}, old_debtor_iban="NL91ABNA0417164300"
    )
    assert a == Amendment(new_debtor_account=True)


def test_invalid_old_values_are_refused():
    with pytest.raises(SepaError):
        amendment_for_change(**BASE, old_mandate_id="MDT 1")
    with pytest.raises(SepaError):
        amendment_for_change(**BASE, old_creditor_id="NL97ZZZ123456780001")
    with pytest.raises(SepaError):
        amendment_for_change(**BASE, old_debtor_iban="NL91ABNA0417164301")


def test_check_amendment():
    check_amendment(
        Amendment(original_mandate_id="OLD"), mandate_id="MDT-2", debtor_iban="NL91ABNA0417164300"
    )
    bad = [
        Amendment(original_debtor_iban="NL02ABNA0123456789", new_debtor_account=True),
        Amendment(original_mandate_id="MDT-2"),
        Amendment(original_debtor_iban="NL91ABNA0417164300"),
        Amendment(original_debtor_iban="nl02abna0123456789"),
        Amendment(original_creditor_id="NL00ZZZ123456780000"),
    ]
    for amendment in bad:
        with pytest.raises(SepaError):
            check_amendment(amendment, mandate_id="MDT-2", debtor_iban="NL91ABNA0417164300")
