"""SQLite copies for backup and restore, through SQLite's own online backup API.

Each copy runs on a connection of its own (not the models' peewee connection) and in one
step (`pages=-1`): a stepped copy starts again whenever another process writes between two
steps, so a busy worker could keep it from ever finishing. In one step the copy reads a single
snapshot (the database is in WAL mode: writers go on meanwhile), so it is consistent.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def _connect(path: str | Path, busy_timeout_ms: int) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def snapshot(source: str | Path, copy: str | Path, busy_timeout_ms: int = 5000) -> None:
    """Copy the live database `source` into the (new, empty) file `copy`, as one file in
    rollback-journal mode: the copy has no -wal file beside it that could get lost."""
    with _connect(source, busy_timeout_ms) as src, _connect(copy, busy_timeout_ms) as dst:
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")


def copy_into(source: str | Path, target: str | Path, busy_timeout_ms: int = 5000) -> None:
    """Replace the content of the database `target` by that of `source`, in one transaction
    on `target`: processes that have it open see the old or the new database, never a mix,
    and a failure leaves it as it was."""
    with _connect(source, busy_timeout_ms) as src, _connect(target, busy_timeout_ms) as dst:
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=WAL")  # the app's mode (database.make_database)


def integrity_problem(path: str | Path) -> str | None:
    """None when `path` is a sound SQLite database, else what SQLite found wrong."""
    try:
        with _connect(path, 5000) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    found = [str(r[0]) for r in rows]
    return None if found == ["ok"] else "; ".join(found[:3])


def schema_version(path: str | Path) -> int:
    """The schema version stored in the database file `path` (0: none)."""
    with _connect(path, 5000) as conn:
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"
        ).fetchone():
            return 0
        row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)
