"""What the debtor and mandate forms share: labelled fields with a message line under each,
Enter to the next field, Ctrl+S to save, Escape to cancel.

Saving runs the service on a worker thread. The form closes with the service's result only
when it succeeded; field errors (ValidationErrors) appear under their fields, any other
refusal in the form's message line, so the user can correct and save again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker, WorkerState

from incasso_tui.core.errors import IncassoError, ValidationError, ValidationErrors
from incasso_tui.i18n import language, t
from screens.base import error_message, rule_message, run_refusable
from screens.widgets.app_ref import incasso_app
from screens.widgets.formatting import SAFE_INPUT, date_text, escape
from screens.widgets.translated_bindings import TranslatedBindings

if TYPE_CHECKING:
    from incasso_tui.app import IncassoApp


def date_placeholder() -> str:
    """A date field's placeholder: the UI language's way of writing a date (every form
    also accepts the other ways, see input_rules.parse_date)."""
    return {"nl": "dd-mm-jjjj", "de": "TT.MM.JJJJ"}.get(language(), "YYYY-MM-DD")


def form_date(value: dt.date | None) -> str:
    """A date put into a form's field, written the UI language's way."""
    if value is None:
        return ""
    if language() == "de":
        return value.strftime("%d.%m.%Y")
    return date_text(value)


def error_text(error: ValidationError) -> str:
    """'<field>: <rule>' in the UI language (rules without a translation stay English), as
    markup: the value as typed is escaped (it may hold markup or control characters)."""
    shown = f" ({escape(error.value)})" if error.value not in (None, "") else ""
    return f"{escape(t(error.field))}{shown}: {escape(rule_message(error))}"


class FormScreen(TranslatedBindings, ModalScreen[Any]):
    CSS_PATH = "../../styles/modals.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form-save"),
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
    ]
    FORM_TITLE = ""
    # Field names used in the services' errors -> the form's field keys.
    FIELD_KEYS: dict[str, str] = {}

    def __init__(self) -> None:
        super().__init__()
        self.saving = False

    # --- building -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="dialog"):
            yield Static(self.form_title(), id="form-title", classes="dialog-title")
            yield Static("", id="form-error", classes="form-error")
            # Not a Tab stop of its own: Tab goes field by field, top to bottom (what is typed
            # after a Tab lands in the field the user sees next, never in the scroll area).
            with VerticalScroll(id="form-fields", can_focus=False):
                yield from self.compose_fields()
            yield Static(t("Tab/Enter next field · Ctrl+S save · Escape cancel"), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("Save"), id="form-save", variant="primary", compact=True)
                yield Button(t("Cancel"), id="form-cancel", compact=True)

    @property
    def incasso(self) -> IncassoApp:
        """The app, typed (Textual's `self.app` is `App[Any]`)."""
        return incasso_app(self)

    def form_title(self) -> str:
        return t(self.FORM_TITLE)

    def message(self, text: str) -> None:
        """The form's own message line (a refusal that is not about one field)."""
        line = self.query_one("#form-error", Static)
        line.update(text)
        line.display = bool(text)

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError

    def row(self, key: str, label: str, widget: Widget, note: str = "") -> ComposeResult:
        widget.id = f"f-{key}"
        if isinstance(widget, Input) and widget.highlighter is None:
            widget.highlighter = SAFE_INPUT  # a stored value with control characters shows them safely
        if hasattr(widget, "compact"):
            widget.compact = True  # one line per field: the whole form fits an 80x24 terminal
        note_widget = Static(note, id=f"note-{key}", classes="field-note")
        note_widget.display = bool(note)
        with Vertical(classes="form-field"):
            with Horizontal(classes="form-row", id=f"row-{key}"):
                yield Label(t(label), classes="form-label")
                yield widget
            yield note_widget

    def field(self, key: str) -> Any:
        return self.query_one(f"#f-{key}")

    def value(self, key: str) -> str:
        return str(self.field(key).value or "").strip()

    def note(self, key: str, text: str, error: bool = False) -> None:
        note = self.query_one(f"#note-{key}", Static)
        note.update(text)
        note.set_class(error, "-error")
        note.display = bool(text)

    # --- moving and saving ----------------------------------------------------------------
    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = [w for w in self.query(Input) if not w.disabled]
        if inputs and event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if self.saving:  # the service is storing it; its answer decides
            return
        self.dismiss(None)

    def save_call(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        """The service function and its arguments that store the form."""
        raise NotImplementedError

    def action_save(self) -> None:
        if self.saving:
            return
        try:
            fn, args = self.save_call()
        except ValidationError as exc:  # a field the form itself could not read
            self._show_errors([exc])
            return
        for note in self.query(".field-note.-error").results(Static):
            note.update("")
            note.remove_class("-error")
            note.display = False
        self.saving = True
        self.message(t("Saving…"))
        run_refusable(self, fn, *args, ok=self._saved, refused=self._failed, group="form-save")

    def _saved(self, result: Any) -> None:
        if self.is_attached:  # not when the form was cancelled while saving
            self.dismiss(result)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # An unexpected failure (not a refusal): reported by the App, and the form usable again.
        if event.state == WorkerState.ERROR:
            self.saving = False
            self.message(escape(t("Something went wrong: {error}", error=str(event.worker.error))))
            self.incasso.on_worker_state_changed(event)

    def _failed(self, error: IncassoError) -> None:
        self.saving = False
        if not self.is_attached:  # cancelled meanwhile
            return
        if isinstance(error, ValidationErrors):
            self._show_errors(error.errors)
        elif isinstance(error, ValidationError):
            self._show_errors([error])
        else:
            self.message(escape(error_message(error)))

    def _show_errors(self, errors: list[ValidationError]) -> None:
        unplaced = []
        first = None
        for error in errors:
            key = self.FIELD_KEYS.get(error.field)
            if key is None or not self.query(f"#note-{key}"):
                unplaced.append(error_text(error))
                continue
            self.note(key, error_text(error), error=True)
            first = first or key
        self.message("\n".join(unplaced) or t("Please correct the fields marked below."))
        if first is not None:
            self.field(first).focus()
