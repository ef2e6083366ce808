"""One debtor's mandates and orders: the mandates and orders lists, narrowed to the debtor."""

from __future__ import annotations

from incasso_tui.services.browse import (DebtorRow, MandateFilter, OrderFilter, search_mandates,
                                         search_orders)

from .mandates import MandatesScreen
from .orders import OrdersScreen


class DebtorMandatesScreen(MandatesScreen):
    AREA = "debtor-mandates"
    TITLE = "Mandates of debtor"

    def __init__(self, debtor: DebtorRow):
        super().__init__()
        self.debtor = debtor

    def fetch(self, offset: int, limit: int):
        flt = MandateFilter(search=self.search_text, status=self.status, scheme=self.scheme,
                            debtor_id=self.debtor.id, view=self.view)
        return search_mandates(self.incasso.actor, flt, offset, limit)

    def filter_text(self) -> str:
        return f"{self.debtor.number} {self.debtor.name} · " + super().filter_text()

    def action_back(self) -> None:
        self.app.pop_screen()


class DebtorOrdersScreen(OrdersScreen):
    AREA = "debtor-orders"
    TITLE = "Orders of debtor"

    def __init__(self, debtor: DebtorRow):
        super().__init__()
        self.debtor = debtor

    def fetch(self, offset: int, limit: int):
        flt = OrderFilter(search=self.search_text, status=self.status, debtor_id=self.debtor.id)
        return search_orders(self.incasso.actor, flt, offset, limit)

    def filter_text(self) -> str:
        return f"{self.debtor.number} {self.debtor.name} · " + super().filter_text()

    def action_back(self) -> None:
        self.app.pop_screen()
