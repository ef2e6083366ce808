"""From an order (held back, or open in the orders list) one key to what it hangs on:
m its mandate, D its debtor. Escape comes back (the screen is pushed)."""

from __future__ import annotations

from textual.binding import Binding

from incasso_tui.i18n import t
from incasso_tui.services.browse import OrderLinks, order_links

ORDER_LINK_BINDINGS = [
    Binding("m", "order_mandate", "Mandate", id="order-link-mandate"),
    Binding("D", "order_debtor", "Debtor", id="order-link-debtor"),
]
ORDER_LINK_ACTIONS = ("order_mandate", "order_debtor")


class OrderLinksMixin:
    """For a screen with run_service and a selected order; it says which order."""

    def selected_order_id(self) -> int | None:
        raise NotImplementedError

    def action_order_mandate(self) -> None:
        self._follow(self._open_mandate)

    def action_order_debtor(self) -> None:
        self._follow(self._open_debtor)

    def _follow(self, then) -> None:
        order_id = self.selected_order_id()
        if order_id is not None:
            self.run_service(order_links, self.incasso.actor, order_id, then=then)  # type: ignore[attr-defined]

    def _open_mandate(self, links: OrderLinks) -> None:
        from screens.mandate_detail import MandateDetailScreen

        if links.mandate_id is None:
            self.notify(t("Order {id} has no mandate", id=links.order_id), severity="warning")  # type: ignore[attr-defined]
            return
        self.app.push_screen(MandateDetailScreen(links.mandate_id))  # type: ignore[attr-defined]

    def _open_debtor(self, links: OrderLinks) -> None:
        from screens.debtor_views import DebtorScreen

        self.app.push_screen(DebtorScreen(links.debtor))  # type: ignore[attr-defined]
