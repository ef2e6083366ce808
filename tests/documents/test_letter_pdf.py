"""The instruction letter (opdrachtbrief): both layouts, totals, checksum, refusal on mismatch."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from incasso_tui.documents import LAYOUTS, LetterBatch, TemplateError, render_letter

from .helpers import CREDITOR_ID, SHA, make_letter, pages
from .test_document_fonts import SYSTEM_DEJAVU

COMMON = [
    CREDITOR_ID,
    "NL91 ABNA 0417 1643 00",
    "ABNANL2A",
    "ABN AMRO Bank N.V.",
    "incasso_20251124_0001.xml",
    "MSG-0001",
    "pain.008.001.08",
    "Stichting Voorbeeld Sport",
    "MSG-0001-CORE-FRST",
    "MSG-0001-CORE-RCUR",
    "MSG-0001-B2B-OOFF",
    "FRST",
    "RCUR",
    "OOFF",
    "CORE",
    "B2B",
    SHA,
    "J. de Vries",
    "Łukasz Żółć",
]
AMOUNTS = {
    "nl": [
        "€ 1.234,56",
        "€ 987.654,32",
        "€ 1.000,00",
        "1.480",
        "1.493",
        "€ 989.888,88",
        "28-11-2025",
        "24-11-2025 14:03:07",
    ],
    "en": [
        "€1,234.56",
        "€987,654.32",
        "€1,000.00",
        "1,480",
        "1,493",
        "€989,888.88",
        "2025-11-28",
        "2025-11-24 14:03:07",
    ],
}


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], str]:
    """All four layout x language letters in one PDF, each on its own page."""
    keys = [(layout, lang) for layout in ("standard", "compact") for lang in ("nl", "en")]
    texts = pages(render_letter(make_letter(layout=layout, language=lang) for layout, lang in keys))
    assert len(texts) == len(keys)
    return dict(zip(keys, texts, strict=False))


@pytest.mark.parametrize("layout", ["standard", "compact"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_letter_shows_file_batches_totals_and_checksum(rendered, layout, language):
    text = rendered[layout, language]
    for expected in COMMON + AMOUNTS[language]:
        assert expected in text, expected


def test_layouts_really_differ(rendered):
    standard, compact = rendered["standard", "nl"], rendered["compact", "nl"]
    assert "Geachte heer, mevrouw," in standard and "Met vriendelijke groet," in standard
    assert "Betreft: aanlevering SEPA-incassobestand incasso_20251124_0001.xml" in standard
    assert "Amsterdam, 24 november 2025" in standard
    assert "Postbus 283" in standard  # the bank's address block
    assert "Geachte" not in compact and "Postbus" not in compact
    assert "Opdrachtbrief SEPA-incasso" in compact
    assert "verzoeken de bank het bestand" in compact
    assert "Dear Sir or Madam," in rendered["standard", "en"]


def test_layouts_are_listed_for_the_ui():
    assert set(LAYOUTS) == {"standard", "compact"}
    for descriptions in LAYOUTS.values():
        assert descriptions["nl"] and descriptions["en"]


def test_one_account_without_signatories_still_gets_signature_space():
    (text,) = pages(render_letter([make_letter(signatories=[], contact="", bank_address=None)]))
    assert text.count("Handtekening") == 2
    assert "contact" not in text


def test_many_batches_flow_onto_a_next_page():
    many = [LetterBatch(f"PMT-{n:03d}", "CORE", "RCUR", date(2025, 12, 1), 10, 1000) for n in range(60)]
    texts = pages(render_letter([make_letter(batches=many, total_count=600, total_cents=60000)]))
    assert len(texts) >= 2
    assert all(f"PMT-{n:03d}" in " ".join(texts) for n in range(60))
    assert "€ 600,00" in texts[-1]


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"total_count": 1494}, "total count 1494 differs from the batches' sum 1493"),
        ({"total_cents": 98988889}, "total amount 98988889 cents differs"),
        ({"batches": []}, "has no batches"),
        ({"sha256": "abc"}, "sha256 must be 64 hex digits"),
    ],
)
def test_letter_that_disagrees_with_the_file_is_refused(change, fragment):
    good = make_letter(msg_id="MSG-GOOD")
    with pytest.raises(ValueError, match=fragment):
        render_letter([good, make_letter(**change)])


def test_unknown_layout_or_language_is_refused():
    with pytest.raises(ValueError, match="layout"):
        make_letter(layout="fancy")
    with pytest.raises(ValueError, match="language"):
        make_letter(language="de")


def test_account_template_texts_override_the_builtin_ones():
    letter = make_letter(
        text_overrides={"closing": "Hoogachtend,", "subject": "Bestand {file_name} voor {bank_name}"}
    )
    (text,) = pages(render_letter([letter]))
    assert "Hoogachtend," in text and "Met vriendelijke groet" not in text
    assert "Bestand incasso_20251124_0001.xml voor ABN AMRO Bank N.V." in text


def test_bad_account_template_key_is_named():
    with pytest.raises(TemplateError, match="slot"):
        render_letter([make_letter(text_overrides={"slot": "x"})])


def test_letter_data_is_plain_and_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        make_letter().total_count = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"seq_type": "XXXX"}, "seq_type"),
        ({"scheme": "COR1"}, "scheme"),
        ({"total_cents": 12.5}, "total_cents of batch PMT-1"),
        ({"count": -1}, "count of batch PMT-1"),
    ],
)
def test_batch_lines_are_checked(change, fragment):
    fields = {
        "pmt_inf_id": "PMT-1",
        "scheme": "CORE",
        "seq_type": "RCUR",
        "collection_date": date(2025, 12, 1),
        "count": 1,
        "total_cents": 100,
    }
    with pytest.raises(ValueError, match=fragment):
        LetterBatch(**{**fields, **change})


def _font_names(data: bytes) -> set[str]:
    import io

    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_letter_in_windows_1252_uses_the_core_font_and_others_embed_dejavu():
    # Parsing DejaVu costs ~0.5 s per process: a letter that needs no more than Latin-1
    # (+ €) prints in Helvetica; one with "Łukasz Żółć" embeds the Unicode font.
    plain = make_letter(signatories=["J. de Vries", "Jürgen Müller"])
    data = render_letter([plain])
    assert all("Helvetica" in name for name in _font_names(data))
    (text,) = pages(data)
    assert "Jürgen Müller" in text and "€" in text
    if SYSTEM_DEJAVU.is_file():
        data = render_letter([make_letter()])  # signatory Łukasz Żółć
        assert any("DejaVu" in name for name in _font_names(data))
        assert "Łukasz Żółć" in pages(data)[0]
