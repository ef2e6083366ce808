"""Collection orders with filters on status, administration and date, and search."""

from __future__ import annotations

from textual.binding import Binding

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.services.browse import OrderFilter, OrderRow, search_orders

from .filters import AdministrationFilterMixin, cycle
from .formatting import date_text, money_text
from .list_screen import ListScreen
from .paged_table import Column


class OrdersScreen(AdministrationFilterMixin, ListScreen):
    AREA = "orders"
    TITLE = "Orders"
    SEARCH_PLACEHOLDER = "Search name, number, invoice or end-to-end id"
    HELP = """
# Collection orders

Type to search on debtor name or number, invoice number or end-to-end id.
**s** cycles the status filter, **a** the administration, **x** clears the filters.
"""
    BINDINGS = [
        Binding("s", "cycle_status", t("Status filter"), id="orders-status"),
        Binding("a", "cycle_administration", t("Administration filter"), id="orders-administration"),
        Binding("x", "clear_filters", t("Clear filters"), id="orders-clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.load_administrations()

    def columns(self) -> list[Column]:
        return [Column("id", "#", 6), Column("adm", t("Administration"), 6),
                Column("number", t("Number"), 8), Column("debtor", t("Debtor"), 28),
                Column("invoice", t("Invoice"), 14), Column("amount", t("Amount"), 12),
                Column("date", t("Requested date"), 10), Column("status", t("Status"), 14),
                Column("set", t("Set"), 5), Column("seq", t("Seq."), 5)]

    def fetch(self, offset: int, limit: int):
        flt = OrderFilter(search=self.search_text, status=self.status,
                          administration_id=self.incasso.administration_filter)
        return search_orders(self.incasso.actor, flt, offset, limit)

    def cells(self, r: OrderRow) -> tuple:
        from rich.text import Text

        return (str(r.id), r.administration, r.debtor_number, r.debtor_name, r.invoice_number,
                Text(money_text(r.amount_cents), justify="right"), date_text(r.requested_date),
                status_label("order", r.status), str(r.set_id or ""), r.sequence_type or "")

    def filter_text(self) -> str:
        return f"{t('status')}: {status_label('order', self.status)}" if self.status else ""

    def action_cycle_status(self) -> None:
        self.status = cycle(status_codes("order"), self.status)
        self.reload()

    def action_clear_filters(self) -> None:
        self.status = None
        self.incasso.administration_filter = None
        self.incasso.remember(administration_filter=None)
        self.query_one("AppHeader").refresh_text()
        self.reload()
