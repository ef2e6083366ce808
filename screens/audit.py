"""The audit trail: who changed what, when, old -> new, paged from the database."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from incasso_tui.i18n import t
from incasso_tui.services.audit_trail import KINDS, AuditFilter, TrailEntry, audit_trail
from incasso_tui.services.input_rules import parse_date
from incasso_tui.services.paging import Page
from screens.list_screen import ListScreen
from screens.widgets.filters import cycle
from screens.widgets.formatting import date_text
from screens.widgets.paged_table import Column

# The kinds as the user reads them (English; t() gives the language's).
KIND_LABELS = {
    "debtor": "Debtor",
    "mandate": "Mandate",
    "order": "Order",
    "set": "Collection set",
    "administration": "Administration",
    "bank-group": "Bank group",
    "user": "User",
}


def kind_label(kind: str) -> str:
    return t(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def changes_text(entry: TrailEntry) -> str:
    """The changed fields on one line: field old → new; …"""
    from screens.modals.history import FIELD_LABELS, value_text

    return "; ".join(
        f"{t(FIELD_LABELS.get(field, field))} {value_text(old)} → {value_text(new)}"
        for field, (old, new) in entry.changes.items()
    )


class AuditScreen(ListScreen):
    AREA = "audit"
    TITLE = "Audit trail"
    SEARCH_PLACEHOLDER = "Search user or description"
    EXPORT = "audit"
    HELP = """
# Audit trail

Who changed what, and when, with the old and the new value: the entries of the
administrations you have rights on (users and bank groups: admins only), newest first.
Type in the search box for a user or words of the description; **o** cycles the kind of
object, **d** shows the entries from a date on, **Enter** shows the entry in full.
"""
    BINDINGS = [
        Binding("o", "cycle_kind", "Object", id="audit-kind"),  # k: the list's cursor up
        Binding("d", "since", "Since", id="audit-since"),
        Binding("enter", "show_entry", "Details", show=False, id="audit-show"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind: str | None = None
        self.since: dt.date | None = None

    def columns(self) -> list[Column]:
        return [
            Column("at", t("When"), 16),
            Column("user", t("User"), 10),
            Column("object", t("Object"), 18),
            Column("what", t("What"), 36),
            Column("changes", t("Changes"), 60),
        ]

    def list_filter(self) -> AuditFilter:
        return AuditFilter(self.kind, since=self.since, search=self.search_text)

    def fetch(self, offset: int, limit: int) -> Page[TrailEntry]:
        return audit_trail(self.incasso.actor, self.list_filter(), offset, limit)

    def cells(self, e: TrailEntry) -> tuple:
        obj = kind_label(e.kind) + (f" {e.object_id}" if e.object_id else "")
        return (date_text(e.at), e.user, obj, e.summary or e.action, changes_text(e))

    def filter_text(self) -> str:
        parts = []
        if self.kind:
            parts.append(f"{t('Object')}: {kind_label(self.kind)}")
        if self.since:
            parts.append(f"{t('Since')}: {date_text(self.since)}")
        return "   ".join(parts)

    def action_cycle_kind(self) -> None:
        self.kind = cycle(list(KINDS), self.kind)
        self.reload()

    def action_since(self) -> None:
        from screens.modals.prompt import PromptScreen

        def entered(text: str | None) -> None:
            if text is not None:
                self.since = parse_date(text, "since")
                self.reload()

        self.app.push_screen(
            PromptScreen(
                t("Since"),
                t("Show the entries from this date on (DD-MM-YYYY or YYYY-MM-DD; empty: all)"),
                date_text(self.since) if self.since else "",
                check=_date_error,
            ),
            entered,
        )

    @on(DataTable.RowSelected, "#list")
    def _row_selected(self) -> None:
        self.action_show_entry()

    def action_show_entry(self) -> None:
        from screens.modals.history import HistoryScreen

        e = self.current_row()
        if e is not None:
            entry = {
                "at": e.at,
                "user": e.user,
                "action": e.action,
                "summary": e.summary,
                "changes": e.changes,
            }
            title = kind_label(e.kind) + (f" {e.object_id}" if e.object_id else "")
            self.app.push_screen(HistoryScreen(title, [entry]))


def _date_error(text: str) -> str | None:
    from incasso_tui.core.errors import ValidationError

    try:
        parse_date(text, "since")
    except ValidationError:
        return t("Write a date as DD-MM-YYYY or YYYY-MM-DD")
    return None
