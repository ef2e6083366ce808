"""Versioned schema: a schema_version table and numbered migrations.

Version 1 created the tables as the models described them then. Each later
migration changes an existing database one step; a migration that adds a column
or table the models already declare must skip what version 1 created on a fresh
database (use the helpers below), so "fresh" and "upgraded" end up identical.
The app refuses to open a database whose version is newer than its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

from . import models as m
from .errors import ConfigError

# Created by migration 2; not in version 1.
_V2_TABLES = [m.AppMeta]
_V1_TABLES = [t for t in m.ALL_MODELS if t not in _V2_TABLES]
_ORDER_SET_INDEX = "collection_order_bank_account_id_status"


def _v1_up(db: pw.Database) -> None:
    db.create_tables(_V1_TABLES)


def _v1_down(db: pw.Database) -> None:
    db.drop_tables([t for t in _V1_TABLES if t is not m.SchemaVersion])


def _v2_up(db: pw.Database) -> None:
    # Daily-check bookkeeping, and the index set building filters on.
    db.create_tables(_V2_TABLES)
    if _ORDER_SET_INDEX not in {i.name for i in db.get_indexes("collection_order")}:
        migrate(SchemaMigrator.from_database(db).add_index(
            "collection_order", ("bank_account_id", "status"), False))


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
            f"(knows up to {LATEST}); upgrade incasso-tui before using this database")
    return version


def upgrade(db: pw.Database, target: int = LATEST) -> list[Migration]:
    """Apply every migration above the database's version up to `target`. Returns those applied."""
    version = check_compatible(db)
    applied = []
    for migration in MIGRATIONS:
        if version < migration.version <= target:
            with db.atomic():
                if migration.version == 1:
                    db.create_tables([m.SchemaVersion])
                migration.up(db)
                m.SchemaVersion.create(version=migration.version)
            applied.append(migration)
    return applied


def downgrade(db: pw.Database, target: int) -> None:
    """Step back to `target` (used by tests to build an older database)."""
    for migration in reversed(MIGRATIONS):
        if target < migration.version <= current_version(db):
            with db.atomic():
                migration.down(db)
                m.SchemaVersion.delete().where(m.SchemaVersion.version >= migration.version).execute()
