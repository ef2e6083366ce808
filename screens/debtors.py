"""Debtors of the administrations the user may see, with the same search as mandates.
Enter shows the selected debtor's mandates (the shortcut from the debtor)."""

from __future__ import annotations

from textual.binding import Binding

from incasso_tui.i18n import t
from incasso_tui.services.browse import DebtorRow, search_debtors

from .filters import AdministrationFilterMixin
from .formatting import yes_no
from .list_screen import ListScreen
from .paged_table import Column


class DebtorsScreen(AdministrationFilterMixin, ListScreen):
    AREA = "debtors"
    TITLE = "Debtors"
    SEARCH_PLACEHOLDER = "Search name, number or IBAN"
    HELP = """
# Debtors

Type to search on name, number or IBAN. **Enter** opens the debtor's mandates,
**o** the debtor's orders; **a** cycles the administration filter.
"""
    BINDINGS = [
        Binding("enter", "debtor_mandates", t("Mandates"), id="debtor-mandates"),
        Binding("o", "debtor_orders", t("Orders"), id="debtor-orders"),
        Binding("a", "cycle_administration", t("Administration filter"), id="debtors-administration"),
    ]

    def on_mount(self) -> None:
        super().on_mount()
        self.load_administrations()

    def columns(self) -> list[Column]:
        return [Column("number", t("Number"), 8), Column("name", t("Name"), 32),
                Column("adm", t("Administration"), 6), Column("town", t("Town"), 14),
                Column("iban", "IBAN", 20), Column("business", t("Business"), 8),
                Column("lang", t("Language"), 5), Column("mandates", t("Mandates"), 6)]

    def fetch(self, offset: int, limit: int):
        return search_debtors(self.incasso.actor, self.search_text,
                              self.incasso.administration_filter, offset, limit)

    def cells(self, r: DebtorRow) -> tuple:
        return (r.number, r.name, r.administration, r.town, r.iban, yes_no(r.business),
                r.language, str(r.mandates))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("debtor_mandates", "debtor_orders"):
            return self.table.current is not None if self.is_mounted else None
        return super().check_action(action, parameters)

    def action_debtor_mandates(self) -> None:
        from .debtor_views import DebtorMandatesScreen

        row = self.table.current
        if row is not None:
            self.app.push_screen(DebtorMandatesScreen(row))

    def action_debtor_orders(self) -> None:
        from .debtor_views import DebtorOrdersScreen

        row = self.table.current
        if row is not None:
            self.app.push_screen(DebtorOrdersScreen(row))
