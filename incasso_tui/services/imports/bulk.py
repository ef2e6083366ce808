"""What the import kinds share to work a batch of rows at a time: looking keys up in one
query per batch, inserting many rows in one statement, and auditing them in one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import peewee as pw

from incasso_tui.core.clock import now
from incasso_tui.db import models as m
from incasso_tui.services.auth import Actor

# Field types whose values (text, numbers, ids: never model instances here) need no conversion.
_AS_IS = (pw.CharField, pw.TextField, pw.IntegerField, pw.ForeignKeyField)


def insert_returning_ids(model: type[pw.Model], rows: list[dict]) -> list[int]:
    """Insert `rows` (dicts by field name) in one statement inside the caller's transaction;
    their ids in order. Fields left out get their default (computed once per statement).
    The statement is written here, not by peewee's query builder: that spends some 0.5 ms
    per row building the SQL text of a multi-row INSERT, more than the database needs.
    Values are ids and plain values, never model instances."""
    if not rows:
        return []
    database = model._meta.database
    primary = cast(pw.Field, model._meta.primary_key)
    given = [f for f in model._meta.sorted_fields if f is not primary and f.name in rows[0]]
    defaulted = [
        f
        for f in model._meta.sorted_fields
        if f is not primary and f.name not in rows[0] and f.default is not None
    ]
    fields = given + defaulted
    # The same for every row: converted once.
    defaults = [f.db_value(f.default() if callable(f.default) else f.default) for f in defaulted]
    # Text and ids go to the driver as they are; only dates, booleans, JSON and the like
    # need the field's conversion.
    converters = [(f.name, None if isinstance(f, _AS_IS) else f.db_value) for f in given]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    table = model._meta.table_name
    if database.returning_clause:  # PostgreSQL
        return _insert_unnest(database, table, columns, fields, rows, converters, defaults, primary)
    params: list = []
    for row in rows:
        for name, convert in converters:
            value = row.get(name)
            params.append(value if convert is None else convert(value))
        params.extend(defaults)
    placeholders = "(" + ", ".join([database.param] * len(fields)) + ")"
    sql = f'INSERT INTO "{table}" ({columns}) VALUES ' + ", ".join([placeholders] * len(rows))
    # SQLite: the transaction holds the write lock, so the rows get consecutive rowids
    # after the highest one; the statement's last rowid is the last row's.
    last = database.execute_sql(sql, params).lastrowid
    return list(range(last - len(rows) + 1, last + 1))


# PostgreSQL array types of peewee's field types (the rest travel as text).
_PG_ARRAYS = {
    "INT": "int[]",
    "BIGINT": "bigint[]",
    "BOOL": "bool[]",
    "DATE": "date[]",
    "DATETIME": "timestamp[]",
}


def _insert_unnest(database, table, columns, fields, rows, converters, defaults, primary) -> list[int]:
    """PostgreSQL: one array per column, spread by unnest() -- a short statement with one
    parameter per column, so the driver does not parse thousands of placeholders and the
    server plans it once. The ids come back in the order of the rows."""
    arrays: list[list] = [[] for _ in fields]
    for row in rows:
        for array, (name, convert) in zip(arrays, converters, strict=False):
            value = row.get(name)
            array.append(value if convert is None else convert(value))
    for index, value in enumerate(defaults, start=len(converters)):
        arrays[index] = [value] * len(rows)
    mark = database.param
    spread = ", ".join(f"{mark}::{_PG_ARRAYS.get(f.field_type, 'text[]')}" for f in fields)
    sql = (
        f'INSERT INTO "{table}" ({columns}) SELECT * FROM unnest({spread}) RETURNING "{primary.column_name}"'
    )
    # Binary parameters: psycopg's text form of an array quotes every element (slow).
    cursor = database.cursor()
    with pw.__exception_wrapper__:  # type: ignore[attr-defined]  # driver errors as peewee.IntegrityError etc.
        cursor.execute(sql, arrays, binary=True)
        return [row[0] for row in cursor.fetchall()]


def audit_created(
    actor: Actor, action: str, object_type: str, entries: Iterable[tuple[int, int | None, str]]
) -> None:
    """One audit entry per created object, as `audit.record` writes it, in one statement:
    entries are (object id, administration id, summary)."""
    at = now()
    rows = [
        {
            "at": at,
            "user": actor.login,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "administration_id": administration_id,
            "summary": summary[:200],
            "changes": None,
        }
        for object_id, administration_id, summary in entries
    ]
    insert_returning_ids(m.AuditEntry, rows)


def debtor_ids(keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The ids of existing debtors by (administration id, number), one query per
    administration in the batch (the unique index on the pair serves it)."""
    by_administration: dict[int, set[str]] = {}
    for administration_id, number in keys:
        by_administration.setdefault(administration_id, set()).add(number)
    found: dict[tuple[int, str], int] = {}
    for administration_id, numbers in by_administration.items():
        rows = select_in(
            'SELECT "number", "id" FROM "debtor" WHERE "administration_id" = {p} AND "number"',
            sorted(numbers),
            [administration_id],
        )
        found.update(((administration_id, number), debtor_id) for number, debtor_id in rows)
    return found


def select_in(sql: str, keys: list, params: list | None = None) -> list[tuple]:
    """`sql` (ending in the column to match, {p} for the database's parameter mark) with
    " IN (...)" of `keys` appended: written directly, as peewee's query builder costs more
    than the query for a thousand keys."""
    database = m.Debtor._meta.database
    mark = database.param
    if database.returning_clause:  # PostgreSQL: one array parameter, one plan for every batch
        query = sql.format(p=mark) + f" = ANY({mark})"
        return list(database.execute_sql(query, [*(params or []), list(keys)]).fetchall())
    query = sql.format(p=mark) + " IN (" + ", ".join([mark] * len(keys)) + ")"
    return list(database.execute_sql(query, [*(params or []), *keys]).fetchall())
