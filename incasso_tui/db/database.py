"""Opening the database named by `database.url`: SQLite (default) or PostgreSQL (psycopg 3).

The models are bound to a DatabaseProxy, so the same models serve both back-ends
and tests point them at a temporary file or a throwaway server.

Waiting for other writers, in one place:

- SQLite: every transaction starts with BEGIN IMMEDIATE, so a writer waits for the write
  lock (up to `database.busy_timeout_ms`) before it has read anything. A deferred BEGIN
  would read first and then fail at once when the lock is taken ("database is locked"
  without waiting: SQLite cannot wait for a lock while a read snapshot is open).
- PostgreSQL: `lock_timeout` is the same bound for row and table locks.
- A lock not granted within the bound, a deadlock or a serialization failure becomes
  `DatabaseBusy` (one line, exit 1); a file that is not a database, or a damaged one,
  becomes `DatabaseDamaged` (exit 2, like every configuration problem). No command
  needs to catch driver errors itself.
- `write_transaction` runs a service's write in one transaction and runs it again, within
  the same bound, when it met a conflict that a retry resolves.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
import sqlite3
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, TypeVar
from urllib.parse import unquote, urlparse

import peewee
from playhouse.pool import PooledPostgresqlDatabase as PooledPostgresqlBase  # type: ignore[import-untyped]

from incasso_tui.core import files
from incasso_tui.core.errors import ConfigError, IncassoError

database = peewee.DatabaseProxy()

_P = ParamSpec("_P")
_R = TypeVar("_R")


class DatabaseBusy(IncassoError):
    """Another process held a lock the write needs for longer than the configured bound."""

    def __init__(self, timeout_ms: int, cause: str = ""):
        self.timeout_ms = timeout_ms
        self.cause = cause
        super().__init__(
            f"the database is busy: another process kept it locked for more than "
            f"{timeout_ms / 1000:g} s (database.busy_timeout_ms); try again in a moment"
        )


class QueryStopped(IncassoError):
    """A look-up was stopped: it ran past its time bound, or the screen that asked for it
    asked for something else (db/interrupt.py)."""


def busy_error(cause: str = "") -> DatabaseBusy:
    """DatabaseBusy with the bound of the database the models use."""
    return DatabaseBusy(int(getattr(database.obj, "busy_timeout_ms", 5000)), cause)


class DatabaseDamaged(ConfigError):
    """The database file is not an SQLite database, or is damaged (truncated, overwritten)."""


# SQLite primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_INTERRUPT, _SQLITE_CORRUPT, _SQLITE_NOTADB = 5, 6, 9, 11, 26
_PG_CANCELED = "57014"  # query_canceled: statement_timeout or a cancel request
# PostgreSQL SQLSTATEs: lock_not_available (lock_timeout), deadlock, serialization failure.
_PG_BUSY = frozenset({"55P03", "40P01", "40001"})


def _driver_error(exc: BaseException) -> BaseException:
    """The driver's exception behind peewee's wrapper (kept as `orig`)."""
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, BaseException) else exc


def _problem(db: peewee.Database, exc: BaseException) -> IncassoError | None:
    """The user-facing error for a driver error about locks or a damaged file; None for
    anything else (it then propagates unchanged)."""
    orig = _driver_error(exc)
    timeout = int(getattr(db, "busy_timeout_ms", 5000))
    if isinstance(orig, sqlite3.Error):
        code = (getattr(orig, "sqlite_errorcode", None) or 0) & 0xFF
        text = str(orig)
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or text.startswith("database is locked"):
            return DatabaseBusy(timeout, text)
        if code == _SQLITE_INTERRUPT or text == "interrupted":
            return _stopped()
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return _damaged(f"sqlite:///{db.database}", text)
        return None
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == _PG_CANCELED:
        return _stopped()
    if sqlstate in _PG_BUSY:
        return DatabaseBusy(timeout, str(orig).strip().splitlines()[0] if str(orig).strip() else sqlstate)
    return None


def _stopped() -> QueryStopped:
    return QueryStopped("the look-up was stopped: it took too long or was replaced by a newer one")


def _damaged(path: str, reason: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"database {path} cannot be used: {reason} (not an SQLite database, or a damaged one: "
        "restore it from a backup or point database.url at the right file)"
    )


class _Translate:
    """Around each statement: lock and damage errors of the driver become the user-facing
    errors above. Costs nothing while no exception is raised (the hot paths stay as fast)."""

    __slots__ = ("db",)

    def __init__(self, db: peewee.Database):
        self.db = db

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None and not isinstance(exc, IncassoError):
            problem = _problem(self.db, exc)
            if problem is not None:
                raise problem from exc


class _Translating(peewee.Database):
    """Statements, BEGIN and COMMIT whose lock or damage errors become one clear IncassoError
    (the same for both back-ends; `_Translate` knows which is which)."""

    busy_timeout_ms = 5000

    def __init__(self, *args: Any, busy_timeout_ms: int = 5000, **kwargs: Any):
        self.busy_timeout_ms = busy_timeout_ms
        self._translate = _Translate(self)
        super().__init__(*args, **kwargs)

    def execute_sql(self, sql, params=None):
        with self._translate:
            return super().execute_sql(sql, params)

    def begin(self, *args):  # SQLite: lock_type; PostgreSQL: isolation_level
        with self._translate:
            super().begin(*args)

    def commit(self):
        with self._translate:
            super().commit()


class SqliteDatabase(_Translating, peewee.SqliteDatabase):
    pass


class PostgresqlDatabase(_Translating, peewee.PostgresqlDatabase):
    pass


class PooledPostgresqlDatabase(_Translating, PooledPostgresqlBase):
    """The TUI's: each screen look-up runs on a worker thread of its own, and a new server
    connection per look-up cost 20–40 ms; closed connections go back to the pool instead."""


def make_database(url: str, busy_timeout_ms: int = 5000, pooled: bool = False) -> peewee.Database:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :]).expanduser()
        try:
            files.make_private_dir(path.parent)
            _private_database_file(path)
        except OSError as exc:
            raise ConfigError(
                f"database.url {url}: cannot create {exc.filename or path}: {exc.strerror}"
            ) from None
        return SqliteDatabase(
            str(path),
            busy_timeout_ms=busy_timeout_ms,
            # Writers take the write lock first and wait for it (see the module doc).
            lock_type="IMMEDIATE",
            pragmas={
                "busy_timeout": busy_timeout_ms,  # first: the others may need a lock
                "journal_mode": "wal",
                "foreign_keys": 1,
                "synchronous": "normal",
                # 16 MB page cache (default 2 MB): index updates of a 100k-order set stay in
                # memory; it only grows as pages are used.
                "cache_size": -16000,
            },
            # The app's worker thread and UI threads share one process.
            check_same_thread=False,
        )
    parsed = urlparse(url)
    if parsed.scheme in ("postgresql", "postgres"):
        kind: Any = PostgresqlDatabase
        pool: dict[str, Any] = {}
        if pooled:
            # Idle connections are closed after 5 minutes; no more than 8 at once (the TUI's
            # workers wait for one rather than open a ninth).
            kind, pool = PooledPostgresqlDatabase, {"max_connections": 8, "stale_timeout": 300, "timeout": 10}
        return kind(
            unquote(parsed.path.lstrip("/")),
            busy_timeout_ms=busy_timeout_ms,
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname,
            port=parsed.port,
            prefer_psycopg3=True,
            connect_timeout=5,
            # The same bound as SQLite's busy timeout for row and table locks (0 = no wait).
            options=f"-c lock_timeout={max(1, busy_timeout_ms)}",
            **pool,
        )
    raise ConfigError(f"database.url must start with sqlite:/// or postgresql:// (got {url!r})")


def _private_database_file(path: Path) -> None:
    """A new SQLite file is created for its owner only (files.private_mode(): 0600, or 0640
    when the configuration allows the group); SQLite gives its -wal and -shm files the mode
    of the database file. An existing file of ours with wider modes is narrowed."""
    if files.ensure_private_file(path):
        return
    for item in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            st = item.stat()
            if st.st_uid == os.getuid() and st.st_mode & 0o777 & ~files.private_mode():
                os.chmod(item, files.narrowed_mode(item))
        except OSError:  # not there, or not ours to change: SQLite reports what matters
            continue


def bind(url: str, busy_timeout_ms: int = 5000, pooled: bool = False) -> peewee.Database:
    """Point the models at `url` and check that the server answers (and, for SQLite, that
    the file is a database: the pragmas at connect read its header)."""
    db = make_database(url, busy_timeout_ms, pooled)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # driver errors, classified here
        problem = _problem(db, exc)
        if isinstance(problem, DatabaseDamaged):
            raise _damaged(redact(url), str(_driver_error(exc))) from None
        if problem is not None:
            raise problem from None
        if not isinstance(exc, peewee.DatabaseError):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"database.url {redact(url)}: cannot connect: {first}") from None
    return db


def close() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()


def redact(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def describe(url: str) -> str:
    """Short form for the header: the file name or host/db."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :]).name
    parsed = urlparse(url)
    return f"{parsed.hostname}/{parsed.path.lstrip('/')}"


def in_connection(fn: Callable[_P, _R], /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
    """Run `fn` on this thread's own connection and close it afterwards.

    UI workers run on short-lived threads; each gets a connection of its own
    (peewee keeps connections per thread) that must not outlive the thread.
    """
    with database.connection_context():
        return fn(*args, **kwargs)


def write_transaction(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `fn` in one transaction; when it meets a lock that is not granted in time, a
    deadlock or a serialization failure (DatabaseBusy), run it again after a short pause,
    until the busy bound (`database.busy_timeout_ms`) has passed; then DatabaseBusy.

    Inside a transaction already (called by another service) it runs as a part of that one:
    only the outermost transaction can be repeated."""

    @functools.wraps(fn)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if database.in_transaction():
            return fn(*args, **kwargs)
        bound = int(getattr(database.obj, "busy_timeout_ms", 5000)) / 1000
        deadline = time.monotonic() + bound
        pause = 0.01
        while True:
            try:
                with database.atomic():
                    return fn(*args, **kwargs)
            except DatabaseBusy:
                if time.monotonic() + pause >= deadline:
                    raise
            time.sleep(pause * random.uniform(0.5, 1.5))  # jitter: processes that met do not meet again
            pause = min(pause * 2, 0.25)

    return run


def as_date(value) -> dt.date | None:
    """A date column read raw: SQLite gives text, PostgreSQL a date."""
    if value is None or isinstance(value, dt.date):
        return value
    return _iso_date(value)


@lru_cache(maxsize=4096)  # a set holds few distinct dates and 100k+ rows
def _iso_date(text) -> dt.date:
    return dt.date.fromisoformat(str(text)[:10])
