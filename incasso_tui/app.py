"""The Textual App: owns the session, navigation, theme, keymap and error reporting.

Screens live in `screens/` and are imported when first opened (start-up stays fast).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from incasso_tui.core.errors import IncassoError
from incasso_tui.core.logfile import log_exception
from incasso_tui.core.state import read_state, update_state
from incasso_tui.i18n import set_language, t
from incasso_tui.services import session as session_service
from incasso_tui.services.jobs import may_run_jobs
from incasso_tui.services.statuses import JobStatus
from screens.base import error_message
from screens.widgets.formatting import escape

if TYPE_CHECKING:
    from incasso_tui.jobs.worker import JobRunner, ProgressEvent
    from incasso_tui.services.auth import Actor
    from incasso_tui.services.session import Session

_P = ParamSpec("_P")
_R = TypeVar("_R")

# area name -> (module in screens/, class, title, admin only)
AREAS = {
    "home": ("home", "HomeScreen", "Home", False),
    "debtors": ("debtors", "DebtorsScreen", "Debtors", False),
    "mandates": ("mandates", "MandatesScreen", "Mandates", False),
    "orders": ("orders", "OrdersScreen", "Orders", False),
    "sets": ("sets", "SetsScreen", "Collection sets", False),
    "queue": ("queue", "QueueScreen", "Queue", False),
    "feedback": ("feedback", "FeedbackScreen", "Bank feedback", False),
    "settings": ("settings", "SettingsScreen", "Settings", False),
    "readiness": ("readiness", "ReadinessScreen", "Readiness", False),
    "reports": ("reports", "ReportsScreen", "Reports", False),
    "audit": ("audit", "AuditScreen", "Audit trail", False),
    "administrations": ("admin", "AdministrationsScreen", "Administrations", True),
    "bank_groups": ("admin", "BankGroupsScreen", "Bank groups", True),
    "bank_accounts": ("admin", "BankAccountsScreen", "Bank accounts", True),
    "invoice_types": ("admin", "InvoiceTypesScreen", "Invoice types", True),
    "users": ("admin", "UsersScreen", "Users", True),
}


class JobProgressed(Message):
    """Progress of the job the App's runner is working on (posted from its thread)."""

    def __init__(self, event: ProgressEvent) -> None:
        super().__init__()
        self.event = event


class IncassoApp(App[int]):
    CSS_PATH = "../styles/app.tcss"
    TITLE = "incasso-tui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("ctrl+c", "help_quit", show=False, system=True, id="help-quit"),
        Binding("f1", "help", "Help", id="help"),
        Binding("f2", "open('debtors')", "Debtors", id="open-debtors"),
        Binding("f3", "open('mandates')", "Mandates", id="open-mandates"),
        Binding("f4", "open('orders')", "Orders", id="open-orders"),
        Binding("f5", "open('sets')", "Collection sets", id="open-sets"),
        Binding("f6", "open('queue')", "Queue", id="open-queue"),
        Binding("f9", "open('feedback')", "Bank feedback", show=False, id="open-feedback"),
        Binding("f7", "open('settings')", "Settings", show=False, id="open-settings"),
        Binding("f8", "open('administrations')", "Administrations", show=False, id="open-administrations"),
    ]

    def __init__(self, session: Session, started: float | None = None, run_jobs: bool = True):
        super().__init__()
        self.run_jobs = run_jobs
        self.job_runner: JobRunner | None = None
        self.job_signal: Signal[ProgressEvent] = Signal(self, "job-progress")
        self.last_job_event: ProgressEvent | None = None
        self.session = session
        self.actor: Actor = session.actor
        self.started = started or time.perf_counter()
        self.first_screen_at: float | None = None
        self.state = read_state(session.config.state_file)
        set_language(self.state.get("language", session.config.language))
        self._quit_pressed_at = 0.0
        self.administration_filter: int | None = self.state.get("administration_filter")

    # --- start-up -----------------------------------------------------------------
    def on_mount(self) -> None:
        theme = self.state.get("theme", self.session.config.theme)
        if theme in self.available_themes:
            self.theme = theme
        if self.session.config.keymap:
            self.set_keymap(self.session.config.keymap)
        self.push_screen(self.make_screen("home"))
        self.offer_setup()
        if self.run_jobs and may_run_jobs(self.actor):
            self.start_job_runner()

    def offer_setup(self) -> None:
        """A database without administrations opens the first-run set-up wizard for an
        admin; anyone else is told that an admin must set up first. The wizard (and the
        SEPA checks behind its fields) is loaded only then: not on every start."""
        from incasso_tui.services.setup import has_administrations

        def check() -> None:
            if not self.call_service(has_administrations):
                self.call_from_thread(self._empty_database)

        self.run_worker(check, thread=True, group="setup-check", exit_on_error=False)

    def _empty_database(self) -> None:
        from screens.setup_wizard import empty_database

        empty_database(self)

    # --- the job queue: one runner thread owned by the App, not by a screen ------------
    def start_job_runner(self) -> None:
        from textual.worker import get_current_worker

        from incasso_tui.jobs.worker import JobRunner

        outbox = self.session.config.outbox_dir

        def recover() -> None:
            from incasso_tui.services.collection.outbox import recover_outbox

            recover_outbox(outbox)  # logged; the sets' screens show the outcome

        def listener(event: ProgressEvent) -> None:
            self.post_message(JobProgressed(event))

        runner = self.job_runner = JobRunner(listener=listener, on_start=recover)

        def loop() -> None:
            from incasso_tui.services.collection.outbox_identity import outbox_problem

            worker = get_current_worker()
            problem = session_service.in_connection(lambda: outbox_problem(outbox))
            if problem:  # this host would write files no other host can send or letter
                self.call_from_thread(
                    self.notify, t("Jobs do not run on this host: {why}", why=problem), severity="error"
                )
                return
            runner.should_stop = lambda: worker.is_cancelled  # the App shutting down
            session_service.in_connection(runner.run_pending)

        self.run_worker(loop, thread=True, group="job-queue", name="job runner", exit_on_error=False)

    def on_job_progressed(self, message: JobProgressed) -> None:
        event = message.event
        self.last_job_event = event if event.status == JobStatus.RUNNING else None
        self.job_signal.publish(event)
        if event.status in (JobStatus.DONE, JobStatus.FAILED):
            severity: SeverityLevel = "information" if event.status == JobStatus.DONE else "error"
            self.notify(
                f"{t('Job')} {event.job_id} ({event.kind}): {t(event.status)}"
                + (f" — {event.message}" if event.message else ""),
                severity=severity,
                timeout=8 if event.status == JobStatus.FAILED else 4,
            )

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self._stop_job_runner()
        super().exit(*args, **kwargs)

    def on_unmount(self) -> None:
        self._stop_job_runner()  # however the App ends, the runner thread must end too

    def _stop_job_runner(self) -> None:
        if self.job_runner is not None:
            self.job_runner.stop.set()  # a job in progress goes back to the queue

    def run_headless_smoke(self) -> int:
        """Start, show the home screen with its figures, report, quit (CI and start-up bench)."""

        async def pilot(p) -> None:
            await p.app.workers.wait_for_complete([w for w in p.app.workers if w.group != "job-queue"])
            await p.pause()
            p.app.exit(0)

        self.run(headless=True, auto_pilot=pilot)
        shown = (self.first_screen_at or time.perf_counter()) - self.started
        # Wall-clock moment too, so a benchmark can measure from process launch.
        shown_epoch = time.time() - (time.perf_counter() - (self.first_screen_at or time.perf_counter()))
        print(
            f"incasso: started headless as {self.actor.login}; first screen after {shown:.3f} s "
            f"(at epoch {shown_epoch:.4f})"
        )
        return 0

    def mark_first_screen(self) -> None:
        if self.first_screen_at is None:
            self.first_screen_at = time.perf_counter()

    # --- navigation ---------------------------------------------------------------
    def make_screen(self, area: str) -> Screen[Any]:
        module, cls, _title, _admin = AREAS[area]
        return getattr(importlib.import_module(f"screens.{module}"), cls)()

    def action_open(self, area: str) -> None:
        if AREAS[area][3] and not self.actor.is_admin:
            self.notify(t("Not allowed: {error}", error=t(AREAS[area][2])), severity="warning")
            return
        if getattr(self.screen, "AREA", None) == area:
            return
        screen = self.make_screen(area)
        # Areas replace each other above the home screen, so Escape always leads home.
        if area == "home":
            while len(self.screen_stack) > 2:
                self.pop_screen()
            return
        if getattr(self.screen, "AREA", "home") == "home" or self.screen.is_modal:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "open" and parameters and AREAS[parameters[0]][3]:
            return self.actor.is_admin
        return True

    def get_system_commands(self, screen):
        # Textual's own commands (Theme, Quit, Keys, …) in the UI language too.
        for command in super().get_system_commands(screen):
            yield SystemCommand(t(command.title), t(command.help), command.callback, command.discover)
        for area, (_m, _c, title, admin_only) in AREAS.items():
            if admin_only and not self.actor.is_admin:
                continue
            yield SystemCommand(f"{t('Go to')}: {t(title)}", t(title), lambda a=area: self.action_open(a))

    def action_help(self) -> None:
        from screens.modals.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_help_quit(self) -> None:
        # Ctrl+C by habit should not lose work: a second press within 5 s quits.
        now = time.monotonic()
        if now - self._quit_pressed_at < 5:
            self.exit(0)
        else:
            self._quit_pressed_at = now
            self.notify(t("Press Ctrl+C again to quit"), timeout=5)

    # --- state ----------------------------------------------------------------------
    def remember(self, **changes) -> None:
        """Keep a user choice in the state file (never in config.toml)."""
        self.state.update(changes)
        try:
            update_state(self.session.config.state_file, **changes)
        except OSError as exc:
            self.notify(f"{self.session.config.state_file}: {exc.strerror}", severity="warning")

    def watch_theme(self, theme: str) -> None:
        # The theme set at start-up is the remembered one, so only a change is written.
        if theme != self.state.get("theme", self.session.config.theme):
            self.remember(theme=theme)

    # --- running services ----------------------------------------------------------
    def call_service(self, fn: Callable[_P, _R], /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        """Run a service function on a worker thread's own database connection."""
        return session_service.in_connection(fn, *args, **kwargs)

    def action_command_palette(self) -> None:
        """Textual's command palette, its placeholder in the UI language."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=t("Search for commands…"), id="--command-palette"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state != WorkerState.ERROR or error is None:
            return
        if isinstance(error, IncassoError):
            self.notify(escape(error_message(error)), severity="error", timeout=8)
        else:
            where = log_exception(error, "in a worker")
            self.notify(
                t("Something went wrong: {error}", error=escape(f"{type(error).__name__}: {error}"))
                + f" ({where})",
                severity="error",
                timeout=10,
            )
