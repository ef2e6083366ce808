"""The audit trail as a list: every entry a user may see, filtered by object, user and date,
newest first. One function (`audit_trail`) serves the CLI (`incasso audit`), the Audit screen,
the history modal of any object and the export.

Rights: an entry of an administration is shown to the users with rights on it; an entry
without one (users, bank groups, the database) only to admins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import peewee as pw

from incasso_tui.core.errors import ValidationError
from incasso_tui.db import models as m
from incasso_tui.services.auth import VIEW, Actor
from incasso_tui.services.input_rules import parse_date
from incasso_tui.services.paging import Page

# What the user calls a kind of object -> the object_type values stored for it (older code
# wrote some kinds under two names).
KINDS: dict[str, tuple[str, ...]] = {
    "debtor": ("debtor",),
    "mandate": ("mandate",),
    "order": ("collectionorder", "order"),
    "set": ("collectionset", "collection_set"),
    "administration": ("administration",),
    "bank-group": ("bankgroup",),
    "user": ("user",),
}
_KIND_OF = {stored: kind for kind, types in KINDS.items() for stored in types}


def kind_of(object_type: str) -> str:
    """The user's name for a stored object_type (others, e.g. bankaccount, as stored)."""
    return _KIND_OF.get(object_type, object_type)


@dataclass(frozen=True)
class AuditFilter:
    kind: str | None = None  # a key of KINDS
    object_id: str | None = None  # with kind: one object
    user: str | None = None  # a login
    since: dt.date | None = None
    search: str = ""  # the Audit screen's search box: a login, or words of the summary


@dataclass(frozen=True)
class TrailEntry:
    id: int
    at: dt.datetime
    user: str
    action: str
    kind: str
    object_id: str | None
    administration_id: int | None
    summary: str
    changes: dict[str, list[Any]]

    @property
    def object_text(self) -> str:
        return f"{self.kind}:{self.object_id}" if self.object_id else self.kind

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "user": self.user,
            "action": self.action,
            "object": self.kind,
            "object_id": self.object_id,
            "administration_id": self.administration_id,
            "summary": self.summary,
            "changes": self.changes,
        }


def make_filter(
    actor: Actor,
    obj: str | None = None,
    user: str | None = None,
    since: str | None = None,
) -> AuditFilter:
    """The filter from the CLI's text: `--object KIND:ID` (a mandate also by its reference),
    `--user LOGIN`, `--since YYYY-MM-DD or DD-MM-YYYY`."""
    kind = object_id = None
    if obj:
        kind, _, object_id = obj.strip().partition(":")
        kind = kind.strip().lower().replace("_", "-")
        if kind not in KINDS:
            raise ValidationError(
                "object", "kind must be one of {KINDS} (KIND:ID)", obj, KINDS=", ".join(KINDS)
            )
        object_id = object_id.strip() or None
        if object_id and kind == "mandate" and not object_id.isdigit():
            from incasso_tui.services.mandates.lifecycle import find_mandate

            object_id = str(find_mandate(actor, object_id).id)
        elif object_id and not object_id.isdigit():
            raise ValidationError("object", "ID must be a number (a mandate: also its reference)", obj)
    return AuditFilter(kind, object_id, (user or "").strip() or None, parse_date(since, "since"))


def _query(actor: Actor, flt: AuditFilter) -> pw.ModelSelect[m.AuditEntry]:
    e = m.AuditEntry
    query = e.select()
    if not actor.is_admin:
        query = query.where(e.administration_id.is_null(False) & actor.visible(e.administration_id))
    if flt.kind:
        query = query.where(e.object_type.in_(KINDS[flt.kind]))
        if flt.object_id:
            query = query.where(e.object_id == flt.object_id)
    if flt.user:
        query = query.where(e.user == flt.user)
    if flt.since:
        query = query.where(e.at >= dt.datetime.combine(flt.since, dt.time()))
    text = flt.search.strip()
    if text:
        # The trail is read rarely and by few: a case-insensitive LIKE over the filtered rows.
        query = query.where(e.user.startswith(text) | e.summary.contains(text) | e.action.contains(text))
    return query


def _entry(row: m.AuditEntry) -> TrailEntry:
    return TrailEntry(
        row.id,
        row.at,
        row.user,
        row.action,
        kind_of(row.object_type),
        row.object_id,
        row.administration_id,
        row.summary,
        dict(row.changes or {}),
    )


def audit_trail(actor: Actor, flt: AuditFilter, offset: int = 0, limit: int = 100) -> Page[TrailEntry]:
    """One page of the entries the user may see, newest first."""
    actor.require(VIEW, what="the audit trail")
    query = _query(actor, flt)
    ordered = query.order_by(m.AuditEntry.at.desc(), m.AuditEntry.id.desc()).offset(offset).limit(limit)
    return Page([_entry(r) for r in ordered], query.count(), offset)


def iterate_trail(actor: Actor, flt: AuditFilter, limit: int | None = None) -> Iterator[TrailEntry]:
    """Every matching entry (an export), newest first, read in pages."""
    actor.require(VIEW, what="the audit trail")
    offset, size = 0, 500
    while True:
        wanted = size if limit is None else min(size, limit - offset)
        if wanted <= 0:
            return
        query = _query(actor, flt).order_by(m.AuditEntry.at.desc(), m.AuditEntry.id.desc())
        rows = list(query.offset(offset).limit(wanted))
        yield from (_entry(r) for r in rows)
        if len(rows) < wanted:
            return
        offset += len(rows)


def object_history(actor: Actor, kind: str, object_id: Any, limit: int = 200) -> list[dict[str, Any]]:
    """One object's entries as the history modal shows them (newest first)."""
    page = audit_trail(actor, AuditFilter(kind, str(object_id)), 0, limit)
    return [
        {"at": e.at, "user": e.user, "action": e.action, "summary": e.summary, "changes": e.changes}
        for e in page.rows
    ]
