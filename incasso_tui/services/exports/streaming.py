"""Reading a query's rows one batch at a time, so an export of a million rows keeps flat memory.

SQLite: peewee's `.iterator()` steps the cursor without caching rows. PostgreSQL: psycopg
fetches a whole result into memory on an ordinary cursor, so the query runs on a server-side
(named) cursor inside a transaction, fetching `itersize` rows per round trip. Paging with
OFFSET instead would read the table again for every page (quadratic).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any, cast

import peewee as pw

from incasso_tui.db.database import database

ITERSIZE = 2000  # rows per round trip on PostgreSQL
_names = itertools.count(1)


def stream_tuples(query: pw.SelectBase, itersize: int = ITERSIZE) -> Iterator[tuple[Any, ...]]:
    """The rows of `query` as tuples, converted as peewee converts them (dates, booleans),
    never all in memory."""
    rows = query.tuples()
    if not isinstance(database.obj, pw.PostgresqlDatabase):
        yield from rows.iterator()
        return
    sql, params = rows.sql()
    with database.atomic():  # a named cursor lives inside a transaction
        connection = database.connection()
        with connection.cursor(name=f"incasso_export_{next(_names)}") as cursor:
            cursor.itersize = itersize
            cursor.execute(sql, params)
            wrapper = cast(Any, rows)._get_cursor_wrapper(cursor)
            wrapper.initialize()  # the column converters, from the cursor's description
            for row in cursor:  # psycopg fetches `itersize` rows per FETCH
                yield wrapper.process_row(row)
