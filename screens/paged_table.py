"""A DataTable that pages from the database: the first page at once, the next ones as
the cursor nears the end. Never the whole table in memory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from incasso_tui.services.paging import Page


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None = None


class PagedTable(DataTable):
    """Rows come from `fetch(offset, limit) -> Page`; `cells(row)` turns a row into cells."""

    BINDINGS = [
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
        Binding("g", "scroll_top", show=False),
        Binding("G", "scroll_bottom", show=False),
    ]
    PREFETCH = 40  # rows before the loaded end at which the next page is asked for

    class Loaded(Message):
        def __init__(self, table: "PagedTable", total: int, shown: int):
            super().__init__()
            self.table, self.total, self.shown = table, total, shown

    def __init__(self, columns: list[Column], fetch: Callable[[int, int], Page],
                 cells: Callable[[Any], tuple], page_size: int = 200, **kwargs: Any):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._columns_spec = columns
        self._fetch = fetch
        self._cells = cells
        self.page_size = page_size
        self.rows_loaded: list[Any] = []
        self.total: int | None = None
        self._generation = 0
        self._loading = False

    def on_mount(self) -> None:
        for col in self._columns_spec:
            self.add_column(col.label, key=col.key, width=col.width)
        self.reload()

    def reload(self) -> None:
        """Start again from the first page (after a search or filter change)."""
        self._generation += 1
        self._loading = False
        self._load(0)

    def _load(self, offset: int) -> None:
        if self._loading:
            return
        self._loading = True
        generation = self._generation
        app = self.app

        def job() -> None:
            page = app.call_service(self._fetch, offset, self.page_size)  # type: ignore[attr-defined]
            app.call_from_thread(self._show, page, generation)

        self.run_worker(job, thread=True, group=f"page-{id(self)}", exclusive=offset == 0,
                        exit_on_error=False)

    def _show(self, page: Page, generation: int) -> None:
        if generation != self._generation:
            return  # an answer to an older search
        self._loading = False
        if page.offset == 0:
            self.clear()
            self.rows_loaded = []
        for row in page.rows:
            self.add_row(*self._cells(row), key=str(getattr(row, "id", len(self.rows_loaded))))
            self.rows_loaded.append(row)
        self.total = page.total
        self.post_message(self.Loaded(self, page.total, len(self.rows_loaded)))

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        if (self.total is not None and len(self.rows_loaded) < self.total
                and new.row >= len(self.rows_loaded) - self.PREFETCH):
            self._load(len(self.rows_loaded))

    @property
    def current(self) -> Any | None:
        """The row object under the cursor, or None."""
        if 0 <= self.cursor_row < len(self.rows_loaded):
            return self.rows_loaded[self.cursor_row]
        return None
