"""Opening the database named by `database.url`: SQLite (default) or PostgreSQL (psycopg 3).

The models are bound to a DatabaseProxy, so the same models serve both back-ends
and tests point them at a temporary file or a throwaway server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import ParamSpec, TypeVar
from urllib.parse import unquote, urlparse

import peewee

from incasso_tui.core.errors import ConfigError

database = peewee.DatabaseProxy()

_P = ParamSpec("_P")
_R = TypeVar("_R")


def make_database(url: str, busy_timeout_ms: int = 5000) -> peewee.Database:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :]).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"database.url {url}: cannot create directory {path.parent}: {exc.strerror}"
            ) from None
        return peewee.SqliteDatabase(
            str(path),
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
        return peewee.PostgresqlDatabase(
            unquote(parsed.path.lstrip("/")),
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname,
            port=parsed.port,
            prefer_psycopg3=True,
            connect_timeout=5,
        )
    raise ConfigError(f"database.url must start with sqlite:/// or postgresql:// (got {url!r})")


def bind(url: str, busy_timeout_ms: int = 5000) -> peewee.Database:
    """Point the models at `url` and check that the server answers."""
    db = make_database(url, busy_timeout_ms)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
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


def as_date(value) -> dt.date | None:
    """A date column read raw: SQLite gives text, PostgreSQL a date."""
    if value is None or isinstance(value, dt.date):
        return value
    return _iso_date(value)


@lru_cache(maxsize=4096)  # a set holds few distinct dates and 100k+ rows
def _iso_date(text) -> dt.date:
    return dt.date.fromisoformat(str(text)[:10])
