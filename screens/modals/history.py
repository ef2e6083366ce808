"""A mandate's history from the audit trail: who changed what, when, old -> new."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from incasso_tui.i18n import t
from incasso_tui.services.mandates.lifecycle import MandateStatus
from screens.widgets.formatting import date_text, escape

# Field names in the audit trail -> what the user calls them.
FIELD_LABELS = {
    "signed_date": "Date signed",
    "effective_date": "Effective date",
    "end_date": "End date",
    "last_collection_date": "Last collection",
    "external_reference": "External reference",
    "invoice_type": "Invoice type",
    "b2b_registered": "B2B registered",
    "recurrent": "Kind",
    "amend_iban": "Amendment: previous IBAN",
    "amend_smnda": "Amendment: other bank (SMNDA)",
    "form_printed_at": "Form printed",
    "status_reason": "Status reason",
    "reference": "Reference",
    "scheme": "Scheme",
    "status": "Status",
    "reason": "Reason",
    "debtor IBAN": "Debtor IBAN",
}
# Values shown in the UI language (the statuses a mandate moves through by its dates).
_TRANSLATED = {MandateStatus.ACTIVE, MandateStatus.INACTIVE, MandateStatus.ENDED, MandateStatus.EXPIRED}


def history_lines(history) -> list[str]:
    """Markup lines for a history (newest first)."""
    lines = []
    for entry in history:
        lines.append(
            f"[b]{date_text(entry['at'])}[/b]  {escape(entry['user'])}  "
            f"{escape(entry['summary'] or entry['action'])}"
        )
        for field, (old, new) in (entry.get("changes") or {}).items():
            label = t(FIELD_LABELS.get(field, field))
            lines.append(f"    {escape(label)}: {escape(_value(old))} → {escape(_value(new))}")
    return lines or [t("No changes recorded.")]


def _value(value) -> str:
    if value in (None, ""):
        return "–"
    if value is True:
        return t("yes")
    if value is False:
        return t("no")
    return t(str(value)) if str(value) in _TRANSLATED else str(value)


class HistoryScreen(ModalScreen[None]):
    CSS_PATH = "../../styles/modals.tcss"
    BINDINGS = [Binding("escape,q,h", "dismiss", t("Close"), id="history-close")]

    def __init__(self, title: str, history) -> None:
        super().__init__()
        self.title_text, self.history = title, history

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            with VerticalScroll(id="history-scroll"):
                yield Static("\n".join(history_lines(self.history)), id="history-text")
            yield Static(t("Escape to close"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#history-scroll").focus()
