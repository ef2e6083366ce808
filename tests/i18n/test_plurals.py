"""tn(): gettext's ngettext picks the form for n in the UI language; n is available as {n}."""

from __future__ import annotations

import pytest

from incasso_tui import i18n
from incasso_tui.i18n import tn


@pytest.fixture(autouse=True)
def dutch_again():
    yield
    i18n.set_language("nl")


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("nl", 1, "1 opdracht"),
        ("nl", 0, "0 opdrachten"),
        ("nl", 2, "2 opdrachten"),
        ("en", 1, "1 order"),
        ("en", 0, "0 orders"),
        ("en", 7, "7 orders"),
    ],
)
def test_singular_and_plural(lang, n, expected):
    i18n.set_language(lang)
    assert tn("{n} order", "{n} orders", n) == expected


def test_other_values_are_filled_in_too():
    i18n.set_language("nl")
    text = tn(
        "{n} administration skipped: you have no rights there",
        "{n} administrations skipped: you have no rights there",
        1,
    )
    assert text == "1 administratie overgeslagen: je hebt daar geen rechten"
    text = tn(
        "{file} ({version}, {msg}): {n} R-transaction, {accepted} accepted",
        "{file} ({version}, {msg}): {n} R-transactions, {accepted} accepted",
        3,
        file="f.xml",
        version="pain.002",
        msg="M1",
        accepted=2,
    )
    assert text == "f.xml (pain.002, M1): 3 R-transacties, 2 geaccepteerd"


def test_the_feedback_summary_speaks_in_plurals():
    from screens.modals.feedback_import import summary_text

    class Report:
        already_imported = None
        file, version, message_id = "f.xml", "camt.054", "M1"
        items, accepted, dry_run = 1, 1, False
        effects = [object()]
        mandates_changed = 2
        unmatched_count = skipped_count = needs_decision = 0

    i18n.set_language("nl")
    assert "1 R-transactie," in summary_text(Report())
    assert "1 opdracht en 2 machtigingen gewijzigd" in summary_text(Report())
    i18n.set_language("en")
    assert "changed 1 order and 2 mandates" in summary_text(Report())
