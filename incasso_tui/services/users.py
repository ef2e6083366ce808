"""Users and their rights per administration (admin only, except listing oneself)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from incasso_tui.core.errors import NotFound, Refused, ValidationError
from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.db.statuses import Role
from incasso_tui.services import audit
from incasso_tui.services.auth import ADMIN, ROLES, Actor
from incasso_tui.services.input_rules import text

_LOGIN = re.compile(r"^[a-z_][a-z0-9_.-]{0,63}$", re.IGNORECASE)


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    name: str
    role: str
    active: bool
    administrations: tuple[str, ...]  # codes; ("*",) for admins

    def as_dict(self) -> dict:
        return {
            "login": self.login,
            "name": self.name,
            "role": self.role,
            "active": self.active,
            "administrations": list(self.administrations),
        }


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError("role", "must be one of {ROLES}", role, ROLES=", ".join(ROLES))
    return role


def add_user(actor: Actor, login: str, role: str, name: str = "") -> m.User:
    actor.require(ADMIN, what="users")
    if not _LOGIN.fullmatch(login or ""):
        raise ValidationError("login", "letters, digits, _ . - (a system login name), at most 64", login)
    _check_role(role)
    name = text(name, "name", 140)
    with database.atomic():
        if m.User.get_or_none(m.User.login == login):
            raise Refused("user {login} already exists", login=login)
        user = m.User.create(login=login, role=role, name=name)
        audit.record(actor, "user.add", user, summary=f"{login} as {role}")
    return user


def _user(login: str) -> m.User:
    user = m.User.get_or_none(m.User.login == login)
    if user is None:
        raise NotFound("user {login} does not exist (see: incasso user list)", login=login)
    return user


def _administrations(codes: list[str]) -> list[m.Administration]:
    found = {a.code: a for a in m.Administration.select().where(m.Administration.code.in_(codes))}
    missing = [c for c in codes if c not in found]
    if missing:
        raise NotFound(
            "administration {missing} does not exist (see: incasso administration list)",
            missing=", ".join(missing),
        )
    return [found[c] for c in codes]


def grant(actor: Actor, login: str, codes: list[str]) -> list[str]:
    """Give `login` rights on the administrations `codes`; returns the codes newly granted."""
    actor.require(ADMIN, what="rights")
    user = _user(login)
    added = []
    with database.atomic():
        for adm in _administrations(codes):
            _, created = m.UserAdministration.get_or_create(user=user, administration=adm)
            if created:
                added.append(adm.code)
                audit.record(
                    actor, "user.grant", user, administration_id=adm.id, summary=f"{login} may use {adm.code}"
                )
    return added


def revoke(actor: Actor, login: str, codes: list[str]) -> list[str]:
    actor.require(ADMIN, what="rights")
    user = _user(login)
    removed = []
    with database.atomic():
        for adm in _administrations(codes):
            n = (
                m.UserAdministration.delete()
                .where((m.UserAdministration.user == user) & (m.UserAdministration.administration == adm))
                .execute()
            )
            if n:
                removed.append(adm.code)
                audit.record(
                    actor,
                    "user.revoke",
                    user,
                    administration_id=adm.id,
                    summary=f"{login} may no longer use {adm.code}",
                )
    return removed


def set_role(actor: Actor, login: str, role: str) -> None:
    actor.require(ADMIN, what="users")
    user = _user(login)
    _check_role(role)
    if user.id == actor.user_id and role != Role.ADMIN:
        raise Refused("you cannot take the admin role from yourself; another admin must do it")
    with database.atomic():
        audit.record(actor, "user.role", user, changes={"role": (user.role, role)})
        user.role = role
        user.save()


def set_active(actor: Actor, login: str, active: bool) -> None:
    actor.require(ADMIN, what="users")
    user = _user(login)
    if user.id == actor.user_id and not active:
        raise Refused("you cannot deactivate yourself")
    with database.atomic():
        audit.record(
            actor,
            "user.activate" if active else "user.deactivate",
            user,
            changes={"active": (user.active, active)},
        )
        user.active = active
        user.save()


def list_users(actor: Actor) -> list[UserRow]:
    """Admins see everyone; other users see only themselves."""
    query = m.User.select().order_by(m.User.login)
    if not actor.is_admin:
        query = query.where(m.User.id == actor.user_id)
    grants: dict[int, list[str]] = {}
    rows = cast(
        "Iterable[tuple[int, str]]",
        m.UserAdministration.select(m.UserAdministration.user, m.Administration.code)
        .join(m.Administration)
        .order_by(m.Administration.code)
        .tuples(),
    )
    for user_id, code in rows:
        grants.setdefault(user_id, []).append(code)
    return [
        UserRow(
            u.id,
            u.login,
            u.name,
            u.role,
            u.active,
            ("*",) if u.role == Role.ADMIN else tuple(grants.get(u.id, ())),
        )
        for u in query
    ]
