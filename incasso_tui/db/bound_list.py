"""`field IN (a list)` with the list bound as ONE parameter.

The statement text stays the same for every chunk, so the driver's statement cache reuses it
(a list written inline made each statement new: compiled again, and 128 of them held in
sqlite3's cache) and peewee does not build thousands of bound parameters. SQLite reads a
JSON array (`json_each`), PostgreSQL an array (`= ANY`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import peewee as pw

from incasso_tui.db.database import database


class _OneOf(pw.ColumnBase):
    def __init__(self, field: pw.Field, values: Sequence[int] | Sequence[str], array_type: str) -> None:
        super().__init__()
        self.field = field
        self.values = values
        self.array_type = array_type

    def __sql__(self, ctx: pw.Context) -> pw.Context:
        ctx.sql(self.field)
        if isinstance(database.obj, pw.PostgresqlDatabase):
            ctx.literal(" = ANY(").value(list(self.values), converter=False)
            return ctx.literal(f"::{self.array_type})")
        ctx.literal(" IN (SELECT value FROM json_each(").value(json.dumps(list(self.values)), converter=False)
        return ctx.literal("))")


def ids_in(field: pw.Field, ids: Sequence[int]) -> pw.Node:
    """`field` is one of `ids` (a chunk of at most some tens of thousands)."""
    return _OneOf(field, [int(i) for i in ids], "bigint[]")


def texts_in(field: pw.Field, values: Sequence[str]) -> pw.Node:
    """`field` is one of `values`."""
    return _OneOf(field, list(values), "text[]")
