"""The admin area: administrations, bank groups, bank accounts, invoice types and users.

Admins add (n) and edit (e) with forms that check as you type and store through the same
services as the CLI (same rules, same messages); Enter opens the details; 1-5 switch between
the five lists. A user without the admin role sees the lists without the changing keys (the
services refuse them anyway)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from incasso_tui.i18n import status_label, t
from incasso_tui.services import organisation as org
from incasso_tui.services import users
from incasso_tui.services.paging import Page
from screens.base import error_message
from screens.list_screen import ListScreen
from screens.modals.setup_form import notify_saved
from screens.widgets.formatting import escape, money_text, yes_no
from screens.widgets.paged_table import Column, PagedTable

# The five lists of the admin area, in the order 1-5 open them.
ADMIN_LISTS = (
    ("administrations", "Administrations"),
    ("bank_groups", "Bank groups"),
    ("bank_accounts", "Bank accounts"),
    ("invoice_types", "Invoice types"),
    ("users", "Users"),
)
CHANGING = ("new", "edit", "deactivate", "activate", "setup_wizard")
SCOPES = {"debtor": "per debtor", "invoice_type": "per invoice type"}


def tab_line(current: str) -> str:
    parts = []
    for number, (area, title) in enumerate(ADMIN_LISTS, 1):
        label = f"{number} {escape(t(title))}"
        parts.append(f"[reverse b]{label}[/]" if area == current else label)
    return " ".join(parts)  # fits 80 columns in Dutch too


class AdminListScreen(ListScreen):
    """One list of the admin area, fetched whole by its service (they are short)."""

    CSS_PATH = "../styles/admin.tcss"
    SEARCHABLE = False
    BINDINGS = [
        Binding("enter", "details", "Details", id="admin-details"),
        Binding("n", "new", "New", id="admin-new"),
        Binding("e", "edit", "Edit", id="admin-edit"),
        Binding("h", "history", "History", id="admin-history"),
        *(
            Binding(str(number), f"app.open('{area}')", title, show=False, id=f"admin-list-{number}")
            for number, (area, title) in enumerate(ADMIN_LISTS, 1)
        ),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(tab_line(self.AREA), id="admin-tabs")
        yield from super().compose_body()

    HISTORY_KIND: str | None = None  # the audit trail's kind of the rows (h: the row's history)

    def rows(self) -> list:
        raise NotImplementedError

    def list_filter(self) -> Any:
        # The admin lists show every row the user may see: bank accounts and invoice types of
        # all administrations (AdministrationCode(None)), the others take no filter.
        from incasso_tui.services.exports.sources import AdministrationCode

        return AdministrationCode() if self.EXPORT in ("bank_accounts", "invoice_types") else None

    def fetch(self, offset: int, limit: int) -> Page:
        rows = self.rows()
        return Page(rows[offset : offset + limit], len(rows), offset)

    # --- which keys apply ---------------------------------------------------------------
    def row_allows(self, action: str, row: Any) -> bool:
        """Whether `action` applies to the selected `row` (deactivate an active one …)."""
        return True

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in CHANGING and not self.incasso.actor.is_admin:
            return False  # not offered: only an admin changes the set-up
        if action == "history":
            return None if self.HISTORY_KIND is None or self.current_row() is None else True
        if action in ("edit", "details", "deactivate", "activate"):
            row = self.current_row()
            if row is not None and self.row_allows(action, row):
                return True
            # Of deactivate and activate only the one that applies is shown (80 columns).
            return False if row is not None and action in ("deactivate", "activate") else None
        return super().check_action(action, parameters)

    @on(DataTable.RowHighlighted, "#list")
    def _row_moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#list")
    def _row_selected(self) -> None:
        self.action_details()

    def on_screen_resume(self) -> None:
        self.reload()  # a form or the details may have changed a row

    # --- actions --------------------------------------------------------------------------
    def action_details(self) -> None:
        row = self.current_row()
        if row is not None:
            self.app.push_screen(self.details_screen(row))

    def details_screen(self, row: Any) -> Any:
        raise NotImplementedError

    def action_history(self) -> None:
        from screens.modals.history import open_history

        row = self.current_row()
        if row is not None and self.HISTORY_KIND is not None:
            label = getattr(row, "code", None) or getattr(row, "login", None) or row.id
            open_history(self, self.HISTORY_KIND, row.id, f"{t('History')}: {t(self.TITLE)} {label}")

    def action_new(self) -> None:
        raise NotImplementedError

    def action_edit(self) -> None:
        raise NotImplementedError


# --------------------------------------------------------------------------- administrations


class AdministrationsScreen(AdminListScreen):
    AREA = "administrations"
    EXPORT = "administrations"
    HISTORY_KIND = "administration"
    TITLE = "Administrations"
    HELP = """
# Administrations

The creditors: each has a creditor identifier (Incassant ID) and collects into its own bank
accounts. **Enter** opens an administration with its bank accounts, invoice types and mandate
settings.

An admin adds one with **n** and edits the selected one with **e**: the creditor identifier is
checked as you type (check digits; for NL also the business code and the KvK number inside it).
**d** deactivates an administration nothing uses any more (it is refused, with what still uses
it, while mandates, open orders or unsent sets do), **a** activates it again. **w** opens the
set-up wizard (organisation, administration, bank account, bank group in one go).
**1**-**5** switch between the lists of the admin area.
"""
    BINDINGS = [
        Binding("d", "deactivate", "Deactivate", id="administration-deactivate"),
        Binding("a", "activate", "Activate", id="administration-activate"),
        Binding("w", "setup_wizard", "Set-up wizard", id="administration-wizard"),
    ]

    def columns(self) -> list[Column]:
        return [
            Column("code", t("Code"), 8),
            Column("name", t("Name"), 28),
            Column("cid", t("Creditor ID"), 20),
            Column("kvk", t("KvK number"), 10),
            Column("town", t("Town"), 12),
            Column("active", t("Active"), 6),
            Column("scope", t("Mandate scope"), 12),
            Column("debtors", t("Debtors"), 7),
            Column("accounts", t("Accounts"), 5),
        ]

    def rows(self) -> list:
        return org.list_administrations(self.incasso.actor)

    def cells(self, r: org.AdministrationRow) -> tuple:
        return (
            r.code,
            r.name,
            r.creditor_id,
            r.kvk,
            r.town,
            yes_no(r.active),
            t(SCOPES.get(r.mandate_scope, r.mandate_scope)),
            str(r.debtors),
            str(r.bank_accounts),
        )

    def row_allows(self, action: str, row: Any) -> bool:
        if action == "deactivate":
            return bool(row.active)
        if action == "activate":
            return not row.active
        return True

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "setup_wizard" and self.incasso.actor.is_admin:
            # Offered to set up from nothing, or to resume a wizard left in this session.
            from screens.setup_wizard import has_draft

            table = self.query_one_optional("#list", PagedTable)
            return has_draft(self.app) or (table is not None and table.total == 0)
        return super().check_action(action, parameters)

    def details_screen(self, row: org.AdministrationRow) -> Any:
        from screens.admin_details import AdministrationDetailScreen

        return AdministrationDetailScreen(row.code)

    def action_new(self) -> None:
        from screens.modals.administration_form import AdministrationFormScreen

        self.app.push_screen(AdministrationFormScreen(), self._stored)

    def action_edit(self) -> None:
        from screens.modals.administration_form import AdministrationFormScreen

        row = self.current_row()
        if row is not None:
            self.app.push_screen(AdministrationFormScreen(row.code), self._stored)

    def _stored(self, saved: Any) -> None:
        if saved is not None:
            notify_saved(self.app, t("Administration {code} saved", code=saved.detail.code), saved)
            self.reload()

    def action_deactivate(self) -> None:
        row = self.current_row()
        if row is not None:
            from screens.admin_details import deactivate_administration

            deactivate_administration(self, row.code, self.reload)

    def action_activate(self) -> None:
        row = self.current_row()
        if row is not None:
            from screens.admin_details import activate_administration

            activate_administration(self, row.code, self.reload)

    def action_setup_wizard(self) -> None:
        from screens.setup_wizard import open_setup_wizard

        open_setup_wizard(self.incasso)


# --------------------------------------------------------------------------- bank groups


class BankGroupsScreen(AdminListScreen):
    AREA = "bank_groups"
    EXPORT = "bank_groups"
    HISTORY_KIND = "bank-group"
    TITLE = "Bank groups"
    HELP = """
# Bank groups

The bank accounts whose collections go to one bank in one file (or several, when a set holds
more transactions than the bank accepts per file). Each group has a bank profile (ABN AMRO,
ING, Rabobank, equensWorldline or other) with the bank's limits and pain versions, and may
override them. Its delivery says how a file reaches the bank: a directory the files are
copied into and/or a send command (a program with its arguments and {file}, no shell).

**Enter** shows a group with its profile's values and where they come from; an admin adds one
with **n** and edits the selected one with **e**. **1**-**5** switch between the lists of the
admin area.
"""

    def columns(self) -> list[Column]:
        return [
            Column("code", t("Code"), 8),
            Column("name", t("Name"), 20),
            Column("profile", t("Profile"), 7),
            Column("format", t("Format"), 16),
            Column("max", t("Per file"), 8),
            Column("lead", t("Lead days"), 5),
            Column("delivery", t("Delivery"), 24),
            Column("accounts", t("Accounts"), 40),
        ]

    def rows(self) -> list:
        return org.list_bank_groups(self.incasso.actor)

    def cells(self, r: org.BankGroupRow) -> tuple:
        return (
            r.code,
            r.name,
            r.profile,
            r.pain_version,
            str(r.max_per_file) if r.max_per_file else "–",
            str(r.lead_days),
            delivery_text(r.delivery_dir, r.send_command),
            " ".join(r.accounts),
        )

    def details_screen(self, row: org.BankGroupRow) -> Any:
        from screens.admin_details import BankGroupDetailScreen

        return BankGroupDetailScreen(row.code)

    def action_new(self) -> None:
        from screens.modals.bank_group_form import BankGroupFormScreen

        self.app.push_screen(BankGroupFormScreen(), self._stored)

    def action_edit(self) -> None:
        from screens.modals.bank_group_form import BankGroupFormScreen

        row = self.current_row()
        if row is not None:
            self.app.push_screen(BankGroupFormScreen(row.code), self._stored)

    def _stored(self, saved: Any) -> None:
        if saved is not None:
            notify_saved(self.app, t("Bank group {code} saved", code=saved.detail.code), saved)
            self.reload()


def delivery_text(directory: str | None, command: tuple[str, ...] | None) -> str:
    parts = [directory or "", " ".join(command) if command else ""]
    return " · ".join(p for p in parts if p) or t("none")


# --------------------------------------------------------------------------- bank accounts


class BankAccountsScreen(AdminListScreen):
    AREA = "bank_accounts"
    EXPORT = "bank_accounts"
    TITLE = "Bank accounts"
    HELP = """
# Bank accounts

The creditor accounts the collections are paid into: each belongs to an administration and is
in a bank group (the bank its files go to). The IBAN is checked as you type, the BIC derived
from it and the bank recognised; an account at another bank than its group's profile is
allowed with a warning. The contract's limits (maximum per transaction, per calendar month)
hold back an order above the first and refuse a set that would pass the second.

**Enter** shows an account; an admin adds one with **n** and edits the selected one with **e**.
**1**-**5** switch between the lists of the admin area.
"""

    def columns(self) -> list[Column]:
        return [
            Column("iban", "IBAN", 20),
            Column("bic", "BIC", 11),
            Column("bank", t("Bank"), 14),
            Column("adm", t("Adm."), 10),  # short: the column holds a code
            Column("group", t("Bank group"), 10),
            Column("per_tx", t("Max. per transaction"), 14),
            Column("per_month", t("Max. per month"), 14),
            Column("letter", t("Letter"), 10),
        ]

    def rows(self) -> list:
        return org.list_bank_accounts(self.incasso.actor)

    def cells(self, r: org.BankAccountDetail) -> tuple:
        return (
            r.iban,
            r.bic,
            r.bank_name,
            r.administration,
            r.bank_group,
            limit_text(r.max_per_transaction_cents),
            limit_text(r.max_per_month_cents),
            r.letter_template,
        )

    def details_screen(self, row: org.BankAccountDetail) -> Any:
        from screens.admin_details import BankAccountDetailScreen

        return BankAccountDetailScreen(row.iban)

    def action_new(self) -> None:
        open_bank_account_form(self, None, None, self.reload)

    def action_edit(self) -> None:
        row = self.current_row()
        if row is not None:
            open_bank_account_form(self, row.iban, row.administration, self.reload)


def limit_text(cents: int | None) -> str:
    return money_text(cents) if cents is not None else "–"


def open_bank_account_form(screen: Any, iban: str | None, administration: str | None, then: Any) -> None:
    """The bank account form, with the administrations and bank groups to choose from
    (loaded on a worker first)."""
    from screens.modals.bank_account_form import BankAccountFormScreen, GroupChoice

    def load() -> tuple[list[tuple[str, str]], list[GroupChoice]]:
        actor = screen.incasso.actor
        adms = [
            (a.code, a.name) for a in org.list_administrations(actor) if a.active or a.code == administration
        ]
        groups = [GroupChoice(g.code, g.name, g.profile) for g in org.list_bank_groups(actor)]
        return adms, groups

    def stored(saved: Any) -> None:
        if saved is not None:
            notify_saved(screen.app, t("Bank account {iban} saved", iban=saved.detail.iban), saved)
            then()

    def loaded(choices: tuple[list[tuple[str, str]], list[GroupChoice]]) -> None:
        adms, groups = choices
        screen.app.push_screen(
            BankAccountFormScreen(
                administrations=adms, groups=groups, iban=iban, administration=administration
            ),
            stored,
        )

    screen.run_service(load, then=loaded, group="admin-form")


# --------------------------------------------------------------------------- invoice types


class InvoiceTypesScreen(AdminListScreen):
    AREA = "invoice_types"
    EXPORT = "invoice_types"
    TITLE = "Invoice types"
    HELP = """
# Invoice types

The kinds of invoice of an administration (factuursoorten), each with the collection reason
its mandates and orders get by default. With the mandate scope "per debtor and invoice type"
a debtor has one mandate per invoice type.

**Enter** shows an invoice type; an admin adds one with **n** and edits the selected one with
**e** (its name and collection reason). **1**-**5** switch between the lists of the admin area.
"""

    def columns(self) -> list[Column]:
        return [
            Column("adm", t("Adm."), 8),  # short: the column holds a code
            Column("code", t("Code"), 10),
            Column("name", t("Name"), 30),
            Column("reason", t("Collection reason"), 40),
        ]

    def rows(self) -> list:
        return org.list_invoice_types(self.incasso.actor)

    def cells(self, r: org.InvoiceTypeDetail) -> tuple:
        return (r.administration, r.code, r.name, r.collection_reason)

    def details_screen(self, row: org.InvoiceTypeDetail) -> Any:
        from screens.admin_details import InvoiceTypeDetailScreen

        return InvoiceTypeDetailScreen(row)

    def action_new(self) -> None:
        open_invoice_type_form(self, None, None, self.reload)

    def action_edit(self) -> None:
        row = self.current_row()
        if row is not None:
            open_invoice_type_form(self, row, None, self.reload)


def open_invoice_type_form(
    screen: Any, current: org.InvoiceTypeDetail | None, administration: str | None, then: Any
) -> None:
    from screens.modals.invoice_type_form import InvoiceTypeFormScreen

    def stored(saved: Any) -> None:
        if saved is not None:
            d = saved.detail
            notify_saved(
                screen.app,
                t(
                    "Invoice type {code} of {administration} saved",
                    code=d.code,
                    administration=d.administration,
                ),
                saved,
            )
            then()

    def loaded(adms: list[tuple[str, str]]) -> None:
        screen.app.push_screen(
            InvoiceTypeFormScreen(administrations=adms, administration=administration, current=current),
            stored,
        )

    screen.run_service(
        lambda: [(a.code, a.name) for a in org.list_administrations(screen.incasso.actor) if a.active],
        then=loaded,
        group="admin-form",
    )


# --------------------------------------------------------------------------- users


class UsersScreen(AdminListScreen):
    AREA = "users"
    EXPORT = "users"
    HISTORY_KIND = "user"
    TITLE = "Users"
    HELP = """
# Users

Who may work, with which role, in which administrations: an admin may do everything, an
operator works with debtors, mandates, orders and sets in the administrations granted, support
staff only look. The login is the system account the user starts incasso with.

An admin adds a user with **n** and edits the selected one with **e** (role, active, the
administrations); **d** deactivates a user, **a** activates one again. **Enter** shows a user.
**1**-**5** switch between the lists of the admin area.
"""
    BINDINGS = [
        Binding("d", "deactivate", "Deactivate", id="user-deactivate"),
        Binding("a", "activate", "Activate", id="user-activate"),
    ]

    def columns(self) -> list[Column]:
        return [
            Column("login", t("Login"), 12),
            Column("name", t("Name"), 24),
            Column("role", t("Role"), 12),
            Column("active", t("Active"), 6),
            Column("adms", t("Administrations"), 30),
        ]

    def rows(self) -> list:
        return users.list_users(self.incasso.actor)

    def cells(self, r: users.UserRow) -> tuple:
        return (r.login, r.name, status_label("role", r.role), yes_no(r.active), " ".join(r.administrations))

    def row_allows(self, action: str, row: Any) -> bool:
        if action == "deactivate":
            return bool(row.active) and row.login != self.incasso.actor.login
        if action == "activate":
            return not row.active
        return True

    def details_screen(self, row: users.UserRow) -> Any:
        from screens.admin_details import UserDetailScreen

        return UserDetailScreen(row)

    def action_new(self) -> None:
        open_user_form(self, None, self.reload)

    def action_edit(self) -> None:
        row = self.current_row()
        if row is not None:
            open_user_form(self, row, self.reload)

    def action_deactivate(self) -> None:
        self._set_active(False)

    def action_activate(self) -> None:
        self._set_active(True)

    def _set_active(self, active: bool) -> None:
        row = self.current_row()
        if row is None:
            return
        from screens.base import run_refusable

        def done(_result: object) -> None:
            message = "User {login} activated" if active else "User {login} deactivated"
            self.notify(t(message, login=row.login))
            self.reload()

        run_refusable(
            self,
            users.set_active,
            self.incasso.actor,
            row.login,
            active,
            ok=done,
            refused=lambda exc: self.notify(escape(error_message(exc)), severity="error", timeout=8),
            group="user-active",
        )


def open_user_form(screen: Any, current: users.UserRow | None, then: Any) -> None:
    from screens.modals.user_form import UserFormScreen

    def stored(login: str | None) -> None:
        if login is not None:
            screen.notify(t("User {login} saved", login=login))
            then()

    def loaded(adms: list[tuple[str, str]]) -> None:
        screen.app.push_screen(UserFormScreen(administrations=adms, current=current), stored)

    screen.run_service(
        lambda: [(a.code, a.name) for a in org.list_administrations(screen.incasso.actor)],
        then=loaded,
        group="admin-form",
    )
