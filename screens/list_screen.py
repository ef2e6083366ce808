"""An area screen with a search box over a paged table, and a line saying what is shown."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input, Static

from incasso_tui.i18n import t
from incasso_tui.services.paging import Page
from screens.base import AreaScreen
from screens.widgets.formatting import SAFE_INPUT, escape
from screens.widgets.paged_table import Column, PagedTable


class ListScreen(AreaScreen):
    SEARCH_PLACEHOLDER = "Search"
    SEARCHABLE = True  # short lists (sets, jobs, admin lists) have no search box
    SEARCH_DELAY = 0.15  # s of quiet typing before the query runs
    BINDINGS = [
        Binding("slash", "focus_search", t("Search"), id="focus-search"),
        Binding("ctrl+r", "refresh", t("Refresh"), show=False, id="refresh"),
        # priority: also while typing in the search box (whose own ctrl+e would move to the end)
        Binding("ctrl+e", "export", t("Export"), show=False, id="export", priority=True),
    ]
    EXPORT: str | None = None  # the list's name in services.exports (None: not exported)

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def fetch(self, offset: int, limit: int) -> Page:
        raise NotImplementedError

    def cells(self, row: Any) -> tuple:
        raise NotImplementedError

    def filter_text(self) -> str:
        """A short description of the active filters and view."""
        return ""

    def list_filter(self) -> Any:
        """The filter the list is shown with (search included): `fetch` and the export use it."""
        return None

    def compose_body(self) -> ComposeResult:
        if self.SEARCHABLE:
            yield Input(placeholder=t(self.SEARCH_PLACEHOLDER), id="search", highlighter=SAFE_INPUT)
        yield Static("", id="list-info")
        yield PagedTable(
            self.columns(), self.fetch, self.cells, page_size=self.incasso.session.config.page_size, id="list"
        )

    def current_row(self) -> Any | None:
        """The row under the cursor; None when the list is empty or not mounted yet
        (check_action runs before the first compose has finished)."""
        table = self.query_one_optional("#list", PagedTable)
        return table.current if table is not None else None

    @property
    def table(self) -> PagedTable:
        return self.query_one("#list", PagedTable)

    @property
    def search_text(self) -> str:
        return self.query_one("#search", Input).value if self.SEARCHABLE else ""

    def on_mount(self) -> None:
        self.table.focus()
        self._search_timer: Timer | None = None

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(self.SEARCH_DELAY, self.table.reload)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    @on(PagedTable.Loaded)
    def _loaded(self, event: PagedTable.Loaded) -> None:
        self.incasso.mark_first_screen()
        info = t(
            "{shown} of {total}",
            shown=f"{event.shown:,}".replace(",", "."),
            total=f"{event.total:,}".replace(",", "."),
        )
        extra = self.filter_text()
        # The filters may name stored things (a debtor, an administration): shown escaped.
        self.query_one("#list-info", Static).update(escape(f"{info}   {extra}" if extra else info))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "focus_search":
            return self.SEARCHABLE
        if action == "export":
            return self.EXPORT is not None
        if action == "back" and self.SEARCHABLE and self.focused is self.query_one("#search", Input):
            return True
        return super().check_action(action, parameters)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        # Escape in the search box first returns to the list; a second Escape leaves.
        if self.SEARCHABLE and self.focused is self.query_one("#search", Input):
            self.table.focus()
            return
        super().action_back()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.SEARCHABLE and self.focused is self.query_one("#search", Input):
            self.table.focus()
            event.stop()

    def action_refresh(self) -> None:
        self.table.reload()

    def action_export(self) -> None:
        """ctrl+e: the rows of the list as it is filtered and searched now, to CSV or XLSX."""
        from screens.modals.export import ExportScreen

        if self.EXPORT is not None:
            self.app.push_screen(ExportScreen(self.EXPORT, self.list_filter(), t(self.TITLE)))

    def reload(self) -> None:
        self.table.reload()
