"""A yes/no question answered from the keyboard: y, n, Escape (posting's ConfirmationModal)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from incasso_tui.i18n import t
from screens.widgets.formatting import escape
from screens.widgets.translated_bindings import TranslatedBindings


class ConfirmScreen(TranslatedBindings, ModalScreen[bool]):
    CSS_PATH = "../../styles/modals.tcss"
    BINDINGS = [
        Binding("y,j", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
        Binding("left,right,h,l", "switch", show=False),
    ]

    def __init__(self, title: str, message: str, *, yes: str = "", default_yes: bool = True):
        super().__init__()
        self.title_text, self.message = title, message
        self.yes_label = yes or t("Yes")
        self.default_yes = default_yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            # Plain text (it may name stored things): never markup, nothing unescaped.
            yield Static(escape(self.title_text), classes="dialog-title")
            # Line by line: a summary keeps its lines, each escaped on its own.
            message = "\n".join(escape(line) for line in self.message.split("\n"))
            yield Static(message, id="confirm-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="primary")
                yield Button(f"{t('No')} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default_yes else "#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_switch(self) -> None:
        self.focus_next(Button)
