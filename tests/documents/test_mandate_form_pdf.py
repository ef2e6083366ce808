"""The mandate form PDF, read back with pypdf: titles, wording per scheme, data, batches."""

from __future__ import annotations

import itertools

import pytest

from incasso_tui.documents import Party, mandate_texts, render_mandate_forms

from .helpers import CREDITOR_ID, make_form, pages

VARIANTS = list(itertools.product(("nl", "en", "de"), ("CORE", "B2B"), (True, False)))
VARIANT_IDS = ["-".join(map(str, variant)) for variant in VARIANTS]

TITLES = {
    ("nl", "CORE", True): "Doorlopende SEPA-machtiging",
    ("nl", "CORE", False): "Eenmalige SEPA-machtiging",
    ("nl", "B2B", True): "Doorlopende SEPA-machtiging Bedrijven",
    ("nl", "B2B", False): "Eenmalige SEPA-machtiging Bedrijven",
    ("en", "CORE", True): "SEPA Direct Debit Mandate (recurrent)",
    ("en", "CORE", False): "SEPA Direct Debit Mandate (one-off)",
    ("en", "B2B", True): "SEPA Business-to-Business Direct Debit Mandate (recurrent)",
    ("en", "B2B", False): "SEPA Business-to-Business Direct Debit Mandate (one-off)",
    ("de", "CORE", True): "SEPA-Lastschriftmandat (wiederkehrend)",
    ("de", "CORE", False): "SEPA-Lastschriftmandat (einmalig)",
    ("de", "B2B", True): "SEPA-Firmenlastschrift-Mandat (wiederkehrend)",
    ("de", "B2B", False): "SEPA-Firmenlastschrift-Mandat (einmalig)",
}
REFUND = {
    "nl": "binnen 8 weken na de afschrijving",
    "en": "within 8 weeks",
    "de": "innerhalb von acht Wochen",
}
NO_REFUND = {
    "nl": "geen recht op terugboeking",
    "en": "not entitled to a refund",
    "de": "nicht berechtigt, nach der Einlösung eine Erstattung",
}
REGISTER = {
    "nl": "registreren bij uw bank",
    "en": "register this mandate with your bank",
    "de": "Mandat bei meinem Kreditinstitut an",
}
AUTHORISE = {
    "nl": "geeft u toestemming aan (A) Stichting Voorbeeld Sport",
    "en": "you authorise (A) Stichting Voorbeeld Sport to send",
    "de": "Ich ermächtige Stichting Voorbeeld Sport",
}
NAMES = ("Łukasz Żółć", "Müller & Söhne")


def _form(index: int, language: str, scheme: str, recurrent: bool):
    return make_form(
        language=language,
        scheme=scheme,
        recurrent=recurrent,
        reference=f"D{1000 + index}-1",
        debtor=Party(NAMES[index % 2], "Hauptstraße", "7", "10115", "Berlin", "DE"),
        debtor_iban=f"NL{index:02d}ABNA04171643{index:02d}",
    )


@pytest.fixture(scope="module")
def all_variants() -> list[str]:
    """Every language x scheme x kind in one batch: one render keeps the suite fast."""
    forms = [_form(i, *variant) for i, variant in enumerate(VARIANTS)]
    return pages(render_mandate_forms(forms))


def test_one_page_per_form(all_variants):
    assert len(all_variants) == len(VARIANTS)


@pytest.mark.parametrize("index", range(len(VARIANTS)), ids=VARIANT_IDS)
def test_variant_title_wording_and_data(all_variants, index):
    language, scheme, recurrent = VARIANTS[index]
    text = all_variants[index]
    title = TITLES[language, scheme, recurrent]
    assert title in text
    for (lang, *_), other in TITLES.items():
        if lang == language and other not in title:
            assert other not in text, f"{other!r} must not appear on {title!r}"
    assert AUTHORISE[language] in text
    if scheme == "CORE":
        assert REFUND[language] in text
        assert NO_REFUND[language] not in text
    else:
        assert NO_REFUND[language] in text
        assert REGISTER[language] in text
        assert REFUND[language] not in text
    assert CREDITOR_ID in text
    assert f"D{1000 + index}-1" in text
    assert NAMES[index % 2] in text
    assert "Hauptstraße 7" in text
    assert f"NL{index:02d} ABNA 0417 1643 {index:02d}" in text
    assert "COBADEFFXXX" in text
    assert "Stichting Voorbeeld Sport, Dorpsstraat 12a, 1234 AB Amsterdam" in text  # return to


def test_dates_and_country_follow_the_language(all_variants):
    nl, en, de = all_variants[0], all_variants[4], all_variants[8]
    assert "24-11-2025" in nl and "Duitsland" in nl and "Nederland" in nl
    assert "2025-11-24" in en and "Germany" in en
    assert "24.11.2025" in de and "Deutschland" in de and "Niederlande" in de


def test_batch_of_three_has_each_form_on_its_own_page():
    forms = [
        make_form(reference=f"REF-{n}", debtor_iban=iban, debtor=Party(name, town="Utrecht", country="NL"))
        for n, (name, iban) in enumerate(
            [
                ("Łukasz Żółć", "NL91ABNA0417164300"),
                ("Müller & Söhne", "NL02RABO0123456789"),
                ("Jan Jansen", "NL69INGB0123456789"),
            ]
        )
    ]
    texts = pages(render_mandate_forms(iter(forms)))  # any iterable will do
    assert len(texts) == 3
    for n, text in enumerate(texts):
        assert f"REF-{n}" in text
        assert forms[n].debtor.name in text
        others = [f"REF-{m}" for m in range(3) if m != n]
        assert not any(ref in text for ref in others)


def test_single_form_is_one_page_with_its_title_as_metadata():
    import io

    from pypdf import PdfReader

    data = render_mandate_forms([make_form()])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Doorlopende SEPA-machtiging D1001-1"


def test_blank_form_for_the_debtor_to_fill_in():
    form = make_form(debtor=Party(""), debtor_iban="", debtor_bic="", signed_place="", signed_date=None)
    (text,) = pages(render_mandate_forms([form]))
    assert "Rekeningnummer (IBAN)" in text and "Handtekening" in text
    assert "D1001-1" in text


def test_nothing_to_render_is_an_error():
    with pytest.raises(ValueError, match="no mandate forms"):
        render_mandate_forms([])


@pytest.mark.parametrize("field, value", [("language", "fr"), ("scheme", "COR1")])
def test_unknown_language_or_scheme_is_refused(field, value):
    with pytest.raises(ValueError, match=field):
        make_form(**{field: value})


def test_every_language_has_the_same_text_keys():
    keys = {lang: set(mandate_texts(lang)) for lang in ("nl", "en", "de")}
    assert keys["nl"] == keys["en"] == keys["de"]


def test_long_names_stay_on_one_page():
    long_name = "Vereniging tot Bevordering van de Lichamelijke Opvoeding Łódź-Żyrardów 1899"
    form = make_form(
        debtor=Party(
            long_name,
            "Zeer Lange Straatnaam Die Nooit Lijkt Op Te Houden",
            "1234-B",
            "1234 AB",
            "Amsterdam",
            "NL",
        ),
        reason="Lidmaatschap, contributie en bijdragen aan activiteiten " * 2,
    )
    (text,) = pages(render_mandate_forms([form]))
    assert long_name in text


def test_an_override_too_long_for_one_page_is_refused_not_drawn_broken():
    overrides = {"nl": {"refund_core": "Lees dit. " * 600}}
    with pytest.raises(ValueError, match="D1001-1 does not fit on one page"):
        render_mandate_forms([make_form()], overrides)
