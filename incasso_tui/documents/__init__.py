"""PDF documents: the SEPA mandate form and the instruction letter (opdrachtbrief).

Pure: plain dataclasses in, PDF bytes out; no database, no UI. Importing this package is cheap
because fpdf is only imported when a document is actually rendered.
"""

from incasso_tui.documents.fonts import FontFallbackWarning, font_warning
from incasso_tui.documents.letter import check_letter, render_letter
from incasso_tui.documents.mandate_form import form_title, render_mandate_forms
from incasso_tui.documents.model import (
    LAYOUTS,
    LetterAccount,
    LetterBatch,
    LetterData,
    MandateFormData,
    Party,
)
from incasso_tui.documents.output import write_pdf
from incasso_tui.documents.templates import TemplateError, load_overrides, mandate_texts, validate_overrides

__all__ = [
    "LAYOUTS",
    "FontFallbackWarning",
    "LetterAccount",
    "LetterBatch",
    "LetterData",
    "MandateFormData",
    "Party",
    "TemplateError",
    "check_letter",
    "font_warning",
    "form_title",
    "load_overrides",
    "mandate_texts",
    "render_letter",
    "render_mandate_forms",
    "validate_overrides",
    "write_pdf",
]
