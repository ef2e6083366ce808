"""The instruction letter (opdrachtbrief) sent with a pain.008 file, one per file.

Two layouts (LAYOUTS): "standard", a formal letter to the bank, and "compact", a one-page form.
Both print what sepa-rules.md §7 suggests; the totals must equal the file's group header. A
file of several creditor accounts gets one letter: the file's grand total and a section per
account with its subtotal (LetterData.accounts).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from incasso_tui.documents import pdf_base as base
from incasso_tui.documents.formatting import (
    address_lines,
    format_cents,
    format_count,
    format_date,
    format_datetime,
    format_iban,
    format_long_date,
)
from incasso_tui.documents.model import LAYOUTS, LetterBatch, LetterData
from incasso_tui.documents.templates import fill, letter_texts

if TYPE_CHECKING:  # pragma: no cover
    from incasso_tui.documents.pdf_class import Pdf

__all__ = ["LAYOUTS", "check_letter", "render_letter"]

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
# Batch table: PmtInfId, scheme, sequence type, collection date, count, amount (sum: 170 mm).
_COL_WIDTHS = (60, 17, 15, 28, 18, 32)
_COL_ALIGN = ("LEFT", "CENTER", "CENTER", "CENTER", "RIGHT", "RIGHT")
_ZEBRA = (247, 249, 251)  # every other batch row, to read long tables across
_LABEL_WIDTH = 32.0  # labels of the standard letter's details blocks

Rows = list[tuple[str, str]]


def check_letter(letter: LetterData) -> None:
    """Refuse a letter that disagrees with its file: totals must be the sum of the batches,
    and with several accounts each subtotal the sum of its batches, the accounts' batches
    together exactly the file's."""
    _check_sum(
        f"{letter.msg_id}/{letter.account_iban}", letter.batches, letter.total_count, letter.total_cents
    )
    if letter.accounts:
        for account in letter.accounts:
            _check_sum(
                f"{letter.msg_id}/{account.iban}", account.batches, account.total_count, account.total_cents
            )
        ids = sorted(b.pmt_inf_id for account in letter.accounts for b in account.batches)
        if ids != sorted(b.pmt_inf_id for b in letter.batches):
            raise ValueError(f"letter for {letter.msg_id}: the accounts' batches are not the file's batches")
    if not _SHA256.fullmatch(letter.sha256):
        raise ValueError(f"letter for {letter.msg_id}: sha256 must be 64 hex digits, got {letter.sha256!r}")


def _check_sum(where: str, batches: list[LetterBatch], total_count: int, total_cents: int) -> None:
    count = sum(batch.count for batch in batches)
    cents = sum(batch.total_cents for batch in batches)
    if not batches:
        raise ValueError(f"letter for {where} has no batches")
    if count != total_count:
        raise ValueError(
            f"letter for {where}: total count {total_count} differs from the batches' sum {count}"
        )
    if cents != total_cents:
        raise ValueError(
            f"letter for {where}: total amount {total_cents} cents differs from the batches' sum {cents} cents"
        )


def render_letter(letters: Iterable[LetterData]) -> bytes:
    """The letters given, each starting on a new page, all in one PDF (the collection
    service renders one letter, for one file, per PDF).

    Every letter is checked (and its texts resolved) before drawing starts, so a bad one
    yields an exception and no PDF at all.
    """
    letters = list(letters)
    if not letters:
        raise ValueError("no letters to render")
    prepared = []
    for letter in letters:
        check_letter(letter)
        prepared.append((letter, _texts(letter)))
    first = letters[0]
    pdf = base.new_pdf(
        title=f"{prepared[0][1]['title']} {first.file_name}",
        author=first.creditor.name,
        language=first.language,
        texts=_all_texts(prepared),
    )
    for letter, texts in prepared:
        iban = [] if letter.accounts else [format_iban(letter.account_iban)]
        footer = " · ".join([letter.creditor.name, *iban, letter.file_name])
        base.start_section(pdf, footer, texts["page"])
        if letter.layout == "compact":
            _compact(pdf, letter, texts)
        else:
            _standard(pdf, letter, texts)
    return base.output(pdf)


def _all_texts(prepared: list[tuple[LetterData, dict[str, str]]]) -> Iterator[str]:
    """Every string a letter can print: its texts and every string field, nested too."""

    def strings(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                yield from strings(getattr(value, f.name))
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from strings(key)
                yield from strings(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from strings(item)

    for letter, texts in prepared:
        yield from strings(texts)
        yield from strings(letter)
        yield " · €–"  # separators and signs the layouts add


def _texts(letter: LetterData) -> dict[str, str]:
    values = {
        "creditor_name": letter.creditor.name,
        "creditor_id": letter.creditor_id,
        "account_iban": format_iban(letter.account_iban),
        "bank_name": letter.bank_name,
        "file_name": letter.file_name,
        "msg_id": letter.msg_id,
        "contact": letter.contact,
        "place": letter.place,
    }
    templates = letter_texts(letter.language, letter.text_overrides)
    return {key: fill(template, values) for key, template in templates.items()}


def _details(letter: LetterData, t: dict[str, str]) -> tuple[Rows, Rows]:
    """(label, value) rows about the creditor's account (with several accounts: about who
    submits the file; the accounts have their own sections) and about the file."""
    lang = letter.language
    if letter.accounts:
        creditor = [(t["label_submitter"], letter.creditor.name), (t["label_bank"], letter.bank_name)]
    else:
        creditor = [
            (t["label_creditor"], letter.creditor.name),
            (t["label_creditor_id"], letter.creditor_id),
            (t["label_account"], format_iban(letter.account_iban)),
            (t["label_bic"], letter.account_bic.upper()),
            (t["label_bank"], letter.bank_name),
        ]
    file = [
        (t["label_file_name"], letter.file_name),
        (t["label_msg_id"], letter.msg_id),
        (t["label_created_at"], format_datetime(letter.created_at, lang)),
        (t["label_pain_version"], letter.pain_version),
    ]
    return creditor, file


# --- standard: a formal letter ---------------------------------------------------------------


def _standard(pdf: Pdf, letter: LetterData, t: dict[str, str]) -> None:
    lang = letter.language
    width = base.text_width(pdf)
    base.font(pdf, 14, bold=True, color=base.ACCENT)
    base.newline_cell(pdf, 0, 7, letter.creditor.name)
    base.font(pdf, 9, color=base.MUTED)
    base.newline_cell(pdf, 0, 4.5, "  ·  ".join(address_lines(letter.creditor, lang)))
    pdf.ln(1.5)
    base.rule(pdf)

    # Address block where a DL window envelope shows it.
    pdf.set_y(45)
    base.font(pdf, 10.5, bold=True)
    base.newline_cell(pdf, 85, 5.2, letter.bank_name)
    base.font(pdf, 10.5)
    for line in address_lines(letter.bank_address, lang) if letter.bank_address else []:
        base.newline_cell(pdf, 85, 5.2, line)

    pdf.set_y(78)
    place_date = ", ".join(p for p in (letter.place, format_long_date(letter.letter_date, lang)) if p)
    base.font(pdf, 10)
    base.newline_cell(pdf, 0, 5, place_date, align="R")
    pdf.ln(3)
    base.font(pdf, 10.5, bold=True)
    base.newline_cell(pdf, 0, 6, t["subject"])
    pdf.ln(3)
    base.paragraph(pdf, t["salutation"], size=10)
    pdf.ln(1.5)
    base.paragraph(pdf, t["intro_accounts" if letter.accounts else "intro"], size=10, line=5)
    pdf.ln(4)

    creditor, file = _details(letter, t)
    half = (width - 6) / 2
    top = pdf.get_y()
    heading = t["heading_submitter" if letter.accounts else "heading_creditor"]
    _detail_column(pdf, heading, creditor, pdf.l_margin, half)
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    _detail_column(pdf, t["heading_file"], file, pdf.l_margin + half + 6, half)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 1)
    _sha_line(pdf, letter, t, pdf.l_margin, width)
    pdf.ln(4)

    _batches(pdf, letter, t, heading=True)
    pdf.ln(5)

    if letter.contact:
        base.paragraph(pdf, t["contact_line"], size=10, line=5)
        pdf.ln(2)
    base.ensure_space(pdf, 48)
    base.paragraph(pdf, t["closing"], size=10)
    base.font(pdf, 10)
    base.newline_cell(pdf, 0, 5, letter.creditor.name)
    pdf.ln(4)
    _signature_blocks(pdf, letter, t)


def _detail_column(pdf: Pdf, heading: str, rows: Rows, x: float, width: float) -> None:
    base.heading_bar(pdf, heading, x=x, width=width, size=9.5)
    for label, value in rows:
        base.label_value(pdf, label, value, x=x, label_width=_LABEL_WIDTH, width=width, height=5, size=9)
        pdf.set_x(x)


def _sha_line(pdf: Pdf, letter: LetterData, t: dict[str, str], x: float, width: float) -> None:
    """The checksum on one line (never wrapped: the bank compares it character by character)."""
    pdf.set_x(x)
    base.label_cell(pdf, t["label_sha256"], _LABEL_WIDTH, 5.5, 8)
    value = letter.sha256.lower()
    size = base.fit_size(pdf, value, width - _LABEL_WIDTH, 9.5, bold=True)
    base.font(pdf, size, bold=True)
    base.newline_cell(pdf, width - _LABEL_WIDTH, 5.5, value)


def _signature_blocks(pdf: Pdf, letter: LetterData, t: dict[str, str]) -> None:
    """Two (or more) boxes side by side: signature space above a line, name and place/date."""
    names = list(letter.signatories) or ["", ""]
    if len(names) == 1:
        names.append("")
    width = (base.text_width(pdf) - 10) / 2
    height = 30
    for start in range(0, len(names), 2):
        base.ensure_space(pdf, height + 4)
        top = pdf.get_y()
        for column, name in enumerate(names[start : start + 2]):
            x = pdf.l_margin + column * (width + 10)
            pdf.set_draw_color(*base.RULE)
            pdf.rect(x, top, width, height)
            base.font(pdf, 7.5, color=base.MUTED)
            pdf.set_xy(x + 1, top + 1)
            base.inline_cell(pdf, width - 2, 4, t["label_signature"])
            pdf.line(x + 3, top + 18, x + width - 3, top + 18)
            pdf.set_xy(x + 1, top + 19)
            base.font(pdf, 9.5, bold=True)
            base.inline_cell(pdf, width - 2, 5, name or f"{t['label_name']}:")
            pdf.set_xy(x + 1, top + 24)
            base.font(pdf, 8, color=base.MUTED)
            base.inline_cell(pdf, width - 2, 5, f"{t['label_place_date']}:")
        pdf.set_y(top + height + 4)


# --- compact: a one-page form ----------------------------------------------------------------


def _compact(pdf: Pdf, letter: LetterData, t: dict[str, str]) -> None:
    lang = letter.language
    width = base.text_width(pdf)
    # Title band
    pdf.set_fill_color(*base.ACCENT)
    base.font(pdf, 13, bold=True, color=(255, 255, 255))
    base.inline_cell(pdf, width * 0.62, 10, f"  {t['title']}", fill=True)
    base.font(pdf, 9, color=(255, 255, 255))
    place_date = ", ".join(p for p in (letter.place, format_date(letter.letter_date, lang)) if p)
    base.newline_cell(pdf, width * 0.38, 10, f"{place_date}  ", fill=True, align="R")
    pdf.ln(4)

    creditor, file = _details(letter, t)
    rows = [*creditor, (t["label_contact"], letter.contact), *file]
    half = width / 2
    for index in range(0, len(rows), 2):
        top = pdf.get_y()
        for column, (label, value) in enumerate(rows[index : index + 2]):
            _form_cell(pdf, label, value, pdf.l_margin + column * half, top, half)
        pdf.set_y(top + 11)
    top = pdf.get_y()
    _form_cell(pdf, t["label_sha256"], letter.sha256.lower(), pdf.l_margin, top, width, bold=True)
    pdf.set_y(top + 11)
    pdf.ln(5)

    _batches(pdf, letter, t, heading=False)
    pdf.ln(5)
    base.paragraph(pdf, t["declaration_accounts" if letter.accounts else "declaration"], size=9.5)
    pdf.ln(3)
    _signature_rows(pdf, letter, t)


def _form_cell(
    pdf: Pdf, label: str, value: str, x: float, y: float, width: float, bold: bool = False
) -> None:
    """A framed field with a small label above its value, like a paper form."""
    pdf.set_draw_color(*base.RULE)
    pdf.rect(x, y, width, 11)
    pdf.set_xy(x + 0.5, y + 0.6)
    base.font(pdf, 7, color=base.MUTED)
    base.inline_cell(pdf, width - 1, 3.6, label)
    pdf.set_xy(x + 0.5, y + 4.4)
    base.font(pdf, base.fit_size(pdf, value, width - 1, 10, minimum=7, bold=bold), bold=bold)
    base.inline_cell(pdf, width - 1, 5.6, value)


def _signature_rows(pdf: Pdf, letter: LetterData, t: dict[str, str]) -> None:
    from fpdf.fonts import FontFace

    names = list(letter.signatories) or ["", ""]
    if len(names) == 1:
        names.append("")
    base.ensure_space(pdf, 8 + 14 * len(names))
    base.font(pdf, 9)
    heading = FontFace(emphasis="BOLD", fill_color=base.SHADE, color=base.ACCENT)
    base.table_colors(pdf)
    with pdf.table(
        col_widths=(60, 50, 60),
        line_height=6,
        headings_style=heading,
        text_align="LEFT",
        v_align="TOP",
        cell_fill_color=(255, 255, 255),
        cell_fill_mode="ALL",
    ) as table:
        row = table.row()
        for key in ("label_name", "label_place_date", "label_signature"):
            row.cell(t[key])
        for name in names:
            row = table.row()
            row.cell(name)
            row.cell(letter.place)
            row.cell("\n\n")


# --- shared -----------------------------------------------------------------------------------


def _batches(pdf: Pdf, letter: LetterData, t: dict[str, str], *, heading: bool) -> None:
    """The file's PmtInfs with its total. With several accounts: first the accounts with
    their subtotals and the file's total (its group header), then a section per account."""
    lang = letter.language
    if not letter.accounts:
        if heading:
            base.font(pdf, 10, bold=True, color=base.ACCENT)
            base.newline_cell(pdf, 0, 6, t["heading_batches"])
        _batch_table(pdf, letter.batches, letter.total_count, letter.total_cents, t["total_row"], t, lang)
        return
    base.font(pdf, 10, bold=True, color=base.ACCENT)
    base.newline_cell(pdf, 0, 6, t["heading_accounts"])
    _account_table(pdf, letter, t)
    for account in letter.accounts:
        pdf.ln(3)
        base.ensure_space(pdf, 24)
        base.font(pdf, 9.5, bold=True, color=base.ACCENT)
        title = f"{format_iban(account.iban)} · {account.creditor.name} · {account.creditor_id}"
        base.newline_cell(pdf, 0, 5.5, title)
        subtotal = t["subtotal_row"]
        _batch_table(pdf, account.batches, account.total_count, account.total_cents, subtotal, t, lang)


def _account_table(pdf: Pdf, letter: LetterData, t: dict[str, str]) -> None:
    """Per account: IBAN, BIC, creditor, count and subtotal; then the file's total."""
    from fpdf.fonts import FontFace

    lang = letter.language
    heading = FontFace(emphasis="BOLD", fill_color=base.SHADE, color=base.ACCENT)
    bold = FontFace(emphasis="BOLD")
    base.table_colors(pdf)
    base.font(pdf, 8.5)
    with pdf.table(
        col_widths=(50, 25, 45, 18, 32),
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        line_height=5.6,
        headings_style=heading,
        borders_layout="HORIZONTAL_LINES",
        cell_fill_color=_ZEBRA,
        cell_fill_mode="ROWS",
        padding=(0.8, 1.2),
    ) as table:
        row = table.row()
        for key in ("label_account", "label_bic", "label_creditor", "col_count", "col_total"):
            row.cell(t[key])
        for account in letter.accounts:
            row = table.row()
            row.cell(format_iban(account.iban))
            row.cell(account.bic.upper())
            row.cell(account.creditor.name)
            row.cell(format_count(account.total_count, lang))
            row.cell(format_cents(account.total_cents, lang))
        row = table.row()
        row.cell(t["file_total_row"], colspan=3, style=bold, align="LEFT")
        row.cell(format_count(letter.total_count, lang), style=bold, align="RIGHT")
        row.cell(format_cents(letter.total_cents, lang), style=bold, align="RIGHT")


def _batch_table(
    pdf: Pdf,
    batches: list[LetterBatch],
    total_count: int,
    total_cents: int,
    total_label: str,
    t: dict[str, str],
    lang: str,
) -> None:
    """One row per PmtInf and a bold total row; amounts right-aligned. Drawn with plain
    cells, not fpdf's table(): that costs ~25 ms a letter, and a split set has a letter per
    file. A row that does not fit starts a new page under the column headings again."""
    heads = [
        t[key]
        for key in (
            "col_pmt_inf_id",
            "col_scheme",
            "col_seq_type",
            "col_collection_date",
            "col_count",
            "col_total",
        )
    ]
    rows = [
        (
            batch.pmt_inf_id,
            batch.scheme,
            batch.seq_type,
            format_date(batch.collection_date, lang),
            format_count(batch.count, lang),
            format_cents(batch.total_cents, lang),
        )
        for batch in batches
    ]
    _table_row(pdf, heads, _COL_WIDTHS, _COL_ALIGN, style="head")
    for number, row in enumerate(rows):
        if pdf.will_page_break(_ROW_HEIGHT):
            pdf.add_page()
            _table_row(pdf, heads, _COL_WIDTHS, _COL_ALIGN, style="head")
        _table_row(pdf, row, _COL_WIDTHS, _COL_ALIGN, style="zebra" if number % 2 else "")
    widths = (sum(_COL_WIDTHS[:4]), *_COL_WIDTHS[4:])
    total = (total_label, format_count(total_count, lang), format_cents(total_cents, lang))
    _table_row(pdf, total, widths, ("LEFT", "RIGHT", "RIGHT"), style="bold")


_ROW_HEIGHT = 6.0


def _table_row(
    pdf: Pdf, texts: Sequence[str], widths: Sequence[float], aligns: Sequence[str], *, style: str
) -> None:
    """One table row of one-line cells (a text too wide is set smaller), ruled below."""
    x, y = pdf.l_margin, pdf.get_y()
    bold = style in ("head", "bold")
    fill = {"head": base.SHADE, "zebra": _ZEBRA}.get(style)
    if fill:
        pdf.set_fill_color(*fill)
        pdf.rect(x, y, sum(widths), _ROW_HEIGHT, style="F")
    for text, width, align in zip(texts, widths, aligns, strict=True):
        base.font(
            pdf,
            base.fit_size(pdf, text, width - 1.6, 8.5, minimum=6.5, bold=bold),
            bold=bold,
            color=base.ACCENT if style == "head" else base.TEXT,
        )
        pdf.set_xy(x + 0.8, y)
        pdf.cell(width - 1.6, _ROW_HEIGHT, text, align=align[0])
        x += width
    pdf.set_draw_color(*base.RULE)
    pdf.line(pdf.l_margin, y + _ROW_HEIGHT, pdf.l_margin + sum(widths), y + _ROW_HEIGHT)
    pdf.set_xy(pdf.l_margin, y + _ROW_HEIGHT)
