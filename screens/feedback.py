"""Bank feedback: every R-transaction (reject, return, refund, reversal) with filters, the
import of a bank file with a preview, decisions on what the app could not act on, and the
reason-code table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from incasso_tui.i18n import t
from incasso_tui.services.feedback.codes import action_label, reversal_kinds
from incasso_tui.services.feedback.rtransactions import (
    FeedbackAction,
    FeedbackFilter,
    FeedbackRow,
    feedback_actions,
    search_feedback,
)
from incasso_tui.services.paging import Page
from screens.list_screen import ListScreen
from screens.widgets.filters import AdministrationFilterMixin, cycle
from screens.widgets.formatting import date_text, money_text
from screens.widgets.paged_table import Column

if TYPE_CHECKING:
    from screens.base import AreaScreen

# The list's keys and the action each needs from the service.
_KEY_ACTIONS = {
    "import_file": FeedbackAction.IMPORT,
    "decide": FeedbackAction.DECIDE,
    "collect_again": FeedbackAction.COLLECT_AGAIN,
}


class FeedbackScreen(AdministrationFilterMixin, ListScreen):
    AREA = "feedback"
    TITLE = "Bank feedback"
    SEARCH_PLACEHOLDER = "Search end-to-end id, mandate reference or debtor"
    EXPORT = "feedback"
    HELP = """
# Bank feedback (R-transactions)

Everything that came back after a file left: rejects before settlement (pain.002), returns
and refunds from the statement (camt.053/054), and reversals entered by hand.

**i** imports a bank file: type its path, look at the preview of every change it makes
(orders, mandates, references that match nothing), then confirm with **Ctrl+S**. The same
file twice changes nothing.

Filters: **t** kind, **r** reason code, **p** period, **a** administration, **o** only what
waits for a decision (unknown codes, unmatched references), **x** clears them.
**Enter** shows the R-transaction with the advice for its code and the mandate's history.
**d** records a decision on an open item, **e** collects the order again (herincasso),
**c** shows the reason-code table: what the app does for each code.
"""
    BINDINGS = [
        Binding("i", "import_file", "Import file", id="feedback-import"),
        Binding("t", "cycle_kind", "Kind filter", id="feedback-kind"),
        Binding("r", "reason_filter", "Reason filter", id="feedback-reason"),
        Binding("p", "period", "Period", id="feedback-period"),
        Binding("a", "cycle_administration", "Administration filter", id="feedback-administration"),
        Binding("o", "toggle_open", "To decide", id="feedback-open"),
        Binding("x", "clear_filters", "Clear filters", id="feedback-clear"),
        Binding("d", "decide", "Decide", id="feedback-decide"),
        Binding("e", "collect_again", "Collect again", id="feedback-again"),
        Binding("c", "codes", "Reason codes", id="feedback-codes"),
    ]

    def __init__(self, open_only: bool = False) -> None:
        super().__init__()
        self.kind: str | None = None
        self.reason: str | None = None
        self.period: tuple[dt.date | None, dt.date | None] = (None, None)
        self.open_only = open_only

    def on_mount(self) -> None:
        super().on_mount()
        self.load_administrations()

    def columns(self) -> list[Column]:
        return [
            Column("date", t("Date"), 10),
            Column("kind", t("Kind"), 9),
            Column("code", t("Code"), 5),
            Column("action", t("Action"), 22),
            Column("amount", t("Amount"), 11),
            Column("order", t("Order"), 7),
            Column("adm", t("Adm."), 6),  # short: the column holds a code
            Column("debtor", t("Debtor"), 22),
            Column("mandate", t("Mandate"), 14),
            Column("source", t("Source"), 9),
            Column("ref", t("Reference"), 18),
            Column("open", t("To decide"), 6),
        ]

    def list_filter(self) -> FeedbackFilter:
        return FeedbackFilter(
            kind=self.kind,
            reason_code=self.reason,
            administration_id=self.incasso.administration_filter,
            date_from=self.period[0],
            date_to=self.period[1],
            open_only=self.open_only,
            search=self.search_text,
        )

    def fetch(self, offset: int, limit: int) -> Page[FeedbackRow]:
        return search_feedback(self.incasso.actor, self.list_filter(), offset, limit)

    def cells(self, r: FeedbackRow) -> tuple[str | Text, ...]:
        label = action_label(r.action, self.incasso.session.config.language)
        open_mark = Text(t("yes"), style="bold yellow") if r.needs_decision else ""
        return (
            date_text(r.date),
            t(r.kind),
            r.reason_code,
            label,
            Text(money_text(r.amount_cents), justify="right"),
            str(r.order_id or "-"),
            r.administration,
            f"{r.debtor_number} {r.debtor_name}".strip(),
            r.mandate_reference,
            r.source,
            r.source_ref,
            open_mark,
        )

    def filter_text(self) -> str:
        parts = [
            f"{t('Kind')}: {t(self.kind)}" if self.kind else "",
            f"{t('Code')}: {self.reason}" if self.reason else "",
            f"{t('Period')}: {_period_text(self.period)}" if any(self.period) else "",
            t("only what waits for a decision") if self.open_only else "",
        ]
        return "   ".join(p for p in parts if p)

    # --- filters ---------------------------------------------------------------------------
    def action_cycle_kind(self) -> None:
        self.kind = cycle(reversal_kinds(), self.kind)
        self.reload()

    def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        self.reload()

    def action_reason_filter(self) -> None:
        from screens.modals.prompt import PromptScreen

        def entered(text: str | None) -> None:
            if text is not None:
                self.reason = text.strip().upper() or None
                self.reload()

        self.app.push_screen(
            PromptScreen(
                t("Reason filter"),
                t("Reason code, e.g. AM04 (empty: all)"),
                self.reason or "",
                check=lambda text: (
                    None
                    if (len(text.strip()) in (0, 4) and text.strip().isalnum()) or not text.strip()
                    else t("a reason code has four letters or digits")
                ),
            ),
            entered,
        )

    def action_period(self) -> None:
        from screens.modals.prompt import PromptScreen

        def entered(text: str | None) -> None:
            if text is not None:
                self.period = _parse_period(text)
                self.reload()

        self.app.push_screen(
            PromptScreen(
                t("Period"),
                t("From and to, e.g. 2026-11-01..2026-11-30 (one side may be empty; empty: all)"),
                _period_text(self.period),
                check=_period_error,
            ),
            entered,
        )

    def action_clear_filters(self) -> None:
        self.kind = self.reason = None
        self.period = (None, None)
        self.open_only = False
        self.clear_administration()
        self.reload()

    # --- actions ---------------------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#list")
    def _row_highlighted(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#list")
    def _row_selected(self) -> None:
        self.action_show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needed = _KEY_ACTIONS.get(action)
        if needed is not None:
            if not feedback_actions(self.incasso.actor):
                return False  # the role may not process: hidden, not dimmed
            return True if needed in feedback_actions(self.incasso.actor, self.current_row()) else None
        return super().check_action(action, parameters)

    def action_import_file(self) -> None:
        from screens.modals.feedback_import import FeedbackImportScreen

        def closed(report: object) -> None:
            if report is not None:
                self.reload()

        self.app.push_screen(FeedbackImportScreen(), closed)

    def action_show(self) -> None:
        from screens.modals.feedback_detail import FeedbackDetailScreen

        row = self.current_row()
        if row is not None:
            self.app.push_screen(FeedbackDetailScreen(row.id))

    def action_decide(self) -> None:
        from incasso_tui.services.feedback.rtransactions import decide
        from screens.modals.prompt import PromptScreen

        row = self.current_row()
        if row is None:
            return

        def decided(_result: None) -> None:
            self.notify(t("Decision recorded"))
            self.reload()

        def entered(text: str | None) -> None:
            if text:
                self.run_service(decide, self.incasso.actor, row.id, text, then=decided)

        self.app.push_screen(
            PromptScreen(
                t("Decide"),
                t(
                    "What was decided about {code} on {ref}?",
                    code=row.reason_code or "-",
                    ref=row.source_ref or row.order_id,
                ),
                check=lambda text: None if text.strip() else t("a note is required"),
            ),
            entered,
        )

    def action_collect_again(self) -> None:
        row = self.current_row()
        if row is not None and row.order_id:
            collect_again_prompt(self, row.order_id, then=self.reload)

    def action_codes(self) -> None:
        from screens.modals.reason_codes import ReasonCodesScreen

        self.app.push_screen(ReasonCodesScreen())


class DebtorFeedbackScreen(FeedbackScreen):
    """The R-transactions of one debtor (from the debtor's screen)."""

    AREA = "debtor-feedback"
    TITLE = "Bank feedback of debtor"

    def __init__(self, debtor: Any) -> None:
        super().__init__()
        self.debtor = debtor

    def list_filter(self) -> FeedbackFilter:
        return FeedbackFilter(
            kind=self.kind,
            reason_code=self.reason,
            debtor_id=self.debtor.id,
            date_from=self.period[0],
            date_to=self.period[1],
            open_only=self.open_only,
            search=self.search_text,
        )

    def filter_text(self) -> str:
        return f"{self.debtor.number} {self.debtor.name} · " + super().filter_text()

    def action_back(self) -> None:
        self.app.pop_screen()


def collect_again_prompt(screen: AreaScreen, order_id: int, then: Callable[[], None] | None = None) -> None:
    """Ask for the new requested date (default: after the pre-notification period) and create
    the herincasso order. Shared by the feedback, orders and set screens."""
    from incasso_tui.services.feedback.reversals import collect_again
    from screens.modals.prompt import PromptScreen
    from screens.modals.set_wizard import _date_error

    def collected(new_id: int) -> None:
        screen.notify(t("Order {id} collected again as order {new}", id=order_id, new=new_id))
        if then:
            then()

    def entered(text: str | None) -> None:
        if text is None:
            return
        screen.run_service(
            collect_again, screen.incasso.actor, order_id, text.strip() or None, then=collected
        )

    screen.app.push_screen(
        PromptScreen(
            t("Collect again"),
            t(
                "Requested date of the new order (YYYY-MM-DD; empty: the first "
                "date after the pre-notification period)"
            ),
            check=lambda text: _date_error(text, t("Requested date")),
        ),
        entered,
    )


def _parse_period(text: str) -> tuple[dt.date | None, dt.date | None]:
    if not text.strip():
        return (None, None)
    start, _, end = text.partition("..")
    return (
        dt.date.fromisoformat(start.strip()) if start.strip() else None,
        dt.date.fromisoformat(end.strip()) if end.strip() else None,
    )


def _period_error(text: str) -> str | None:
    try:
        start, end = _parse_period(text)
    except ValueError:
        return t("write two dates as YYYY-MM-DD..YYYY-MM-DD")
    if start and end and end < start:
        return t("the end is before the start")
    return None


def _period_text(period: tuple[dt.date | None, dt.date | None]) -> str:
    start, end = period
    if not start and not end:
        return ""
    return f"{start.isoformat() if start else ''}..{end.isoformat() if end else ''}"
