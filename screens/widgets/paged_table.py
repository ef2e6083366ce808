"""A DataTable that pages from the database: the first page at once, the next ones as
the cursor nears the end. Never the whole table in memory.

Every table that shows stored data is a SafeTable: its cells are shown as plain text, never as markup,
with control characters and bidirectional overrides escaped (formatting.safe_cell), so
stored text cannot drive the terminal, whatever a screen passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.worker import Worker, WorkerState

from incasso_tui.services.paging import Page
from incasso_tui.services.session import Interrupt, LookupStopped, in_interactive_connection
from screens.widgets.app_ref import incasso_app
from screens.widgets.formatting import safe_cell


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None = None

    @property
    def fitted_width(self) -> int | None:
        """The declared width, widened to the label in the active language: a header is never
        cut ("Administratie" in a 6-wide column showed "Admini"). None: sized to the content."""
        if self.width is None:
            return None
        return max(self.width, cell_len(self.label))


class SafeTable(DataTable):
    """A DataTable whose cells are made safe (plain text, unsafe characters escaped)."""

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        return super().add_row(*(safe_cell(cell) for cell in cells), **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, safe_cell(value), **kwargs)

    def update_cell_at(self, coordinate: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell_at(coordinate, safe_cell(value), **kwargs)


class PagedTable(SafeTable):
    """Rows come from `fetch(offset, limit) -> Page`; `cells(row)` turns a row into cells."""

    BINDINGS = [
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
        Binding("g", "scroll_top", show=False),
        Binding("G", "scroll_bottom", show=False),
    ]
    PREFETCH = 40  # rows before the loaded end at which the next page is asked for
    # The first page is about what a screen shows: DataTable's cost grows with the rows added,
    # and with 200 rows a list took twice as long to appear (bench/mandates_screen.py).
    FIRST_PAGE = 60

    class Loaded(Message):
        def __init__(
            self, table: PagedTable, total: int, shown: int, capped: bool = False, counting: bool = False
        ):
            super().__init__()
            self.table, self.total, self.shown, self.capped = table, total, shown, capped
            self.counting = counting  # the rows are shown, the count is on its way

    def __init__(
        self,
        columns: list[Column],
        fetch: Callable[[int, int], Page],
        cells: Callable[[Any], tuple],
        page_size: int = 200,
        **kwargs: Any,
    ):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._columns_spec = columns
        self._fetch = fetch
        self._cells = cells
        self.page_size = page_size
        self.rows_loaded: list[Any] = []
        self.total: int | None = None
        self._generation = 0
        self._loading = False
        self._filling = False
        # The total is a lower bound ("more than"): pages load until one comes back short.
        self.capped = False
        self._stop: Interrupt | None = None  # the look-up in flight, stopped when replaced

    def on_mount(self) -> None:
        for col in self._columns_spec:
            self.add_column(col.label, key=col.key, width=col.fitted_width)
        self.reload()

    def reload(self) -> None:
        """Start again from the first page (after a search or filter change)."""
        self._generation += 1
        self._loading = False
        if self._stop is not None:
            self._stop.cancel()  # the older search stops on the server, not only here
        self._stop = Interrupt()  # for this search's pages and count
        self._load(0)

    def _load(self, offset: int) -> None:
        if self._loading:
            return
        self._loading = True
        generation = self._generation
        app = incasso_app(self)

        limit = self.page_size if offset else min(self.page_size, self.FIRST_PAGE)
        stop = self._stop = self._stop or Interrupt()

        def job() -> None:
            try:
                page = in_interactive_connection(stop, self._fetch, offset, limit)
                app.call_from_thread(self._show, page, generation, limit)
                if page.count is not None and offset == 0:
                    # The rows are on screen; now how many there are (stopped with the search).
                    counted = in_interactive_connection(stop, page.count)
                    app.call_from_thread(self._counted, counted, generation)
            except LookupStopped:
                if stop.cancelled:
                    return  # a newer look-up replaced this one
                raise

        self.run_worker(
            job, thread=True, group=f"page-{id(self)}", exclusive=offset == 0, exit_on_error=False
        )

    def _show(self, page: Page, generation: int, limit: int) -> None:
        if generation != self._generation:
            return  # an answer to an older search
        # DataTable re-sets the cursor on clear() and on every add_row(); while the page is
        # being filled those are not cursor moves and must not ask for the next page (that
        # asked for the first page again after every search: an endless reload).
        self._filling = True
        try:
            if page.offset == 0:
                self.clear()
                self.rows_loaded = []
            for row in page.rows:
                self.add_row(*self._cells(row), key=str(getattr(row, "id", len(self.rows_loaded))))
                self.rows_loaded.append(row)
            if len(page.rows) < limit:  # the last page: now the total is known
                self.total, self.capped = len(self.rows_loaded), False
            elif page.offset == 0:
                self.total, self.capped = page.total, page.capped
            else:  # a later page keeps what the count said
                self.total = max(self.total or 0, len(self.rows_loaded))
            counting = page.offset == 0 and page.count is not None and self.capped
        finally:
            self._filling = False
        self._loading = False
        self.post_message(self.Loaded(self, self.total, len(self.rows_loaded), self.capped, counting))

    def _counted(self, counted: tuple[int, bool], generation: int) -> None:
        if generation != self._generation:
            return
        total, capped = counted
        self.total, self.capped = max(total, len(self.rows_loaded)), capped
        self.post_message(self.Loaded(self, self.total, len(self.rows_loaded), self.capped))

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        if (
            not self._filling
            and self.total is not None
            and (self.capped or len(self.rows_loaded) < self.total)
            and new.row >= len(self.rows_loaded) - self.PREFETCH
        ):
            self._load(len(self.rows_loaded))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker messages do not bubble: a page that fails to load is reported by the App.
        if event.state == WorkerState.ERROR:
            self._loading = False
            incasso_app(self).on_worker_state_changed(event)

    @property
    def current(self) -> Any | None:
        """The row object under the cursor, or None."""
        if 0 <= self.cursor_row < len(self.rows_loaded):
            return self.rows_loaded[self.cursor_row]
        return None
