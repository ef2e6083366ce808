"""The details of one thing in the admin area: an administration (with its bank accounts,
invoice types and mandate settings as tabs), a bank group (with its profile's values and
where they come from), a bank account, an invoice type, a user. `e` edits it (admins)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from incasso_tui.i18n import status_label, t
from incasso_tui.services import organisation as org
from incasso_tui.services import users
from incasso_tui.services.auth import Actor
from incasso_tui.services.mandates.settings import MandateSettings, mandate_settings
from screens.admin import limit_text, open_bank_account_form, open_invoice_type_form, open_user_form
from screens.base import AreaScreen, error_message, run_refusable
from screens.modals.mandate_settings_form import SCOPE_LABELS
from screens.modals.setup_form import notify_saved
from screens.widgets.formatting import escape, yes_no
from screens.widgets.paged_table import SafeTable

# The sequence type policies of sepa/sequence.py (POLICIES), as the detail shows them.
SEQUENCE_POLICIES = {"frst_first": "first FRST, then RCUR", "always_rcur": "always RCUR"}


def facts_text(pairs: list[tuple[str, str]], width: int = 0) -> str:
    """Label/value lines as markup, the values in one column (at least `width` on); the
    values (stored text) escaped."""
    width = max([width, *(len(label) for label, _value in pairs)])
    return "\n".join(f"[dim]{escape(label):<{width}}[/dim]  {escape(value)}" for label, value in pairs)


class AdminDetailScreen(AreaScreen):
    CSS_PATH = "../styles/admin.tcss"
    BINDINGS = [Binding("e", "edit", "Edit", id="admin-detail-edit")]
    CHANGING: tuple[str, ...] = ("edit",)

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="admin-detail"):
            yield Static(t("Loading…"), id="detail-title", classes="detail-title")
            yield Static("", id="detail-facts")

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        raise NotImplementedError

    def show_facts(self, title: str, pairs: list[tuple[str, str]], more: str = "", width: int = 0) -> None:
        """The title line and the label/value lines (`more`: markup shown below them)."""
        self.incasso.mark_first_screen()
        self.query_one("#detail-title", Static).update(f"[b]{escape(title)}[/b]")
        self.query_one("#detail-facts", Static).update(
            facts_text(pairs, width) + (f"\n{more}" if more else "")
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in self.CHANGING:
            return self.incasso.actor.is_admin  # not offered to others
        return super().check_action(action, parameters)

    def refused(self, error: Exception) -> None:
        self.notify(escape(error_message(error)), severity="error", timeout=10)


# --------------------------------------------------------------------------- administration


@dataclass(frozen=True)
class AdministrationView:
    detail: org.AdministrationDetail
    accounts: list[org.BankAccountDetail]
    invoice_types: list[org.InvoiceTypeDetail]
    settings: MandateSettings


def load_administration(actor: Actor, code: str) -> AdministrationView:
    return AdministrationView(
        org.show_administration(actor, code),
        org.list_bank_accounts(actor, code),
        org.list_invoice_types(actor, code),
        mandate_settings(actor, code),
    )


class AdministrationDetailScreen(AdminDetailScreen):
    AREA = "administration"
    TITLE = "Administration"
    HELP = """
# Administration

One administration (creditor) in four tabs: its details, its bank accounts, its invoice types
and its mandate settings (scope, automatic creation and activation, reference format,
collection reason, pre-notification, the mandate form's texts). Left/right or a click switch
tabs; **Enter** on an account or invoice type opens it.

An admin edits the administration with **e** and its mandate settings with **m**, adds a bank
account with **b** and an invoice type with **i**. **d** deactivates it (refused, with what
still uses it, while mandates, open orders or unsent sets do); **a** activates it again.
"""
    BINDINGS = [
        Binding("m", "mandate_settings", "Mandate settings", id="administration-settings"),
        Binding("b", "new_account", "New bank account", id="administration-new-account"),
        Binding("i", "new_invoice_type", "New invoice type", id="administration-new-type"),
        Binding("d", "deactivate", "Deactivate", id="administration-detail-deactivate"),
        Binding("a", "activate", "Activate", id="administration-detail-activate"),
    ]
    CHANGING = ("edit", "mandate_settings", "new_account", "new_invoice_type", "deactivate", "activate")

    def __init__(self, code: str):
        super().__init__()
        self.code = code
        self.view: AdministrationView | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(t("Loading…"), id="detail-title", classes="detail-title")
        with TabbedContent(id="administration-tabs"):
            with TabPane(t("Administration"), id="tab-details"):
                yield VerticalScroll(Static("", id="detail-facts"))
            with TabPane(t("Bank accounts"), id="tab-accounts"):
                yield SafeTable(id="administration-accounts", cursor_type="row", zebra_stripes=True)
            with TabPane(t("Invoice types"), id="tab-types"):
                yield SafeTable(id="administration-types", cursor_type="row", zebra_stripes=True)
            with TabPane(t("Mandate settings"), id="tab-settings"):
                yield VerticalScroll(Static("", id="administration-settings"))

    def on_mount(self) -> None:
        self.query_one("#administration-accounts", DataTable).add_columns(
            "IBAN", "BIC", t("Bank"), t("Bank group"), t("Max. per transaction"), t("Max. per month")
        )
        self.query_one("#administration-types", DataTable).add_columns(
            t("Code"), t("Name"), t("Collection reason")
        )
        super().on_mount()

    def load(self) -> None:
        self.run_service(load_administration, self.incasso.actor, self.code, then=self.show, group="detail")

    def show(self, view: AdministrationView) -> None:
        self.view = view
        d = view.detail
        address = " ".join(x for x in (d.street, d.building_number) if x)
        town = " ".join(x for x in (d.postcode, d.town) if x)
        self.show_facts(
            f"{d.code}  {d.name}" + ("" if d.active else "  (" + t("inactive") + ")"),
            [
                (t("Code"), d.code),
                (t("Name"), d.name),
                (t("Creditor ID"), d.creditor_id),
                (t("KvK number"), d.kvk or "–"),
                (t("Address"), ", ".join(x for x in (address, town, d.country) if x) or "–"),
                (t("Active"), yes_no(d.active)),
                (t("Sequence policy"), t(SEQUENCE_POLICIES.get(d.sequence_policy, d.sequence_policy))),
                (t("Debtors"), str(d.debtors)),
                (t("Mandates"), str(d.mandates)),
                (t("Bank accounts"), " ".join(d.bank_accounts) or t("none yet: add one with b")),
                (t("Invoice types"), " ".join(d.invoice_types) or "–"),
                (t("Creditor change to report"), str(d.creditor_amendments_pending)),
            ],
        )
        accounts = self.query_one("#administration-accounts", DataTable)
        accounts.clear()
        for a in view.accounts:
            accounts.add_row(
                a.iban,
                a.bic,
                a.bank_name,
                a.bank_group,
                limit_text(a.max_per_transaction_cents),
                limit_text(a.max_per_month_cents),
                key=a.iban,
            )
        types = self.query_one("#administration-types", DataTable)
        types.clear()
        for it in view.invoice_types:
            types.add_row(it.code, it.name, it.collection_reason, key=it.code)
        s = view.settings
        self.query_one("#administration-settings", Static).update(
            facts_text(
                [
                    (t("Mandate scope"), t(SCOPE_LABELS.get(s.scope, s.scope))),
                    (t("Auto-create mandates"), yes_no(s.auto_create)),
                    (t("Activate immediately"), yes_no(s.activate_immediately)),
                    (t("Reference format"), s.reference_format),
                    (t("Collection reason"), s.collection_reason or "–"),
                    (t("Pre-notification days"), str(s.pre_notification_days)),
                    (t("Notice margin days"), str(s.notice_margin_days)),
                    (
                        t("Form texts"),
                        t("the mandate form's texts are overridden")
                        if s.form_texts_overridden
                        else t("built-in texts"),
                    ),
                ]
            )
            + ("\n\n" + t("m: change the mandate settings") if self.incasso.actor.is_admin else "")
        )

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed or action not in ("deactivate", "activate", "new_account", "new_invoice_type"):
            return allowed
        if self.view is None:
            return None
        active = self.view.detail.active
        if action == "activate":
            return not active
        if action == "deactivate":
            return bool(active)
        return True if active else None

    # --- actions --------------------------------------------------------------------------
    def action_edit(self) -> None:
        from screens.modals.administration_form import AdministrationFormScreen

        def stored(saved: Any) -> None:
            if saved is not None:
                notify_saved(self.app, t("Administration {code} saved", code=saved.detail.code), saved)

        self.app.push_screen(AdministrationFormScreen(self.code), stored)

    def action_mandate_settings(self) -> None:
        from screens.modals.mandate_settings_form import MandateSettingsFormScreen

        if self.view is None:
            return
        self.query_one(TabbedContent).active = "tab-settings"

        def stored(result: Any) -> None:
            if result is not None:
                self.notify(t("Mandate settings of {code} saved", code=self.code))

        self.app.push_screen(MandateSettingsFormScreen(self.view.settings), stored)

    def action_new_account(self) -> None:
        self.query_one(TabbedContent).active = "tab-accounts"
        open_bank_account_form(self, None, self.code, self.load)

    def action_new_invoice_type(self) -> None:
        self.query_one(TabbedContent).active = "tab-types"
        open_invoice_type_form(self, None, self.code, self.load)

    def action_deactivate(self) -> None:
        deactivate_administration(self, self.code, self.load)

    def action_activate(self) -> None:
        activate_administration(self, self.code, self.load)

    @on(DataTable.RowSelected, "#administration-accounts")
    def _open_account(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.push_screen(BankAccountDetailScreen(str(event.row_key.value)))

    @on(DataTable.RowSelected, "#administration-types")
    def _open_type(self, event: DataTable.RowSelected) -> None:
        if self.view is None:
            return
        found = next((it for it in self.view.invoice_types if it.code == event.row_key.value), None)
        if found is not None:
            self.app.push_screen(InvoiceTypeDetailScreen(found))


def deactivate_administration(screen: Any, code: str, then: Callable[[], object]) -> None:
    """Ask, then deactivate; a refusal (still in use) names what uses it."""
    from screens.modals.confirm import ConfirmScreen

    def done(_saved: object) -> None:
        screen.notify(t("Administration {code} deactivated", code=code))
        then()

    def answered(yes: bool | None) -> None:
        if yes:
            run_refusable(
                screen,
                org.deactivate_administration,
                screen.incasso.actor,
                code,
                ok=done,
                refused=lambda exc: screen.notify(escape(error_message(exc)), severity="error", timeout=12),
                group="administration-active",
            )

    screen.app.push_screen(
        ConfirmScreen(
            t("Deactivate administration {code}", code=code),
            t("It is refused while mandates, open orders or unsent sets still use it. Deactivate?"),
            default_yes=False,
        ),
        answered,
    )


def activate_administration(screen: Any, code: str, then: Callable[[], object]) -> None:
    def done(_saved: object) -> None:
        screen.notify(t("Administration {code} activated", code=code))
        then()

    run_refusable(
        screen,
        org.activate_administration,
        screen.incasso.actor,
        code,
        ok=done,
        refused=lambda exc: screen.notify(escape(error_message(exc)), severity="error", timeout=12),
        group="administration-active",
    )


# --------------------------------------------------------------------------- bank group

PROFILE_VALUE_LABELS = {
    "max_per_file": "Maximum per file",
    "pain_versions": "Pain versions",
    "default_pain": "Default pain version",
    "b2b": "B2B offered",
    "lead_days": "Lead days",
    "bank_codes": "Bank codes",
}


def profile_value_text(value: object) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value) or "–"
    return "–" if value is None else str(value)


class BankGroupDetailScreen(AdminDetailScreen):
    AREA = "bank_group"
    TITLE = "Bank group"
    HELP = """
# Bank group

One bank group: its bank profile, what it overrides of it, its delivery (directory and/or send
command) and initiating party (the organisation that submits the files), the accounts in it,
and below, every value of its profile with where it comes from. An admin edits it with **e**.
"""

    def __init__(self, code: str):
        super().__init__()
        self.code = code

    def load(self) -> None:
        def fetch() -> tuple[org.BankGroupDetail, org.BankProfileInfo]:
            detail = org.show_bank_group(self.incasso.actor, self.code)
            return detail, org.bank_profile(detail.profile)

        self.run_service(fetch, then=self.show, group="detail")

    def show(self, loaded: tuple[org.BankGroupDetail, org.BankProfileInfo]) -> None:
        d, profile = loaded
        own = t("own value") if d.max_per_file is not None else t("the profile's")
        per_file = f"{d.max_per_file_applied} ({own})" if d.max_per_file_applied else t("no maximum")
        values = [(t(PROFILE_VALUE_LABELS.get(v.name, v.name)), v) for v in profile.values]
        pairs = [
            (t("Code"), d.code),
            (t("Name"), d.name),
            (t("Bank profile"), f"{d.profile} – {d.profile_name}"),
            (t("Pain version"), d.pain_version),
            (t("Maximum per file"), per_file),
            (t("Lead days"), str(d.lead_days)),
            (t("Delivery directory"), d.delivery_dir or "–"),
            (t("Send command"), " ".join(d.send_command) if d.send_command else "–"),
            (t("Initiating party"), d.initiating_party or t("the organisation's name")),
            (t("Bank accounts"), " ".join(d.accounts) or "–"),
        ]
        width = max(len(label) for label, _v in [*pairs, *values])
        heading = t("Profile {code}: {name}", code=profile.code, name=profile.name)
        lines = [
            f"\n[b]{escape(heading)}[/b]",
            *(
                f"[dim]{escape(label):<{width}}[/dim]  {escape(profile_value_text(v.value))}  "
                f"[dim]({escape(v.source)})[/dim]"
                for label, v in values
            ),
        ]
        self.show_facts(f"{d.code}  {d.name}", pairs, "\n".join(lines), width)

    def action_edit(self) -> None:
        from screens.modals.bank_group_form import BankGroupFormScreen

        def stored(saved: Any) -> None:
            if saved is not None:
                notify_saved(self.app, t("Bank group {code} saved", code=saved.detail.code), saved)

        self.app.push_screen(BankGroupFormScreen(self.code), stored)


# --------------------------------------------------------------------------- bank account


class BankAccountDetailScreen(AdminDetailScreen):
    AREA = "bank_account"
    TITLE = "Bank account"
    HELP = """
# Bank account

One creditor bank account: its administration and bank group, the bank recognised from the
IBAN, what its instruction letter carries and the contract's limits. An admin edits it with
**e**.
"""

    def __init__(self, iban: str):
        super().__init__()
        self.iban = iban
        self.administration: str | None = None

    def load(self) -> None:
        self.run_service(org.show_bank_account, self.incasso.actor, self.iban, then=self.show, group="detail")

    def show(self, d: org.BankAccountDetail) -> None:
        self.administration = d.administration
        self.show_facts(
            d.iban,
            [
                ("IBAN", d.iban),
                ("BIC", d.bic or "–"),
                (t("Bank"), d.bank_name or "–"),
                (t("Bank recognised"), d.recognised_profile or "–"),
                (t("Administration"), d.administration),
                (t("Bank group"), d.bank_group),
                (t("Letter template"), d.letter_template),
                (t("Contact"), d.contact or "–"),
                (t("Signatories"), "; ".join(d.signatories) or "–"),
                (t("Max. per transaction"), limit_text(d.max_per_transaction_cents)),
                (t("Max. per month"), limit_text(d.max_per_month_cents)),
                (t("Active"), yes_no(d.active)),
            ],
        )

    def action_edit(self) -> None:
        open_bank_account_form(self, self.iban, self.administration, self.load)


# --------------------------------------------------------------------------- invoice type


class InvoiceTypeDetailScreen(AdminDetailScreen):
    AREA = "invoice_type"
    TITLE = "Invoice type"
    HELP = """
# Invoice type

One invoice type of an administration, with the collection reason its mandates and orders
get by default. An admin edits its name and collection reason with **e**.
"""

    def __init__(self, row: org.InvoiceTypeDetail):
        super().__init__()
        self.row = row

    def load(self) -> None:
        row = self.row

        def fetch() -> org.InvoiceTypeDetail:
            found = org.list_invoice_types(self.incasso.actor, row.administration)
            return next((it for it in found if it.code == row.code), row)

        self.run_service(fetch, then=self.show, group="detail")

    def show(self, row: org.InvoiceTypeDetail) -> None:
        self.row = row
        self.show_facts(
            f"{row.administration} {row.code}  {row.name}",
            [
                (t("Administration"), row.administration),
                (t("Code"), row.code),
                (t("Name"), row.name),
                (t("Collection reason"), row.collection_reason or "–"),
            ],
        )

    def action_edit(self) -> None:
        open_invoice_type_form(self, self.row, None, self.load)


# --------------------------------------------------------------------------- user


class UserDetailScreen(AdminDetailScreen):
    AREA = "user"
    TITLE = "User"
    HELP = """
# User

One user: role, whether they may start incasso, and the administrations they work in. An
admin edits the role, active and administrations with **e**.
"""

    def __init__(self, row: users.UserRow):
        super().__init__()
        self.row = row

    def load(self) -> None:
        login = self.row.login

        def fetch() -> users.UserRow:
            return next((u for u in users.list_users(self.incasso.actor) if u.login == login), self.row)

        self.run_service(fetch, then=self.show, group="detail")

    def show(self, row: users.UserRow) -> None:
        self.row = row
        self.show_facts(
            f"{row.login}  {row.name}",
            [
                (t("Login"), row.login),
                (t("Name"), row.name or "–"),
                (t("Role"), status_label("role", row.role)),
                (t("Active"), yes_no(row.active)),
                (
                    t("Administrations"),
                    t("all") if "*" in row.administrations else " ".join(row.administrations) or "–",
                ),
            ],
        )

    def action_edit(self) -> None:
        open_user_form(self, self.row, self.load)
