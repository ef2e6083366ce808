"""Administrator overrides of the document texts: applied, and checked with clear errors."""

from __future__ import annotations

import pytest

from incasso_tui.documents import (
    TemplateError,
    load_overrides,
    mandate_texts,
    render_mandate_forms,
    validate_overrides,
)
from incasso_tui.documents.texts_letter import LETTER_PLACEHOLDERS, LETTER_TEXTS
from incasso_tui.documents.texts_mandate import MANDATE_PLACEHOLDERS, MANDATE_TEXTS

from .helpers import make_form, pages


def test_builtin_templates_pass_their_own_checks():
    validate_overrides(MANDATE_TEXTS)
    validate_overrides(LETTER_TEXTS, builtin=LETTER_TEXTS, allowed=LETTER_PLACEHOLDERS)
    assert {"creditor_name", "creditor_id", "reference"} <= MANDATE_PLACEHOLDERS


def test_override_replaces_only_its_key_and_language():
    overrides = {"nl": {"title_recurrent": "Machtiging contributie {creditor_name}"}}
    nl = mandate_texts("nl", overrides)
    assert nl["title_recurrent"] == "Machtiging contributie {creditor_name}"
    assert nl["title_one_off"] == "Eenmalige SEPA-machtiging"
    assert mandate_texts("en", overrides) == mandate_texts("en")


def test_override_changes_the_pdf():
    overrides = {
        "nl": {"title_recurrent": "SEPA-machtiging contributie {creditor_name}", "label_reason": "Waarvoor"},
        "de": {"title_recurrent": "Unser SEPA-Mandat"},
    }
    nl, de = pages(render_mandate_forms([make_form(), make_form(language="de")], overrides))
    assert "SEPA-machtiging contributie Stichting Voorbeeld Sport" in nl
    assert "Doorlopende SEPA-machtiging" not in nl
    assert "Waarvoor" in nl and "Reden betaling" not in nl
    assert "Unser SEPA-Mandat" in de


def test_unknown_key_is_named():
    with pytest.raises(TemplateError, match="titel_recurrent") as error:
        render_mandate_forms([make_form()], {"nl": {"titel_recurrent": "x"}})
    assert error.value.key == "titel_recurrent"
    assert error.value.language == "nl"


def test_unknown_placeholder_is_named_with_its_key():
    with pytest.raises(TemplateError) as error:
        mandate_texts("nl", {"nl": {"return_to": "Retour: {crediteur_adres}"}})
    message = str(error.value)
    assert "return_to" in message and "{crediteur_adres}" in message
    assert "{creditor_address}" in message  # says what is allowed
    assert error.value.placeholder == "crediteur_adres"


def test_overrides_for_another_language_are_checked_too():
    # A broken German text must surface even while printing a Dutch form.
    with pytest.raises(TemplateError, match="title_recurent"):
        render_mandate_forms([make_form()], {"de": {"title_recurent": "x"}})


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"fr": {"title_recurrent": "x"}}, "unknown language 'fr'"),
        ({"nl": {"title_recurrent": 3}}, "must be a string"),
        ({"nl": {"title_recurrent": "{creditor_name"}}, "title_recurrent"),
        ({"nl": {"title_recurrent": "{0}"}}, "unknown placeholder {0}"),
        ({"nl": "not a table"}, "table of keys"),
    ],
)
def test_malformed_overrides(overrides, fragment):
    with pytest.raises(TemplateError, match=fragment.replace("{", r"\{").replace("}", r"\}")):
        validate_overrides(overrides)


def test_literal_braces_are_allowed_when_doubled():
    texts = mandate_texts("en", {"en": {"label_reason": "Reason {{see contract}}"}})
    assert texts["label_reason"].format_map({}) == "Reason {see contract}"


def test_load_overrides_from_toml(tmp_path):
    path = tmp_path / "texts.toml"
    path.write_text('[nl]\ntitle_recurrent = "Machtiging {creditor_name}"\n', encoding="utf-8")
    assert load_overrides(path) == {"nl": {"title_recurrent": "Machtiging {creditor_name}"}}


def test_load_overrides_names_the_file_and_key(tmp_path):
    path = tmp_path / "texts.toml"
    path.write_text('[en]\ntitle = "x"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"texts\.toml.*'title'"):
        load_overrides(path)
    path.write_text("[en\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="not valid TOML"):
        load_overrides(path)
