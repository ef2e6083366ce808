"""The letter of a file holding several creditor accounts: one letter with the file's grand
total (its group header) and a section per account with its subtotal; its sentences speak of
several accounts, never of "our account"; subtotals that disagree are refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from incasso_tui.documents import LetterAccount, Party, render_letter

from .helpers import CREDITOR, batches, make_letter, pages

SECOND = Party("Stichting Twee", "Laan", "1", "3511 AA", "Utrecht", "NL")


def accounts() -> list[LetterAccount]:
    first, second, third = batches()
    return [
        LetterAccount(
            CREDITOR, "NL98ZZZ999999990000", "NL91ABNA0417164300", "ABNANL2A", [first, second], 1492, 98888888
        ),
        LetterAccount(SECOND, "NL71ZZZ301234570000", "NL91ABNA0417164301", "ABNANL2A", [third], 1, 100000),
    ]


def several(**changes):
    letter = make_letter(
        creditor=Party("Vereniging Samen"),
        creditor_id="",
        account_iban="",
        account_bic="",
        accounts=accounts(),
    )
    return replace(letter, **changes)


@pytest.mark.parametrize("layout", ["standard", "compact"])
def test_grand_total_and_a_subtotal_per_account(layout):
    text = " ".join(pages(render_letter([several(layout=layout)])))
    assert "Totaal bestand (groepsheader) 1.493 € 989.888,88" in text
    assert "Subtotaal 1.492 € 988.888,88" in text and "Subtotaal 1 € 1.000,00" in text
    for expected in (
        "NL91 ABNA 0417 1643 00",
        "NL91 ABNA 0417 1643 01",
        "Stichting Twee",
        "NL71ZZZ301234570000",
    ):
        assert expected in text
    assert "Vereniging Samen" in text and "onze rekening" not in text
    if layout == "standard":
        assert "Het bevat incasso-opdrachten voor meer dan één rekening" in text
    else:
        assert "bevoegd namens de hierboven genoemde incassanten" in text
        assert "bevoegd namens Vereniging Samen" not in text


def test_in_english_too():
    text = " ".join(pages(render_letter([several(language="en")])))
    assert "File total (group header) 1,493 €989,888.88" in text and "Subtotal 1 €1,000.00" in text
    assert "more than one account" in text and "our account" not in text


def test_one_account_letter_keeps_its_own_wording():
    text = " ".join(pages(render_letter([make_letter()])))
    assert "ten gunste van onze rekening NL91 ABNA 0417 1643 00" in text
    assert "Subtotaal" not in text and "groepsheader" in text


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"total_count": 1491}, "NL91ABNA0417164300: total count 1491 differs"),
        ({"total_cents": 1}, "NL91ABNA0417164300: total amount 1 cents differs"),
        ({"batches": []}, "NL91ABNA0417164300 has no batches"),
    ],
)
def test_a_subtotal_that_disagrees_is_refused(change, fragment):
    bad = [replace(accounts()[0], **change), accounts()[1]]
    with pytest.raises(ValueError, match=fragment):
        render_letter([several(accounts=bad)])


def test_accounts_must_hold_exactly_the_files_batches():
    first = accounts()[0]
    with pytest.raises(ValueError, match="not the file's batches"):
        render_letter([several(accounts=[first, replace(first, iban="NL91ABNA0417164301")])])
