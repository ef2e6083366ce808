"""The shared page set-up of our PDFs: fpdf (imported lazily), fonts, colours and small helpers.

fpdf costs 0.2-0.3 s to import, so nothing here imports it at module level; the app imports
incasso_tui.documents at start-up and only pays for fpdf when it actually prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from incasso_tui.documents.fonts import CORE_ENCODING, FontChoice, find_fonts, warn_fallback

if TYPE_CHECKING:  # pragma: no cover
    from incasso_tui.documents.pdf_class import Pdf

MARGIN = 20.0  # mm left/right; A4 leaves 170 mm of text width
TOP = 16.0
BOTTOM = 16.0
ACCENT = (31, 58, 95)  # dark blue for headings and rules
MUTED = (90, 90, 90)  # labels
TEXT = (0, 0, 0)
SHADE = (236, 240, 245)  # heading bars, table heads
RULE = (150, 160, 175)


def new_pdf(*, title: str, author: str, language: str, texts: Iterable[str] | None = None) -> Pdf:
    """An A4 document with DejaVu Sans (or Helvetica + a FontFallbackWarning when missing).

    ``texts``: when given and every one is in Windows-1252, the core Helvetica is used
    instead: fpdf parses a TrueType font through fontTools (~0.5 s and ~20 MB per process),
    which dominated printing an instruction letter after a large set.
    """
    from incasso_tui.documents.pdf_class import Pdf

    if texts is not None and _core_charset_suffices(texts):
        fonts = FontChoice(None, None)
    else:
        fonts = find_fonts()
        warn_fallback(fonts)

    pdf = Pdf(unicode_font=fonts.is_unicode)
    pdf.core_fonts_encoding = CORE_ENCODING
    pdf.base_family = _register_fonts(pdf, fonts)
    pdf.set_margins(MARGIN, TOP, MARGIN)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("incasso-tui")
    pdf.set_lang(language)
    pdf.set_line_width(0.25)
    return pdf


def _core_charset_suffices(texts: Iterable[str]) -> bool:
    try:
        for text in texts:
            text.encode(CORE_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def start_section(pdf: Pdf, footer_text: str = "", page_label: str = "") -> None:
    """A new page that starts a document of its own (one letter): its footer and page numbers."""
    pdf.add_page()  # draws the previous page's footer with the previous section's text
    pdf.footer_text = footer_text
    pdf.footer_page_label = page_label
    pdf.section_first_page = pdf.page_no()


def _register_fonts(pdf: Pdf, fonts: FontChoice) -> str:
    if not fonts.is_unicode:
        return "Helvetica"
    pdf.add_font("DejaVu", "", str(fonts.regular))
    pdf.add_font("DejaVu", "B", str(fonts.bold))
    return "DejaVu"


def output(pdf: Pdf) -> bytes:
    return bytes(pdf.output())


def font(pdf: Pdf, size: float, *, bold: bool = False, color: tuple[int, int, int] = TEXT) -> None:
    pdf.set_font(pdf.base_family, "B" if bold else "", size)
    pdf.set_text_color(*color)


def text_width(pdf: Pdf) -> float:
    return pdf.w - pdf.l_margin - pdf.r_margin


def newline_cell(pdf: Pdf, width: float, height: float, text: str, **kwargs: Any) -> None:
    """A one-line cell after which the cursor goes to the start of the next line."""
    from fpdf.enums import XPos, YPos

    pdf.cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, **kwargs)


def inline_cell(pdf: Pdf, width: float, height: float, text: str, **kwargs: Any) -> None:
    """A one-line cell after which the cursor stays on the line, right of the cell."""
    from fpdf.enums import XPos, YPos

    pdf.cell(width, height, text, new_x=XPos.RIGHT, new_y=YPos.TOP, **kwargs)


def paragraph(
    pdf: Pdf, text: str, *, size: float = 9.5, line: float = 4.6, width: float = 0, x: float | None = None
) -> None:
    font(pdf, size)
    if x is not None:
        pdf.set_x(x)
    wrapped_cell(pdf, width, line, text)


def wrapped_cell(pdf: Pdf, width: float, height: float, text: str) -> None:
    """multi_cell(width, height, text) left-aligned, the cursor on the next line at the left
    margin — wrapped here a word at a time: fpdf's line breaking measures every character
    again for every line and was most of the time an instruction letter takes (a split set
    prints one per file). A word wider than the line is left to multi_cell, which breaks it."""
    from fpdf.enums import XPos, YPos

    x = pdf.get_x()
    width = width or pdf.w - pdf.r_margin - x
    room = width - 2 * pdf.c_margin
    lines: list[str] = []
    space = pdf.get_string_width(" ")
    for part in text.split("\n"):
        words: list[str] = []
        used = 0.0
        for word in part.split(" "):
            size = pdf.get_string_width(word)
            if size > room:
                pdf.multi_cell(width, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                return
            if words and used + space + size > room:
                lines.append(" ".join(words))
                words, used = [], 0.0
            used += size + (space if words else 0.0)
            words.append(word)
        lines.append(" ".join(words))
    for text_line in lines:
        pdf.set_x(x)
        pdf.cell(width, height, text_line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def heading_bar(pdf: Pdf, text: str, *, x: float, width: float, size: float = 10) -> None:
    """A shaded bar with a bold heading, the start of a section."""
    pdf.set_x(x)
    pdf.set_fill_color(*SHADE)
    font(pdf, size, bold=True, color=ACCENT)
    pdf.cell(width, 6.5, text, fill=True)
    pdf.ln(8)


def table_colors(pdf: Pdf) -> None:
    """fpdf tables paint unfilled cells with the current fill colour: reset it to white."""
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*RULE)


def rule(
    pdf: Pdf, y: float | None = None, *, color: tuple[int, int, int] = ACCENT, width: float = 0.4
) -> None:
    y = pdf.get_y() if y is None else y
    pdf.set_draw_color(*color)
    pdf.set_line_width(width)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.25)


def label_value(
    pdf: Pdf,
    label: str,
    value: str,
    *,
    x: float,
    label_width: float,
    width: float,
    height: float = 5.6,
    size: float = 9.5,
    bold_value: bool = False,
) -> None:
    """One 'Label   value' row of a details block; a long value shrinks a little, then wraps."""
    pdf.set_x(x)
    label_cell(pdf, label, label_width, height, size - 1)
    value_size = fit_size(pdf, value, width - label_width, size, minimum=size - 1.5, bold=bold_value)
    font(pdf, value_size, bold=bold_value)
    wrapped_cell(pdf, width - label_width, height, value)


def label_cell(pdf: Pdf, label: str, width: float, height: float, size: float) -> None:
    """A muted label, made smaller rather than running into the value next to it."""
    font(pdf, fit_size(pdf, label, width - 1, size), color=MUTED)
    inline_cell(pdf, width, height, label)


def fit_size(
    pdf: Pdf, text: str, width: float, size: float, minimum: float = 6.5, *, bold: bool = False
) -> float:
    """The largest font size from `size` down to `minimum` at which text fits `width` mm."""
    while size > minimum:
        font(pdf, size, bold=bold)
        if pdf.get_string_width(text) + 2 * pdf.c_margin <= width:
            break
        size -= 0.5
    return max(size, minimum)


def ensure_space(pdf: Pdf, height: float) -> None:
    """Start a new page when a block that must not split (a signature box) would not fit."""
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
