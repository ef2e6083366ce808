"""Admin: administrations, bank groups and users with their rights."""

from __future__ import annotations

from incasso_tui.i18n import status_label, t
from incasso_tui.services.organisation import list_administrations, list_bank_groups
from incasso_tui.services.paging import Page
from incasso_tui.services.users import list_users
from screens.list_screen import ListScreen
from screens.widgets.formatting import yes_no
from screens.widgets.paged_table import Column


class _SmallList(ListScreen):
    """Short lists, fetched whole by the service and shown as one page."""

    SEARCHABLE = False

    def rows(self) -> list:
        raise NotImplementedError

    def fetch(self, offset: int, limit: int) -> Page:
        rows = self.rows()
        return Page(rows[offset : offset + limit], len(rows), offset)


class AdministrationsScreen(_SmallList):
    AREA = "administrations"
    TITLE = "Administrations"
    HELP = "# Administrations\n\nThe creditors, with their creditor identifier and settings."

    def columns(self) -> list[Column]:
        return [
            Column("code", t("Code"), 6),
            Column("name", t("Name"), 30),
            Column("cid", t("Creditor ID"), 20),
            Column("town", t("Town"), 12),
            Column("scope", t("Mandate scope"), 12),
            Column("auto", t("Auto-create mandates"), 6),
            Column("act", t("Activate immediately"), 6),
            Column("policy", t("Sequence policy"), 12),
            Column("debtors", t("Debtors"), 7),
            Column("accounts", t("Accounts"), 5),
        ]

    def rows(self) -> list:
        return list_administrations(self.incasso.actor)

    def cells(self, r) -> tuple:
        return (
            r.code,
            r.name,
            r.creditor_id,
            r.town,
            r.mandate_scope,
            yes_no(r.auto_create_mandates),
            yes_no(r.activate_immediately),
            r.sequence_policy,
            str(r.debtors),
            str(r.bank_accounts),
        )


class BankGroupsScreen(_SmallList):
    AREA = "bank_groups"
    TITLE = "Bank groups"
    HELP = "# Bank groups\n\nBank accounts collected together into one file for one bank."

    def columns(self) -> list[Column]:
        return [
            Column("code", t("Code"), 6),
            Column("name", t("Name"), 20),
            Column("format", t("Format"), 16),
            Column("lead", t("Lead days"), 5),
            Column("accounts", t("Accounts"), 50),
        ]

    def rows(self) -> list:
        return list_bank_groups(self.incasso.actor)

    def cells(self, r) -> tuple:
        return (r.code, r.name, r.pain_version, str(r.lead_days), " ".join(r.accounts))


class UsersScreen(_SmallList):
    AREA = "users"
    TITLE = "Users"
    HELP = (
        "# Users\n\nWho may work, with which role, in which administrations. Add users and "
        "rights with `incasso user add` and `incasso user grant`."
    )

    def columns(self) -> list[Column]:
        return [
            Column("login", t("Login"), 12),
            Column("name", t("Name"), 24),
            Column("role", t("Role"), 12),
            Column("active", "", 4),
            Column("adms", t("Administrations"), 30),
        ]

    def rows(self) -> list:
        return list_users(self.incasso.actor)

    def cells(self, r) -> tuple:
        return (r.login, r.name, status_label("role", r.role), yes_no(r.active), " ".join(r.administrations))
