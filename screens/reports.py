"""Reports: collected per month, R-transactions with the reject rate, mandates over time. Each
shows its chart above its table, for a period (default the last twelve months) and the
app-wide administration filter. The figures come from services.reports; nothing is computed here."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static, Tab, Tabs
from textual_plotext import PlotextPlot

from incasso_tui.core.errors import IncassoError
from incasso_tui.i18n import language, status_label, t
from incasso_tui.services.organisation import list_administrations
from incasso_tui.services.reports import REPORTS, TITLES, Chart, Report, Table
from incasso_tui.services.reports.common import CENTS, MONTH, RATE, TEXT
from incasso_tui.services.reports.months import period
from screens.base import AreaScreen, error_message
from screens.widgets.filters import cycle
from screens.widgets.formatting import date_text, escape, money_text, safe_cell
from screens.widgets.header import AppHeader

NAMES = tuple(REPORTS)


def cell_text(kind: str, value: object) -> str:
    if value is None:
        return ""
    if kind == CENTS and isinstance(value, int):
        return money_text(value)
    if kind == RATE and isinstance(value, float):
        percent = f"{value * 100:.2f}"
        return (percent.replace(".", ",") if language() != "en" else percent) + " %"
    if value == "total":
        return t("Total")
    return str(value)


class ReportsScreen(AreaScreen):
    AREA = "reports"
    TITLE = "Reports"
    CSS_PATH = "../styles/reports.tcss"
    HELP = """
# Reports

Three reports, each with a chart above its table, within the administrations you may see:

* **1 Collected**: per month, the collections per administration and bank account, with the
  part rejected (before settlement) and reversed (returned, refunded, reversed).
* **2 Rejects**: R-transactions per reason code and month, with the reject rate
  (R-transactions ÷ collections of the month), the figure banks watch.
* **3 Mandates**: new, ended and live per month, and the mandates expiring (36 months without
  a collection) or reaching their end date in the coming months.

**s** switches the table between the details and the months (with the totals). Type the
period in **From** and **To** (YYYY-MM-DD or DD-MM-YYYY; empty: the last twelve months) and
press Enter. **a** cycles the administration filter, **r** refreshes.
The same reports: `incasso report collected|rejects|mandates` (also --json, --csv, --xlsx).
"""
    BINDINGS = [
        Binding("1", "show('collected')", "Collected", id="reports-collected"),
        Binding("2", "show('rejects')", "Rejects", id="reports-rejects"),
        Binding("3", "show('mandates')", "Mandates", id="reports-mandates"),
        Binding("s", "toggle_summary", "Months / details", id="reports-summary"),
        Binding("a", "cycle_administration", "Administration", id="reports-administration"),
        Binding("r", "refresh", "Refresh", id="reports-refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current = NAMES[0]
        self.report: Report | None = None
        self.show_summary = False
        self.administrations: list = []

    def compose_body(self) -> ComposeResult:
        yield Tabs(
            *(Tab(f"{i}  {t(TITLES[n])}", id=f"tab-{n}") for i, n in enumerate(NAMES, 1)), id="reports-tabs"
        )
        with Horizontal(id="reports-filter"):
            yield Static(t("From"), classes="reports-label")
            yield Input(placeholder=t("date"), id="reports-from", classes="reports-date")
            yield Static(t("To"), classes="reports-label")
            yield Input(placeholder=t("month end"), id="reports-to", classes="reports-date")
            yield Static("", id="reports-scope")
        yield PlotextPlot(id="reports-chart")
        yield DataTable(id="reports-table", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        self.run_service(
            list_administrations, self.incasso.actor, then=self._set_administrations, group="administrations"
        )
        self.query_one("#reports-table", DataTable).focus()
        self.action_refresh()

    def _set_administrations(self, rows: list) -> None:
        self.administrations = rows
        if self.incasso.administration_filter not in {r.id for r in rows}:
            self.incasso.administration_filter = None
        self.query_one(AppHeader).refresh_text()
        self._show_scope()

    def administration_label(self) -> str:
        """The header's administration filter (AppHeader asks the screen)."""
        return self._administration_code() or t("all")

    def _administration_code(self) -> str | None:
        current = self.incasso.administration_filter
        return next((r.code for r in self.administrations if r.id == current), None)

    # --- actions ----------------------------------------------------------------------------
    def action_show(self, name: str) -> None:
        self.query_one("#reports-tabs", Tabs).active = f"tab-{name}"

    @on(Tabs.TabActivated, "#reports-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        name = (event.tab.id or "").removeprefix("tab-")
        if name in REPORTS and name != self.current:
            self.current = name
            self.action_refresh()

    def action_toggle_summary(self) -> None:
        self.show_summary = not self.show_summary
        if self.report is not None:
            self._fill_table(self.report.summary if self.show_summary else self.report.table)

    def action_cycle_administration(self) -> None:
        new = cycle([r.id for r in self.administrations], self.incasso.administration_filter)
        self.incasso.administration_filter = new
        self.incasso.remember(administration_filter=new)
        self.query_one(AppHeader).refresh_text()
        self.action_refresh()

    @on(Input.Submitted, ".reports-date")
    def _period_typed(self) -> None:
        self.action_refresh()
        self.query_one("#reports-table", DataTable).focus()

    def action_refresh(self) -> None:
        typed_from = self.query_one("#reports-from", Input).value.strip() or None
        typed_to = self.query_one("#reports-to", Input).value.strip() or None
        try:
            period(typed_from, typed_to)  # the rule, checked before the worker starts
        except IncassoError as exc:
            self.notify(error_message(exc), severity="error")
            return
        fn = REPORTS[self.current]
        if self.current == "rejects":  # the reason codes' texts in the UI's language
            fn = partial(fn, language=language())
        self.run_service(
            fn,
            self.incasso.actor,
            typed_from,
            typed_to,
            self._administration_code(),
            then=self.show,
            group="report",
        )

    # --- showing ----------------------------------------------------------------------------
    def show(self, report: Report) -> None:
        if report.name != self.current:
            return  # an older answer for a report no longer shown
        self.report = report
        self._show_scope()
        self._draw(report.chart)
        self._fill_table(report.summary if self.show_summary else report.table)

    def _show_scope(self) -> None:
        code = self.administration_label()
        when = f"{date_text(self.report.date_from)} – {date_text(self.report.date_to)}" if self.report else ""
        self.query_one("#reports-scope", Static).update(
            f"{when}  {t('Administration')}: [b]{escape(code)}[/b]  [dim]a · s · 1 2 3[/dim]"
        )

    def _fill_table(self, table: Table) -> None:
        widget = self.query_one("#reports-table", DataTable)
        widget.clear(columns=True)
        for column in table.columns:
            widget.add_column(t(column.title), key=column.key)
        for row in table.rows:
            widget.add_row(*(self._cell(c.key, c.kind, v) for c, v in zip(table.columns, row, strict=True)))

    def _cell(self, key: str, kind: str, value: object) -> object:
        if key == "status" and isinstance(value, str):
            return safe_cell(status_label("mandate", value))
        text = cell_text(kind, value)
        # Figures right-aligned; stored text (codes, IBANs) escaped, never markup.
        return safe_cell(text) if kind in (TEXT, MONTH) else Text(text, justify="right")

    def _draw(self, chart: Chart) -> None:
        widget = self.query_one("#reports-chart", PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        labels = [month[2:] for month in chart.months]  # '25-12': room for twelve bars at 80 columns
        names = [t(s.name) for s in chart.series]
        scale = 100 if chart.unit == "cents" else 1 / 100 if chart.unit == "rate" else 1
        values = [[v / scale for v in s.values] for s in chart.series]
        if chart.kind == "stacked":
            plt.stacked_bar(labels, values, labels=names)  # type: ignore[call-arg]  # the stub says label
        elif chart.kind == "bar":
            plt.multiple_bar(labels, values, labels=names)  # type: ignore[call-arg]
        else:
            # Positions with tick labels: plotext would read '25-12' as a date.
            positions = [float(i) for i in range(len(labels))]
            for name, series in zip(names, values, strict=True):
                plt.plot(positions, series, label=name, marker="braille")
            plt.xticks(positions, labels)
        unit = {"cents": "€", "rate": "%"}.get(chart.unit, "")
        plt.title(f"{t(self.report.title if self.report else '')} {unit}".strip())
        widget.refresh()
