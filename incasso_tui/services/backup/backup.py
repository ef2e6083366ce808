"""`incasso db backup FILE`: a consistent copy of the configured database while the app and
its workers go on using it, with the schema version recorded beside it.

SQLite: the online backup API copies one snapshot (db.backup_sqlite). PostgreSQL: pg_dump,
which reads one snapshot too (db.backup_pg). Only an admin makes a backup (it holds every
administration's personal data); the backup is audited in the database it copies.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from incasso_tui import __version__
from incasso_tui.core.config import Config
from incasso_tui.core.errors import NotFound, Refused
from incasso_tui.db import backup_pg, backup_sqlite, migrations
from incasso_tui.db.database import redact
from incasso_tui.services import audit, auth
from incasso_tui.services.backup import archive
from incasso_tui.services.backup.archive import Manifest


@dataclass(frozen=True)
class BackupMade:
    path: Path
    manifest: Manifest


def backend_of(database: pw.Database) -> str:
    return "sqlite" if isinstance(database, pw.SqliteDatabase) else "postgresql"


def make_backup(
    database: pw.Database, config: Config, requested_user: str | None, out: Path, *, force: bool = False
) -> BackupMade:
    """Back the database up into the file `out` (replaced only with `force`)."""
    version = migrations.check_compatible(database)
    if version == 0:
        raise Refused(
            "the database {redact} is empty: there is nothing to back up", redact=redact(config.database_url)
        )
    actor = auth.resolve_actor(requested_user, config.allow_user_flag)
    actor.require(auth.ADMIN, what="the database (backup)")
    out = Path(os.path.abspath(out.expanduser()))
    _check_target(database, out, force)
    backend = backend_of(database)
    try:  # beside the backup, hidden; mkstemp makes it 0600 (it holds the same personal data)
        fd, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".payload", dir=out.parent)
    except OSError as exc:
        raise Refused(
            "cannot write in {parent}: {given}", parent=out.parent, given=exc.strerror or exc
        ) from None
    os.close(fd)
    payload = Path(temp)
    try:
        if backend == "sqlite":
            try:
                backup_sqlite.snapshot(database.database, payload, config.busy_timeout_ms)
            except sqlite3.Error as exc:
                raise Refused(
                    "could not copy the database {database}: {reason}", database=database.database, reason=exc
                ) from None
            version = backup_sqlite.schema_version(payload)  # of the snapshot itself
        else:
            backup_pg.dump(config.database_url, payload)
        size, sha256 = archive.digest(payload)
        manifest = Manifest(
            backend=backend,
            schema_version=version,
            app_version=__version__,
            created_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            source=redact(config.database_url),
            size=size,
            sha256=sha256,
        )
        try:
            archive.write(out, manifest, payload, overwrite=force)
        except FileExistsError:  # appeared meanwhile
            raise Refused("{out} exists already; --force replaces it", out=out) from None
        except OSError as exc:
            raise Refused(
                "cannot write backup file {out}: {given}", out=out, given=exc.strerror or exc
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            payload.unlink()
    audit.record(
        actor,
        "db.backup",
        object_type="database",
        summary=f"backup to {out} (schema version {version}, {size} bytes, sha256 {sha256[:12]})",
    )
    return BackupMade(out, manifest)


def _check_target(database: pw.Database, out: Path, force: bool) -> None:
    if not out.parent.is_dir():
        raise NotFound("backup file {out}: the directory {parent} does not exist", out=out, parent=out.parent)
    if out.is_dir():
        raise Refused("backup file {out} is a directory: name a file", out=out)
    if isinstance(database, pw.SqliteDatabase) and out.exists() and os.path.samefile(out, database.database):
        raise Refused("backup file {out} is the database itself: name another file", out=out)
    if out.exists() and not force:
        raise Refused("{out} exists already; --force replaces it", out=out)
