"""Writing a report to CSV or XLSX with the list exports' writers: the table, then its summary
(in CSV after an empty line, in XLSX on a sheet of its own), cells typed as the exports type
them (amounts in euros with two decimals, months as months, rates as percentages)."""

from __future__ import annotations

import operator
import os

from incasso_tui.i18n import t
from incasso_tui.services.exports.columns import ExportColumn, Kind
from incasso_tui.services.exports.run import check_path, write_sheets
from incasso_tui.services.exports.writers import Sheet
from incasso_tui.services.reports.common import CENTS, COUNT, MONTH, RATE, Report, Table

_KINDS = {CENTS: Kind.MONEY, COUNT: Kind.INT, MONTH: Kind.MONTH, RATE: Kind.RATE}


def _sheet(title: str, table: Table) -> Sheet:
    columns = [
        ExportColumn(c.key, c.title, _KINDS.get(c.kind, Kind.TEXT), operator.itemgetter(i))
        for i, c in enumerate(table.columns)
    ]
    return Sheet(t(title), columns, table.rows)


def write_report(report: Report, path: str | os.PathLike[str], fmt: str) -> int:
    """The report into `path` as `fmt` (csv or xlsx); returns the number of table rows."""
    target = check_path(path)
    return write_sheets(target, fmt, [_sheet("Report", report.table), _sheet("Summary", report.summary)])
