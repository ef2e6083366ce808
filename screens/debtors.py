"""Debtors of the administrations the user may see, with the same search as mandates.
Enter opens the debtor with its mandates (the "shortcut" from the debtor); n/e the form."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from incasso_tui.i18n import t
from incasso_tui.services.auth import EDIT
from incasso_tui.services.browse import DebtorRow, search_debtors
from incasso_tui.services.debtors import editable_administrations
from incasso_tui.services.exports.sources import DebtorFilter
from screens.list_screen import ListScreen
from screens.widgets.filters import AdministrationFilterMixin
from screens.widgets.formatting import yes_no
from screens.widgets.paged_table import Column


class DebtorsScreen(AdministrationFilterMixin, ListScreen):
    AREA = "debtors"
    TITLE = "Debtors"
    SEARCH_PLACEHOLDER = "Search name, number or IBAN"
    SEARCH_DELAY = 0.05
    EXPORT = "debtors"
    HELP = """
# Debtors

Type to search on name, number or IBAN. **Enter** opens the debtor with its mandates,
**o** the debtor's orders; **a** cycles the administration filter.
**n** adds a debtor, **e** edits the selected one (the IBAN is checked as you type and the
BIC derived from it), **i** imports debtors from a CSV file.
"""
    BINDINGS = [
        Binding("enter", "open_debtor", "Open", id="debtor-open"),
        Binding("o", "debtor_orders", "Orders", id="debtor-orders"),
        Binding("a", "cycle_administration", "Administration filter", id="debtors-administration"),
        Binding("n", "new_debtor", "New", id="debtor-new"),
        Binding("e", "edit_debtor", "Edit", id="debtor-edit"),
        Binding("i", "import_csv", "Import", id="debtors-import"),
    ]

    def on_mount(self) -> None:
        super().on_mount()
        self.load_administrations()
        self._returning = False

    def columns(self) -> list[Column]:
        return [
            Column("number", t("Number"), 8),
            Column("name", t("Name"), 32),
            Column("adm", t("Adm."), 6),  # short: the column holds a code
            Column("town", t("Town"), 14),
            Column("iban", "IBAN", 20),
            Column("business", t("Business"), 8),
            Column("lang", t("Language"), 5),
            Column("mandates", t("Mandates"), 6),
        ]

    def list_filter(self) -> DebtorFilter:
        return DebtorFilter(self.search_text, self.incasso.administration_filter)

    def fetch(self, offset: int, limit: int):
        flt = self.list_filter()
        return search_debtors(self.incasso.actor, flt.search, flt.administration_id, offset, limit)

    def cells(self, r: DebtorRow) -> tuple:
        return (
            r.number,
            r.name,
            r.administration,
            r.town,
            r.iban,
            yes_no(r.business),
            r.language,
            str(r.mandates),
        )

    def _may_edit_current(self) -> bool | None:
        row = self.table.current if self.is_mounted and self.query("#list") else None
        if row is None:
            return None
        adm_id = next((a.id for a in self.administrations if a.code == row.administration), None)
        return True if adm_id is not None and self.incasso.actor.may(EDIT, adm_id) else None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("open_debtor", "debtor_orders"):
            current = self.table.current if self.is_mounted and self.query("#list") else None
            return True if current is not None else None
        if action in ("new_debtor", "import_csv"):
            return self.incasso.actor.may(EDIT)
        if action == "edit_debtor":
            return self._may_edit_current() if self.incasso.actor.may(EDIT) else False
        return super().check_action(action, parameters)

    @on(DataTable.RowHighlighted, "#list")
    def _row_moved(self) -> None:
        key = (self._may_edit_current(),)
        if key != getattr(self, "_actions_key", None):
            self._actions_key = key
            self.refresh_bindings()

    @on(DataTable.RowSelected, "#list")
    def _row_selected(self) -> None:
        self.action_open_debtor()

    def action_open_debtor(self) -> None:
        from screens.debtor_views import DebtorScreen

        row = self.table.current
        if row is not None:
            self._returning = True
            self.app.push_screen(DebtorScreen(row))

    def on_screen_resume(self) -> None:
        if getattr(self, "_returning", False):
            self._returning = False
            self.reload()

    def action_debtor_orders(self) -> None:
        from screens.debtor_views import DebtorOrdersScreen

        row = self.table.current
        if row is not None:
            self.app.push_screen(DebtorOrdersScreen(row))

    def action_new_debtor(self) -> None:
        from screens.modals.debtor_form import DebtorFormScreen

        self.run_service(
            editable_administrations,
            self.incasso.actor,
            then=lambda adms: self.app.push_screen(
                DebtorFormScreen(administrations=adms, administration_id=self.incasso.administration_filter),
                self._saved,
            ),
        )

    def action_edit_debtor(self) -> None:
        from screens.modals.debtor_form import DebtorFormScreen

        row = self.table.current
        if row is not None:
            self.app.push_screen(DebtorFormScreen(debtor_id=row.id), self._saved)

    def _saved(self, debtor) -> None:
        if debtor is not None:
            self.notify(t("Debtor {number} saved", number=debtor.number))
            self.reload()

    def action_import_csv(self) -> None:
        from screens.modals.csv_import import ImportScreen

        self.app.push_screen(
            ImportScreen("debtors"),
            lambda result: self.reload() if result is not None and result.stored else None,
        )
