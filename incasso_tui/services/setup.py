"""Creating a database: schema, the first admin, optionally the demo data."""

from __future__ import annotations

import peewee as pw

from incasso_tui.core.errors import Refused
from incasso_tui.db import migrations
from incasso_tui.db import models as m
from incasso_tui.services import audit


def initialise(database: pw.Database, login: str, *, demo: bool = False) -> dict:
    """Create or upgrade the schema and make `login` an admin of everything.

    On a database that already has users, only an existing admin may run this
    (it then only upgrades the schema); demo data goes only into an empty database.
    """
    applied = migrations.upgrade(database)
    with database.atomic():
        user = m.User.get_or_none(m.User.login == login)
        has_users = m.User.select().exists()
        if has_users and (user is None or user.role != "admin"):
            raise Refused(
                f"the database already has users and {login} is not an admin of it; "
                f"an admin runs: incasso user add {login} --role operator"
            )
        created_user = False
        if user is None:
            user = m.User.create(login=login, name=login, role="admin")
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
