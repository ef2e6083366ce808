"""Whose data a report counts: the administrations the user may see, or the one asked for."""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from incasso_tui.services.auth import VIEW, Actor


@dataclass(frozen=True)
class Scope:
    actor: Actor
    administration_id: int | None = None
    administration: str | None = None  # its code, as the report names it

    def within(self, column: pw.Field) -> pw.Node:
        """A where-clause on an administration id column."""
        condition: pw.Node = self.actor.visible(column)
        if self.administration_id is not None:
            condition &= column == self.administration_id
        return condition


def scope_for(actor: Actor, administration: str | None = None) -> Scope:
    """The user's scope; an administration code narrows it (NotFound when not visible)."""
    actor.require(VIEW, what="reports")
    if not administration:
        return Scope(actor)
    from incasso_tui.services.organisation.listing import get_administration

    adm = get_administration(actor, administration)
    return Scope(actor, adm.id, adm.code)
