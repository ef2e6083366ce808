"""The pre-notification (vooraankondiging): one letter per debtor listing that debtor's
collections (mandate reference, date, amount, description), in the debtor's language, and the
same notice as a short e-mail text. Pure: dataclasses in, PDF bytes or text out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from incasso_tui.documents import pdf_base as base
from incasso_tui.documents.formatting import (
    address_lines,
    format_cents,
    format_long_date,
    postcode_town,
    street_line,
)
from incasso_tui.documents.model import MANDATE_LANGUAGES, Party
from incasso_tui.documents.texts_prenotification import PRENOTIFICATION_TEXTS

if TYPE_CHECKING:  # pragma: no cover
    from incasso_tui.documents.pdf_class import Pdf

__all__ = ["NoticeLine", "PreNotificationLetter", "email_text", "render_prenotifications"]

# Table: mandate reference, collection date, amount, description (sum: 170 mm).
_COLS = (42.0, 36.0, 30.0, 62.0)


@dataclass(frozen=True)
class NoticeLine:
    """One collection the debtor is told about."""

    mandate_reference: str
    collection_date: date
    amount_cents: int
    remittance: str
    scheme: str = "CORE"

    def __post_init__(self) -> None:
        if not isinstance(self.amount_cents, int) or isinstance(self.amount_cents, bool):
            raise TypeError(f"amount must be integer cents, got {self.amount_cents!r}")
        if self.amount_cents <= 0:
            raise ValueError(f"amount must be positive, got {self.amount_cents} cents")


@dataclass(frozen=True)
class PreNotificationLetter:
    """Everything one debtor's pre-notification says."""

    language: str  # nl / en / de: the debtor's
    creditor: Party
    creditor_id: str
    contact: str  # the creditor's contact (bank account's letter contact, else the address)
    debtor: Party
    debtor_number: str
    debtor_iban: str
    letter_date: date
    lines: tuple[NoticeLine, ...]

    def __post_init__(self) -> None:
        if self.language not in MANDATE_LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(MANDATE_LANGUAGES)}; got {self.language!r}")
        if not self.lines:
            raise ValueError(f"pre-notification for {self.debtor.name}: no collections")

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


def masked_iban(iban: str) -> str:
    """NL91 … 4300: enough for the debtor to recognise the account, little for anyone else."""
    compact = "".join(iban.split()).upper()
    return f"{compact[:4]} … {compact[-4:]}" if len(compact) > 8 else compact


def texts(letter: PreNotificationLetter) -> dict[str, str]:
    values = {
        "creditor_name": letter.creditor.name,
        "creditor_id": letter.creditor_id,
        "debtor_name": letter.debtor.name,
        "iban": masked_iban(letter.debtor_iban),
        "contact": letter.contact,
        "count": str(len(letter.lines)),
    }
    return {key: value.format(**values) for key, value in PRENOTIFICATION_TEXTS[letter.language].items()}


def render_prenotifications(letters: Iterable[PreNotificationLetter]) -> bytes:
    """Every letter from a new page, all in one PDF (one letter: the debtor's own PDF)."""
    letters = list(letters)
    if not letters:
        raise ValueError("no pre-notifications to render")
    prepared = [(letter, texts(letter)) for letter in letters]
    first, first_texts = prepared[0]
    pdf = base.new_pdf(
        title=first_texts["title"] + (f" {first.debtor.name}" if len(letters) == 1 else ""),
        author=first.creditor.name,
        language=first.language,
        texts=_all_texts(prepared),
    )
    for letter, words in prepared:
        base.start_section(pdf, f"{letter.creditor.name} · {words['title']}", words["page"])
        _draw(pdf, letter, words)
    return base.output(pdf)


def _all_texts(prepared: list[tuple[PreNotificationLetter, dict[str, str]]]) -> Iterator[str]:
    for letter, words in prepared:
        yield from words.values()
        yield from (letter.creditor.name, letter.creditor_id, letter.contact, letter.debtor_number)
        yield from address_lines(letter.creditor, letter.language)
        yield from (letter.debtor.name, *address_lines(letter.debtor, letter.language))
        for line in letter.lines:
            yield from (line.mandate_reference, line.remittance)
    yield " · €…"


def _draw(pdf: Pdf, letter: PreNotificationLetter, words: dict[str, str]) -> None:
    lang = letter.language
    base.font(pdf, 14, bold=True, color=base.ACCENT)
    base.newline_cell(pdf, 0, 7, letter.creditor.name)
    base.font(pdf, 9, color=base.MUTED)
    base.newline_cell(pdf, 0, 4.5, "  ·  ".join(address_lines(letter.creditor, lang)))
    pdf.ln(1.5)
    base.rule(pdf)

    # The debtor's address where a window envelope shows it.
    pdf.set_y(45)
    base.font(pdf, 10.5)
    debtor = letter.debtor
    for line in (debtor.name, street_line(debtor), postcode_town(debtor)):
        if line:
            base.newline_cell(pdf, 85, 5.2, line)
    if debtor.country and debtor.country.upper() != (letter.creditor.country or "").upper():
        base.newline_cell(pdf, 85, 5.2, address_lines(debtor, lang)[-1])

    pdf.set_y(78)
    base.font(pdf, 10)
    base.newline_cell(pdf, 0, 5, format_long_date(letter.letter_date, lang), align="R")
    pdf.ln(2)
    base.font(pdf, 12, bold=True, color=base.ACCENT)
    base.newline_cell(pdf, 0, 7, words["title"])
    pdf.ln(2)
    width = base.text_width(pdf)
    for label, value in (
        (words["label_creditor"], letter.creditor.name),
        (words["label_creditor_id"], letter.creditor_id),
        (words["label_debtor_number"], letter.debtor_number),
    ):
        base.label_value(pdf, label, value, x=pdf.l_margin, label_width=55, width=width)
    pdf.ln(3)
    base.paragraph(pdf, words["salutation"], size=10)
    pdf.ln(1.5)
    base.paragraph(pdf, words["intro_one" if len(letter.lines) == 1 else "intro_many"], size=10)
    pdf.ln(3)
    _table(pdf, letter, words)
    pdf.ln(4)
    base.paragraph(pdf, words["balance"], size=10)
    if all(line.scheme == "CORE" for line in letter.lines):
        pdf.ln(1.5)
        base.paragraph(pdf, words["refund_core"], size=10)
    if letter.contact:
        pdf.ln(1.5)
        base.paragraph(pdf, words["contact"], size=10)
    pdf.ln(5)
    base.paragraph(pdf, words["closing"], size=10)
    pdf.ln(1)
    base.paragraph(pdf, letter.creditor.name, size=10)


def _table(pdf: Pdf, letter: PreNotificationLetter, words: dict[str, str]) -> None:
    lang = letter.language
    pdf.set_fill_color(*base.SHADE)
    pdf.set_draw_color(*base.RULE)
    base.font(pdf, 9, bold=True, color=base.ACCENT)
    heads = (words["col_reference"], words["col_date"], words["col_amount"], words["col_text"])
    for i, (head, col) in enumerate(zip(heads, _COLS, strict=True)):
        cell = base.newline_cell if i == len(_COLS) - 1 else base.inline_cell
        cell(pdf, col, 6.5, head, fill=True, align="R" if i == 2 else "L")
    for line in letter.lines:
        values = (
            line.mandate_reference,
            format_long_date(line.collection_date, lang),
            format_cents(line.amount_cents, lang),
            line.remittance,
        )
        for i, (value, col) in enumerate(zip(values, _COLS, strict=True)):
            base.font(pdf, base.fit_size(pdf, value, col, 9.5, minimum=6.5))
            cell = base.newline_cell if i == len(_COLS) - 1 else base.inline_cell
            cell(pdf, col, 6, value, border="B", align="R" if i == 2 else "L")
    if len(letter.lines) > 1:
        base.font(pdf, 9.5, bold=True)
        base.inline_cell(pdf, _COLS[0] + _COLS[1], 6.5, words["total"])
        base.newline_cell(pdf, _COLS[2], 6.5, format_cents(letter.total_cents, lang), align="R")


def email_text(letter: PreNotificationLetter) -> tuple[str, str]:
    """(subject, plain-text body) of the notice by e-mail: the same facts as the letter."""
    words = texts(letter)
    lang = letter.language
    rows = [
        f"- {words['col_date']}: {format_long_date(line.collection_date, lang)}; "
        f"{words['col_amount']}: {format_cents(line.amount_cents, lang)}; "
        f"{words['col_reference']}: {line.mandate_reference}"
        + (f"; {words['col_text']}: {line.remittance}" if line.remittance else "")
        for line in letter.lines
    ]
    body = [
        words["salutation"],
        "",
        words["intro_one" if len(letter.lines) == 1 else "intro_many"],
        "",
        *rows,
        "",
        f"{words['label_creditor']}: {letter.creditor.name}",
        f"{words['label_creditor_id']}: {letter.creditor_id}",
        "",
        words["balance"],
    ]
    if all(line.scheme == "CORE" for line in letter.lines):
        body.append(words["refund_core"])
    if letter.contact:
        body.append(words["contact"])
    body += ["", words["mail_attachment"], "", words["closing"], letter.creditor.name, ""]
    return words["subject"], "\n".join(body)
