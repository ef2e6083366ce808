"""The audit trail: who did what to which object, when, old -> new."""

from __future__ import annotations

from typing import Any, Protocol, cast

import peewee as pw

from incasso_tui.db import models as m
from incasso_tui.services.auth import VIEW, Actor


class _InAdministration(Protocol):
    administration_id: int | None


def record(
    actor: Actor | str,
    action: str,
    obj: pw.Model | None = None,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    administration_id: int | None = None,
    summary: str = "",
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> m.AuditEntry:
    login = actor if isinstance(actor, str) else actor.login
    if obj is not None:
        object_type = object_type or type(obj).__name__.lower()
        object_id = obj.get_id() if object_id is None else object_id
        if administration_id is None and "administration" in type(obj)._meta.fields:
            administration_id = cast(_InAdministration, obj).administration_id
    return m.AuditEntry.create(
        user=login,
        action=action,
        object_type=object_type or "",
        administration_id=administration_id,
        object_id=None if object_id is None else str(object_id),
        summary=summary[:200],
        changes={k: [_plain(a), _plain(b)] for k, (a, b) in changes.items()} if changes else None,
    )


def diff(obj: pw.Model, new_values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value would change, as {field: (old, new)}."""
    return {k: (getattr(obj, k), v) for k, v in new_values.items() if getattr(obj, k) != v}


def _plain(value: Any) -> Any:
    if isinstance(value, pw.Model):
        return value.get_id()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def history(actor: Actor, object_type: str, object_id: Any, limit: int | None = 200) -> list[m.AuditEntry]:
    """The object's entries the user may see, newest first (`limit` None: all, for an export)."""
    query = (
        m.AuditEntry.select()
        .where((m.AuditEntry.object_type == object_type) & (m.AuditEntry.object_id == str(object_id)))
        .order_by(m.AuditEntry.at.desc(), m.AuditEntry.id.desc())
        .limit(limit)
    )
    return [e for e in query if e.administration_id is None or actor.may(VIEW, e.administration_id)]
