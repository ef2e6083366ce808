"""Writing rows to CSV or XLSX as they come (flat memory however many rows).

CSV is for spreadsheets as Dutch users open them: UTF-8 with a BOM (Excel otherwise reads it
as ANSI), `;` between fields (Excel's separator where the decimal mark is a comma), amounts with
the language's decimal mark and no grouping (`1234,56` in Dutch, `1234.56` in English: a
spreadsheet in that language reads them as numbers). Dates are ISO (`2026-11-24`): the one
notation every spreadsheet in every locale reads as a date, and never ambiguous (03-04 is
not March in every locale).

XLSX cells are typed: dates are dates (shown in the language's notation), amounts numbers with
two decimals, counts integers; yes/no are text in the language. openpyxl's write-only workbook
writes each row to disk as it is appended.

Text that a spreadsheet would run as a formula (starting with = + - @) is written as text:
in CSV with a leading apostrophe (the spreadsheets' own mark for "this is text"), in XLSX as
a string cell. Characters an XLSX file cannot hold (control characters) are written as \\uXXXX.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from incasso_tui.i18n import language, t
from incasso_tui.services.exports.columns import ExportColumn, Kind

# Characters XML 1.0 (and so XLSX) cannot hold, and lone surrogates UTF-8 cannot encode.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _clean(text: str) -> str:
    if _UNWRITABLE.search(text) is None:  # the usual case: no substitution to build
        return text
    return _UNWRITABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _text(value: Any) -> str:
    return "" if value is None else _clean(str(value))


def _money_text(cents: int, decimal_mark: str) -> str:
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{euros}{decimal_mark}{rest:02d}"


def _naive(value: dt.datetime) -> dt.datetime:
    """Spreadsheets know no time zones: an aware time is shown in local time."""
    return value.astimezone().replace(tzinfo=None) if value.tzinfo is not None else value


def _csv_date(value: Any) -> str:
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _csv_text(value: Any) -> str:
    text = _text(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _is_month(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 7 and value[4] == "-"


@dataclass(frozen=True)
class Sheet:
    """One table of a file: a sheet of its own in XLSX; in CSV, tables follow each other with
    an empty line between them (a report's detail, then its summary)."""

    title: str
    columns: Sequence[ExportColumn]
    rows: Iterable[Any]


def csv_formatter(kind: Kind, decimal_mark: str) -> Callable[[Any], str]:
    """The function writing a non-empty value of `kind` as CSV text (chosen once per column,
    not per cell: an export of a million rows formats ten million cells)."""
    if kind is Kind.DATE:
        return _csv_date
    if kind is Kind.DATETIME:
        return lambda value: _naive(value).isoformat(sep=" ", timespec="seconds")
    if kind is Kind.MONEY:
        return lambda value: _money_text(value, decimal_mark)
    if kind is Kind.INT:
        return lambda value: str(int(value))
    if kind is Kind.BOOL:
        yes, no = t("yes"), t("no")
        return lambda value: yes if value else no
    if kind is Kind.RATE:  # "1,23%": a spreadsheet reads it as the number 0.0123
        return lambda value: f"{Decimal(str(value)) * 100:.2f}%".replace(".", decimal_mark)
    return _csv_text


def csv_cell(kind: Kind, value: Any, decimal_mark: str) -> str:
    return "" if value is None else csv_formatter(kind, decimal_mark)(value)


def write_csv(handle: IO[bytes], columns: Sequence[ExportColumn], rows: Iterable[Any]) -> int:
    """Header and rows to the binary `handle`; returns the number of rows."""
    return write_csv_sheets(handle, [Sheet("", columns, rows)])


def write_csv_sheets(handle: IO[bytes], sheets: Sequence[Sheet]) -> int:
    """Each table's header and rows, an empty line between tables; returns the first table's
    number of rows."""
    decimal_mark = "." if language() == "en" else ","
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=False)
    counts = []
    try:
        out = csv.writer(text, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        for number, sheet in enumerate(sheets):
            if number:
                out.writerow([])
            out.writerow([column.label for column in sheet.columns])
            count = 0
            specs = [(column.value, csv_formatter(column.kind, decimal_mark)) for column in sheet.columns]
            for row in sheet.rows:
                cells = []
                for value, formatted in specs:
                    cell = value(row)
                    cells.append("" if cell is None else formatted(cell))
                out.writerow(cells)
                count += 1
            counts.append(count)
        text.flush()
    finally:
        text.detach()  # the caller owns `handle` (it renames the finished file)
    return counts[0] if counts else 0


def _formats() -> dict[Kind, str]:
    dates = "yyyy-mm-dd" if language() == "en" else "dd-mm-yyyy"
    return {
        Kind.DATE: dates,
        Kind.DATETIME: f"{dates} hh:mm",
        Kind.MONEY: "#,##0.00",
        Kind.INT: "0",
        Kind.MONTH: "yyyy-mm",
        Kind.RATE: "0.00%",
    }


def xlsx_value(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind is Kind.DATE:
        return value.date() if isinstance(value, dt.datetime) else value
    if kind is Kind.DATETIME:
        return _naive(value)
    if kind is Kind.MONEY:
        return Decimal(int(value)).scaleb(-2)  # exact: euros with two decimals, never a float
    if kind is Kind.INT:
        return int(value)
    if kind is Kind.BOOL:
        return t("yes") if value else t("no")
    if kind is Kind.MONTH and _is_month(value):
        return dt.date(int(value[:4]), int(value[5:7]), 1)
    if kind is Kind.RATE:
        return Decimal(str(value))
    return _text(value)


def write_xlsx(handle: IO[bytes], columns: Sequence[ExportColumn], rows: Iterable[Any], title: str) -> int:
    """One sheet named `title`: a bold, frozen header and typed cells; returns the number of rows."""
    return write_xlsx_sheets(handle, [Sheet(title, columns, rows)])


def write_xlsx_sheets(handle: IO[bytes], sheets: Sequence[Sheet]) -> int:
    """A sheet per table; returns the first table's number of rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    counts = [_append_sheet(book, sheet) for sheet in sheets]
    book.save(handle)
    return counts[0] if counts else 0


def _append_sheet(book: Any, table: Sheet) -> int:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(_sheet_title(table.title))
    sheet.freeze_panes = "A2"
    widths = {Kind.DATE: 12, Kind.DATETIME: 17, Kind.MONEY: 14, Kind.INT: 9, Kind.BOOL: 6, Kind.RATE: 9}
    for number, column in enumerate(table.columns, 1):
        width = max(len(column.label) + 2, widths.get(column.kind, 18))
        sheet.column_dimensions[get_column_letter(number)].width = width
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=_clean(column.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = _formats()
    specs = [(column.kind, column.value, formats.get(column.kind)) for column in table.columns]
    count = 0
    for row in table.rows:
        cells = []
        for kind, value, number_format in specs:
            cell = WriteOnlyCell(sheet, value=xlsx_value(kind, value(row)))
            if number_format is not None and cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = number_format
            if cell.data_type == "f":  # text that looks like a formula stays text
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    return count


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Export"
