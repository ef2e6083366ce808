"""An area screen with a search box over a paged table, and a line saying what is shown."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
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
        Binding("slash", "focus_search", "Search", id="focus-search"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, id="refresh"),
        # priority: also while typing in the search box (whose own ctrl+e would move to the end)
        Binding("ctrl+e", "export", "Export", show=False, id="export", priority=True),
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
            # Not selected on focus: a letter typed in the table carries on the search there.
            yield Input(
                placeholder=t(self.SEARCH_PLACEHOLDER),
                id="search",
                highlighter=SAFE_INPUT,
                select_on_focus=False,
            )
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
        # A searchable list opens in its search box: typing searches, it never fires an
        # action (a "p" in "peña" is a letter, not "print"). Down/Enter go to the table.
        self._search_timer: Timer | None = None
        self._info = ""
        if self.SEARCHABLE:
            self.query_one("#search", Input).focus()
        else:
            self.table.focus()

    def searching(self) -> bool:
        """The search box has the focus: printable keys type, single-letter actions wait."""
        return self.SEARCHABLE and self.focused is self.query_one_optional("#search", Input)

    def help_bindings(self) -> dict[str, ActiveBinding]:
        """The keys as the table has them (F1 from the search box shows them all)."""
        if not self.searching():
            return self.active_bindings
        keys: dict[str, ActiveBinding] = {}
        for node in self.table.ancestors_with_self:
            for key, binding in node._bindings:
                state = self.app._check_action_state(binding.action, node)
                if state is not False and key not in keys:
                    keys[key] = ActiveBinding(node, binding, bool(state), binding.tooltip)
        return keys

    def mode_text(self) -> str:
        if not self.SEARCHABLE:
            return ""
        return t("Search — ↓ to the list") if self.searching() else t("List — / to search")

    def _show_info(self) -> None:
        mode = self.mode_text()
        parts = [part for part in (mode, self._info) if part]
        self.query_one("#list-info", Static).update(escape("  ·  ".join(parts)))

    def on_descendant_focus(self) -> None:
        self._show_info()
        self.refresh_bindings()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value == "/":  # "/" by habit (the key to the search box) is no search
            event.input.value = ""
            return
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(self.SEARCH_DELAY, self.table.reload)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    @on(PagedTable.Loaded)
    def _loaded(self, event: PagedTable.Loaded) -> None:
        self.incasso.mark_first_screen()
        shown = f"{event.shown:,}".replace(",", ".")
        total = f"{event.total:,}".replace(",", ".")
        if event.counting:
            info = t("{shown} of …", shown=shown)
        elif event.capped:
            info = t("{shown} of more than {total}", shown=shown, total=total)
        else:
            info = t("{shown} of {total}", shown=shown, total=total)
        extra = self.filter_text()
        # The filters may name stored things (a debtor, an administration): shown escaped.
        self._info = f"{info}   {extra}" if extra else info
        self._show_info()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "focus_search":
            return self.SEARCHABLE and not self.searching()
        if action == "export":
            return self.EXPORT is not None
        if action == "back" and self.searching() and self.search_text:
            return True
        return super().check_action(action, parameters)

    def action_focus_search(self) -> None:
        search = self.query_one("#search", Input)
        search.focus()
        search.select_all()  # "/" then typing starts a new search

    def action_back(self) -> None:
        # Escape in a search box holding text returns to the list; a second Escape leaves.
        # An empty search box (the list as it opened) leaves at once.
        if self.searching() and self.search_text:
            self.table.focus()
            return
        super().action_back()

    def on_key(self, event: events.Key) -> None:
        if not self.SEARCHABLE:
            return
        if event.key == "down" and self.searching():
            self.table.focus()
            event.stop()
            return
        # In the table a letter is an action; one that is no action here starts a search.
        # (A dimmed action key is in active_bindings: it does nothing, it does not search.)
        if (
            self.focused is self.table
            and event.is_printable
            and event.character
            and event.key not in self.active_bindings
        ):
            search = self.query_one("#search", Input)
            search.focus()
            search.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    def action_refresh(self) -> None:
        self.table.reload()

    def action_export(self) -> None:
        """ctrl+e: the rows of the list as it is filtered and searched now, to CSV or XLSX."""
        from screens.modals.export import ExportScreen

        if self.EXPORT is not None:
            self.app.push_screen(ExportScreen(self.EXPORT, self.list_filter(), t(self.TITLE)))

    def reload(self) -> None:
        self.table.reload()
