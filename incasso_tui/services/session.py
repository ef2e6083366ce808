"""Opening a working session: configuration, database, schema check, acting user.

Shared by the CLI and the TUI so both start the same way and refuse the same things.
"""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from incasso_tui.core import config as config_mod
from incasso_tui.core.config import Config
from incasso_tui.core.errors import ConfigError
from incasso_tui.db import database as db
from incasso_tui.db import migrations
from incasso_tui.services.auth import Actor, resolve_actor


@dataclass
class Session:
    config: Config
    database: pw.Database
    actor: Actor | None = None


def open_database(cfg: Config) -> pw.Database:
    return db.bind(cfg.database_url, cfg.busy_timeout_ms)


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
            session.actor = resolve_actor(user, cfg.allow_user_flag)
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
