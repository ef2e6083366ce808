"""`incasso report collected|rejects|mandates`: the reports of the Reports screen, as a table,
JSON, or a CSV/XLSX file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from incasso_tui.cli import output
from incasso_tui.cli.common import Subparsers, session
from incasso_tui.services.reports.common import CENTS, RATE, Table

HELP = {
    "collected": "collected per month: count and amount per administration and bank account, "
    "with the rejected and reversed part",
    "rejects": "R-transactions per reason code and month, with the reject rate "
    "(R-transactions ÷ collections)",
    "mandates": "mandates over time: new, ended and live per month, expiring and ending in the "
    "coming months, and now per status",
}


def register(sub: Subparsers) -> None:
    help_text = "reports within the administrations you may see (default period: the last 12 months)"
    p = sub.add_parser("report", help=help_text, description=help_text)
    p.add_argument("name", choices=tuple(HELP), help="; ".join(f"{k}: {v}" for k, v in HELP.items()))
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD or DD-MM-YYYY)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day (default: the end of this month)")
    p.add_argument("--administration", metavar="CODE", help="only this administration")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable output")
    out.add_argument("--csv", metavar="FILE", help="write the report to a CSV file (UTF-8 with BOM, ';')")
    out.add_argument("--xlsx", metavar="FILE", help="write the report to an XLSX file")
    p.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    s = session(args)
    from incasso_tui.services.reports import REPORTS

    report = REPORTS[args.name](s.actor, args.date_from, args.date_to, args.administration)
    if args.json:
        output.emit_json(report.as_dict())
        return 0
    if args.csv or args.xlsx:
        from incasso_tui.services.reports.output import write_report

        path = Path(args.csv or args.xlsx)
        n = write_report(report, path, "csv" if args.csv else "xlsx")
        print(f"{report.title}: {n} row(s) written to {path}")
        return 0
    scope = f", administration {report.administration}" if report.administration else ""
    print(f"{report.title}, {report.date_from.isoformat()} to {report.date_to.isoformat()}{scope}")
    for table in (report.table, report.summary):
        print()
        if table.rows:
            output.table([c.title for c in table.columns], [_cells(table, row) for row in table.rows])
        else:
            print("(nothing in this period)")
    return 0


def _cells(table: Table, row: tuple[Any, ...]) -> list[str]:
    return [_cell(c.kind, v) for c, v in zip(table.columns, row, strict=True)]


def _cell(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == CENTS:
        return output.money(value)
    if kind == RATE:
        return f"{value * 100:.2f} %"
    return str(value)
