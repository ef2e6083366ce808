"""Time bounds and cancellation for the look-ups a screen asks for.

Inside `interactive(interrupt)` every statement of this thread's connection runs under a
time bound, and `interrupt.cancel()` (called from another thread: the screen that stopped
waiting) stops the running statement on the server: PostgreSQL gets a cancel request and
SQLite an interrupt, so no abandoned search keeps a core busy. A stopped statement raises
QueryStopped (db/database.py), which the caller of a cancelled look-up drops.

`time_box(seconds)` bounds one step tighter (a count that may give up and say "more than").
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import peewee as pw

from incasso_tui.db.database import database

INTERACTIVE_SECONDS = 10.0  # no screen waits longer for one statement
_SQLITE_CHECK_EVERY = 50_000  # virtual-machine steps between two looks at the clock (each takes the GIL)

_local = threading.local()


class Interrupt:
    """One look-up's off switch (or one screen's, for the look-ups it runs at once on several
    worker threads), shared between the screen and the worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: list[Any] = []
        self.cancelled = False

    def cancel(self) -> None:
        # Under the lock: a worker cannot hand its connection back (to a pool, where another
        # look-up may take it) while the cancel request for this look-up is on its way.
        with self._lock:
            self.cancelled = True
            for connection in self._connections:
                _cancel(connection)

    def _attach(self, connection: Any) -> None:
        with self._lock:
            self._connections.append(connection)
            if self.cancelled:
                _cancel(connection)

    def _detach(self, connection: Any) -> None:
        with self._lock:
            self._connections.remove(connection)


def _cancel(connection: Any) -> None:
    # A connection closed meanwhile has nothing left to stop.
    with contextlib.suppress(Exception):
        if hasattr(connection, "interrupt"):  # sqlite3
            connection.interrupt()
        else:  # psycopg 3: a cancel request on its own connection to the server
            connection.cancel()


def _sqlite(db: pw.Database) -> bool:
    return isinstance(db, pw.SqliteDatabase)


def _deadlines() -> list[float]:
    if not hasattr(_local, "deadlines"):
        _local.deadlines = []
    return _local.deadlines


def _apply(db: pw.Database, connection: Any, interrupt: Interrupt | None) -> None:
    """Install the innermost bound on the connection (or lift it when none is left)."""
    deadlines = _deadlines()
    if _sqlite(db):
        if not deadlines:
            connection.set_progress_handler(None, 0)
            return
        deadline = min(deadlines)

        def over() -> int:
            return int(time.monotonic() > deadline or (interrupt is not None and interrupt.cancelled))

        connection.set_progress_handler(over, _SQLITE_CHECK_EVERY)
        return
    remaining = max(1, int((min(deadlines) - time.monotonic()) * 1000)) if deadlines else 0
    db.execute_sql(f"SET statement_timeout = {remaining}")


@contextmanager
def interactive(interrupt: Interrupt | None = None, seconds: float = INTERACTIVE_SECONDS) -> Iterator[None]:
    """Statements inside run under `seconds` and stop when `interrupt` is cancelled."""
    db = database.obj
    connection = db.connection()
    _local.interrupt = interrupt
    _deadlines().append(time.monotonic() + seconds)
    if interrupt is not None:
        interrupt._attach(connection)
    outermost = len(_deadlines()) == 1
    try:
        if outermost and not _sqlite(db):
            # A screen's look-up reads a page: starting parallel workers costs PostgreSQL more
            # (15-20 ms) than the few thousand index rows they would share.
            db.execute_sql("SET max_parallel_workers_per_gather = 0")
        _apply(db, connection, interrupt)
        yield
    finally:
        if interrupt is not None:
            interrupt._detach(connection)
        _deadlines().pop()
        _local.interrupt = None
        # A connection the server dropped meanwhile has nothing to reset (the error that
        # dropped it is the one to report).
        if not db.is_closed():
            with contextlib.suppress(Exception):
                _apply(db, connection, None)
                if outermost and not _sqlite(db):
                    db.execute_sql("RESET max_parallel_workers_per_gather")


def in_interactive() -> bool:
    """This thread runs a screen's look-up (inside `interactive`)."""
    return bool(_deadlines())


class TimeBox:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.deadline


@contextmanager
def time_box(seconds: float) -> Iterator[TimeBox]:
    """A tighter bound for one step. A statement stopped by it raises QueryStopped with the
    box `expired`; one stopped because the look-up was cancelled is not the box's."""
    db = database.obj
    connection = db.connection()
    interrupt: Interrupt | None = getattr(_local, "interrupt", None)
    box = TimeBox(seconds)
    _deadlines().append(box.deadline)
    try:
        _apply(db, connection, interrupt)
        yield box
    finally:
        _deadlines().pop()
        _apply(db, connection, interrupt)


def boxed_out(box: TimeBox) -> bool:
    """True when a QueryStopped inside `box` came from the box running out (not from a cancel)."""
    interrupt: Interrupt | None = getattr(_local, "interrupt", None)
    return box.expired and not (interrupt is not None and interrupt.cancelled)
