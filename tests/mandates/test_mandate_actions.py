"""Which actions a mandate allows, said once by the mandate service (status table, the user's
right on the administration, the B2B facts), and the mandate keys the screens dim or hide
from that answer. Pure: no database."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from incasso_tui.db.statuses import MandateAction, MandateStatus
from incasso_tui.services.auth import Actor
from incasso_tui.services.mandates import lifecycle as mandates
from screens.mandate_actions import ACTIONS, MandateActions, MandateRef

ZON, RIJN = 1, 2
ACTORS = {
    "admin": Actor(1, "anna", "admin", None),
    "operator ZON": Actor(2, "olaf", "operator", frozenset({ZON})),
    "support ZON": Actor(3, "bram", "support", frozenset({ZON})),
}
FACTS = list(itertools.product(MandateStatus, ("CORE", "B2B"), (False, True)))


def _expected(actor: Actor, administration_id: int, status: str, scheme: str, registered: bool) -> set[str]:
    """The rule as the screens had it before the service said it."""
    if not actor.may("edit", administration_id):
        return set()
    allowed = {"edit", "revoke"} if status != "revoked" else {"edit"}
    if status == "inactive":
        allowed.add("activate")
    if status in ("active", "inactive", "expired", "blocked"):
        allowed |= {"end", "replace_reference"}
    if scheme == "B2B" and not registered and status not in ("ended", "revoked"):
        allowed.add("confirm_b2b")
    return allowed


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("administration_id", [ZON, RIJN])
def test_mandate_actions_combine_status_rights_and_b2b_facts(who, administration_id):
    actor = ACTORS[who]
    for status, scheme, registered in FACTS:
        got = mandates.mandate_actions(actor, administration_id, status, scheme, registered)
        assert all(isinstance(a, MandateAction) for a in got)
        assert {a.value for a in got} == _expected(actor, administration_id, status, scheme, registered), (
            status,
            scheme,
            registered,
        )


def test_may_change_mandates_is_the_role():
    assert mandates.may_change_mandates(ACTORS["admin"])
    assert mandates.may_change_mandates(ACTORS["operator ZON"])
    assert not mandates.may_change_mandates(ACTORS["support ZON"])


class _App:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor


class _Screen(MandateActions):
    """The mixin on its own: a selected mandate (or none) and the acting user."""

    def __init__(self, actor: Actor, ref: MandateRef | None) -> None:
        self._app, self._ref = _App(actor), ref

    @property
    def incasso(self):  # the app, as AreaScreen gives it
        return self._app

    def selected_mandate(self) -> MandateRef | None:
        return self._ref


def _ref(actor: Actor, administration_id: int, status: str, scheme: str, registered: bool) -> MandateRef:
    actions = mandates.mandate_actions(actor, administration_id, status, scheme, registered)
    return MandateRef(
        7, "1001-1", administration_id, status, scheme, registered, dt.date(2026, 1, 1), actions
    )


def _old_state(actor: Actor, ref: MandateRef | None, action: str) -> bool | None:
    """mandate_action_state as it was before the service said which actions a row allows."""
    if action in ("print_form", "history"):
        return True if ref is not None else None
    if not actor.may("edit"):
        return False
    if ref is None or not actor.may("edit", ref.administration_id):
        return None
    if action == "activate_mandate":
        return True if ref.status == "inactive" else None
    if action in ("end_mandate", "replace_reference"):
        return True if ref.status in ("active", "inactive", "expired", "blocked") else None
    if action == "confirm_b2b":
        ok = ref.scheme == "B2B" and not ref.b2b_registered and ref.status not in ("ended", "revoked")
        return True if ok else None
    return True


@pytest.mark.parametrize("who", ACTORS)
def test_screen_keys_keep_their_allowed_dimmed_hidden_answers(who):
    actor = ACTORS[who]
    refs: list[MandateRef | None] = [None]
    refs += [_ref(actor, adm, *facts) for adm in (ZON, RIJN) for facts in FACTS]
    for ref, action in itertools.product(refs, sorted(ACTIONS)):
        assert _Screen(actor, ref).mandate_action_state(action) is _old_state(actor, ref, action), (
            ref,
            action,
        )


def test_support_sees_no_changing_keys_but_may_print_and_read_history():
    ref = _ref(ACTORS["support ZON"], ZON, MandateStatus.INACTIVE, "B2B", False)
    screen = _Screen(ACTORS["support ZON"], ref)
    assert [screen.mandate_action_state(a) for a in ("edit_mandate", "activate_mandate", "confirm_b2b")] == [
        False,
        False,
        False,
    ]
    assert screen.mandate_action_state("print_form") is True
    assert screen.mandate_action_state("history") is True
