"""The SEPA mandate form (machtigingsformulier): one A4 page per mandate, see sepa-rules.md §5.4."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from incasso_tui.documents import pdf_base as base
from incasso_tui.documents.formatting import (
    address_lines,
    format_date,
    format_iban,
    one_line_address,
    party_country,
    postcode_town,
    street_line,
)
from incasso_tui.documents.model import MandateFormData
from incasso_tui.documents.output import write_pdf
from incasso_tui.documents.templates import Overrides, fill, mandate_texts, validate_overrides

if TYPE_CHECKING:  # pragma: no cover
    from incasso_tui.documents.pdf_class import Pdf

__all__ = ["form_title", "render_mandate_forms", "write_pdf"]

BOX_PAD = 5.0  # mm between the mandate's frame and its content
LABEL_WIDTH = 50.0
FIELD_HEIGHT = 7.5


def form_title(form: MandateFormData, texts: dict[str, str]) -> str:
    """The title for the form's scheme and kind, e.g. 'Eenmalige SEPA-machtiging Bedrijven'."""
    kind = "recurrent" if form.recurrent else "one_off"
    key = f"title_b2b_{kind}" if form.scheme == "B2B" else f"title_{kind}"
    return fill(texts[key], _values(form))


def _values(form: MandateFormData) -> dict[str, str]:
    """What the {placeholders} of the mandate texts stand for."""
    return {
        "creditor_name": form.creditor.name,
        "creditor_id": form.creditor_id,
        "creditor_address": one_line_address(form.creditor, form.language),
        "reference": form.reference,
        "reason": form.reason,
    }


def render_mandate_forms(forms: Iterable[MandateFormData], overrides: Overrides | None = None) -> bytes:
    """One page per mandate, all in one PDF (a single form or a batch of unprinted ones).

    overrides: {language: {text key: template}} from the administration's configuration;
    a TemplateError names a bad key or placeholder before anything is drawn.
    """
    forms = list(forms)
    if not forms:
        raise ValueError("no mandate forms to render")
    validate_overrides(overrides)
    texts = {lang: mandate_texts(lang, overrides) for lang in {f.language for f in forms}}
    first = forms[0]
    title = form_title(first, texts[first.language])
    if len(forms) == 1:
        title = f"{title} {first.reference}"
    pdf = base.new_pdf(title=title, author=first.creditor.name, language=first.language)
    for form in forms:
        _draw_form(pdf, form, texts[form.language])
    return base.output(pdf)


def _draw_form(pdf: Pdf, form: MandateFormData, texts: dict[str, str]) -> None:
    values = _values(form)

    def text(key: str) -> str:
        return fill(texts[key], values)

    pdf.add_page()
    page = pdf.page_no()
    _letterhead(pdf, form)
    base.font(pdf, 17, bold=True, color=base.ACCENT)
    base.newline_cell(pdf, 0, 9, form_title(form, texts))
    base.font(pdf, 10, color=base.MUTED)
    base.newline_cell(pdf, 0, 5.5, text("scheme_b2b" if form.scheme == "B2B" else "scheme_core"))
    pdf.ln(4)

    # The mandate itself sits in its own frame, apart from any other text (§5.4 point 7).
    top = pdf.get_y()
    x = pdf.l_margin + BOX_PAD
    width = base.text_width(pdf) - 2 * BOX_PAD
    pdf.set_y(top + BOX_PAD)
    _creditor_block(pdf, form, text, x, width)
    pdf.ln(2.5)
    base.paragraph(
        pdf,
        text(f"authorisation_{form.scheme.lower()}_" + ("recurrent" if form.recurrent else "one_off")),
        x=x,
        width=width,
    )
    pdf.ln(1.5)
    base.paragraph(pdf, text("no_refund_b2b" if form.scheme == "B2B" else "refund_core"), x=x, width=width)
    pdf.ln(4)
    _debtor_block(pdf, form, text, x, width)
    bottom = pdf.get_y() + BOX_PAD
    pdf.set_draw_color(*base.ACCENT)
    pdf.set_line_width(0.5)
    pdf.rect(pdf.l_margin, top, base.text_width(pdf), bottom - top)
    pdf.set_line_width(0.25)

    pdf.set_y(bottom + 5)
    base.paragraph(pdf, text("return_to"), size=9)
    if pdf.page_no() != page:  # the frame would be drawn across a page break
        raise ValueError(
            f"mandate form {form.reference} does not fit on one page; shorten the overridden texts"
        )


def _letterhead(pdf: Pdf, form: MandateFormData) -> None:
    base.font(pdf, 12, bold=True, color=base.ACCENT)
    base.newline_cell(pdf, 0, 6, form.creditor.name)
    base.font(pdf, 9, color=base.MUTED)
    base.newline_cell(pdf, 0, 4.5, "  ·  ".join(address_lines(form.creditor, form.language)))
    pdf.ln(2)
    base.rule(pdf)
    pdf.ln(6)


def _creditor_block(
    pdf: Pdf, form: MandateFormData, text: Callable[[str], str], x: float, width: float
) -> None:
    lang = form.language
    creditor = form.creditor
    base.heading_bar(pdf, text("heading_creditor"), x=x, width=width)
    rows = [
        ("label_creditor_name", creditor.name, False),
        ("label_address", street_line(creditor), False),
        ("label_postcode_town", postcode_town(creditor), False),
        ("label_country", party_country(creditor, lang), False),
        ("label_creditor_id", form.creditor_id, True),
        ("label_reference", form.reference, True),
        ("label_reason", form.reason, False),
    ]
    for key, value, bold in rows:
        base.label_value(pdf, text(key), value, x=x, label_width=LABEL_WIDTH, width=width, bold_value=bold)


def _debtor_block(
    pdf: Pdf, form: MandateFormData, text: Callable[[str], str], x: float, width: float
) -> None:
    lang = form.language
    debtor = form.debtor
    base.heading_bar(pdf, text("heading_debtor"), x=x, width=width)
    field_width = width - LABEL_WIDTH
    rows = [
        ("label_debtor_name", debtor.name),
        ("label_address", street_line(debtor)),
        ("label_postcode_town", postcode_town(debtor)),
        ("label_country", party_country(debtor, lang)),
        ("label_iban", format_iban(form.debtor_iban)),
        ("label_bic", form.debtor_bic.upper()),
    ]
    for key, value in rows:
        _field(pdf, text(key), value, x=x, width=field_width, bold=key == "label_iban")

    # Place and date side by side, then the signature box.
    half = (field_width - 4) / 2
    _field(pdf, text("label_place"), form.signed_place, x=x, width=half, newline=False)
    base.font(pdf, 8.5, color=base.MUTED)
    pdf.set_x(x + LABEL_WIDTH + half + 4)
    label_w = pdf.get_string_width(text("label_date")) + 3
    base.inline_cell(pdf, label_w, FIELD_HEIGHT, text("label_date"))
    _box(pdf, format_date(form.signed_date, lang), pdf.get_x(), half - label_w)
    pdf.ln(FIELD_HEIGHT + 2)
    pdf.set_x(x)
    base.label_cell(pdf, text("label_signature"), LABEL_WIDTH, FIELD_HEIGHT, 8.5)
    signature_top = pdf.get_y()
    pdf.set_draw_color(*base.RULE)
    pdf.rect(x + LABEL_WIDTH, signature_top, field_width * 0.7, 24)
    pdf.set_y(signature_top + 24)


def _field(
    pdf: Pdf, label: str, value: str, *, x: float, width: float, bold: bool = False, newline: bool = True
) -> None:
    """A label and a framed field the debtor fills in (or that shows the stored value)."""
    pdf.set_x(x)
    base.label_cell(pdf, label, LABEL_WIDTH, FIELD_HEIGHT, 8.5)
    _box(pdf, value, x + LABEL_WIDTH, width, bold=bold)
    if newline:
        pdf.ln(FIELD_HEIGHT + 2)


def _box(pdf: Pdf, value: str, x: float, width: float, *, bold: bool = False) -> None:
    """A framed one-line field; a long value (a 70-character name) shrinks to stay inside."""
    pdf.set_draw_color(*base.RULE)
    pdf.set_x(x)
    base.font(pdf, base.fit_size(pdf, value, width, 10, minimum=7, bold=bold), bold=bold)
    base.inline_cell(pdf, width, FIELD_HEIGHT, value, border=1)
