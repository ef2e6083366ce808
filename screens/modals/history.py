"""An object's history from the audit trail (a mandate, debtor, order, set, administration,
bank group or user): who changed what, when, old -> new."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from incasso_tui.i18n import t
from incasso_tui.services.exports.columns import HISTORY_FIELD_LABELS
from incasso_tui.services.mandates.lifecycle import MandateStatus
from screens.base import error_message
from screens.widgets.formatting import date_text, escape
from screens.widgets.translated_bindings import TranslatedBindings

# Field names in the audit trail -> what the user calls them (one table: the export uses it too).
FIELD_LABELS = HISTORY_FIELD_LABELS
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


def open_history(owner, kind: str, object_id: int | str, title: str) -> None:
    """Read the object's history on a worker of `owner` (a screen), then show it; ctrl+e in
    the modal exports it (the audit list, narrowed to the object)."""
    from incasso_tui.services.audit_trail import AuditFilter, object_history
    from screens.base import run_refusable

    def show(history) -> None:
        owner.app.push_screen(HistoryScreen(title, history, ("audit", AuditFilter(kind, str(object_id)))))

    def refused(exc) -> None:
        owner.notify(escape(error_message(exc)), severity="error", timeout=8)

    run_refusable(
        owner, object_history, owner.incasso.actor, kind, object_id, ok=show, refused=refused, group="history"
    )


def _value(value) -> str:
    if value in (None, ""):
        return "–"
    if value is True:
        return t("yes")
    if value is False:
        return t("no")
    return t(str(value)) if str(value) in _TRANSLATED else str(value)


value_text = _value  # the Audit screen shows values the same way


class HistoryScreen(TranslatedBindings, ModalScreen[None]):
    CSS_PATH = "../../styles/modals.tcss"
    BINDINGS = [
        Binding("escape,q,h", "dismiss", "Close", id="history-close"),
        Binding("ctrl+e", "export", "Export", id="history-export"),
    ]

    def __init__(self, title: str, history, export: tuple[str, Any] | None = None) -> None:
        """`export`: the list name and filter that export this history (ctrl+e), if any."""
        super().__init__()
        self.title_text, self.history, self.export = title, history, export

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            with VerticalScroll(id="history-scroll"):
                yield Static("\n".join(history_lines(self.history)), id="history-text")
            yield Static(t("Escape to close"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#history-scroll").focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "export":
            return self.export is not None
        return True

    def action_export(self) -> None:
        from screens.modals.export import ExportScreen

        if self.export is not None:
            self.app.push_screen(ExportScreen(self.export[0], self.export[1], self.title_text))
