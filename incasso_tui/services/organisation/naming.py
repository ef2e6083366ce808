"""The organisation's name: the wizard's first step, and the default initiating party
(InitgPty/Nm) of the files — the organisation that submits them, never a bank."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from incasso_tui.db import models as m
from incasso_tui.services import audit
from incasso_tui.services.auth import ADMIN, Actor
from incasso_tui.services.organisation import field_checks as rules

NAME_KEY = "organisation.name"


def stored_organisation_name() -> str:
    """The name set for the organisation, "" when none was set."""
    row = m.AppMeta.get_or_none(m.AppMeta.key == NAME_KEY)
    return row.value if row else ""


def organisation_name() -> str:
    """The organisation's name; when none was set, the name of its only active
    administration; else ""."""
    stored = stored_organisation_name()
    if stored:
        return stored
    names = cast(
        "Iterable[tuple[str]]",
        m.Administration.select(m.Administration.name).where(m.Administration.active).limit(2).tuples(),
    )
    found = [n for (n,) in names]
    return found[0] if len(found) == 1 else ""


def set_organisation_name(actor: Actor, name: str) -> str:
    """Set the organisation's name (admins; checked as a name in a pain.008 file)."""
    actor.require(ADMIN, what="the organisation's name")
    value = rules.creditor_name(name, {}).value
    old = stored_organisation_name()
    if value != old:
        with m.AppMeta._meta.database.atomic():
            _put(value)
            audit.record(
                actor,
                "organisation.name",
                object_type="organisation",
                object_id=NAME_KEY,
                changes={"name": (old or None, value)},
                summary=f"organisation name: {value}",
            )
    return value


def adopt_first_name(actor: Actor, name: str) -> None:
    """The first administration names the organisation when it has no name yet."""
    if stored_organisation_name() or m.Administration.select().count() != 1:
        return
    _put(name)
    audit.record(
        actor,
        "organisation.name",
        object_type="organisation",
        object_id=NAME_KEY,
        changes={"name": (None, name)},
        summary=f"organisation name from the first administration: {name}",
    )


def _put(value: str) -> None:
    m.AppMeta.insert(key=NAME_KEY, value=value).on_conflict(
        conflict_target=[m.AppMeta.key], update={m.AppMeta.value: value}
    ).execute()
