"""Creating a database: schema, the first admin, optionally the demo data; the schema version
and its upgrade."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import peewee as pw

from incasso_tui.core.errors import Refused
from incasso_tui.db import migrations
from incasso_tui.db import models as m
from incasso_tui.db.statuses import Role
from incasso_tui.services import audit, auth


def needs_setup(database: pw.Database, demo: bool) -> bool:
    """Whether starting the app must initialise first: a database without a schema (first
    run), or `--demo` on one without administrations (the demo data goes in then)."""
    if migrations.current_version(database) == 0:
        return True
    return demo and not m.Administration.select().exists()


def has_administrations() -> bool:
    """Whether anything is set up yet (a cheap look at start: the wizard opens when not)."""
    return bool(m.Administration.select().exists())


def init_login(requested: str | None, allow_user_flag: bool, *, refuse_ignored: bool = False) -> str:
    """Who becomes the admin of a new database: `--user NAME` when the configuration honours
    it, else the OS login. With `refuse_ignored`, a `--user` the configuration does not honour
    is a usage error instead of being ignored."""
    if requested and not allow_user_flag and refuse_ignored:
        auth.resolve_actor(requested, allow_user_flag)  # raises the usage error
    return requested if (requested and allow_user_flag) else auth.os_login()


def initialise(database: pw.Database, login: str, *, demo: bool = False) -> dict[str, Any]:
    """Create or upgrade the schema and make `login` an admin of everything.

    On a database that already has users, only an existing admin may run this
    (it then only upgrades the schema); demo data goes only into an empty database.
    """
    applied = migrations.upgrade(database)
    with database.atomic():
        user = m.User.get_or_none(m.User.login == login)
        has_users = m.User.select().exists()
        if has_users and (user is None or user.role != Role.ADMIN):
            raise Refused(
                "the database already has users and {login} is not an admin of it; an admin runs: "
                "incasso user add {login} --role operator",
                login=login,
            )
        created_user = False
        if user is None:
            user = m.User.create(login=login, name=login, role=Role.ADMIN)
            audit.record(login, "user.add", user, summary=f"{login} as admin (incasso init)")
            created_user = True
        demo_counts = None
        if demo:
            if m.Administration.select().exists():
                raise Refused(
                    "demo data goes only into an empty database; this one already has administrations"
                )
            from incasso_tui.services.demo import fill_demo

            demo_counts = fill_demo(login)
    return {
        "schema_version": migrations.LATEST,
        "migrations_applied": [x.version for x in applied],
        "admin": login,
        "admin_created": created_user,
        "demo": demo_counts,
    }


@dataclass(frozen=True)
class SchemaUpgrade:
    before: int  # the version the database had (0: none)
    latest: int  # the version this incasso-tui needs
    applied: list[tuple[int, str]]  # (version, description) of each migration run


def schema_version(database: pw.Database) -> tuple[int, int]:
    """The database's schema version (0: none) and the one this incasso-tui needs."""
    return migrations.current_version(database), migrations.LATEST


def upgrade_schema(database: pw.Database, requested_user: str | None, allow_user_flag: bool) -> SchemaUpgrade:
    """Bring the schema to the current version. A new database may be set up by anyone (as
    `incasso init` does); an existing one only by an admin."""
    before = migrations.check_compatible(database)
    if before:
        auth.resolve_actor(requested_user, allow_user_flag).require(auth.ADMIN, what="the schema")
    applied = migrations.upgrade(database)
    return SchemaUpgrade(before, migrations.LATEST, [(mig.version, mig.description) for mig in applied])
