"""One debtor: the debtor's details above its mandates (the "shortcut" from the debtor), and
the debtor's orders. The mandates part is the mandates list narrowed to the debtor, with all
its keys; n adds a mandate for this debtor, E edits the debtor."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from incasso_tui.i18n import status_label, t
from incasso_tui.services import debtors
from incasso_tui.services.auth import EDIT
from incasso_tui.services.browse import DebtorRow, MandateFilter, OrderFilter, search_mandates, search_orders
from screens.mandates import MandatesScreen
from screens.orders import OrdersScreen
from screens.widgets.formatting import escape


class DebtorScreen(MandatesScreen):
    AREA = "debtor"
    TITLE = "Debtor"
    HELP = """
# Debtor

The debtor's details and its mandates. **n** adds a mandate for this debtor, **E** edits the
debtor, **o** shows the debtor's orders (there **r** reverses one), **f** the debtor's
R-transactions (rejects, returns, refunds). On the selected mandate: **Enter** open, **e** edit,
**v** activate, **d** end, **r** confirm B2B registration, **p** print its form, **h** history.
"""
    BINDINGS = [
        Binding("E", "edit_debtor", "Edit debtor", id="debtor-screen-edit"),
        Binding("o", "debtor_orders", "Orders", id="debtor-screen-orders"),
        Binding("f", "debtor_feedback", "Bank feedback", id="debtor-screen-feedback"),
        Binding("H", "debtor_history", "Debtor history", id="debtor-screen-history"),  # h: the mandate's
    ]

    def __init__(self, debtor: DebtorRow):
        super().__init__()
        self.debtor = debtor
        self.detail: debtors.DebtorDetail | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(f"[b]{escape(self.debtor.number)} {escape(self.debtor.name)}[/b]", id="debtor-card")
        yield from super().compose_body()

    def on_mount(self) -> None:
        super().on_mount()
        self.load_debtor()

    def load_debtor(self) -> None:
        self.run_service(
            debtors.debtor_detail, self.incasso.actor, self.debtor.id, then=self.show_debtor, group="debtor"
        )

    def show_debtor(self, d: debtors.DebtorDetail) -> None:
        self.detail = d
        counts: dict[str, int] = {}
        for x in d.mandates:
            counts[x["status"]] = counts.get(x["status"], 0) + 1
        summary = ", ".join(f"{n} {status_label('mandate', s)}" for s, n in counts.items())
        lines = [
            (
                f"[b]{escape(d.number)} {escape(d.name)}[/b]   {d.administration}   "
                f"{t('Business') if d.is_business else t('Private')}   {t('Language')}: {d.language}"
            ),
            escape("   ".join(d.address_lines)) or t("no address"),
            f"IBAN {escape(d.iban or '–')}   BIC {escape(d.bic or '–')}   {escape(d.email)}",
            f"{t('Mandates')}: {len(d.mandates)}"
            + (f" ({summary})" if summary else "")
            + f"   {t('Open orders')}: {d.open_orders}",
        ]
        self.query_one("#debtor-card", Static).update("\n".join(lines))

    def list_filter(self) -> MandateFilter:
        return MandateFilter(
            search=self.search_text,
            status=self.status,
            scheme=self.scheme,
            debtor_id=self.debtor.id,
            view=self.view,
        )

    def fetch(self, offset: int, limit: int):
        return search_mandates(self.incasso.actor, self.list_filter(), offset, limit)

    def filter_text(self) -> str:
        return f"{self.debtor.number} {self.debtor.name} · " + super().filter_text()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("edit_debtor", "new_mandate"):
            if not self.incasso.actor.may(EDIT):
                return False
            return (
                True if self.detail and self.incasso.actor.may(EDIT, self.detail.administration_id) else None
            )
        if action in ("cycle_administration", "import_csv", "print_unprinted"):
            return False  # about all mandates, not this debtor's
        return super().check_action(action, parameters)

    def action_new_mandate(self) -> None:
        from screens.modals.mandate_form import MandateFormScreen

        self.app.push_screen(MandateFormScreen(debtor_id=self.debtor.id), self._created)

    def mandate_changed(self, mandate_id: int) -> None:
        super().mandate_changed(mandate_id)
        self.load_debtor()

    def action_edit_debtor(self) -> None:
        from screens.modals.debtor_form import DebtorFormScreen

        self.app.push_screen(DebtorFormScreen(debtor_id=self.debtor.id), self._debtor_saved)

    def _debtor_saved(self, debtor) -> None:
        if debtor is not None:
            self.notify(t("Debtor {number} saved", number=debtor.number))
            self.load_debtor()
            self.reload()  # an IBAN change shows as a pending amendment on its mandates

    def action_debtor_feedback(self) -> None:
        from screens.feedback import DebtorFeedbackScreen

        self.app.push_screen(DebtorFeedbackScreen(self.debtor))

    def action_debtor_orders(self) -> None:
        self.app.push_screen(DebtorOrdersScreen(self.debtor))

    def action_debtor_history(self) -> None:
        from screens.modals.history import open_history

        title = f"{t('History')}: {self.debtor.number} {self.debtor.name}"
        open_history(self, "debtor", self.debtor.id, title)

    def action_back(self) -> None:
        if self.searching() and self.search_text:  # as every list: text first, then leave
            self.table.focus()
            return
        self.app.pop_screen()


# The name this screen had before it showed the debtor's details.
DebtorMandatesScreen = DebtorScreen


class DebtorOrdersScreen(OrdersScreen):
    AREA = "debtor-orders"
    TITLE = "Orders of debtor"

    def __init__(self, debtor: DebtorRow):
        super().__init__()
        self.debtor = debtor

    def list_filter(self) -> OrderFilter:
        return OrderFilter(search=self.search_text, status=self.status, debtor_id=self.debtor.id)

    def fetch(self, offset: int, limit: int):
        return search_orders(self.incasso.actor, self.list_filter(), offset, limit)

    def filter_text(self) -> str:
        return f"{self.debtor.number} {self.debtor.name} · " + super().filter_text()

    def action_back(self) -> None:
        self.app.pop_screen()
