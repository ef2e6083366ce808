"""Opening a working session: configuration, database, schema check, acting user.

Shared by the CLI and the TUI so both start the same way and refuse the same things.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import peewee as pw

from incasso_tui.core import config as config_mod
from incasso_tui.core.config import Config
from incasso_tui.core.errors import ConfigError
from incasso_tui.db import database as db
from incasso_tui.db import interrupt, migrations
from incasso_tui.db.database import QueryStopped
from incasso_tui.services.auth import Actor, resolve_actor

_P = ParamSpec("_P")
_R = TypeVar("_R")


@dataclass
class Session:
    config: Config
    database: pw.Database
    # None when the session was opened without a user (`incasso init`, `db …`).
    acting_user: Actor | None = None

    @property
    def actor(self) -> Actor:
        """The acting user; only sessions opened without one (init, db) have none."""
        if self.acting_user is None:
            raise RuntimeError("this session was opened without an acting user")
        return self.acting_user


def open_database(cfg: Config, pooled: bool = False) -> pw.Database:
    """`pooled`: the TUI's connections are kept for the next look-up (PostgreSQL)."""
    return db.bind(cfg.database_url, cfg.busy_timeout_ms, pooled)


def open_session(
    config_path: str | None, user: str | None, *, need_schema: bool = True, need_actor: bool = True
) -> Session:
    cfg = config_mod.load(config_path)
    from incasso_tui.i18n import set_language

    set_language(cfg.language)
    database = open_database(cfg)
    session = Session(cfg, database)
    if need_schema:
        require_current_schema(database)
        if need_actor:
            session.acting_user = resolve_actor(user, cfg.allow_user_flag)
    return session


def require_current_schema(database: pw.Database) -> None:
    version = migrations.check_compatible(database)
    if version == 0:
        raise ConfigError("the database is empty: run `incasso init` (or `incasso init --demo`)")
    if version < migrations.LATEST:
        raise ConfigError(
            f"the database has schema version {version}; this incasso-tui needs "
            f"{migrations.LATEST}: run `incasso db upgrade`"
        )


def close_database() -> None:
    """Close this thread's connection (at the end of a command)."""
    db.close()


def in_connection(fn: Callable[_P, _R], /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
    """Run `fn` on this thread's own database connection, closed afterwards (UI workers)."""
    return db.in_connection(fn, *args, **kwargs)


# A screen's off switch for the look-up it waits for (db/interrupt.py).
Interrupt = interrupt.Interrupt
LookupStopped = QueryStopped


def in_interactive_connection(
    stop: interrupt.Interrupt, fn: Callable[_P, _R], /, *args: _P.args, **kwargs: _P.kwargs
) -> _R:
    """`in_connection` for a look-up a screen waits for: every statement under the
    interactive time bound, and stopped on the server when `stop` is cancelled."""

    def bounded() -> _R:
        with interrupt.interactive(stop):
            return fn(*args, **kwargs)

    return db.in_connection(bounded)


def describe_database(url: str) -> str:
    """The database in short, for the header line: the file name or host/db."""
    return db.describe(url)


def redact_database_url(url: str) -> str:
    """The database URL without its password, to show."""
    return db.redact(url)
