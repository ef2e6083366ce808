"""The reason-code table: for each ISO code what it means, what the app does on import and
what a person should do (read-only; the table comes from the feedback services)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from incasso_tui.i18n import t
from incasso_tui.services.feedback.codes import ReasonCodeRow, reason_code_table
from screens.widgets.app_ref import incasso_app
from screens.widgets.translated_bindings import TranslatedBindings

if TYPE_CHECKING:
    from incasso_tui.app import IncassoApp


class ReasonCodesScreen(TranslatedBindings, ModalScreen[None]):
    CSS_PATH = "../../styles/feedback.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="reason-codes-close")]

    @property
    def incasso(self) -> IncassoApp:
        return incasso_app(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-codes-box", classes="dialog"):
            yield Static(t("Reason codes and what the app does"), classes="dialog-title")
            yield DataTable(id="reason-codes", cursor_type="row", zebra_stripes=True)
            yield Static("", id="reason-effect", classes="dialog-message")
            yield Static(
                t("Unknown codes are recorded and listed under To decide. Escape closes."),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.rows: list[ReasonCodeRow] = reason_code_table(self.incasso.session.config.language)
        table = self.query_one(DataTable)
        table.add_columns(t("Code"), t("Meaning"), t("Action"), t("Advice"))
        for row in self.rows:
            table.add_row(row["code"], row["name"], row["action_label"], row["advice"], key=row["code"])
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows[event.cursor_row] if 0 <= event.cursor_row < len(self.rows) else None
        self.query_one("#reason-effect", Static).update(row["effect"] if row else "")

    def action_close(self) -> None:
        self.dismiss(None)
