"""Import a bank file (pain.002, camt.053/054): type the path, see every change it will make,
confirm. The preview and the import are the same service (a dry run first), on a worker."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Static
from textual.worker import Worker, WorkerState

from incasso_tui.core.errors import IncassoError
from incasso_tui.i18n import t, tn
from incasso_tui.services.feedback.importing import ImportReport, import_feedback
from incasso_tui.services.feedback.reversals import Effect
from screens.base import error_message, run_refusable
from screens.widgets.app_ref import incasso_app
from screens.widgets.formatting import escape, money_text
from screens.widgets.paged_table import SafeTable
from screens.widgets.translated_bindings import TranslatedBindings

if TYPE_CHECKING:
    from incasso_tui.app import IncassoApp


class FeedbackImportScreen(TranslatedBindings, ModalScreen[ImportReport | None]):
    CSS_PATH = "../../styles/feedback.tcss"
    BINDINGS = [
        Binding("ctrl+s", "confirm", "Confirm import", priority=True, id="feedback-import-confirm"),
        Binding("escape", "close", "Close", id="feedback-import-close"),
    ]

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.path = path
        self.preview: ImportReport | None = None
        self.result: ImportReport | None = None
        self.running = False

    @property
    def incasso(self) -> IncassoApp:
        return incasso_app(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="feedback-import-box", classes="dialog"):
            yield Static(t("Import a bank file"), classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label(t("File"), classes="form-label")
                yield Input(
                    self.path,
                    placeholder=t("path of a pain.002, camt.053 or camt.054 file"),
                    id="feedback-path",
                    compact=True,
                )
            yield Static(
                t("Enter shows what the file will change; nothing is stored until you confirm."),
                id="feedback-summary",
                classes="dialog-message",
            )
            table = SafeTable(id="feedback-effects", cursor_type="row", zebra_stripes=True)
            table.display = False
            yield table
            with VerticalScroll(id="feedback-notes-box"):
                yield Static("", id="feedback-notes")
            yield Static(t("Enter preview · Ctrl+S confirm · Escape close"), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("Preview"), id="feedback-preview", compact=True)
                yield Button(
                    t("Confirm import"), id="feedback-confirm", variant="primary", compact=True, disabled=True
                )
                yield Button(t("Close"), id="feedback-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#feedback-path", Input).focus()
        if self.path:
            self.action_preview()

    @on(Input.Submitted, "#feedback-path")
    @on(Button.Pressed, "#feedback-preview")
    def action_preview(self) -> None:
        self._run(dry_run=True)

    @on(Button.Pressed, "#feedback-confirm")
    def action_confirm(self) -> None:
        if self.preview is None or self.preview.already_imported or self.result is not None:
            self.notify(t("Preview the file first (Enter)"), timeout=3)
            return
        self._run(dry_run=False)

    @on(Button.Pressed, "#feedback-close")
    def action_close(self) -> None:
        if self.running:
            self.notify(t("The import is still running…"), timeout=3)
            return
        self.dismiss(self.result)

    def _run(self, dry_run: bool) -> None:
        text = self.query_one("#feedback-path", Input).value.strip()
        if self.running:
            return
        if not text:
            self._summary(f"[red]{t('enter the path of the bank file')}[/red]")
            return
        path = Path(text).expanduser()
        if (
            not dry_run
            and self.preview is not None
            and self.preview.sha256
            and path.name != self.preview.file
        ):
            self._summary(f"[red]{t('the path changed since the preview: preview again')}[/red]")
            return
        self.running = True
        self._summary(t("Reading the file…") if dry_run else t("Importing…"))
        run_refusable(
            self,
            import_feedback,
            self.incasso.actor,
            path,
            dry_run=dry_run,
            ok=self._shown,
            refused=self._failed,
            group="feedback-import",
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:  # unexpected: reported by the App
            self.running = False
            self.incasso.on_worker_state_changed(event)

    def _failed(self, error: IncassoError) -> None:
        self.running = False
        if self.is_attached:
            self.preview = None
            self.query_one("#feedback-confirm", Button).disabled = True
            self._summary(f"[red]{escape(error_message(error))}[/red]")

    def _shown(self, report: ImportReport) -> None:
        self.running = False
        if not self.is_attached:
            return
        if report.dry_run:
            self.preview = report
        else:
            self.result = report
            self.notify(t("Bank file imported: {summary}", summary=summary_text(report)))
        confirm = self.query_one("#feedback-confirm", Button)
        confirm.disabled = (
            not report.dry_run or bool(report.already_imported) or not (report.effects or report.unmatched)
        )
        colour = "yellow" if report.already_imported else ("green" if not report.dry_run else "")
        summary = escape(summary_text(report))
        self._summary(f"[{colour}]{summary}[/{colour}]" if colour else summary)
        self._fill(report)

    def _summary(self, text: str) -> None:
        self.query_one("#feedback-summary", Static).update(text)

    def _fill(self, report: ImportReport) -> None:
        table = self.query_one("#feedback-effects", DataTable)
        table.clear(columns=True)
        table.add_columns(
            t("Order"),
            t("EndToEndId"),
            t("Debtor"),
            t("Amount"),
            t("Kind"),
            t("Code"),
            t("Order status"),
            t("Mandate"),
            t("Next collection"),
        )
        for e in report.effects:
            mandate = (
                f"{e.mandate_reference}: {t(e.mandate_status[0])} → {t(e.mandate_status[1])}"
                if e.mandate_status
                else e.mandate_reference or ""
            )
            table.add_row(
                str(e.order_id),
                e.end_to_end_id or "",
                f"{e.debtor_number} {e.debtor_name}",
                Text(money_text(e.amount_cents), justify="right"),
                t(e.kind),
                e.reason_code,
                f"{t(e.order_status[0])} → {t(e.order_status[1])}",
                mandate,
                _next(e),
            )
        table.display = bool(report.effects)
        lines = []
        if report.unmatched:
            lines.append(
                f"[b]{t('Not matched ({n}) — recorded for a person to decide', n=report.unmatched_count)}[/b]"
            )
            lines += [escape(f"  {u.reference} {u.reason_code}: {u.why}") for u in report.unmatched]
        if report.skipped:
            lines.append(f"[b]{t('Skipped ({n})', n=report.skipped_count)}[/b]")
            lines += [escape(f"  {s}") for s in report.skipped]
        if report.notes:
            lines += [escape(f"{t('Note')}: {n}") for n in report.notes]
        if report.needs_decision:
            lines.append(
                t("{n} with an unknown reason code: listed under To decide", n=report.needs_decision)
            )
        self.query_one("#feedback-notes", Static).update("\n".join(lines))


def summary_text(report: ImportReport) -> str:
    """The report's summary in the UI language."""
    if report.already_imported:
        return t(
            "{file}: already imported {when}; nothing changed", file=report.file, when=report.already_imported
        )
    text = tn(
        "{file} ({version}, {msg}): {n} R-transaction, {accepted} accepted",
        "{file} ({version}, {msg}): {n} R-transactions, {accepted} accepted",
        report.items,
        file=report.file,
        version=report.version,
        msg=report.message_id,
        accepted=report.accepted,
    )
    orders = tn("{n} order", "{n} orders", len(report.effects))
    mandates = tn("{n} mandate", "{n} mandates", report.mandates_changed)
    if report.dry_run:
        changed = t("would change {orders} and {mandates}", orders=orders, mandates=mandates)
    else:
        changed = t("changed {orders} and {mandates}", orders=orders, mandates=mandates)
    rest = t(
        "{unmatched} unmatched, {skipped} skipped, {decide} to decide",
        unmatched=report.unmatched_count,
        skipped=report.skipped_count,
        decide=report.needs_decision,
    )
    return f"{text}; {changed}; {rest}"


def _next(effect: Effect) -> str:
    parts = []
    if effect.next_sequence:
        parts.append(effect.next_sequence)
    if effect.restore_last_collection:
        _old, new = effect.restore_last_collection
        parts.append(f"{t('last collection')} {new.isoformat() if new else '-'}")
    if effect.flag:
        parts.append(effect.flag.upper())
    return "; ".join(parts)
