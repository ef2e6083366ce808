"""A user, new or edited: login and name (new), role, active, and the administrations a
non-admin may work in. Stored with the functions `incasso user add/role/active/grant/revoke`
use, in that order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, SelectionList

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.services import users
from incasso_tui.services.auth import Actor
from incasso_tui.services.users import UserRow
from screens.modals.form_base import FormScreen

ADMIN_ROLE = "admin"


def save_user(
    actor: Actor, login: str, name: str, role: str, active: bool, codes: list[str], current: UserRow | None
) -> str:
    """Add the user or change what differs from `current`; returns the login."""
    if current is None:
        users.add_user(actor, login, role, name)
        if codes and role != ADMIN_ROLE:
            users.grant(actor, login, codes)
        return login
    if role != current.role:
        users.set_role(actor, login, role)
    if active != current.active:
        users.set_active(actor, login, active)
    if role != ADMIN_ROLE:
        had = [code for code in current.administrations if code != "*"]
        added = [code for code in codes if code not in had]
        removed = [code for code in had if code not in codes]
        if added:
            users.grant(actor, login, added)
        if removed:
            users.revoke(actor, login, removed)
    return login


class UserFormScreen(FormScreen):
    FIELD_KEYS = {"login": "login", "name": "name", "role": "role"}

    def __init__(self, *, administrations: list[tuple[str, str]], current: UserRow | None = None):
        super().__init__()
        self.administrations = administrations
        self.current = current

    def form_title(self) -> str:
        return t("Edit user {login}", login=self.current.login) if self.current else t("New user")

    def compose_fields(self) -> ComposeResult:
        current = self.current
        yield from self.row(
            "login",
            "Login",
            Input(current.login if current else "", max_length=64, disabled=current is not None),
            "" if current else t("the system login name the user starts incasso with"),
        )
        yield from self.row(
            "name",
            "Name",
            Input(current.name if current else "", max_length=140, disabled=current is not None),
        )
        yield from self.row(
            "role",
            "Role",
            Select(
                [(status_label("role", code), code) for code in status_codes("role")],
                value=current.role if current else "operator",
                allow_blank=False,
            ),
            t("admin: everything; operator: debtors, mandates, orders, sets; support: read only"),
        )
        if current is not None:
            yield from self.row("active", "Active", Checkbox(t("may start incasso"), current.active))
        granted = set(current.administrations) if current else set()
        yield from self.row(
            "administrations",
            "Administrations",
            SelectionList[str](
                *[(f"{code} – {name}", code, code in granted) for code, name in self.administrations]
            ),
            t("where a non-admin may work (Space selects)"),
        )

    def on_mount(self) -> None:
        self._role_changed()
        self.field("role" if self.current else "login").focus()

    @on(Select.Changed, "#f-role")
    def _role_changed(self) -> None:
        admin = self.field("role").value == ADMIN_ROLE
        self.field("administrations").disabled = admin
        self.note(
            "administrations",
            t("an admin works in every administration")
            if admin
            else t("where a non-admin may work (Space selects)"),
        )

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        role = self.field("role").value
        active = self.field("active").value if self.current is not None else True
        codes = list(self.field("administrations").selected)
        return save_user, (
            self.incasso.actor,
            self.value("login"),
            self.value("name"),
            role if isinstance(role, str) else "",
            bool(active),
            codes,
            self.current,
        )
