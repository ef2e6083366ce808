"""Ask for one value (a date, a file name) with its rule checked as it is typed."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from incasso_tui.i18n import t
from screens.widgets.formatting import SAFE_INPUT, escape
from screens.widgets.translated_bindings import TranslatedBindings


class PromptScreen(TranslatedBindings, ModalScreen[str | None]):
    """Returns the text, or None on Escape. `check(text)` gives an error message or None;
    it must be quick and free of database access (it runs on every key)."""

    CSS_PATH = "../../styles/modals.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt-cancel")]

    def __init__(
        self,
        title: str,
        label: str,
        value: str = "",
        *,
        check: Callable[[str], str | None] | None = None,
        note: str = "",
    ):
        super().__init__()
        self.title_text, self.label, self.value, self.note = title, label, value, note
        self.check = check or (lambda _text: None)

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box", classes="dialog"):
            # Plain text (it may name stored things): never markup, nothing unescaped.
            yield Static(escape(self.title_text), classes="dialog-title")
            yield Static(escape(self.label), classes="dialog-message")
            yield Input(self.value, id="prompt-input", highlighter=SAFE_INPUT)
            yield Static("", id="prompt-error", classes="field-error")
            yield Static(self.note or t("Enter to confirm · Escape to cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._validate(self.value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._validate(event.value)

    def _validate(self, text: str) -> str | None:
        error = self.check(text)
        self.query_one("#prompt-error", Static).update(escape(error or ""))
        return error

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self._validate(event.value) is None:
            self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
