"""Shared set-up for the list tests: the demo with one set per bank group, made by the admin."""

from __future__ import annotations

from incasso_tui.db import models as m
from incasso_tui.services.collection import sets


def demo_sets(demo) -> dict[str, int]:
    """One set per bank group (ING and RABO span administrations); {bank group: set id}."""
    admin = demo()
    made = {}
    for group in m.BankGroup.select().order_by(m.BankGroup.code):
        made[group.code] = sets.create_set(admin, group.code, sets.earliest_date(group)).id
    return made


def spanning_set(made: dict[str, int], login: str, demo) -> int:
    """A set holding orders of administrations `login` sees and of others."""
    actor = demo(login)
    for set_id in made.values():
        adms = {
            o.administration_id
            for o in m.CollectionOrder.select().where(m.CollectionOrder.collection_set == set_id)
        }
        if any(a in actor.administration_ids for a in adms) and not adms <= actor.administration_ids:
            return set_id
    raise AssertionError(f"the demo has no set spanning {login}'s administrations and others")


def footer_actions(screen) -> set[str]:
    """The actions the footer shows (what the user sees at the bottom of the screen)."""
    from textual.widgets._footer import FooterKey

    return {key.action for key in screen.query(FooterKey)}
