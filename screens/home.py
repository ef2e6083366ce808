"""The home screen: the figures that say what needs doing, and the way to every area."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Sparkline, Static

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.services.auth import Actor
from incasso_tui.services.home import HomeCounts, home_counts
from incasso_tui.services.readiness import Report, readiness_report
from incasso_tui.services.session import Interrupt
from incasso_tui.services.statuses import JobStatus
from screens.base import AreaScreen
from screens.readiness import summary_text
from screens.widgets.formatting import money_text


def collected_trend(actor: Actor) -> list[tuple[str, int]]:
    """The amounts collected per month for the trend; the reports load on the worker thread,
    not when the app starts."""
    from incasso_tui.services.reports.collected import collected_trend as trend

    return trend(actor)


class ReadinessTile(Static):
    """The readiness report in one line; a click opens the report (as k does)."""

    DEFAULT_CSS = """
    ReadinessTile {
        height: auto;
        margin: 0 1;
        padding: 0 1;
        border: round $primary;
    }
    ReadinessTile.-blocking {
        border: round $error;
    }
    ReadinessTile.-warning {
        border: round $warning;
    }
    ReadinessTile.-ready {
        border: round $success;
    }
    """

    async def on_click(self) -> None:
        await self.app.run_action("open('readiness')")


MENU = [  # key, area, title, admin only
    ("d", "debtors", "Debtors", False),
    ("m", "mandates", "Mandates", False),
    ("o", "orders", "Orders", False),
    ("c", "sets", "Collection sets", False),
    ("w", "queue", "Queue", False),
    ("f", "feedback", "Bank feedback", False),
    ("s", "settings", "Settings", False),
    ("k", "readiness", "Readiness", False),
    ("t", "reports", "Reports", False),
    ("a", "administrations", "Administrations", True),
    ("b", "bank_groups", "Bank groups", True),
    ("u", "users", "Users", True),
]


def status_pairs(by_status: dict[str, int]) -> list[str]:
    """The mandate counts two per line (label, count): the card fits beside the menu at 80×24."""
    codes = status_codes("mandate")
    width = max(len(status_label("mandate", code)) for code in codes)
    cells = [f"{status_label('mandate', code):<{width}} {by_status.get(code, 0):>5}" for code in codes]
    half = (len(cells) + 1) // 2
    return [
        "   ".join(pair)
        for pair in zip(cells[:half], cells[half:] + [""] * (2 * half - len(cells)), strict=True)
    ]


class HomeScreen(AreaScreen):
    AREA = "home"
    TITLE = "Home"
    # "-narrow" below 120 columns: the cards stack beside the menu (styles/app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    HELP = """
# Home

The figures show what needs attention in the administrations you may see.
Press a letter to open an area, or use the function keys anywhere:
F2 debtors, F3 mandates, F4 orders, F5 collection sets, F6 queue, F7 settings,
F8 administrations (admin), F9 bank feedback. Ctrl+P opens the command palette; Escape goes back.

**e** opens the mandates that expire within 60 days (36 months without a collection), soonest
first, so they can be used or renewed in time.

The tile at the top is the readiness report: "Ready", or how many problems block or endanger
the next collection. **k** (or a click on it) opens the report with the objects and what to do.
"""
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="home-refresh"),
        Binding("e", "expiring", "Expiring mandates", id="home-expiring"),
        *(Binding(key, f"app.open('{area}')", title, id=f"home-{area}") for key, area, title, _ in MENU),
    ]

    def compose_body(self) -> ComposeResult:
        # The menu on the left, the figures beside it: at 80×24 both are on screen without
        # scrolling (the menu was below the cards, out of sight). It still scrolls if smaller.
        with VerticalScroll(id="home-scroll"):
            yield ReadinessTile(t("Readiness") + ": " + t("Loading…"), id="card-readiness")
            with Horizontal(id="home-main"):
                with Vertical(id="home-menu"):
                    lines = [
                        f"[b]{key}[/b]  {t(title)}"
                        for key, _area, title, admin in MENU
                        if not admin or self.incasso.actor.is_admin
                    ]
                    yield Static(f"[b]{t('Go to')}[/b]\n" + "\n".join(lines), id="menu")
                with Vertical(id="home-figures"):
                    with Grid(id="home-cards"):
                        yield Static(t("Loading…"), id="card-mandates", classes="card")
                        yield Static("", id="card-orders", classes="card")
                        # On a narrow screen hidden: the queue line below shows the same figures.
                        yield Static("", id="card-jobs", classes="card")
                    with Vertical(id="home-trend"):
                        yield Static(t("Collected, last 12 months"), id="home-trend-label")
                        yield Sparkline([], id="home-sparkline")

    def on_mount(self) -> None:
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def on_screen_suspend(self) -> None:
        # Left Home before its figures came: their queries stop in the database instead of
        # slowing the screen that was opened (whole-table counts on a million mandates).
        if self._stop is not None:
            self._stop.cancel()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "app.open" or action == "open":
            admin_only = {area for _k, area, _t, admin in MENU if admin}
            if parameters and parameters[0] in admin_only:
                return self.incasso.actor.is_admin
        return super().check_action(action, parameters)

    def action_expiring(self) -> None:
        """The mandates behind the card's "expiring within 60 days", soonest first."""
        from screens.mandates import MandatesScreen

        self.app.push_screen(MandatesScreen(expiring=True))

    _stop: Interrupt | None = None

    def action_refresh(self) -> None:
        if self._stop is not None:
            self._stop.cancel()
        stop = self._stop = Interrupt()
        self.run_service(home_counts, self.incasso.actor, then=self._show, group="home", stop=stop)
        # Its own worker: the figures above do not wait for the report, nor it for them.
        self.run_service(
            readiness_report,
            self.incasso.actor,
            then=self._show_readiness,
            group="home-readiness",
            stop=stop,
            limit=0,
        )
        self.run_service(
            collected_trend, self.incasso.actor, then=self._show_trend, group="home-trend", stop=stop
        )

    def _show_trend(self, trend: list[tuple[str, int]]) -> None:
        self.query_one("#home-sparkline", Sparkline).data = [cents for _month, cents in trend]
        total = sum(cents for _month, cents in trend)
        self.query_one("#home-trend-label", Static).update(
            f"[b]{t('Collected, last 12 months')}[/b]: {money_text(total)}"
        )

    def _show_readiness(self, report: Report) -> None:
        tile = self.query_one("#card-readiness", ReadinessTile)
        tile.update(f"[b]{t('Readiness')}:[/b] {summary_text(report)}   [dim]k {t('Open')}[/dim]")
        tile.set_class(not report.ready, "-blocking")
        tile.set_class(report.ready and report.warnings > 0, "-warning")
        tile.set_class(report.ready and not report.warnings, "-ready")

    def _show(self, counts: HomeCounts) -> None:
        self.query_one("#card-mandates", Static).update(
            f"[b]{t('Mandates by status')}[/b]\n"
            + "\n".join(status_pairs(counts.mandates_by_status))
            + f"\n{t('Expiring within 60 days')}: [b]{counts.mandates_expiring_60d}[/b] (e)"
            + f"\n{t('Blocked by bank feedback (30 days)')}: "
            f"[b]{counts.blocked_by_feedback_30d}[/b]"
        )
        # One line per figure, each count on its label's line (they were stacked under it).
        self.query_one("#card-orders", Static).update(
            f"[b]{t('To do')}[/b]\n{t('Orders not processed')}: [b]{counts.orders_open}[/b]\n"
            f"{t('Sets to process')}: [b]{counts.sets_to_process}[/b]\n"
            f"{t('Sets to send')}: [b]{counts.sets_to_send}[/b]\n"
            f"{t('Bank feedback to decide')}: [b]{counts.feedback_to_decide}[/b]"
        )
        job_lines = [
            f"{status_label('job', code):<14}{counts.jobs_by_status.get(code, 0):>6}"
            for code in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED)
        ]
        self.query_one("#card-jobs", Static).update(f"[b]{t('Jobs')}[/b]\n" + "\n".join(job_lines))
        self.incasso.mark_first_screen()
