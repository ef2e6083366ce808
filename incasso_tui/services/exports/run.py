"""Exporting a list: the one service the screens (ctrl+e) and the CLI (--csv/--xlsx) call.

The rows are the list's own (same query, filter, search and rights as its page), streamed
into a temporary file beside the target that gets its name only when complete: a failed
export leaves no half file. The file holds personal data, so it is created 0600 (0640 with
`[files] group_readable`), like every other file the app writes.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incasso_tui.core import files
from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import ValidationError
from incasso_tui.services.auth import Actor
from incasso_tui.services.exports import writers
from incasso_tui.services.exports.sources import source

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportResult:
    rows: int
    path: Path


def default_directory() -> Path:
    return Path("~/incasso-exports").expanduser()


def default_path(list_name: str, fmt: str, today: dt.date | None = None) -> Path:
    """~/incasso-exports/<list>-<yyyy-mm-dd>.<ext>"""
    day = (today or clock_today()).isoformat()
    return default_directory() / f"{list_name.replace('_', '-')}-{day}.{fmt}"


def check_path(path: str | os.PathLike[str]) -> Path:
    """The file to write: refused when it names a directory, or its directory does not exist
    (except the default export directory, which is created for its owner)."""
    text = os.fspath(path).strip()
    if not text:
        raise ValidationError("file", "give a file name")
    target = Path(text).expanduser()
    if target.is_dir():
        raise ValidationError("file", "is a directory: give a file name in it", str(target))
    parent = target.parent
    if not parent.is_dir():
        if parent.resolve() == default_directory().resolve():
            files.make_private_dir(parent)
        else:
            raise ValidationError("file", "the directory {parent} does not exist", str(target), parent=parent)
    if not os.access(parent, os.W_OK):
        raise ValidationError("file", "the directory {parent} is not writable", str(target), parent=parent)
    return target


def export_list(
    actor: Actor,
    list_name: str,
    flt: Any,
    path: str | os.PathLike[str],
    fmt: str,
    *,
    limit: int | None = None,
) -> ExportResult:
    """Write every row of `list_name` matching `flt` (or the first `limit`) to `path` as `fmt`
    ("csv" or "xlsx"); the columns are the list's (exports.columns)."""
    if fmt not in FORMATS:
        raise ValidationError("format", "must be csv or xlsx", fmt)
    if limit is not None and limit < 0:
        raise ValidationError("limit", "must be 0 or more", limit)
    spec = source(list_name)
    target = check_path(path)
    from incasso_tui.i18n import t

    count = write_sheets(
        target, fmt, [writers.Sheet(t(spec.title), spec.columns, spec.rows(actor, flt, limit))]
    )
    return ExportResult(count, target)


def write_sheets(target: Path, fmt: str, sheets: list[writers.Sheet]) -> int:
    """`sheets` into the checked path `target` as `fmt`, whole or not at all; returns the first
    sheet's number of rows."""
    if fmt not in FORMATS:
        raise ValidationError("format", "must be csv or xlsx", fmt)
    try:
        with files.atomic_write(target) as staged:
            if fmt == "csv":
                return writers.write_csv_sheets(staged.file, sheets)
            return writers.write_xlsx_sheets(staged.file, sheets)
    except OSError as exc:
        raise ValidationError(
            "file", "cannot be written: {given}", str(target), given=exc.strerror or exc
        ) from None
