"""Export a list (ctrl+e): choose CSV or XLSX and the file; the export runs on a worker with the
list's current filter and search, and says how many rows went where (or which rule the file
name broke)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from incasso_tui.i18n import t
from incasso_tui.services.exports.run import ExportResult, default_path, export_list
from screens.base import run_refusable
from screens.widgets.app_ref import incasso_app
from screens.widgets.formatting import SAFE_INPUT, escape
from screens.widgets.translated_bindings import TranslatedBindings

FORMATS = ("csv", "xlsx")


class ExportScreen(TranslatedBindings, ModalScreen[ExportResult | None]):
    """Returns the result, or None on Escape."""

    # Its own rules (the shared dialog look: centred box, title, hint), nested in the screen.
    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
        background: $background 60%;

        #export-box {
            width: 84;
            max-width: 95%;
            height: auto;
            max-height: 95%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        .dialog-title {
            text-style: bold;
            color: $accent;
            padding: 0 0 1 0;
        }
        .dialog-hint {
            color: $text-muted;
            padding: 1 0 0 0;
        }
        #export-format {
            width: 100%;
            margin: 0 0 1 0;
        }
        .field-error {
            color: $error;
        }
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export-cancel")]

    def __init__(self, list_name: str, flt: Any, title: str) -> None:
        super().__init__()
        self.list_name, self.flt, self.title_text = list_name, flt, title
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="dialog"):
            yield Static(escape(t("Export {list}", list=self.title_text)), classes="dialog-title")
            yield Static(
                t("Every row the list shows with its current filter and search."), classes="dialog-message"
            )
            with RadioSet(id="export-format"):
                yield RadioButton(t("CSV (spreadsheet, ; separated)"), value=True, id="export-csv")
                yield RadioButton(t("XLSX (Excel workbook)"), id="export-xlsx")
            yield Static(t("File"), classes="dialog-message")
            yield Input(str(default_path(self.list_name, "csv")), id="export-path", highlighter=SAFE_INPUT)
            yield Static("", id="export-error", classes="field-error")
            yield Static(t("Enter to export · Tab to the format · Escape to cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @property
    def fmt(self) -> str:
        return "xlsx" if self.query_one("#export-xlsx", RadioButton).value else "csv"

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self) -> None:
        # The file name follows the format while it ends in the other format's extension.
        field = self.query_one("#export-path", Input)
        path = Path(field.value)
        if path.suffix.lower().lstrip(".") in FORMATS:
            field.value = str(path.with_suffix(f".{self.fmt}"))

    @on(Input.Submitted, "#export-path")
    def _submitted(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.query_one("#export-error", Static).update(t("Exporting…"))
        run_refusable(
            self,
            export_list,
            incasso_app(self).actor,
            self.list_name,
            self.flt,
            self.query_one("#export-path", Input).value,
            self.fmt,
            ok=self._done,
            refused=self._refused,
            group="export",
        )

    def _done(self, result: ExportResult) -> None:
        self.app.notify(escape(t("{n} rows exported to {path}", n=result.rows, path=str(result.path))))
        self.dismiss(result)

    def _refused(self, error: Exception) -> None:
        self.busy = False
        self.query_one("#export-error", Static).update(escape(str(error)))

    def action_cancel(self) -> None:
        self.dismiss(None)
