"""One R-transaction: what the bank said, what the app did, the advice for its code, and the
history of collections and R-transactions of its mandate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from incasso_tui.i18n import t
from incasso_tui.services.feedback.rtransactions import FeedbackDetail, feedback_detail
from screens.widgets.app_ref import incasso_app
from screens.widgets.formatting import date_text, escape, money_text
from screens.widgets.paged_table import SafeTable
from screens.widgets.translated_bindings import TranslatedBindings

if TYPE_CHECKING:
    from incasso_tui.app import IncassoApp


def detail_lines(fb: FeedbackDetail) -> list[str]:
    """The R-transaction as lines of markup, in the UI language."""
    lines = [
        f"[b]{t(fb.kind)} {escape(fb.reason_code or '-')}[/b] — {escape(fb.reason_name)}",
        (
            f"{t('Date')}: {date_text(fb.date)}   {t('Amount')}: {money_text(fb.amount_cents)}   "
            f"{t('Source')}: {escape(fb.source)} {escape(fb.source_file)}"
        ),
        (
            f"{t('Reference')}: {escape(fb.source_ref or '-')}   {t('Mandate')}: "
            f"{escape(fb.mandate_reference or '-')}   {t('Order')}: {fb.order_id or '-'}"
        ),
        f"{t('Action')}: {escape(fb.action_label)} — {escape(fb.action_effect)}",
        f"{t('Advice')}: {escape(fb.advice)}",
    ]
    if fb.reason_text:
        lines.append(f"{t('Bank text')}: {escape(fb.reason_text)}")
    if fb.flag:
        lines.append(f"[yellow]{t('Attention')}: {escape(fb.flag.upper())} {escape(fb.note)}[/yellow]")
    elif fb.note:
        lines.append(f"{t('Note')}: {escape(fb.note)}")
    if not fb.matched:
        lines.append(f"[yellow]{t('Matched no order of ours')}[/yellow]")
    if fb.needs_decision:
        lines.append(f"[yellow]{t('Waits for a decision (d in the list)')}[/yellow]")
    return lines


class FeedbackDetailScreen(TranslatedBindings, ModalScreen[None]):
    CSS_PATH = "../../styles/feedback.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="feedback-detail-close")]

    def __init__(self, feedback_id: int) -> None:
        super().__init__()
        self.feedback_id = feedback_id

    @property
    def incasso(self) -> IncassoApp:
        return incasso_app(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="feedback-detail-box", classes="dialog"):
            yield Static(t("R-transaction {id}", id=self.feedback_id), classes="dialog-title")
            yield Static(t("Loading…"), id="feedback-detail")
            yield Static(t("History of the mandate"), classes="dialog-message")
            yield SafeTable(id="feedback-history", cursor_type="row", zebra_stripes=True)
            yield Static(t("Escape closes"), classes="dialog-hint")

    def on_mount(self) -> None:
        app = self.incasso
        language = app.session.config.language

        def job() -> None:
            result = app.call_service(feedback_detail, app.actor, self.feedback_id, language)
            app.call_from_thread(self._show, result)

        self.run_worker(job, thread=True, exit_on_error=False)

    def _show(self, detail: FeedbackDetail) -> None:
        self.query_one("#feedback-detail", Static).update("\n".join(detail_lines(detail)))
        table = self.query_one("#feedback-history", DataTable)
        table.add_columns(
            t("Date"), t("What"), t("Order"), t("EndToEndId"), t("Seq."), t("Amount"), t("Status")
        )
        for h in detail.history:
            table.add_row(
                date_text(h.date),
                t(h.what),
                str(h.order_id),
                h.end_to_end_id,
                h.sequence_type,
                money_text(h.amount_cents),
                t(h.status),
            )
        table.focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.incasso.on_worker_state_changed(event)

    def action_close(self) -> None:
        self.dismiss(None)
