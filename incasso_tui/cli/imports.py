"""`incasso import KIND FILE.csv`: debtors and mandates here; other capabilities add their
kind with `add_import_command` (and services.imports.csv_file.register_kind) in their own
`register`, e.g. the orders work for `incasso import orders`."""

from __future__ import annotations

import argparse
import sys

from incasso_tui.cli import output
from incasso_tui.cli.common import group, json_flag, session
from incasso_tui.services.imports.run import run_import

_SUBPARSERS: argparse._SubParsersAction[argparse.ArgumentParser] | None = None
_HELP = {
    "debtors": "debtors from a CSV file (docs/csv-import.md)",
    "mandates": "mandates from a CSV file; the debtors must exist (docs/csv-import.md)",
}


def register(sub) -> None:
    global _SUBPARSERS
    _, _SUBPARSERS = group(sub, "import", "import CSV files (all or nothing unless --skip-invalid)")
    for kind, help_text in _HELP.items():
        add_import_command(kind, help_text)


def add_import_command(kind: str, help_text: str) -> None:
    """`incasso import KIND FILE.csv [--skip-invalid] [--json]` for a registered import kind."""
    if _SUBPARSERS is None:
        raise RuntimeError("add_import_command before the import group was registered")
    p = _SUBPARSERS.add_parser(kind, help=help_text, description=help_text)
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="store the valid rows and list the invalid ones (default: store nothing "
        "when any row is invalid)",
    )
    json_flag(p)
    p.set_defaults(handler=cmd_import, kind=kind)


def cmd_import(args) -> int:
    s = session(args)
    result = run_import(s.actor, args.kind, args.file, skip_invalid=args.skip_invalid)
    if args.json:
        output.emit_json(result.as_dict())
    else:
        for error in result.errors:
            print(f"{args.file}: {error}", file=sys.stderr)
        if result.errors and not result.stored:
            print(
                f"incasso: {len(result.errors)} errors in {args.file}; nothing was stored"
                + ("" if args.skip_invalid else " (fix the file, or use --skip-invalid)"),
                file=sys.stderr,
            )
        else:
            skipped = f"; {result.skipped} invalid lines skipped" if result.skipped else ""
            print(f"{result.stored} {result.kind} imported from {args.file}{skipped}")
    return 1 if result.errors and not result.stored else 0
