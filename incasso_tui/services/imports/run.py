"""Running a CSV import of any kind: every kind is registered by importing its module here,
so the file-reading machinery (csv_file) never depends on the kinds built on it."""

from __future__ import annotations

from pathlib import Path

from incasso_tui.core.errors import NotFound, Refused
from incasso_tui.db import models as m
from incasso_tui.services import audit
from incasso_tui.services.auth import EDIT, Actor
from incasso_tui.services.collection import orders as _orders  # noqa: F401 - registers "orders"
from incasso_tui.services.imports import kinds as _kinds  # noqa: F401 - registers debtors, mandates
from incasso_tui.services.imports.csv_file import (
    _KINDS,
    ImportKind,
    ImportResult,
    RowErrors,
    read_file,
    read_rows,
)


def kind_names() -> list[str]:
    return list(_KINDS)


def get_kind(name: str) -> ImportKind:
    if name not in _KINDS:
        raise NotFound(f"no import of {name!r}; known: {', '.join(_KINDS)}")
    return _KINDS[name]()


def require_import_right(actor: Actor, kind_name: str) -> None:
    """An import adds or changes data: the user needs the right to change in at least one
    administration. Checked before the file is opened, so a user without it learns nothing
    of the file (not even whether it exists); each row is checked for its administration."""
    actor.require(EDIT, what=f"{kind_name} (an import)")
    if actor.administration_ids is not None and not actor.administration_ids:
        raise Refused(f"user {actor.login} may not import {kind_name}: no rights for any administration")


def run_import(
    actor: Actor, kind_name: str, path: str | Path, *, skip_invalid: bool = False, data: bytes | None = None
) -> ImportResult:
    kind = get_kind(kind_name)
    require_import_right(actor, kind.name)
    path = Path(path)
    if data is None:
        data = read_file(path)
    result = ImportResult(kind.name, str(path))
    rows, errors = read_rows(data, kind.columns)
    result.errors.extend(errors)
    context: dict = {}
    prepared = []
    for row in rows:
        try:
            prepared.append(kind.check(actor, row, context))
        except RowErrors as exc:
            result.errors.extend(exc.errors)
    result.rows = len(rows) + len({e.line for e in errors if e.line > 1})
    result.errors.sort(key=lambda e: (e.line, e.column))
    if result.errors and not skip_invalid:
        return result  # all or nothing: nothing stored
    if prepared:
        with m.AuditEntry._meta.database.atomic():
            for item in prepared:
                kind.store(actor, item, context)
            audit.record(
                actor,
                f"import.{kind.name}",
                object_type="import",
                object_id=path.name[:40],
                summary=f"{len(prepared)} {kind.name} "
                f"imported from {path.name}"
                + (
                    f"; {len({e.line for e in result.errors})} invalid lines skipped" if result.errors else ""
                ),
            )
    result.stored = len(prepared)
    result.skipped = len({e.line for e in result.errors if e.line > 1})
    return result
