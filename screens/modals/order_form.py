"""New collection order: administration, debtor number, amount, requested date, invoice type
and number, remittance text. Returns an OrderInput (the caller stores it with the orders
service on a worker, which checks every field and names the ones that are wrong)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from incasso_tui.i18n import t
from incasso_tui.services.collection.orders import OrderInput
from screens.widgets.translated_bindings import TranslatedBindings

FIELDS = (
    ("administration", "Administration"),
    ("debtor", "Debtor number"),
    ("amount", "Amount (e.g. 12,50)"),
    ("date", "Requested date (YYYY-MM-DD, empty: today)"),
    ("invoice_type", "Invoice type (optional)"),
    ("invoice", "Invoice number"),
    ("text", "Remittance text (empty: invoice number)"),
)


class OrderFormScreen(TranslatedBindings, ModalScreen[OrderInput | None]):
    CSS_PATH = "../../styles/modals.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="order-form-cancel"),
        Binding("ctrl+s", "save", "Save", id="order-form-save"),
    ]

    def __init__(self, administration: str = "", error: str = "", values: dict | None = None):
        super().__init__()
        self.values = dict(values or {})
        self.values.setdefault("administration", administration)
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="order-form-box", classes="dialog"):
            yield Static(t("New collection order"), classes="dialog-title")
            for key, label in FIELDS:
                yield Static(t(label), classes="dialog-message")
                yield Input(self.values.get(key, ""), id=f"order-{key.replace('_', '-')}")
            yield Static(self.error, id="order-form-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{t('Save')} (ctrl+s)", id="save", variant="primary")
                yield Button(f"{t('Cancel')} (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(
            "#order-debtor" if self.values.get("administration") else "#order-administration", Input
        ).focus()

    def field_values(self) -> dict:
        return {
            key: self.query_one(f"#order-{key.replace('_', '-')}", Input).value.strip() for key, _ in FIELDS
        }

    @on(Button.Pressed, "#save")
    def action_save(self, _event=None) -> None:
        v = self.field_values()
        missing = [t(label) for key, label in FIELDS[:3] if not v[key]]
        if missing:
            self.query_one("#order-form-error", Static).update(
                t("{field} is required", field=", ".join(missing))
            )
            return
        self.dismiss(
            OrderInput(
                v["administration"].upper(),
                v["debtor"],
                v["amount"],
                v["date"] or None,
                v["invoice_type"],
                v["invoice"],
                v["text"],
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self, _event=None) -> None:
        self.dismiss(None)
