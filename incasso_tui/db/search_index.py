"""The trigram index over debtors' search keys, and the look-up that uses it.

A search is a substring test on `debtor.search_key` (folded name and town). No B-tree serves
"contains", so each back-end gets what it offers for it:

* SQLite: an FTS5 table with the trigram tokenizer over the key (external content: the key
  is stored once, in `debtor`; triggers keep the index in step with every insert, update
  and delete, bulk inserts included). FTS5 answers `LIKE '%abc%'` from it.
* PostgreSQL: the pg_trgm extension and a GIN index with gin_trgm_ops, which serves the
  same LIKE. The extension must be installable by the database user (README).

Both need three characters: a shorter text has no trigram, and the caller walks the list in
its own order instead (a one- or two-letter search matches most rows anyway).
"""

from __future__ import annotations

from typing import cast

import peewee as pw

from incasso_tui.db import models as m

FTS_TABLE = "debtor_search"
PG_INDEX = "debtor_search_key_trgm"
MIN_INDEXED = 3  # characters a trigram index needs

_SQLITE_CREATE = (
    (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "search_key, content='debtor', content_rowid='id', tokenize='trigram')"
    ),
    (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON debtor BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END"
    ),
    (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON debtor BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_key) VALUES ('delete', old.id, old.search_key); END"
    ),
    (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF search_key ON debtor BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END"
    ),
    # Index what is there already (an upgraded database).
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
_SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


# PostgreSQL serves LIKE 'abc%' from a B-tree only with text_pattern_ops (or under the C
# collation): these are the prefixes a search tests (services/search.py). SQLite tests them
# as ranges on the columns' ordinary indexes.
_PG_PREFIX_INDEXES = {
    "debtor_number_prefix": ("debtor", "number"),
    "debtor_iban_prefix": ("debtor", "iban"),
    "mandate_reference_key_prefix": ("mandate", "reference_key"),
    "mandate_external_key_prefix": ("mandate", "external_key"),
}


def is_sqlite(db: pw.Database) -> bool:
    return isinstance(db, pw.SqliteDatabase)


def create(db: pw.Database) -> None:
    if is_sqlite(db):
        for sql in _SQLITE_CREATE:
            db.execute_sql(sql)
        return
    db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    db.execute_sql(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON debtor USING gin (search_key gin_trgm_ops)")
    for name, (table, column) in _PG_PREFIX_INDEXES.items():
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} text_pattern_ops)")


def drop(db: pw.Database) -> None:
    if is_sqlite(db):
        for sql in _SQLITE_DROP:
            db.execute_sql(sql)
    else:
        for name in (PG_INDEX, *_PG_PREFIX_INDEXES):
            db.execute_sql(f"DROP INDEX IF EXISTS {name}")


def contains(field: pw.ColumnBase, folded: str) -> pw.Expression:
    """`field` contains `folded`. A folded text holds no LIKE wildcard (rules/search_keys.fold
    turns % _ and \\ into spaces). Peewee's ILIKE is LIKE on SQLite
    (its LIKE would be GLOB) and ILIKE on PostgreSQL: both trigram indexes serve it, and the
    key is lower case anyway."""
    return pw.Expression(field, pw.OP.ILIKE, f"%{folded}%")


def debtor_ids(folded: str, administrations: frozenset[int] | None, cap: int) -> list[int] | None:
    """Ids of the debtors (of `administrations`; None: all) whose key contains `folded`,
    found through the trigram index; None when there are more than `cap` (the caller then
    walks its list instead of collecting ids) or when `folded` is too short for the index."""
    if len(folded) < MIN_INDEXED:
        return None
    if is_sqlite(m.Debtor._meta.database.obj):
        index = pw.Table(FTS_TABLE).bind(m.Debtor._meta.database)
        matching = index.select(pw.Column(index, "rowid")).where(
            contains(pw.Column(index, "search_key"), folded)
        )
        if administrations is None:
            query = matching
        else:
            # The index drives: a join would let SQLite scan debtors and ask the index per row.
            query = m.Debtor.select(m.Debtor.id).where(
                m.Debtor.id.in_(matching) & m.Debtor.administration.in_(sorted(administrations))
            )
    else:
        query = m.Debtor.select(m.Debtor.id).where(contains(m.Debtor.search_key, folded))
        if administrations is not None:
            query = query.where(m.Debtor.administration.in_(sorted(administrations)))
    ids: list[int] = [row[0] for row in cast("list[tuple[int]]", list(query.limit(cap + 1).tuples()))]
    return None if len(ids) > cap else ids
