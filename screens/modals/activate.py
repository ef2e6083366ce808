"""Activate a mandate: choose the effective date (default the date signed, or today when
there is none), checked as it is typed against the signature and the end date. Returns the
chosen date, or None on Escape; the mandate service checks it again when it stores it."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from incasso_tui.core.errors import ValidationError
from incasso_tui.i18n import t
from incasso_tui.services.input_rules import parse_date
from incasso_tui.services.mandates.lifecycle import activation_default
from screens.modals.form_base import date_placeholder, error_text, form_date
from screens.widgets.formatting import SAFE_INPUT, escape
from screens.widgets.translated_bindings import TranslatedBindings


class ActivateScreen(TranslatedBindings, ModalScreen[dt.date | None]):
    CSS_PATH = "../../styles/modals.tcss"
    DEFAULT_CSS = """
    ActivateScreen {
        align: center middle;
        background: $background 60%;
        #activate-box {
            width: 72;
            max-width: 95%;
            height: auto;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        .dialog-title { text-style: bold; color: $accent; padding: 0 0 1 0; }
        .dialog-message { padding: 0 0 1 0; }
        #activate-row { height: auto; }
        #activate-row Label { width: 20; color: $text-muted; }
        #activate-date { width: 1fr; }
        #activate-error { color: $error; height: auto; }
        .dialog-hint { color: $text-muted; padding: 1 0 0 0; }
        .dialog-buttons { height: auto; align-horizontal: right; padding: 1 0 0 0; }
        .dialog-buttons Button { margin: 0 0 0 2; }
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="activate-cancel")]

    def __init__(self, reference: str, signed: dt.date | None, end: dt.date | None, today: dt.date) -> None:
        super().__init__()
        self.reference, self.signed, self.end = reference, signed, end
        self.default = activation_default(signed, today)

    def compose(self) -> ComposeResult:
        with Vertical(id="activate-box", classes="dialog"):
            yield Static(
                escape(t("Activate mandate {reference}", reference=self.reference)), classes="dialog-title"
            )
            signed = form_date(self.signed) if self.signed else t("not recorded")
            yield Static(
                escape(
                    t(
                        "From the effective date on, the mandate may be collected (signed: {signed}). "
                        "A mandate form signed by the debtor must exist: European law requires "
                        "that you can show it.",
                        signed=signed,
                    )
                ),
                id="activate-message",
                classes="dialog-message",
            )
            with Horizontal(id="activate-row"):
                yield Label(t("Effective date"))
                yield Input(
                    form_date(self.default),
                    id="activate-date",
                    placeholder=date_placeholder(),
                    highlighter=SAFE_INPUT,
                    compact=True,
                )
            yield Static("", id="activate-error")
            yield Static(t("Enter to activate · Escape to cancel"), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("Activate"), id="activate-yes", variant="primary", compact=True)
                yield Button(t("Cancel"), id="activate-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#activate-date", Input).focus()

    def chosen(self) -> tuple[dt.date | None, str]:
        """The date typed (empty: the default) and the message when it cannot be used."""
        try:
            date = parse_date(self.query_one("#activate-date", Input).value, "effective date")
        except ValidationError as exc:
            return None, error_text(exc)
        date = date or self.default
        if self.signed and date < self.signed:
            rule = ValidationError("effective date", "must not be before the date signed", form_date(date))
            return None, error_text(rule)
        if self.end and date > self.end:
            rule = ValidationError("effective date", "must not be after the end date", form_date(date))
            return None, error_text(rule)
        return date, ""

    @on(Input.Changed)
    def _changed(self) -> None:
        self.query_one("#activate-error", Static).update(self.chosen()[1])

    @on(Input.Submitted)
    @on(Button.Pressed, "#activate-yes")
    def _activate(self) -> None:
        date, problem = self.chosen()
        self.query_one("#activate-error", Static).update(problem)
        if date is not None:
            self.dismiss(date)

    @on(Button.Pressed, "#activate-no")
    def action_cancel(self) -> None:
        self.dismiss(None)
