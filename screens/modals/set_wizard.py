"""New collection set (Nieuw → bank group → date and selection → Voltooien), as a modal.

Only bank groups holding an administration the user may process are offered. Returns the
entered values as a dict (the caller runs `sets.create_set` on a worker) or None.
"""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from incasso_tui.core.errors import ValidationError
from incasso_tui.i18n import t
from incasso_tui.services.input_rules import iso_date, parse_date
from screens.modals.form_base import date_placeholder, error_text, form_date
from screens.widgets.formatting import escape
from screens.widgets.translated_bindings import TranslatedBindings


def _date_error(text: str, label: str, required: bool = False) -> str | None:
    """The inline message for a date field whose text goes to a service as it is typed
    (those services read YYYY-MM-DD)."""
    if not text.strip():
        return t("{field} is required", field=label) if required else None
    try:
        iso_date(text.strip(), label)
    except ValidationError:
        return t("{field}: a date as YYYY-MM-DD", field=label)
    return None


def _date(text: str, label: str) -> tuple[str | None, str | None]:
    """(the date as the service reads it, the inline message): typed the UI language's way
    or as YYYY-MM-DD (input_rules.parse_date, as every form)."""
    if not text.strip():
        return None, None
    try:
        day = parse_date(text, label)
    except ValidationError as error:
        return None, error_text(error)
    return (day.isoformat() if day else None), None


class NewSetScreen(TranslatedBindings, ModalScreen[dict | None]):
    CSS_PATH = "../../styles/modals.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="set-new-cancel"),
        Binding("ctrl+s", "finish", "Finish", id="set-new-finish"),
    ]

    def __init__(self, groups: list, earliest: dict[str, dt.date]):
        super().__init__()
        self.groups = groups  # BankGroupRow, processable only
        self.earliest = earliest

    def compose(self) -> ComposeResult:
        with Vertical(id="set-new-box", classes="dialog"):
            yield Static(t("New collection set"), classes="dialog-title")
            yield Static(t("Bank group"), classes="dialog-message")
            yield OptionList(
                *[Option(f"{g.code}  {g.name}  ({g.pain_version})", id=g.code) for g in self.groups],
                id="set-new-group",
            )
            yield Static(
                t("Requested collection date (empty: the earliest allowed)"), classes="dialog-message"
            )
            yield Input("", id="set-new-date", placeholder=date_placeholder())
            yield Static(t("Only orders due up to (optional)"), classes="dialog-message")
            yield Input("", id="set-new-due", placeholder=date_placeholder())
            yield Static(t("Invoice type (optional)"), classes="dialog-message")
            yield Input("", id="set-new-type")
            yield Static(t("Administrations, comma separated (optional)"), classes="dialog-message")
            yield Input("", id="set-new-adms")
            yield Static("", id="set-new-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{t('Finish')} (ctrl+s)", id="finish", variant="primary")
                yield Button(f"{t('Cancel')} (esc)", id="cancel")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.groups:
            options.highlighted = 0
            self._show_earliest()
        options.focus()

    @on(OptionList.OptionHighlighted)
    def _show_earliest(self, _event=None) -> None:
        code = self.group_code()
        if code and code in self.earliest:
            self.query_one("#set-new-date", Input).placeholder = form_date(self.earliest[code])

    @on(OptionList.OptionSelected)
    def _selected(self, _event) -> None:
        self.query_one("#set-new-date", Input).focus()

    def group_code(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def values(self) -> tuple[dict | None, str | None]:
        code = self.group_code()
        if not code:
            return None, t("choose a bank group")
        date, error = _date(self.query_one("#set-new-date", Input).value, t("Collection date"))
        if error:
            return None, error
        due, error = _date(self.query_one("#set-new-due", Input).value, t("Due until"))
        if error:
            return None, error
        adms = [a.strip() for a in self.query_one("#set-new-adms", Input).value.split(",") if a.strip()]
        return {
            "bank_group": code,
            "requested_date": date,
            "due_until": due,
            "invoice_type": self.query_one("#set-new-type", Input).value.strip() or None,
            "administrations": adms or None,
        }, None

    @on(Input.Submitted)
    @on(Button.Pressed, "#finish")
    def action_finish(self, _event=None) -> None:
        values, error = self.values()
        self.query_one("#set-new-error", Static).update(escape(error or ""))
        if values is not None:
            self.dismiss(values)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self, _event=None) -> None:
        self.dismiss(None)
