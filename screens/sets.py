"""Collection sets (incassosets) the user may see, newest first."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.services.browse import SetRow, list_sets
from incasso_tui.services.exports.sources import StatusFilter
from screens.list_screen import ListScreen
from screens.widgets.filters import cycle
from screens.widgets.formatting import date_text, money_text
from screens.widgets.paged_table import Column


class SetsScreen(ListScreen):
    AREA = "sets"
    TITLE = "Collection sets"
    SEARCHABLE = False
    EXPORT = "sets"
    HELP = """
# Collection sets

Every set holding orders of administrations you may see, newest first, with its
number of orders and total. **s** cycles the status filter, **n** makes a new set for a
bank group (Nieuw → bank group → date and selection → Voltooien), **Enter** opens a set
(raadplegen, wijzigen, verwerken, opdrachtbrief, versturen).
"""
    BINDINGS = [
        Binding("s", "cycle_status", "Status filter", id="sets-status"),
        Binding("n", "new_set", "New", id="sets-new"),
        Binding("enter", "open_set", "Open", id="sets-open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None

    def columns(self) -> list[Column]:
        return [
            Column("id", "#", 6),
            Column("group", t("Bank group"), 8),
            Column("status", t("Status"), 14),
            Column("requested", t("Requested date"), 10),
            Column("date", t("Collection date"), 10),
            Column("by", t("Created by"), 10),
            Column("created", t("Created"), 16),
            Column("orders", t("Orders"), 8),
            Column("total", t("Total"), 14),
        ]

    def list_filter(self) -> StatusFilter:
        return StatusFilter(self.status)

    def fetch(self, offset: int, limit: int):
        return list_sets(self.incasso.actor, self.status, offset, limit)

    def cells(self, r: SetRow) -> tuple:
        from rich.text import Text

        return (
            str(r.id),
            r.bank_group,
            status_label("set", r.status),
            date_text(r.requested_date),
            date_text(r.collection_date),
            r.created_by,
            date_text(r.created_at),
            Text(str(r.orders), justify="right"),
            Text(money_text(r.total_cents), justify="right"),
        )

    def filter_text(self) -> str:
        return f"{t('status')}: {status_label('set', self.status)}" if self.status else ""

    def action_cycle_status(self) -> None:
        self.status = cycle(status_codes("set"), self.status)
        self.reload()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "new_set":
            return self.incasso.actor.may("process")  # False: hidden for a role that may not
        if action == "open_set":
            return True if self.current_row() is not None else None
        return super().check_action(action, parameters)

    @on(DataTable.RowHighlighted, "#list")
    def _row_highlighted(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#list")
    def _row_selected(self) -> None:
        self.action_open_set()

    def action_open_set(self) -> None:
        from screens.set_detail import SetDetailScreen

        row = self.table.current
        if row is not None:
            self.app.push_screen(SetDetailScreen(row.id))

    def on_screen_resume(self) -> None:
        self.reload()

    def action_new_set(self) -> None:
        from incasso_tui.services import organisation
        from incasso_tui.services.collection import sets

        def loaded(result) -> None:
            from screens.modals.set_wizard import NewSetScreen

            groups, earliest = result
            if not groups:
                self.notify(t("No bank group holds an administration you may process"), severity="warning")
                return
            self.app.push_screen(NewSetScreen(groups, earliest), self._create)

        def load():
            groups = organisation.list_bank_groups(self.incasso.actor, processable_only=True)
            return groups, {g.code: sets.earliest_date(sets.get_bank_group(g.code)) for g in groups}

        self.run_service(load, then=loaded)

    def _create(self, values: dict | None) -> None:
        from incasso_tui.services.collection import sets

        if not values:
            return

        def created(result) -> None:
            from screens.set_detail import SetDetailScreen

            self.notify(
                t(
                    "Set {id}: {orders} orders, {held} held back",
                    id=result.id,
                    orders=result.orders,
                    held=result.held_back,
                )
                + (f" · {result.date_note}" if result.date_note else "")
            )
            self.reload()
            self.app.push_screen(SetDetailScreen(result.id))

        self.run_service(
            sets.create_set,
            self.incasso.actor,
            values.pop("bank_group"),
            values.pop("requested_date"),
            then=created,
            **values,
        )
