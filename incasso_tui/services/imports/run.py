"""Running a CSV import of any kind: every kind is registered by importing its module here,
so the file-reading machinery (csv_file) never depends on the kinds built on it."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path

from incasso_tui.core.errors import NotFound, Refused
from incasso_tui.db import models as m
from incasso_tui.services import audit
from incasso_tui.services.auth import EDIT, Actor
from incasso_tui.services.imports import kinds as _kinds  # noqa: F401 - registers debtors, mandates
from incasso_tui.services.imports import orders as _orders  # noqa: F401 - registers "orders"
from incasso_tui.services.imports.csv_file import (
    _KINDS,
    ImportKind,
    ImportResult,
    Row,
    RowError,
    iter_rows,
    open_file,
)


def kind_names() -> list[str]:
    return list(_KINDS)


def get_kind(name: str) -> ImportKind:
    if name not in _KINDS:
        raise NotFound("no import of {name!r}; known: {KINDS}", name=name, KINDS=", ".join(_KINDS))
    return _KINDS[name]()


def require_import_right(actor: Actor, kind_name: str) -> None:
    """An import adds or changes data: the user needs the right to change in at least one
    administration. Checked before the file is opened, so a user without it learns nothing
    of the file (not even whether it exists); each row is checked for its administration."""
    actor.require(EDIT, what=f"{kind_name} (an import)")
    if actor.administration_ids is not None and not actor.administration_ids:
        raise Refused(
            "user {login} may not import {kind_name}: no rights for any administration",
            login=actor.login,
            kind_name=kind_name,
        )


BATCH = 1000  # rows checked (lookups in bulk) and stored (one multi-row INSERT) at a time


def _batches(items: Iterator[Row | RowError]) -> Iterator[list[Row | RowError]]:
    while batch := list(itertools.islice(items, BATCH)):
        yield batch


def run_import(
    actor: Actor, kind_name: str, path: str | Path, *, skip_invalid: bool = False, data: bytes | None = None
) -> ImportResult:
    """Import a CSV file in one pass over the file and one transaction: each batch of rows
    is checked and, while no row was invalid (or with `skip_invalid`), stored. All or
    nothing: when a row is invalid the rest is still checked (every error is listed) and
    the transaction is rolled back at the end, so nothing is stored."""
    kind = get_kind(kind_name)
    require_import_right(actor, kind.name)
    path = Path(path)
    result = ImportResult(kind.name, str(path))
    context: dict = {}
    bad_lines: set[int] = set()
    stream = io.BytesIO(data) if data is not None else open_file(path)
    database = m.AuditEntry._meta.database
    with stream, database.atomic() as transaction:
        for batch in _batches(iter_rows(stream, kind.columns)):
            rows = [item for item in batch if isinstance(item, Row)]
            read_errors = [item for item in batch if isinstance(item, RowError)]
            prepared, check_errors = kind.check(actor, rows, context) if rows else ([], [])
            row_lines = {r.line for r in rows}
            for error in (*read_errors, *check_errors):
                result.errors.append(error)
                if error.line > 1 and error.line not in bad_lines:
                    bad_lines.add(error.line)
                    result.rows += error.line not in row_lines  # a line that is no row
            result.rows += len(rows)
            if prepared and (skip_invalid or not result.errors):
                kind.store(actor, prepared, context)
                result.stored += len(prepared)
        if result.errors and not skip_invalid:
            transaction.rollback()  # all or nothing: the batches stored so far go too
            result.stored = 0
        elif result.stored:
            audit.record(
                actor,
                f"import.{kind.name}",
                object_type="import",
                object_id=path.name[:40],
                summary=f"{result.stored} {kind.name} imported from {path.name}"
                + (f"; {len(bad_lines)} invalid lines skipped" if result.errors else ""),
            )
    result.errors.sort(key=lambda e: (e.line, e.column))
    result.skipped = len(bad_lines)
    return result
