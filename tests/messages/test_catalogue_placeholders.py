"""Every Dutch and German translation keeps the English template's placeholders, so filling
in the values never fails (or drops one) in the translated UI."""

from __future__ import annotations

import string

import pytest

from incasso_tui.core.errors import NotFound, Refused, ValidationError
from incasso_tui.i18n import catalogue, set_language
from screens.base import error_message


def _names(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("language", ["nl", "de"])
def test_every_translation_names_the_same_values(language: str) -> None:
    translations = catalogue(language)
    assert len(translations) > 1000
    wrong = {english: text for english, text in translations.items() if _names(english) != _names(text)}
    assert wrong == {}


def test_an_error_is_english_as_text_and_dutch_on_the_screen() -> None:
    error = Refused("set {set_id} is {status}: only a processed set can be sent", set_id=7, status="open")
    assert str(error) == "set 7 is open: only a processed set can be sent"
    assert (error.template, error.values) == (
        "set {set_id} is {status}: only a processed set can be sent",
        {"set_id": 7, "status": "open"},
    )
    set_language("nl")
    try:
        assert error_message(error) == "set 7 is niet verwerkt: alleen een verwerkte set kan worden verzonden"
        missing = NotFound("order {order_id} does not exist", order_id=3)
        assert error_message(missing) == "opdracht 3 bestaat niet"
        invalid = ValidationError("requested date", "may not be in the past", "2020-01-01")
        assert str(invalid) == "requested date '2020-01-01': may not be in the past"
        assert error_message(invalid) == "gewenste datum '2020-01-01': mag niet in het verleden liggen"
    finally:
        set_language("nl")
