"""The FPDF subclass every one of our PDFs is drawn on.

A module of its own because it imports fpdf (0.2-0.3 s): pdf_base imports it inside
new_pdf() only, the renderers only for type checking.
"""

from __future__ import annotations

from fpdf import FPDF

from incasso_tui.documents import pdf_base as base
from incasso_tui.documents.fonts import to_core_charset


class Pdf(FPDF):
    """An A4 page set-up with our font and the per-section footer (see pdf_base.new_pdf)."""

    base_family: str  # the font family of every text, set by new_pdf()
    # Set per section (one letter) right after its add_page(); empty: no footer.
    footer_text = ""
    footer_page_label = ""
    section_first_page = 1

    def __init__(self, *, unicode_font: bool) -> None:
        self.unicode_font = unicode_font  # before FPDF.__init__, which may already draw text
        super().__init__(orientation="portrait", unit="mm", format="A4")

    # Without the Unicode font every text goes through the core-font replacement.
    def normalize_text(self, text: str) -> str:
        if not self.unicode_font:
            text = to_core_charset(text, self.core_fonts_encoding)
        return super().normalize_text(text)

    def footer(self) -> None:
        if self.footer_text:
            self._draw_footer()

    def _draw_footer(self) -> None:
        """Small identification on every page, so a loose second page still says what it belongs to."""
        self.set_y(-11)
        base.font(self, 7.5, color=base.MUTED)
        number = self.page_no() - self.section_first_page + 1
        base.inline_cell(self, base.text_width(self) - 25, 4, self.footer_text)
        base.inline_cell(self, 25, 4, f"{self.footer_page_label} {number}", align="R")
