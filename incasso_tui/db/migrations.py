"""Versioned schema: a schema_version table and numbered migrations.

Version 1 created the tables as the models described them then. Each later
migration changes an existing database one step; a migration that adds a column
or table the models already declare must skip what version 1 created on a fresh
database (use the helpers below), so "fresh" and "upgraded" end up identical.
The app refuses to open a database whose version is newer than its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate  # type: ignore[import-untyped]  # playhouse has no stubs

from incasso_tui.core.errors import ConfigError
from incasso_tui.db import models as m
from incasso_tui.db import search_index
from incasso_tui.rules.search_keys import debtor_search_key

# Created by later migrations; not in version 1.
_V2_TABLES = [m.AppMeta]
_V7_TABLES = [m.PreNotification]
# Version 1 creates the current models' tables (bank_feedback refers to feedback_file, so
# that one too); version 4 creates it in a database that version 1 made earlier.
_V4_TABLES = [m.FeedbackFile]
_V1_TABLES = [t for t in m.ALL_MODELS if t not in _V2_TABLES + _V7_TABLES]
_ORDER_SET_INDEX = "collection_order_bank_account_id_status"


def _v1_up(db: pw.Database) -> None:
    db.create_tables(_V1_TABLES)


def _v1_down(db: pw.Database) -> None:
    db.drop_tables([t for t in _V1_TABLES if t is not m.SchemaVersion])


def _v2_up(db: pw.Database) -> None:
    # Daily-check bookkeeping, and the index set building filters on.
    db.create_tables(_V2_TABLES)
    if _ORDER_SET_INDEX not in {i.name for i in db.get_indexes("collection_order")}:
        migrate(
            SchemaMigrator.from_database(db).add_index(
                "collection_order", ("bank_account_id", "status"), False
            )
        )


def _v2_down(db: pw.Database) -> None:
    db.drop_tables(_V2_TABLES)
    migrate(SchemaMigrator.from_database(db).drop_index("collection_order", _ORDER_SET_INDEX))


_REFERENCE_INDEX = "mandate_reference_key"


def _v3_up(db: pw.Database) -> None:
    # The mandates list sorts on reference_key; without this index every page sorts the table.
    if _REFERENCE_INDEX not in {i.name for i in db.get_indexes("mandate")}:
        migrate(SchemaMigrator.from_database(db).add_index("mandate", ("reference_key",), False))


def _v3_down(db: pw.Database) -> None:
    migrate(SchemaMigrator.from_database(db).drop_index("mandate", _REFERENCE_INDEX))


_FEEDBACK_DATE_INDEX = "bank_feedback_date"


def _v4_columns() -> dict[str, list[tuple[str, pw.Field]]]:
    """Columns version 4 adds (fresh instances: a migrator binds what it is given)."""
    return {
        "administration": [("notice_margin_days", pw.IntegerField(default=5))],
        "collection_order": [
            ("mandate_last_before", pw.DateField(null=True)),
            ("amendment_sent", m.JsonText(null=True)),
        ],
        "bank_feedback": [
            ("reason_text", pw.CharField(max_length=500, default="")),
            (
                "mandate_id",
                pw.ForeignKeyField(m.Mandate, null=True, field=m.Mandate.id, on_delete="SET NULL"),
            ),
            ("mandate_reference", pw.CharField(max_length=35, null=True)),
            (
                "feedback_file_id",
                pw.ForeignKeyField(m.FeedbackFile, null=True, field=m.FeedbackFile.id, on_delete="RESTRICT"),
            ),
            ("pre_settlement", pw.BooleanField(default=False)),
            ("flag", pw.CharField(max_length=16, null=True)),
            ("note", pw.CharField(max_length=500, default="")),
            ("needs_decision", pw.BooleanField(default=False)),
            ("decided_by_id", pw.ForeignKeyField(m.User, null=True, field=m.User.id, on_delete="SET NULL")),
            ("decided_at", pw.DateTimeField(null=True)),
        ],
    }


def _v4_up(db: pw.Database) -> None:
    # Bank feedback: imported files, the columns reversals need, the notice margin.
    db.create_tables(_V4_TABLES)
    migrator = SchemaMigrator.from_database(db)
    ops = []
    for table, columns in _v4_columns().items():
        have = {c.name for c in db.get_columns(table)}
        ops += [migrator.add_column(table, name, field) for name, field in columns if name not in have]
    if ops:
        migrate(*ops)
    indexes = {"bank_feedback": {i.name for i in db.get_indexes("bank_feedback")}}
    if _FEEDBACK_DATE_INDEX not in indexes["bank_feedback"]:
        migrate(migrator.add_index("bank_feedback", ("date",), False))
    if "bank_feedback_needs_decision" not in indexes["bank_feedback"]:
        migrate(migrator.add_index("bank_feedback", ("needs_decision",), False))
    if isinstance(db, pw.PostgresqlDatabase):  # SQLite does not enforce VARCHAR lengths
        db.execute_sql("ALTER TABLE bank_feedback ALTER COLUMN reason_code TYPE VARCHAR(35)")


def _v4_down(db: pw.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.drop_index("bank_feedback", _FEEDBACK_DATE_INDEX),
        migrator.drop_index("bank_feedback", "bank_feedback_needs_decision"),
    )
    # SQLite's own DROP COLUMN refuses foreign-key columns: peewee's rebuild does it.
    extra = {"legacy": True} if isinstance(db, pw.SqliteDatabase) else {}
    for table, columns in _v4_columns().items():
        migrate(*[migrator.drop_column(table, name, **extra) for name, _ in columns])
    db.drop_tables(_V4_TABLES)


_IDENTITY_INDEX = "feedback_file_format_message_id_sender"


def _v5_columns() -> dict[str, list[tuple[str, pw.Field]]]:
    """Columns version 5 adds (fresh instances: a migrator binds what it is given)."""
    return {
        "feedback_file": [("sender", pw.CharField(max_length=140, null=True))],
        "bank_feedback": [
            (
                "administration_id",
                pw.ForeignKeyField(
                    m.Administration, null=True, field=m.Administration.id, on_delete="RESTRICT"
                ),
            )
        ],
    }


def _v5_up(db: pw.Database) -> None:
    # A bank message known by its identity (format, message id, sender), and the
    # administration unmatched feedback belongs to. Files imported earlier keep a NULL
    # sender (NULLs never collide in a unique index); unmatched items imported earlier
    # name no administration, so only admins see and decide them.
    migrator = SchemaMigrator.from_database(db)
    ops = []
    for table, columns in _v5_columns().items():
        have = {c.name for c in db.get_columns(table)}
        ops += [migrator.add_column(table, name, field) for name, field in columns if name not in have]
    if ops:
        migrate(*ops)
    if _IDENTITY_INDEX not in {i.name for i in db.get_indexes("feedback_file")}:
        migrate(migrator.add_index("feedback_file", ("format", "message_id", "sender"), True))


def _v5_down(db: pw.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.drop_index("feedback_file", _IDENTITY_INDEX))
    # SQLite's own DROP COLUMN refuses foreign-key columns: peewee's rebuild does it.
    extra = {"legacy": True} if isinstance(db, pw.SqliteDatabase) else {}
    for table, columns in _v5_columns().items():
        migrate(*[migrator.drop_column(table, name, **extra) for name, _ in columns])


def _v6_columns() -> dict[str, list[tuple[str, pw.Field]]]:
    """Columns version 6 adds: production set-up (bank profiles, file and contract limits,
    the initiating party, the KvK number) and final collections."""
    return {
        "administration": [("kvk", pw.CharField(max_length=8, default=""))],
        "bank_group": [
            ("profile", pw.CharField(max_length=10, default="OTHER")),
            ("max_per_file", pw.IntegerField(null=True)),
            ("initiating_party", pw.CharField(max_length=70, default="")),
        ],
        "bank_account": [
            ("max_per_transaction_cents", pw.BigIntegerField(null=True)),
            ("max_per_month_cents", pw.BigIntegerField(null=True)),
        ],
        "collection_order": [("final", pw.BooleanField(default=False))],
    }


def _v6_up(db: pw.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    ops = []
    for table, columns in _v6_columns().items():
        have = {c.name for c in db.get_columns(table)}
        ops += [migrator.add_column(table, name, field) for name, field in columns if name not in have]
    if ops:
        migrate(*ops)


def _v6_down(db: pw.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    for table, columns in _v6_columns().items():
        migrate(*[migrator.drop_column(table, name) for name, _ in columns])


def _v7_up(db: pw.Database) -> None:
    # Pre-notifications: what each debtor was told, how and when (create_tables skips what exists).
    db.create_tables(_V7_TABLES)


def _v7_down(db: pw.Database) -> None:
    db.drop_tables(_V7_TABLES)


_REPORTS_INDEX = "collection_order_collected"


def _v8_up(db: pw.Database) -> None:
    # The reports group orders by collection day, administration, account and status and sum
    # their amounts: covered by this index they read it alone, in order (1M orders: 1.7 s -> 0.2 s).
    # Named here, not in the model: peewee's generated name would pass PostgreSQL's 63 characters.
    db.execute_sql(
        f"CREATE INDEX IF NOT EXISTS {_REPORTS_INDEX} ON collection_order "
        "(collection_date, administration_id, bank_account_id, status, amount_cents)"
    )


def _v8_down(db: pw.Database) -> None:
    db.execute_sql(f"DROP INDEX IF EXISTS {_REPORTS_INDEX}")


def _v9_up(db: pw.Database) -> None:
    # Accent-insensitive search: the folded key beside each debtor, filled for the debtors
    # there are, then the trigram index over it (db/search_index.py).
    if "search_key" not in {c.name for c in db.get_columns("debtor")}:
        migrate(SchemaMigrator.from_database(db).add_column("debtor", "search_key", pw.TextField(default="")))
    _fill_search_keys(db)
    search_index.create(db)


def _fill_search_keys(db: pw.Database, batch: int = 5000) -> None:
    sql = f"UPDATE debtor SET search_key = {db.param} WHERE id = {db.param}"
    last = 0
    while True:
        query = (
            m.Debtor.select(m.Debtor.id, m.Debtor.name, m.Debtor.town)
            .where(m.Debtor.id > last)
            .order_by(m.Debtor.id)
            .limit(batch)
        )
        rows = cast("list[tuple[int, str, str]]", list(query.tuples()))
        if not rows:
            return
        db.cursor().executemany(sql, [(debtor_search_key(name, town), id_) for id_, name, town in rows])
        last = rows[-1][0]


def _v9_down(db: pw.Database) -> None:
    search_index.drop(db)
    migrate(SchemaMigrator.from_database(db).drop_column("debtor", "search_key"))


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    up: Callable[[pw.Database], None]
    down: Callable[[pw.Database], None]


MIGRATIONS = [
    Migration(1, "initial schema", _v1_up, _v1_down),
    Migration(2, "installation facts table; order index for set building", _v2_up, _v2_down),
    Migration(3, "index on mandate references for the mandates list", _v3_up, _v3_down),
    Migration(4, "bank feedback files, reversal columns, notice margin", _v4_up, _v4_down),
    Migration(
        5, "bank messages known by their identity; unmatched feedback per administration", _v5_up, _v5_down
    ),
    Migration(
        6,
        "production set-up: bank profiles, file and contract limits, KvK; final collections",
        _v6_up,
        _v6_down,
    ),
    Migration(7, "pre-notifications: what each debtor was told, how and when", _v7_up, _v7_down),
    Migration(8, "an index the reports read collected amounts from", _v8_up, _v8_down),
    Migration(9, "accent-insensitive search: debtor search keys with a trigram index", _v9_up, _v9_down),
]
LATEST = MIGRATIONS[-1].version


def current_version(db: pw.Database) -> int:
    """0 for an empty database."""
    if not db.table_exists("schema_version"):
        return 0
    row = m.SchemaVersion.select(pw.fn.MAX(m.SchemaVersion.version)).scalar()
    return row or 0


def check_compatible(db: pw.Database) -> int:
    version = current_version(db)
    if version > LATEST:
        raise ConfigError(
            f"the database has schema version {version}, newer than this incasso-tui "
            f"(knows up to {LATEST}); upgrade incasso-tui before using this database"
        )
    return version


def upgrade(db: pw.Database, target: int = LATEST) -> list[Migration]:
    """Apply every migration above the database's version up to `target`. Returns those applied."""
    version = check_compatible(db)
    applied = []
    for migration in MIGRATIONS:
        if version < migration.version <= target:
            with _foreign_keys_deferred(db), db.atomic():
                if migration.version == 1:
                    db.create_tables([m.SchemaVersion])
                migration.up(db)
                _check_foreign_keys(db)
                m.SchemaVersion.create(version=migration.version)
            applied.append(migration)
    return applied


@contextmanager
def _foreign_keys_deferred(db: pw.Database) -> Iterator[None]:
    """SQLite's documented procedure for a schema change: foreign keys off (outside the
    transaction: the pragma is a no-op inside one) while a column change rebuilds a table
    that other rows refer to, checked before commit (_check_foreign_keys), then on again."""
    if not isinstance(db, pw.SqliteDatabase):
        yield
        return
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")


def _check_foreign_keys(db: pw.Database) -> None:
    if isinstance(db, pw.SqliteDatabase):
        broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise ConfigError(f"the schema change left {len(broken)} broken references (first: {broken[0]})")


def downgrade(db: pw.Database, target: int) -> None:
    """Step back to `target` (used by tests to build an older database)."""
    for migration in reversed(MIGRATIONS):
        if target < migration.version <= current_version(db):
            with _foreign_keys_deferred(db), db.atomic():
                migration.down(db)
                m.SchemaVersion.delete().where(m.SchemaVersion.version >= migration.version).execute()
