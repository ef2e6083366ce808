"""The letters' own word wrap (pdf_base.wrapped_cell) breaks lines where fpdf's multi_cell
does, and leaves a word wider than the line to multi_cell."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from incasso_tui.documents import pdf_base as base
from incasso_tui.documents.texts_letter import LETTER_TEXTS

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def wrap_both(width: float, text: str) -> tuple[list[str], list[str]]:
    """(multi_cell's lines, the lines wrapped_cell drew, read back from the PDF)."""
    from fpdf.enums import MethodReturnValue

    pdf = base.new_pdf(title="t", author="a", language="nl", texts=[text])
    pdf.add_page()
    base.font(pdf, 10)
    expected = pdf.multi_cell(width, 5, text, dry_run=True, output=MethodReturnValue.LINES)
    base.wrapped_cell(pdf, width, 5, text)
    drawn = PdfReader(io.BytesIO(base.output(pdf))).pages[0].extract_text().splitlines()
    return [line.strip() for line in expected], [line.strip() for line in drawn]


@pytest.mark.parametrize("width", [0, 60, 85, 120])
@pytest.mark.parametrize("key", ["intro", "intro_accounts", "declaration_accounts"])
def test_same_line_breaks_as_multi_cell(width, key):
    expected, drawn = wrap_both(width, LETTER_TEXTS["nl"][key])
    assert drawn == expected and len(drawn) > 1


def test_a_word_wider_than_the_line_is_broken_by_multi_cell():
    expected, drawn = wrap_both(40, f"SHA-256 {SHA}")
    assert drawn == expected and len(drawn) >= 3
