"""Mandates of every debtor the user may see: views by date, filters, search-as-you-type,
and the mandate's screen and actions on the selected row."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.services.browse import EXPIRING_VIEW_DAYS, MandateFilter, MandateRow, search_mandates
from incasso_tui.services.mandates import forms as mandate_forms
from incasso_tui.services.mandates import lifecycle as mandates
from screens.list_screen import ListScreen
from screens.mandate_actions import ACTIONS, MANDATE_BINDINGS, MandateActions, MandateRef
from screens.widgets.filters import AdministrationFilterMixin, cycle
from screens.widgets.formatting import date_text
from screens.widgets.paged_table import Column, PagedTable

VIEWS = [  # key, view, label
    ("1", "reference", "by reference"),
    ("2", "effective", "by effective date"),
    ("3", "end", "by end date"),
    ("4", "signed", "by date signed"),
    ("5", "last_collection", "by last collection"),
]


class MandatesScreen(MandateActions, AdministrationFilterMixin, ListScreen):
    AREA = "mandates"
    TITLE = "Mandates"
    CSS_PATH = "../styles/mandates.tcss"
    SEARCH_PLACEHOLDER = "Search name, number, IBAN or reference"
    # The query takes tens of milliseconds even with 100,000 mandates (bench/mandates_screen.py):
    # a short pause after the last key skips a burst of keys and keeps the answer under 0.2 s.
    SEARCH_DELAY = 0.01
    EXPORT = "mandates"
    HELP = """
# Mandates

Every mandate of the administrations you may see. Type to search on debtor name or
number, IBAN or mandate reference. **1–5** choose the view (reference, effective date,
end date, date signed, last collection); **w** shows only the active mandates expiring
within 60 days (36 months without a collection), soonest first, and back; **s** cycles the status filter, **t** the
scheme, **a** the administration; **x** clears the filters. **/** jumps to the search box.

**Enter** opens the mandate (all fields, orders, history). **n** new mandate, **e** edit,
**v** activate (effective today), **d** end (end date; yesterday ends it now), **r** confirm
the B2B registration at the debtor's bank, **p** print its mandate form, **h** history.
**P** prints every form not printed yet into one PDF (in the queue); **i** imports a CSV
file. Keys that do not apply to the selected mandate are dimmed; support staff see no
changing keys.
"""
    BINDINGS = [
        *[
            Binding(key, f"view('{view}')", label, id=f"mandates-view-{view}", show=False)
            for key, view, label in VIEWS
        ],
        Binding("s", "cycle_status", "Status filter", id="mandates-status"),
        Binding("t", "cycle_scheme", "Scheme filter", id="mandates-scheme"),
        Binding("a", "cycle_administration", "Administration filter", id="mandates-administration"),
        Binding("x", "clear_filters", "Clear filters", id="mandates-clear"),
        Binding("w", "toggle_expiring", "Expiring", id="mandates-expiring"),
        Binding("enter", "open_mandate", "Open", id="mandate-open"),
        Binding("n", "new_mandate", "New", id="mandate-new"),
        *MANDATE_BINDINGS,
        Binding("P", "print_unprinted", "Print unprinted forms", show=False, id="mandates-print-unprinted"),
        Binding("i", "import_csv", "Import", show=False, id="mandates-import"),
    ]

    def __init__(self, *, expiring: bool = False) -> None:
        super().__init__()
        self.view = "reference"
        # E: only the active mandates expiring within 60 days (the Home card's figure), soonest first.
        self.expiring = expiring
        self.status: str | None = None
        self.scheme: str | None = None
        self._actions_key: tuple[bool | None, ...] | None = None
        self._keep_id: int | None = None
        self._returning_to: int | None = None  # the mandate opened from here

    def on_mount(self) -> None:
        super().on_mount()
        self.load_administrations()

    def columns(self) -> list[Column]:
        return [
            # What support staff look for first (is it active?) stays in view at 80 columns.
            Column("reference", t("Reference"), 14),
            Column("status", t("Status"), 11),
            Column("debtor", t("Debtor"), 24),
            Column("number", t("Number"), 8),
            Column("adm", t("Adm."), 6),  # short: the column holds a code
            Column("type", t("Type"), 10),
            Column("scheme", t("Scheme"), 6),
            Column("signed", t("Signed"), 10),
            Column("effective", t("Effective"), 10),
            Column("end", t("End"), 10),
            Column("last", t("Last collection"), 10),
            Column("expires", t("Expires"), 10),
        ]

    def list_filter(self) -> MandateFilter:
        return MandateFilter(
            search=self.search_text,
            status=self.status,
            scheme=self.scheme,
            administration_id=self.incasso.administration_filter,
            view=self.view,
            expiring_within=EXPIRING_VIEW_DAYS if self.expiring else None,
        )

    def fetch(self, offset: int, limit: int):
        return search_mandates(self.incasso.actor, self.list_filter(), offset, limit)

    def cells(self, r: MandateRow) -> tuple:
        return (
            r.reference,
            status_label("mandate", r.status),
            r.debtor_name,
            r.debtor_number,
            r.administration,
            t("recurrent") if r.recurrent else t("one-off"),
            r.scheme,
            date_text(r.signed),
            date_text(r.effective),
            date_text(r.end),
            date_text(r.last_collection),
            date_text(r.expires),
        )

    def filter_text(self) -> str:
        if self.expiring:
            parts = [t("Expiring within {days} days, soonest first", days=EXPIRING_VIEW_DAYS)]
        else:
            parts = [f"{t('View')}: {t(next(label for _k, v, label in VIEWS if v == self.view))}"]
        if self.status:
            parts.append(f"{t('status')}: {status_label('mandate', self.status)}")
        if self.scheme:
            parts.append(f"{t('scheme')}: {self.scheme}")
        return " · ".join(parts)

    def action_view(self, view: str) -> None:
        self.view = view
        self.expiring = False
        self.reload()

    def action_toggle_expiring(self) -> None:
        self.expiring = not self.expiring
        self.reload()

    def action_cycle_status(self) -> None:
        self.status = cycle(status_codes("mandate"), self.status)
        self.reload()

    def action_cycle_scheme(self) -> None:
        self.scheme = cycle(mandates.SCHEMES, self.scheme)
        self.reload()

    def action_clear_filters(self) -> None:
        self.status = self.scheme = None
        self.expiring = False
        self.clear_administration()
        self.reload()

    # --- the selected mandate ----------------------------------------------------------------
    def selected_mandate(self) -> MandateRef | None:
        if not self.is_mounted or not self.query("#list"):
            return None
        row = self.table.current
        return MandateRef.of(row, self.incasso.actor) if row is not None else None

    def mandate_changed(self, mandate_id: int) -> None:
        self._keep_id = mandate_id
        self.reload()

    @on(PagedTable.Loaded)
    def _restore_cursor(self, event: PagedTable.Loaded) -> None:
        # After a change the list is reloaded; put the cursor back on the changed mandate.
        if self._keep_id is not None:
            rows = self.table.rows_loaded
            index = next((i for i, r in enumerate(rows) if r.id == self._keep_id), None)
            self._keep_id = None
            if index is not None:
                self.table.move_cursor(row=index)
        self._actions_key = self.mandate_bindings_key()  # ListScreen refreshed the bindings

    @on(DataTable.RowHighlighted, "#list")
    def _row_moved(self) -> None:
        self._refresh_actions()

    def _refresh_actions(self) -> None:
        # The footer rebuilds on refresh_bindings: only when what is possible changed.
        key = self.mandate_bindings_key()
        if key != self._actions_key:
            self._actions_key = key
            self.refresh_bindings()

    @on(DataTable.RowSelected, "#list")
    def _row_selected(self) -> None:
        self.action_open_mandate()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ACTIONS:
            return self.mandate_action_state(action)
        if action == "open_mandate":
            return True if self.selected_mandate() is not None else None
        if action in ("new_mandate", "import_csv", "print_unprinted"):
            return mandates.may_change_mandates(self.incasso.actor)
        return super().check_action(action, parameters)

    def action_open_mandate(self) -> None:
        from screens.mandate_detail import MandateDetailScreen

        ref = self.selected_mandate()
        if ref is not None:
            self._returning_to = ref.id
            self.app.push_screen(MandateDetailScreen(ref.id))

    def on_screen_resume(self) -> None:
        # Back from the mandate's screen, where it may have been changed.
        if self._returning_to is not None:
            self.mandate_changed(self._returning_to)
            self._returning_to = None

    def action_new_mandate(self) -> None:
        from incasso_tui.services.debtors import editable_administrations
        from screens.modals.mandate_form import MandateFormScreen

        self.run_service(
            editable_administrations,
            self.incasso.actor,
            then=lambda adms: self.app.push_screen(MandateFormScreen(administrations=adms), self._created),
        )

    def _created(self, mandate) -> None:
        if mandate is not None:
            self.notify(
                t(
                    "Mandate {reference} created: {status}",
                    reference=mandate.reference,
                    status=t(mandate.status),
                )
            )
            self.mandate_changed(mandate.id)

    def action_print_unprinted(self) -> None:
        from screens.modals.prompt import PromptScreen

        path = mandate_forms.default_path(self.incasso.session.config.data_dir, "mandate-forms")
        adm = self.incasso.administration_filter

        def entered(text: str | None) -> None:
            if text:
                self.run_service(
                    mandate_forms.queue_unprinted,
                    self.incasso.actor,
                    text,
                    adm,
                    then=lambda job_id: self.notify(
                        t(
                            "Job {job} queued: the unprinted mandate forms go to {path}",
                            job=job_id,
                            path=text,
                        ),
                        timeout=8,
                    ),
                )

        self.app.push_screen(
            PromptScreen(
                t("Print all unprinted mandate forms"),
                t(
                    "Every mandate (of the administration filter) whose form was never printed, in one "
                    "PDF; they are then marked printed."
                ),
                str(path),
                check=lambda text: (
                    None if text.strip().lower().endswith(".pdf") else t("the file name must end in .pdf")
                ),
            ),
            entered,
        )

    def action_import_csv(self) -> None:
        from screens.modals.csv_import import ImportScreen

        self.app.push_screen(
            ImportScreen("mandates"),
            lambda result: self.reload() if result is not None and result.stored else None,
        )
