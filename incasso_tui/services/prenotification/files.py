"""The pre-notifications on paper: one PDF holding every debtor's letter (one per page, for
printing) and a CSV for a mail merge (UTF-8 with BOM, `;`, one row per debtor and order)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from incasso_tui.core.errors import Refused, ValidationError
from incasso_tui.core.files import make_private_dir, write_atomic
from incasso_tui.documents import write_pdf
from incasso_tui.documents.formatting import format_cents, format_long_date
from incasso_tui.documents.prenotification import render_prenotifications
from incasso_tui.services.exports.columns import ExportColumn, Kind
from incasso_tui.services.exports.run import write_sheets
from incasso_tui.services.exports.writers import Sheet
from incasso_tui.services.prenotification.gather import DebtorNotice

# The mail merge's fields, in order: (name, kind, value of a (notice, order, letter line) row).
_Row = tuple[DebtorNotice, Any, Any]
_FIELDS: tuple[tuple[str, Kind, Callable[[_Row], Any]], ...] = (
    ("administration", Kind.TEXT, lambda r: r[0].administration),
    ("debtor_number", Kind.TEXT, lambda r: r[0].debtor_number),
    ("debtor_name", Kind.TEXT, lambda r: r[0].letter.debtor.name),
    ("language", Kind.TEXT, lambda r: r[0].letter.language),
    ("email", Kind.TEXT, lambda r: r[0].email),
    ("street", Kind.TEXT, lambda r: r[0].letter.debtor.street),
    ("building_number", Kind.TEXT, lambda r: r[0].letter.debtor.building_number),
    ("postcode", Kind.TEXT, lambda r: r[0].letter.debtor.postcode),
    ("town", Kind.TEXT, lambda r: r[0].letter.debtor.town),
    ("country", Kind.TEXT, lambda r: r[0].letter.debtor.country),
    ("creditor_name", Kind.TEXT, lambda r: r[0].letter.creditor.name),
    ("creditor_id", Kind.TEXT, lambda r: r[0].letter.creditor_id),
    ("contact", Kind.TEXT, lambda r: r[0].letter.contact),
    ("order_id", Kind.INT, lambda r: r[1].order_id),
    ("mandate_reference", Kind.TEXT, lambda r: r[2].mandate_reference),
    ("collection_date", Kind.DATE, lambda r: r[2].collection_date),
    (
        "collection_date_text",
        Kind.TEXT,
        lambda r: format_long_date(r[2].collection_date, r[0].letter.language),
    ),
    ("amount", Kind.MONEY, lambda r: r[2].amount_cents),
    ("amount_text", Kind.TEXT, lambda r: format_cents(r[2].amount_cents, r[0].letter.language)),
    ("remittance", Kind.TEXT, lambda r: r[2].remittance),
)
CSV_COLUMNS = tuple(name for name, _, _ in _FIELDS)
# Field names stay as they are in every language: a mail-merge template refers to them.
_EXPORT_COLUMNS = [ExportColumn(name, name, kind, value, translated=False) for name, kind, value in _FIELDS]


def _target(path: str | Path, suffix: str, option: str) -> Path:
    target = Path(path).expanduser()
    if target.suffix.lower() != suffix:
        raise ValidationError(option, "must name a {suffix} file", str(path), suffix=suffix)
    if target.is_dir():
        raise ValidationError(option, "is a directory; give a file name", str(path))
    return target


def check_paths(
    pdf: str | Path | None, csv_path: str | Path | None, letters: str | Path | None = None
) -> tuple[Path | None, Path | None, Path | None]:
    """The output paths, checked before anything is rendered or recorded."""
    return (
        _target(pdf, ".pdf", "--out") if pdf else None,
        _target(csv_path, ".csv", "--csv") if csv_path else None,
        check_letters_dir(letters) if letters else None,
    )


def check_letters_dir(path: str | Path) -> Path:
    target = Path(path).expanduser()
    if target.exists() and not target.is_dir():
        raise ValidationError("--letters", "must name a directory (it is created when missing)", str(path))
    return target


def letter_name(notice: DebtorNotice) -> str:
    """`<administration>-<debtor number>.pdf`, with what a file name cannot hold replaced."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"{notice.administration}-{notice.debtor_number}") + ".pdf"


def write_letters(directory: Path, notices: list[DebtorNotice]) -> list[Path]:
    """One PDF per debtor (the letter the e-mail attaches), for a document system or a mailing."""
    return [_write(directory / letter_name(n), render_one(n), pdf=True) for n in notices]


def _write(target: Path, data: bytes, pdf: bool) -> Path:
    try:
        make_private_dir(target.parent)
        return write_pdf(target, data) if pdf else write_atomic(target, data)
    except OSError as exc:
        raise Refused("{target}: cannot write: {reason}", target=target, reason=exc.strerror or exc) from None


def render_one(notice: DebtorNotice) -> bytes:
    return render_prenotifications([notice.letter])


def write_print_pdf(target: Path, notices: list[DebtorNotice]) -> Path:
    """Every letter in one PDF, each from a new page, in the order given."""
    return _write(target, render_prenotifications([n.letter for n in notices]), pdf=True)


def write_csv(target: Path, notices: list[DebtorNotice]) -> Path:
    """One row per debtor and order, written as the list exports write CSV (UTF-8 with BOM, `;`,
    ISO dates, amounts with the language's decimal mark)."""
    rows = ((n, order, line) for n in notices for order, line in zip(n.orders, n.letter.lines, strict=True))
    try:
        make_private_dir(target.parent)
    except OSError as exc:
        raise Refused("{target}: cannot write: {reason}", target=target, reason=exc.strerror or exc) from None
    write_sheets(target, "csv", [Sheet("", _EXPORT_COLUMNS, rows)])
    return target
