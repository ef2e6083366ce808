"""Who is acting, and what they may do.

Roles: admin (everything, every administration), operator (debtors, mandates,
orders, sets, processing within their administrations), support (read-only
look-ups within their administrations). Every service calls `require` or
filters with `visible`; the TUI and CLI therefore cannot differ.

The acting user is the OS account of the process's real uid; `--user NAME` replaces it only
when the configuration allows (`auth.allow_user_flag`). Environment variables (LOGNAME,
USER, which anyone can set) are never read.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

import peewee as pw

from incasso_tui.core.errors import Refused, UsageError
from incasso_tui.db import models as m
from incasso_tui.db.statuses import Role

ROLES: tuple[str, ...] = tuple(Role)


class Right(StrEnum):
    """What a role may do (within the administrations the user has rights on)."""

    VIEW = "view"
    EDIT = "edit"
    PROCESS = "process"
    ADMIN = "admin"


VIEW, EDIT, PROCESS, ADMIN = Right.VIEW, Right.EDIT, Right.PROCESS, Right.ADMIN
_ALLOWED: dict[str, frozenset[Right]] = {
    Role.ADMIN: frozenset({VIEW, EDIT, PROCESS, ADMIN}),
    Role.OPERATOR: frozenset({VIEW, EDIT, PROCESS}),
    Role.SUPPORT: frozenset({VIEW}),
}
_VERB: dict[str, str] = {VIEW: "view", EDIT: "change", PROCESS: "process", ADMIN: "administer"}


@dataclass(frozen=True)
class Actor:
    user_id: int
    login: str
    role: str
    # None = every administration (admins).
    administration_ids: frozenset[int] | None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def may(self, action: str, administration_id: int | None = None) -> bool:
        if action not in _ALLOWED.get(self.role, frozenset()):
            return False
        if administration_id is None or self.administration_ids is None:
            return True
        return administration_id in self.administration_ids

    def require(self, action: str, administration_id: int | None = None, what: str = "") -> None:
        if self.may(action, administration_id):
            return
        thing = f" {what}" if what else ""
        if action not in _ALLOWED.get(self.role, frozenset()):
            raise Refused(
                "user {login} ({role}) may not {VERB}{thing}: the role does not allow it",
                login=self.login,
                role=self.role,
                VERB=_VERB[action],
                thing=thing,
            )
        raise Refused(
            "user {login} may not {VERB}{thing}: no rights for this administration",
            login=self.login,
            VERB=_VERB[action],
            thing=thing,
        )

    def visible(self, field: pw.Field) -> pw.Node:
        """A where-clause limiting `field` (an administration id column) to what this user sees."""
        if self.administration_ids is None:
            return pw.SQL("1 = 1")
        if not self.administration_ids:
            return pw.SQL("1 = 0")
        return field.in_(sorted(self.administration_ids))


def os_login() -> str:
    """The login name of the process's real uid, from the password database."""
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        raise Refused(
            "the OS account of uid {uid} has no name in the password database; incasso acts "
            "only as a named account",
            uid=uid,
        ) from None


def actor_for(user: m.User) -> Actor:
    ids: frozenset[int] | None = None
    if user.role != Role.ADMIN:
        grants = cast(
            "Iterable[tuple[int]]",
            m.UserAdministration.select(m.UserAdministration.administration)
            .where(m.UserAdministration.user == user)
            .tuples(),
        )
        ids = frozenset(row[0] for row in grants)
    return Actor(user.id, user.login, user.role, ids)


def resolve_actor(requested: str | None, allow_user_flag: bool) -> Actor:
    """The OS login, or --user NAME when the configuration allows it."""
    if requested and not allow_user_flag:
        raise UsageError("--user is only honoured when the configuration sets auth.allow_user_flag = true")
    login = requested or os_login()
    user = m.User.get_or_none(m.User.login == login)
    if user is None:
        raise Refused(
            "user {login} is not known to incasso; an admin runs: incasso user add {login} --role operator",
            login=login,
        )
    if not user.active:
        raise Refused(
            "user {login} is deactivated; an admin runs: incasso user activate {login}", login=login
        )
    return actor_for(user)
