"""Printing results on the CLI: aligned tables for people, JSON for scripts.

Stored text may hold control characters from before they were refused on input: every
cell is escaped (core.terminal_text), so a name cannot clear the screen or break the
table's alignment. JSON escapes control characters itself; DEL, C1 characters and
bidirectional overrides, which JSON leaves as they are, are written as \\uXXXX escapes,
so the document stays valid JSON with the same values.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from incasso_tui.core.terminal_text import escape_terminal


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def emit_json(data: Any) -> None:
    # json.dumps escapes control characters in strings: any raw "\n" is its indentation.
    text = json.dumps(data, indent=2, ensure_ascii=False, default=_default)
    sys.stdout.write(escape_terminal(text, keep="\n"))
    sys.stdout.write("\n")


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    rows = [["" if v is None else escape_terminal(v) for v in row] for row in rows]
    headers = [escape_terminal(h) for h in headers]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False))
    print(line.rstrip())
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)).rstrip())


def money(cents: int) -> str:
    """Cents as 1.234,56 (Dutch notation, as the CLI prints amounts)."""
    from incasso_tui.core.money import amount_text

    return amount_text(cents, "nl")


# --------------------------------------------------------------------------- exports


class DefaultLimit(int):
    """A `--limit` default: it bounds what a list prints, not what it exports (an explicit
    --limit bounds both)."""


def default_limit(rows: int) -> DefaultLimit:
    return DefaultLimit(rows)


def export_flags(parser: Any) -> None:
    """`--csv FILE` and `--xlsx FILE` on a list command (every matching row, not a page)."""
    parser.add_argument(
        "--csv", metavar="FILE", help="export every matching row to FILE (CSV: ; separated, UTF-8)"
    )
    parser.add_argument("--xlsx", metavar="FILE", help="export every matching row to FILE (Excel workbook)")


def export_wanted(args: Any) -> bool:
    wanted = bool(getattr(args, "csv", None) or getattr(args, "xlsx", None))
    if wanted and getattr(args, "json", False):
        from incasso_tui.core.errors import UsageError

        raise UsageError("--csv/--xlsx and --json: choose one output")
    return wanted


def export(args: Any, actor: Any, list_name: str, flt: Any) -> int:
    """Export the list to the files --csv/--xlsx name (the same rows the list prints)."""
    from incasso_tui.services.exports.run import export_list

    limit = getattr(args, "limit", None)
    limit = None if limit is None or isinstance(limit, DefaultLimit) else int(limit)
    for fmt in ("csv", "xlsx"):
        path = getattr(args, fmt, None)
        if path:
            result = export_list(actor, list_name, flt, path, fmt, limit=limit)
            print(f"Exported {result.rows} rows to {escape_terminal(str(result.path))}")
    return 0
