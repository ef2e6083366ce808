"""New collection order: administration, debtor (picked by part of a name, number, IBAN or
town), amount, requested date, invoice type and number, remittance text. Returns an OrderInput
(the caller stores it with the orders service on a worker, which checks every field and names
the ones that are wrong)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from incasso_tui.core.errors import ValidationError
from incasso_tui.i18n import t
from incasso_tui.services.collection.orders import OrderInput
from incasso_tui.services.input_rules import parse_date
from screens.modals.form_base import date_placeholder, error_text, form_date
from screens.widgets.debtor_picker import DebtorPicker
from screens.widgets.formatting import SAFE_INPUT, escape
from screens.widgets.translated_bindings import TranslatedBindings

FIELDS = (
    ("administration", "Administration"),
    ("debtor", "Debtor"),
    ("amount", "Amount"),
    ("date", "Requested date"),
    ("invoice_type", "Invoice type"),
    ("invoice", "Invoice number"),
    ("text", "Remittance text"),
)
REQUIRED = ("administration", "debtor", "amount")


def _placeholders() -> dict[str, str]:
    return {
        "administration": t("code, e.g. ZON"),
        "debtor": t("name, number, IBAN or town"),
        "amount": t("e.g. 12,50"),
        "date": f"{date_placeholder()} · {t('empty: today')}",
        "invoice_type": t("optional"),
        "text": t("empty: invoice number"),
    }


class OrderFormScreen(TranslatedBindings, ModalScreen[OrderInput | None]):
    CSS_PATH = "../../styles/modals.tcss"
    # One line per field (compact inputs): the whole form fits an 80x24 terminal.
    DEFAULT_CSS = """
    OrderFormScreen {
        align: center middle;
        background: $background 60%;
        #order-form-box {
            width: 84;
            max-width: 95%;
            height: auto;
            max-height: 95%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        .dialog-title { text-style: bold; color: $accent; padding: 0 0 1 0; }
        .order-row { height: auto; margin: 0 0 1 0; }
        .order-label { width: 20; color: $text-muted; }
        .order-row Input { width: 1fr; }
        #order-fields { height: auto; max-height: 1fr; }
        #order-row-debtor { margin: 0; }
        .field-note { color: $text-muted; height: auto; padding: 0 0 0 20; margin: 0 0 1 0; }
        .field-error { color: $error; height: auto; }
        .dialog-buttons { height: auto; align-horizontal: right; padding: 1 0 0 0; }
        .dialog-buttons Button { margin: 0 0 0 2; }
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="order-form-cancel"),
        Binding("ctrl+s", "save", "Save", id="order-form-save"),
    ]

    def __init__(self, administration: str = "", error: str = "", values: dict | None = None):
        super().__init__()
        self.values = dict(values or {})
        self.values.setdefault("administration", administration)
        self.values["date"] = _shown_date(self.values.get("date", ""))
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="order-form-box", classes="dialog"):
            yield Static(t("New collection order"), classes="dialog-title")
            with VerticalScroll(id="order-fields", can_focus=False):
                yield from self._fields()
            yield Static(escape(self.error), id="order-form-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{t('Save')} (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button(f"{t('Cancel')} (esc)", id="cancel", compact=True)

    def _fields(self) -> ComposeResult:
        placeholders = _placeholders()
        for key, label in FIELDS:
            with Horizontal(classes="order-row", id=f"order-row-{key}"):
                yield Label(t(label), classes="order-label")
                if key == "debtor":
                    yield DebtorPicker(
                        self.values.get(key, ""),
                        input_id="order-debtor",
                        placeholder=placeholders["debtor"],
                        id="order-picker",
                    )
                else:
                    yield Input(
                        self.values.get(key, ""),
                        id=f"order-{key.replace('_', '-')}",
                        placeholder=placeholders.get(key, ""),
                        highlighter=SAFE_INPUT,
                        compact=True,
                    )
            if key == "debtor":
                yield Static("", id="order-debtor-name", classes="field-note")

    def on_mount(self) -> None:
        self.query_one(
            "#order-debtor" if self.values.get("administration") else "#order-administration", Input
        ).focus()

    @on(DebtorPicker.Picked)
    def _picked(self, event: DebtorPicker.Picked) -> None:
        # The debtor belongs to one administration: the form follows it.
        self.query_one("#order-administration", Input).value = event.row.administration
        self.query_one("#order-debtor-name", Static).update(escape(event.row.name))

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter goes to the next field; on the last one it saves (as in every form)."""
        event.stop()
        if event.input is list(self.query(Input))[-1]:
            self.action_save()
        else:
            self.focus_next()

    def field_values(self) -> dict:
        return {
            key: self.query_one(f"#order-{key.replace('_', '-')}", Input).value.strip() for key, _ in FIELDS
        }

    @on(Button.Pressed, "#save")
    def action_save(self, _event=None) -> None:
        v = self.field_values()
        missing = [t(label) for key, label in FIELDS if key in REQUIRED and not v[key]]
        if missing:
            self.query_one("#order-form-error", Static).update(
                t("{field} is required", field=", ".join(missing))
            )
            return
        try:
            requested = parse_date(v["date"], "requested date")
        except ValidationError as exc:
            self.query_one("#order-form-error", Static).update(error_text(exc))
            self.query_one("#order-date", Input).focus()
            return
        self.dismiss(
            OrderInput(
                v["administration"].upper(),
                v["debtor"],
                v["amount"],
                requested,
                v["invoice_type"],
                v["invoice"],
                v["text"],
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self, _event=None) -> None:
        self.dismiss(None)


def _shown_date(text: str) -> str:
    """A date handed back to the form (ISO from the service) in the UI language's way."""
    try:
        return form_date(parse_date(text, "requested date"))
    except ValidationError:
        return text  # as the user typed it: the error says what is wrong
