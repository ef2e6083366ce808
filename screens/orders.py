"""Collection orders with filters on status, administration and date, and search."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.services.browse import OrderFilter, OrderRow, search_orders
from incasso_tui.services.collection.orders import order_actions
from incasso_tui.services.statuses import OrderAction, OrderStatus
from screens.base import error_message
from screens.list_screen import ListScreen
from screens.order_links import ORDER_LINK_BINDINGS, OrderLinksMixin
from screens.widgets.filters import AdministrationFilterMixin, cycle
from screens.widgets.formatting import date_text, money_text
from screens.widgets.paged_table import Column

# The keys that act on the order under the cursor, and the action the orders service allows.
_KEY_ACTIONS = {
    "cancel_order": OrderAction.CANCEL,
    "handle_order": OrderAction.HANDLE,
    "process_order": OrderAction.PROCESS,
    "reverse_order": OrderAction.REVERSE,
    "collect_again": OrderAction.COLLECT_AGAIN,
    "final_order": OrderAction.MARK_FINAL,
}


def _role_actions(actor) -> frozenset[OrderAction]:
    """What the role may ever do with an order (in some status): keys outside it are hidden."""
    possible: set[OrderAction] = set()
    for status in OrderStatus:
        possible |= order_actions(actor, status, None)
    return frozenset(possible)


class OrdersScreen(OrderLinksMixin, AdministrationFilterMixin, ListScreen):
    AREA = "orders"
    TITLE = "Orders"
    SEARCH_PLACEHOLDER = "Search name, number, invoice or end-to-end id"
    EXPORT = "orders"
    HELP = """
# Collection orders

Type to search on debtor name or number, invoice number or end-to-end id.
**s** cycles the status filter, **a** the administration, **b** the bank group, **u** asks
for a "due until" date, **x** clears the filters.
**n** adds an order, **c** cancels the order under the cursor (only before it is in a file), **h** handles it
(underway → processed), **p** processes it on its own (a set of one, queued).
**r** reverses a collected order (storneren: reject, return, refund or creditor reversal, with
its reason code; only once its file was sent), **e** collects a rejected or reversed order
again (herincasso: a new order after the pre-notification period).
**f** marks the order as the final collection (FNAL) under its mandate, which ends after it,
or undoes that (only before the order is in a file).
**m** opens the order's mandate and **D** its debtor (what holds an order back); Escape comes back.
"""
    BINDINGS = [
        Binding("s", "cycle_status", "Status filter", id="orders-status"),
        Binding("a", "cycle_administration", "Administration filter", id="orders-administration"),
        Binding("x", "clear_filters", "Clear filters", id="orders-clear"),
        Binding("b", "cycle_bank_group", "Bank group filter", id="orders-bank-group"),
        Binding("u", "due_until", "Due until", id="orders-due-until"),
        Binding("n", "new_order", "New", id="orders-new"),
        Binding("c", "cancel_order", "Cancel order", id="orders-cancel"),
        Binding("h", "handle_order", "Handle", id="orders-handle"),
        Binding("p", "process_order", "Process alone", id="orders-process"),
        Binding("r", "reverse_order", "Reverse", id="orders-reverse"),
        Binding("e", "collect_again", "Collect again", id="orders-again"),
        Binding("f", "final_order", "Final collection", id="orders-final"),
        Binding("H", "order_history", "History", id="orders-history"),  # h: Handle
        *ORDER_LINK_BINDINGS,
    ]

    def selected_order_id(self) -> int | None:
        row: OrderRow | None = self.current_row()
        return row.id if row is not None else None

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None
        self.bank_group: str | None = None
        self.bank_groups: dict[str, int] = {}
        self.due_until: dt.date | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.load_administrations()
        from incasso_tui.services.organisation import list_bank_groups

        self.run_service(
            list_bank_groups,
            self.incasso.actor,
            then=lambda groups: setattr(self, "bank_groups", {g.code: g.id for g in groups}),
            group="bank-groups",
        )

    def columns(self) -> list[Column]:
        return [
            Column("id", "#", 6),
            Column("adm", t("Adm."), 6),  # short: the column holds a code
            Column("number", t("Number"), 8),
            Column("debtor", t("Debtor"), 28),
            Column("invoice", t("Invoice"), 14),
            Column("amount", t("Amount"), 12),
            Column("date", t("Requested date"), 10),
            Column("status", t("Status"), 14),
            Column("set", t("Set"), 5),
            Column("seq", t("Seq."), 5),
        ]

    def list_filter(self) -> OrderFilter:
        return OrderFilter(
            search=self.search_text,
            status=self.status,
            administration_id=self.incasso.administration_filter,
            bank_group_id=self.bank_groups.get(self.bank_group) if self.bank_group else None,
            date_to=self.due_until,
        )

    def fetch(self, offset: int, limit: int):
        return search_orders(self.incasso.actor, self.list_filter(), offset, limit)

    def cells(self, r: OrderRow) -> tuple:
        from rich.text import Text

        return (
            str(r.id),
            r.administration,
            r.debtor_number,
            r.debtor_name,
            r.invoice_number,
            Text(money_text(r.amount_cents), justify="right"),
            date_text(r.requested_date),
            status_label("order", r.status),
            str(r.set_id or ""),
            r.sequence_type or "",
        )

    def filter_text(self) -> str:
        parts = [
            f"{t('status')}: {status_label('order', self.status)}" if self.status else "",
            f"{t('Bank group')}: {self.bank_group}" if self.bank_group else "",
            f"{t('Due until')}: {self.due_until.isoformat()}" if self.due_until else "",
        ]
        return "   ".join(p for p in parts if p)

    def action_cycle_bank_group(self) -> None:
        self.bank_group = cycle(sorted(self.bank_groups), self.bank_group)
        self.reload()

    def action_due_until(self) -> None:
        from incasso_tui.services.input_rules import iso_date
        from screens.modals.prompt import PromptScreen
        from screens.modals.set_wizard import _date_error

        def entered(text: str | None) -> None:
            if text is None:
                return
            self.due_until = iso_date(text.strip(), t("Due until"))  # the prompt checked it
            self.reload()

        self.app.push_screen(
            PromptScreen(
                t("Due until"),
                t("Only orders with a requested date up to (YYYY-MM-DD; empty: all)"),
                self.due_until.isoformat() if self.due_until else "",
                check=lambda text: _date_error(text, t("Due until")),
            ),
            entered,
        )

    def action_cycle_status(self) -> None:
        self.status = cycle(status_codes("order"), self.status)
        self.reload()

    def action_clear_filters(self) -> None:
        self.status = None
        self.bank_group = None
        self.due_until = None
        self.clear_administration()
        self.reload()

    @on(DataTable.RowHighlighted, "#list")
    def _row_highlighted(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in _KEY_ACTIONS:
            if _KEY_ACTIONS[action] not in _role_actions(self.incasso.actor):
                return False  # never for this role: hidden, not dimmed
            row: OrderRow | None = self.current_row()
            if row is None:
                return None
            # From the row's status and set alone: no database access per key press.
            allowed = order_actions(self.incasso.actor, row.status, row.set_id)
            return True if _KEY_ACTIONS[action] in allowed else None
        if action == "new_order":
            return self.incasso.actor.may("edit")
        if action == "order_history":
            return None if self.current_row() is None else True
        return super().check_action(action, parameters)

    def action_order_history(self) -> None:
        from screens.modals.history import open_history

        row = self.current_row()
        if row is not None:
            open_history(self, "order", row.id, f"{t('History')}: {t('Order')} {row.id}")

    def action_new_order(self, values: dict | None = None, error: str = "") -> None:
        from incasso_tui.services.collection.orders import add_order
        from screens.modals.order_form import OrderFormScreen

        def entered(data) -> None:
            if data is None:
                return

            def store():
                try:
                    return add_order(self.incasso.actor, data), None
                except Exception as exc:
                    from incasso_tui.core.errors import IncassoError

                    if not isinstance(exc, IncassoError):
                        raise
                    return None, error_message(exc)

            def stored(result) -> None:
                added, problem = result
                if problem:
                    self.action_new_order(
                        values={
                            "administration": data.administration,
                            "debtor": data.debtor,
                            "amount": str(data.amount),
                            "date": str(data.requested_date or ""),
                            "invoice_type": data.invoice_type,
                            "invoice": data.invoice_number,
                            "text": data.remittance,
                        },
                        error=problem,
                    )
                    return
                self.notify(
                    t("Order {id} added", id=added.id) + (f" · {added.reminder}" if added.reminder else "")
                )
                self.reload()

            self.run_service(store, then=stored)

        self.app.push_screen(OrderFormScreen(error=error, values=values), entered)

    def action_reverse_order(self) -> None:
        from screens.modals.reverse_form import open_reverse_form

        row = self.current_row()
        if row is not None:
            open_reverse_form(self, row.id, then=self.reload)

    def action_collect_again(self) -> None:
        from screens.feedback import collect_again_prompt

        row = self.current_row()
        if row is not None:
            collect_again_prompt(self, row.id, then=self.reload)

    def action_final_order(self) -> None:
        """Ask first (what it does to the mandate), then mark or unmark: one service each."""
        from incasso_tui.services.collection.orders import final_state, set_order_final
        from screens.modals.confirm import ConfirmScreen

        row = self.table.current
        if row is None:
            return

        def ask(state) -> None:
            if state.refused:
                self.notify(
                    error_message(state.refusal) if state.refusal else state.refused, severity="warning"
                )
                return
            if state.final:
                title = t("Order {id} is the final collection", id=state.order_id)
                message = t(
                    "Order {id} is the final collection (FNAL) of mandate {mandate}. Undo that? "
                    "The mandate then stays in force after it.",
                    id=state.order_id,
                    mandate=state.mandate,
                )
            else:
                title = t("Final collection of order {id}", id=state.order_id)
                message = t(
                    "Make order {id} the final collection (FNAL) of mandate {mandate}? The mandate "
                    "ends after it has been collected; later orders under it are held back.",
                    id=state.order_id,
                    mandate=state.mandate,
                )

            def answered(yes: bool | None) -> None:
                if yes:
                    self.run_service(
                        set_order_final,
                        self.incasso.actor,
                        state.order_id,
                        not state.final,
                        then=lambda done: self._done(
                            t(
                                "Order {id} is the final collection of mandate {mandate}",
                                id=done.order_id,
                                mandate=done.mandate,
                            )
                            if done.final
                            else t("Order {id} is no longer the final collection", id=done.order_id)
                        ),
                    )

            self.app.push_screen(ConfirmScreen(title, message), answered)

        self.run_service(final_state, self.incasso.actor, row.id, then=ask)

    def action_cancel_order(self) -> None:
        from incasso_tui.services.collection.orders import cancel_order

        row = self.table.current
        if row is not None:
            self.run_service(
                cancel_order,
                self.incasso.actor,
                row.id,
                then=lambda _r: self._done(t("Order {id} cancelled", id=row.id)),
            )

    def action_handle_order(self) -> None:
        from incasso_tui.services.collection.orders import handle_orders

        row = self.table.current
        if row is not None:
            self.run_service(
                handle_orders,
                self.incasso.actor,
                [row.id],
                then=lambda n: self._done(t("{n} orders handled", n=n)),
            )

    def action_process_order(self) -> None:
        from incasso_tui.services.collection.processing import process_single_order

        row = self.table.current
        if row is not None:
            self.run_service(
                process_single_order,
                self.incasso.actor,
                row.id,
                outbox_dir=self.incasso.session.config.outbox_dir,
                then=lambda r: self._done(
                    t("Order {id}: set {set}, job {job}", id=row.id, set=r[0].id, job=r[1])
                ),
            )

    def _done(self, message: str) -> None:
        """After an action on the order: say what happened, show the list as it is now."""
        self.notify(message)
        self.reload()
