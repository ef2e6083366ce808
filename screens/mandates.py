"""Mandates of every debtor the user may see: views by date, filters, search-as-you-type."""

from __future__ import annotations

from textual.binding import Binding

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.services.browse import MandateFilter, MandateRow, search_mandates

from .filters import AdministrationFilterMixin, cycle
from .formatting import date_text
from .list_screen import ListScreen
from .paged_table import Column

VIEWS = [  # key, view, label
    ("1", "reference", "by reference"),
    ("2", "effective", "by effective date"),
    ("3", "end", "by end date"),
    ("4", "signed", "by date signed"),
    ("5", "last_collection", "by last collection"),
]


class MandatesScreen(AdministrationFilterMixin, ListScreen):
    AREA = "mandates"
    TITLE = "Mandates"
    SEARCH_PLACEHOLDER = "Search name, number, IBAN or reference"
    HELP = """
# Mandates

Every mandate of the administrations you may see. Type to search on debtor name or
number, IBAN or mandate reference. **1–5** choose the view (reference, effective date,
end date, date signed, last collection); **s** cycles the status filter, **t** the
scheme, **a** the administration; **x** clears the filters. **/** jumps to the search box.
"""
    BINDINGS = [Binding(key, f"view('{view}')", t(label), id=f"mandates-view-{view}", show=False)
                for key, view, label in VIEWS] + [
        Binding("s", "cycle_status", t("Status filter"), id="mandates-status"),
        Binding("t", "cycle_scheme", t("Scheme filter"), id="mandates-scheme"),
        Binding("a", "cycle_administration", t("Administration filter"), id="mandates-administration"),
        Binding("x", "clear_filters", t("Clear filters"), id="mandates-clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "reference"
        self.status: str | None = None
        self.scheme: str | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.load_administrations()

    def columns(self) -> list[Column]:
        return [Column("reference", t("Reference"), 22), Column("number", t("Number"), 8),
                Column("debtor", t("Debtor"), 28), Column("adm", t("Administration"), 6),
                Column("type", t("Type"), 10), Column("scheme", t("Scheme"), 6),
                Column("status", t("Status"), 12), Column("signed", t("Signed"), 10),
                Column("effective", t("Effective"), 10), Column("end", t("End"), 10),
                Column("last", t("Last collection"), 10)]

    def fetch(self, offset: int, limit: int):
        flt = MandateFilter(search=self.search_text, status=self.status, scheme=self.scheme,
                            administration_id=self.incasso.administration_filter, view=self.view)
        return search_mandates(self.incasso.actor, flt, offset, limit)

    def cells(self, r: MandateRow) -> tuple:
        return (r.reference, r.debtor_number, r.debtor_name, r.administration,
                t("recurrent") if r.recurrent else t("one-off"), r.scheme,
                status_label("mandate", r.status), date_text(r.signed), date_text(r.effective),
                date_text(r.end), date_text(r.last_collection))

    def filter_text(self) -> str:
        parts = [f"{t('View')}: {t(next(label for _k, v, label in VIEWS if v == self.view))}"]
        if self.status:
            parts.append(f"{t('status')}: {status_label('mandate', self.status)}")
        if self.scheme:
            parts.append(f"{t('scheme')}: {self.scheme}")
        return " · ".join(parts)

    def action_view(self, view: str) -> None:
        self.view = view
        self.reload()

    def action_cycle_status(self) -> None:
        self.status = cycle(status_codes("mandate"), self.status)
        self.reload()

    def action_cycle_scheme(self) -> None:
        self.scheme = cycle(["CORE", "B2B"], self.scheme)
        self.reload()

    def action_clear_filters(self) -> None:
        self.status = self.scheme = None
        self.incasso.administration_filter = None
        self.incasso.remember(administration_filter=None)
        self.query_one("AppHeader").refresh_text()
        self.reload()
