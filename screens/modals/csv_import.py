"""Importing a CSV file of debtors or mandates from the TUI: the same import as
`incasso import …`, all or nothing unless "skip invalid rows" is ticked."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from incasso_tui.core.errors import IncassoError
from incasso_tui.core.terminal_text import fragment
from incasso_tui.i18n import t
from incasso_tui.services.imports import csv_file as csv_import
from incasso_tui.services.imports import run as import_run
from screens.base import error_message, run_refusable
from screens.widgets.app_ref import incasso_app
from screens.widgets.formatting import escape
from screens.widgets.translated_bindings import TranslatedBindings


class ImportScreen(TranslatedBindings, ModalScreen[csv_import.ImportResult | None]):
    CSS_PATH = "../../styles/modals.tcss"
    BINDINGS = [
        Binding("ctrl+s", "run", "Import", priority=True, id="import-run"),
        Binding("escape", "close", "Close", id="import-close"),
    ]

    def __init__(self, kind: str = "debtors"):
        super().__init__()
        self.kind = kind
        self.result: csv_import.ImportResult | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box", classes="dialog"):
            yield Static(t("Import a CSV file"), classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label(t("Import"), classes="form-label")
                yield Select(
                    [(t(kind), kind) for kind in import_run.kind_names()],
                    value=self.kind,
                    allow_blank=False,
                    id="import-kind",
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Label(t("CSV file"), classes="form-label")
                yield Input(
                    placeholder=t("path of the file, e.g. ~/debiteuren.csv"), id="import-path", compact=True
                )
            with Horizontal(classes="form-row"):
                yield Label("", classes="form-label")
                yield Checkbox(
                    t("skip invalid rows (default: store nothing when a row is invalid)"), id="import-skip"
                )
            yield Static(
                t("UTF-8, separated by ; or , with a header row; the columns are in docs/csv-import.md."),
                classes="dialog-hint",
            )
            with VerticalScroll(id="import-result-box"):
                yield Static("", id="import-result")
            yield Static(t("Ctrl+S or Enter import · Escape close"), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("Import"), id="import-go", variant="primary")
                yield Button(t("Close"), id="import-cancel")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#import-go")
    def _go(self) -> None:
        self.action_run()

    @on(Button.Pressed, "#import-cancel")
    def _cancel(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        if self.running:  # the import finishes (or stores nothing) whatever the screen does
            self.notify(t("The import is still running…"), timeout=3)
            return
        self.dismiss(self.result)

    def action_run(self) -> None:
        path = self.query_one("#import-path", Input).value.strip()
        if self.running:
            return
        if not path:
            self._show(f"[red]{t('enter the path of the CSV file')}[/red]")
            return
        from pathlib import Path

        kind = str(self.query_one("#import-kind", Select).value)
        skip = self.query_one("#import-skip", Checkbox).value
        self.running = True
        self._show(t("Importing…"))
        run_refusable(
            self,
            import_run.run_import,
            incasso_app(self).actor,
            kind,
            Path(path).expanduser(),
            skip_invalid=skip,
            ok=self._done,
            refused=self._failed,
            group="import",
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:  # unexpected: reported by the App
            self.running = False
            incasso_app(self).on_worker_state_changed(event)

    def _failed(self, error: IncassoError) -> None:
        self.running = False
        if not self.is_attached:
            return
        self._show(f"[red]{escape(error_message(error))}[/red]")

    def _done(self, result: csv_import.ImportResult) -> None:
        self.running = False
        if not self.is_attached:
            return
        if result.stored:
            self.result = result
        lines = []
        if result.errors and not result.stored:
            lines.append(f"[red]{t('{n} errors: nothing was stored.', n=len(result.errors))}[/red]")
        else:
            lines.append(f"[green]{t('{n} {kind} imported.', n=result.stored, kind=t(result.kind))}[/green]")
            if result.skipped:
                lines.append(t("{n} invalid lines skipped:", n=result.skipped))
        for error in result.errors:
            lines.append(escape(_error_line(error)))
        self._show("\n".join(lines))

    def _show(self, text: str) -> None:
        self.query_one("#import-result", Static).update(text)


def _error_line(error: csv_import.RowError) -> str:
    where = t("line {n}", n=error.line) + (f", {t('column')} {error.column}" if error.column else "")
    value = f" ('{fragment(error.value)}')" if error.value not in (None, "") else ""  # short
    return f"{where}: {t(error.rule)}{value}"
