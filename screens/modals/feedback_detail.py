"""One R-transaction: what the bank said, what the app did, the advice for its code, and the
history of collections and R-transactions of its mandate."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from incasso_tui.i18n import t
from screens.widgets.formatting import date_text, money_text


def _load(actor, feedback_id: int, language: str) -> tuple[list[str], list]:
    """Runs on a worker: the lines to show and the mandate's history."""
    from incasso_tui.rules import reason_codes as rc
    from incasso_tui.services.feedback.rtransactions import collection_history, get_feedback

    fb = get_feedback(actor, feedback_id)
    code = rc.lookup(fb.reason_code)
    name = code.name_nl if language == "nl" else code.name_en
    advice = code.advice_nl if language == "nl" else code.advice_en
    lines = [
        f"[b]{t(fb.kind)} {escape(fb.reason_code or '-')}[/b] — {escape(name)}",
        (
            f"{t('Date')}: {date_text(fb.date)}   {t('Amount')}: {money_text(fb.amount_cents)}   "
            f"{t('Source')}: {escape(fb.source)} {escape(fb.source_file or '')}"
        ),
        (
            f"{t('Reference')}: {escape(fb.source_ref or '-')}   {t('Mandate')}: "
            f"{escape(fb.mandate_reference or '-')}   {t('Order')}: {fb.order_id or '-'}"
        ),
        (
            f"{t('Action')}: {escape(_action_label(rc, fb.action, language))} — "
            f"{escape(rc.ACTIONS.get(fb.action, ('', '', ''))[2])}"
        ),
        f"{t('Advice')}: {escape(advice)}",
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
    history = collection_history(actor, mandate_id=fb.mandate_id) if fb.mandate_id else []
    return lines, history


def _action_label(rc, action: str, language: str) -> str:
    labels = rc.ACTIONS.get(action)
    if labels is None:
        return action
    return labels[1] if language == "nl" else labels[0]


class FeedbackDetailScreen(ModalScreen[None]):
    CSS_PATH = "../../styles/feedback.tcss"
    BINDINGS = [Binding("escape", "close", t("Close"), id="feedback-detail-close")]

    def __init__(self, feedback_id: int) -> None:
        super().__init__()
        self.feedback_id = feedback_id

    def compose(self) -> ComposeResult:
        with Vertical(id="feedback-detail-box", classes="dialog"):
            yield Static(t("R-transaction {id}", id=self.feedback_id), classes="dialog-title")
            yield Static(t("Loading…"), id="feedback-detail")
            yield Static(t("History of the mandate"), classes="dialog-message")
            yield DataTable(id="feedback-history", cursor_type="row", zebra_stripes=True)
            yield Static(t("Escape closes"), classes="dialog-hint")

    def on_mount(self) -> None:
        app = self.app
        language = app.session.config.language  # type: ignore[attr-defined]

        def job() -> None:
            result = app.call_service(_load, app.actor, self.feedback_id, language)  # type: ignore[attr-defined]
            app.call_from_thread(self._show, *result)

        self.run_worker(job, thread=True, exit_on_error=False)

    def _show(self, lines: list[str], history: list) -> None:
        self.query_one("#feedback-detail", Static).update("\n".join(lines))
        table = self.query_one("#feedback-history", DataTable)
        table.add_columns(
            t("Date"), t("What"), t("Order"), t("EndToEndId"), t("Seq."), t("Amount"), t("Status")
        )
        for h in history:
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

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR:
            self.app.on_worker_state_changed(event)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.dismiss(None)
