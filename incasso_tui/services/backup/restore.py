"""`incasso db restore FILE [--force]`: put a backup into the configured database.

Everything is checked before the database is touched: the manifest, the payload's size and
SHA-256, the back-end, the schema version (a backup from a newer incasso-tui is refused), and
for SQLite the copy's integrity; an older schema is upgraded in the copy. Only then does the
copy replace the database's content, in one transaction (SQLite backup API; PostgreSQL:
pg_restore's SQL in one psql transaction). A failure anywhere leaves the database as it was.

Who may restore: a database that holds data is replaced only with `--force`, and only by an
admin of that database. An empty database has no users to ask: there the gate is the operating
system's — whoever may write the database file (0600, the owner's) or holds the PostgreSQL
credentials of the configuration may fill it. The restore is audited in the restored database.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from incasso_tui.core.config import Config
from incasso_tui.core.errors import Refused
from incasso_tui.db import backup_pg, backup_sqlite, migrations
from incasso_tui.db import database as db
from incasso_tui.services import audit, auth, setup
from incasso_tui.services.backup import archive
from incasso_tui.services.backup.archive import BACKEND_NAMES, WITH_ARTICLE, BackupFileError, Manifest
from incasso_tui.services.backup.backup import backend_of


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    target: str  # the database, without a password
    replaced: str | None  # what the database held before (with --force), else None
    upgraded_from: int | None  # the backup's schema version when it was upgraded, else None
    schema_version: int  # the database's version now


def restore_backup(
    database: pw.Database, config: Config, requested_user: str | None, path: Path, *, force: bool = False
) -> Restored:
    path = Path(os.path.abspath(path.expanduser()))
    manifest = archive.read_manifest(path)
    target = db.redact(config.database_url)
    backend = backend_of(database)
    if manifest.backend != backend:
        raise BackupFileError(
            "{path} is a backup of {WITH_ARTICLE} database; the configured database {target} "
            "is {BACKEND_NAMES}: a backup is restored only into the kind of database it was "
            "taken from (point database.url at one)",
            path=path,
            WITH_ARTICLE=WITH_ARTICLE[manifest.backend],
            target=target,
            BACKEND_NAMES=BACKEND_NAMES[backend],
        )
    if manifest.schema_version > migrations.LATEST:
        raise BackupFileError(
            "{path} holds schema version {schema_version}, newer than this incasso-tui knows "
            "(up to {LATEST}): restore it with that incasso-tui version or a newer one",
            path=path,
            schema_version=manifest.schema_version,
            LATEST=migrations.LATEST,
        )
    login = setup.init_login(requested_user, config.allow_user_flag, refuse_ignored=True)  # who restores
    held = describe_contents(database)
    if held is not None:
        if not force:
            raise Refused("the database {target} holds {held}; --force replaces it", target=target, held=held)
        if database.table_exists("user"):  # else no incasso users to ask: see the module doc
            auth.resolve_actor(requested_user, config.allow_user_flag).require(
                auth.ADMIN, what="the database (restore over it)"
            )
    if backend == "sqlite":
        _restore_sqlite(database, config, path, manifest)
    else:
        _restore_postgresql(database, config, path, manifest)
    upgraded_from = None
    if manifest.schema_version < migrations.LATEST:
        if backend == "postgresql":  # SQLite: upgraded in the copy already
            migrations.upgrade(database)
        upgraded_from = manifest.schema_version
    version = migrations.current_version(database)
    audit.record(
        login,
        "db.restore",
        object_type="database",
        summary=f"from {path.name} (taken {manifest.created_at}, schema version {manifest.schema_version})"
        + (f", replacing {held}" if held else ""),
    )
    return Restored(manifest, target, held, upgraded_from, version)


def describe_contents(database: pw.Database) -> str | None:
    """None for an empty database, else what it holds ("12 debtors, 3 sets, 2 users")."""
    tables = database.get_tables()
    if not tables:
        return None
    if "schema_version" not in tables:
        return f"{len(tables)} tables that incasso-tui did not make"
    counts = []
    for table, what in (("debtor", "debtors"), ("collection_set", "sets"), ("user", "users")):
        if table in tables:
            n = database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            counts.append(f"{n} {what}")
    return ", ".join(counts) or "an incasso-tui schema"


@contextlib.contextmanager
def _temp_file(directory: Path, prefix: str, suffix: str) -> Iterator[Path]:
    """A new 0600 file (personal data), removed afterwards with any SQLite side files."""
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=directory)
    except OSError as exc:
        raise Refused(
            "cannot write in {directory}: {given}", directory=directory, given=exc.strerror or exc
        ) from None
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
        for extra in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{temp}{extra}")


def _extract(path: Path, manifest: Manifest, dest: Path) -> None:
    with open(dest, "wb") as handle:
        archive.extract_payload(path, manifest, handle)
        handle.flush()
        os.fsync(handle.fileno())


@contextlib.contextmanager
def _models_on(url: str, busy_timeout_ms: int) -> Iterator[pw.Database]:
    """The models bound to another database for a while (migrations use them)."""
    previous = db.database.obj
    other = db.bind(url, busy_timeout_ms)
    try:
        yield other
    finally:
        other.close()
        db.database.initialize(previous)


def _restore_sqlite(database: pw.Database, config: Config, path: Path, manifest: Manifest) -> None:
    target = Path(database.database)
    with _temp_file(target.parent, f".{target.name}.restore-", ".sqlite3") as copy:
        _extract(path, manifest, copy)
        problem = backup_sqlite.integrity_problem(copy)
        if problem:
            raise BackupFileError(
                "backup file {path}: the database in it is damaged: {problem}", path=path, problem=problem
            )
        found = backup_sqlite.schema_version(copy)
        if found != manifest.schema_version:
            raise BackupFileError(
                "backup file {path}: its database has schema version {found}, its manifest says "
                "{schema_version}",
                path=path,
                found=found,
                schema_version=manifest.schema_version,
            )
        if found < migrations.LATEST:
            with _models_on(f"sqlite:///{copy}", config.busy_timeout_ms) as older:
                migrations.upgrade(older)  # in the copy; checks foreign keys before each commit
        database.close()  # ours must not hold the file while the copy goes in
        try:
            backup_sqlite.copy_into(copy, target, config.busy_timeout_ms)
        except sqlite3.Error as exc:
            raise Refused(
                "could not write the database {target}: {reason}; it was left as it was (another "
                "process may hold it: stop the app and workers, then try again)",
                target=target,
                reason=exc,
            ) from None
    database.connect(reuse_if_open=True)
    problem = backup_sqlite.integrity_problem(target)
    if problem:  # cannot happen after a sound copy; said loudly if it ever does
        raise Refused(
            "the restored database {target} fails SQLite's integrity check: {problem}",
            target=target,
            problem=problem,
        )


def _restore_postgresql(database: pw.Database, config: Config, path: Path, manifest: Manifest) -> None:
    with _temp_file(Path(tempfile.gettempdir()), ".incasso-restore-", ".pgdump") as dump:
        _extract(path, manifest, dump)
        problem = backup_pg.check_dump(dump)
        if problem:
            raise BackupFileError(
                "backup file {path}: its pg_dump archive cannot be read: {problem}",
                path=path,
                problem=problem,
            )
        tables = database.execute_sql(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).fetchall()
        database.close()  # ours must not hold a lock the DROP waits for
        try:
            backup_pg.restore(config.database_url, dump, [(s, t) for s, t in tables], config.busy_timeout_ms)
        except backup_pg.PgToolError as exc:
            raise Refused(
                "restoring {path} into {redact} failed, the database was left as it was: {reason}",
                path=path,
                redact=db.redact(config.database_url),
                reason=exc,
            ) from None
    database.connect(reuse_if_open=True)
    found = migrations.current_version(database)
    if found != manifest.schema_version:
        raise Refused(
            "the restored database has schema version {found}, the backup's manifest says "
            "{schema_version}: check the database before using it",
            found=found,
            schema_version=manifest.schema_version,
        )
