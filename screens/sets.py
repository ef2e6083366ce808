"""Collection sets (incassosets) the user may see, newest first."""

from __future__ import annotations

from textual.binding import Binding

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.services.browse import SetRow, list_sets

from .filters import cycle
from .formatting import date_text, money_text
from .list_screen import ListScreen
from .paged_table import Column


class SetsScreen(ListScreen):
    AREA = "sets"
    TITLE = "Collection sets"
    SEARCHABLE = False
    HELP = """
# Collection sets

Every set holding orders of administrations you may see, newest first, with its
number of orders and total. **s** cycles the status filter.
"""
    BINDINGS = [Binding("s", "cycle_status", t("Status filter"), id="sets-status")]

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None

    def columns(self) -> list[Column]:
        return [Column("id", "#", 6), Column("group", t("Bank group"), 8),
                Column("status", t("Status"), 14), Column("requested", t("Requested date"), 10),
                Column("date", t("Collection date"), 10), Column("by", t("Created by"), 10),
                Column("created", t("Created"), 16), Column("orders", t("Orders"), 8),
                Column("total", t("Total"), 14)]

    def fetch(self, offset: int, limit: int):
        return list_sets(self.incasso.actor, self.status, offset, limit)

    def cells(self, r: SetRow) -> tuple:
        from rich.text import Text

        return (str(r.id), r.bank_group, status_label("set", r.status), date_text(r.requested_date),
                date_text(r.collection_date), r.created_by, date_text(r.created_at),
                Text(str(r.orders), justify="right"), Text(money_text(r.total_cents), justify="right"))

    def filter_text(self) -> str:
        return f"{t('status')}: {status_label('set', self.status)}" if self.status else ""

    def action_cycle_status(self) -> None:
        self.status = cycle(status_codes("set"), self.status)
        self.reload()
