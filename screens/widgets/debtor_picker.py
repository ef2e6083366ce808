"""Choose a debtor by typing part of a name, number, IBAN or town: the matches (name, number,
town, IBAN) appear in a small list under the input; Up/Down move in it, Enter picks, Escape
closes it. Typing a debtor's exact number still works without the list.

The search is the debtors list's (browse.search_debtors), with a small limit, on a worker and
only after a short pause in typing, so the form stays responsive on a large database.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from incasso_tui.core.terminal_text import escape_terminal
from incasso_tui.services import browse
from incasso_tui.services.browse import DebtorRow
from screens.widgets.app_ref import incasso_app
from screens.widgets.formatting import SAFE_INPUT

MATCHES = 6  # rows shown under the input (the form must still fit 80x24)
SEARCH_DELAY = 0.15  # s of quiet typing before the search runs (as the lists)


def match_text(row: DebtorRow) -> Text:
    """One match as the user compares it: name, number, town, IBAN (never markup)."""
    parts = [row.name, row.number, row.town, row.iban]
    return Text(escape_terminal(" · ".join(p for p in parts if p)), end="", no_wrap=True)


class PickerInput(Input):
    """The picker's input: Up/Down/Enter/Escape act on the match list while it is open, and
    do what they always do (next field, cancel the form) when it is closed."""

    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("escape", "close", show=False),
    ]

    @property
    def picker(self) -> DebtorPicker:
        parent = self.parent
        assert isinstance(parent, DebtorPicker)
        return parent

    def action_move(self, step: int) -> None:
        if not self.picker.open:
            raise SkipAction()  # the screen's own use of the key
        matches = self.picker.matches
        current = matches.highlighted
        count = matches.option_count
        matches.highlighted = 0 if current is None else max(0, min(count - 1, current + step))

    def action_close(self) -> None:
        if not self.picker.open:
            raise SkipAction()  # Escape cancels the form
        self.picker.close()

    async def action_submit(self) -> None:
        if self.picker.open and self.picker.matches.highlighted is not None:
            self.picker.pick(self.picker.matches.highlighted)
            return
        await super().action_submit()


class DebtorPicker(Vertical):
    DEFAULT_CSS = """
    DebtorPicker {
        width: 1fr;
        height: auto;
    }
    DebtorPicker > OptionList {
        height: auto;
        max-height: 8;
        border: none;
        padding: 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        display: none;
    }
    DebtorPicker > OptionList.-open {
        display: block;
    }
    """

    class Picked(Message):
        """A debtor was chosen from the list."""

        def __init__(self, picker: DebtorPicker, row: DebtorRow) -> None:
            super().__init__()
            self.picker = picker
            self.row = row

        @property
        def control(self) -> DebtorPicker:
            return self.picker

    def __init__(
        self,
        value: str = "",
        *,
        input_id: str,
        placeholder: str = "",
        administration: Callable[[], int | None] = lambda: None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._value = value
        self._input_id = input_id
        self._placeholder = placeholder
        self._administration = administration
        self._rows: list[DebtorRow] = []
        self._timer: Timer | None = None
        self._picked_text: str | None = value or None  # the text a pick wrote (no new search)
        self.picked: DebtorRow | None = None

    def compose(self) -> ComposeResult:
        yield PickerInput(
            self._value,
            id=self._input_id,
            placeholder=self._placeholder,
            highlighter=SAFE_INPUT,
            compact=True,
        )
        matches = OptionList(id=f"{self._input_id}-matches", compact=True)
        matches.can_focus = False  # the focus stays in the input; a click still picks
        yield matches

    @property
    def input(self) -> PickerInput:
        return self.query_one(PickerInput)

    @property
    def matches(self) -> OptionList:
        return self.query_one(OptionList)

    @property
    def value(self) -> str:
        return self.input.value

    def focus(self, scroll_visible: bool = True) -> DebtorPicker:
        self.input.focus(scroll_visible)
        return self

    @property
    def open(self) -> bool:
        return self.matches.has_class("-open")

    def close(self) -> None:
        self.matches.remove_class("-open")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input is not self.input:
            return
        if event.value == self._picked_text:  # the pick itself, not typing
            return
        self._picked_text = None
        self.picked = None
        self.close()  # its matches are for what was typed before: Enter must not pick one
        if self._timer is not None:
            self._timer.stop()
        if not event.value.strip():
            self._show([])
            return
        self._timer = self.set_timer(SEARCH_DELAY, self.refresh_matches)

    def refresh_matches(self) -> None:
        """Search again for the input's text (also after the administration changed)."""
        text = self.input.value.strip()
        if text:
            self._search(text, self._administration())
        else:
            self._show([])

    @work(thread=True, exclusive=True, group="debtor-picker", exit_on_error=False)
    def _search(self, text: str, administration: int | None) -> None:
        app = incasso_app(self)
        page = app.call_service(browse.search_debtors, app.actor, text, administration, 0, MATCHES)
        app.call_from_thread(self._found, text, page.rows)

    def _found(self, text: str, rows: list[DebtorRow]) -> None:
        if self.input.value.strip() != text or self._picked_text is not None:
            return  # typed on meanwhile, or already picked
        self._show(rows)

    def _show(self, rows: list[DebtorRow]) -> None:
        self._rows = rows
        matches = self.matches
        matches.clear_options()
        matches.add_options([Option(match_text(row)) for row in rows])
        if rows:
            matches.highlighted = 0
        matches.set_class(bool(rows) and self.input.has_focus, "-open")

    def on_descendant_blur(self) -> None:
        if not self.input.has_focus:
            self.close()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(event.option_index)

    def pick(self, index: int) -> None:
        row = self._rows[index]
        self.picked = row
        self._picked_text = row.number
        self.input.value = row.number
        self.input.cursor_position = len(row.number)
        self.close()
        self.post_message(self.Picked(self, row))
        self.screen.focus_next()  # as Enter does in every form field
