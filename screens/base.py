"""What every area screen shares: the header line, the queue panel, the footer, Escape back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker

from incasso_tui.i18n import status_label, t
from incasso_tui.services import jobs_summary

from .footer import AppFooter

if TYPE_CHECKING:
    from incasso_tui.app import IncassoApp


class AppHeader(Static):
    """One line: product, screen, user and role, database, administration filter."""

    def __init__(self, title: str):
        super().__init__(id="app-header")
        self.title = title

    def on_mount(self) -> None:
        self.refresh_text()

    def refresh_text(self) -> None:
        app: IncassoApp = self.app  # type: ignore[assignment]
        from incasso_tui.db import describe

        actor = app.actor
        filt = getattr(self.screen, "administration_label", lambda: t("all"))()
        self.update(f"[b]incasso[/b] │ {t(self.title)} │ {actor.login} ({status_label('role', actor.role)})"
                    f" │ {describe(app.session.config.database_url)} │ {t('Administration')}: {filt}")


class QueuePanel(Static):
    """The job queue on every screen: the running job with a bar and ETA, counts queued and
    failed. Progress comes from the App's runner (at most every 0.25 s); counts from the
    database every 2 s, so jobs of other processes show too."""

    counts: dict = {}

    def on_mount(self) -> None:
        self.counts = {}
        self.event = getattr(self.app, "last_job_event", None)
        self._render_text()
        self.app.job_signal.subscribe(self, self._on_job)
        self.load()
        self.set_interval(2.0, self.load)

    def _on_job(self, event) -> None:
        self.event = event if event.status == "running" else None
        if event.status != "running":
            self.load()
        self._render_text()

    @work(thread=True, exclusive=True, group="queue-panel", exit_on_error=False)
    def load(self) -> None:
        app: IncassoApp = self.app  # type: ignore[assignment]
        counts = app.call_service(jobs_summary.queue_counts, app.actor)
        self.app.call_from_thread(self._set_counts, counts)

    def _set_counts(self, counts: dict) -> None:
        self.counts = counts
        self._render_text()

    def _render_text(self) -> None:
        text = t("Queue: {queued} queued · {running} running · {failed} failed",
                 queued=self.counts.get("queued", 0), running=self.counts.get("running", 0),
                 failed=self.counts.get("failed", 0))
        event = self.event
        if event is not None:
            filled = int(event.fraction * 20)
            eta = event.eta_seconds
            eta_text = f" · ETA {int(eta) // 60}:{int(eta) % 60:02d}" if eta is not None else ""
            text = (f"{t('Job')} {event.job_id} {event.kind} [{'█' * filled}{'░' * (20 - filled)}] "
                    f"{event.fraction:.0%}{eta_text} · {event.message} │ {text}")
        self.update(text)


class AreaScreen(Screen):
    """Base of the top-level screens. Subclasses implement `compose_body`."""

    AREA = ""
    TITLE = ""
    HELP = ""
    BINDINGS = [Binding("escape", "back", t("Back"), id="back")]

    @property
    def incasso(self) -> "IncassoApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield AppHeader(self.TITLE)
        with Vertical(id="body"):
            yield from self.compose_body()
        yield QueuePanel(id="queue-panel", markup=False)
        yield AppFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "back":
            return len(self.app.screen_stack) > 2  # nothing behind the home screen
        return True

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker messages do not bubble: without this a failing service (a refusal, a lost
        # database) would show nothing at all. The App reports it in one line.
        self.incasso.on_worker_state_changed(event)

    def run_service(self, fn: Callable[..., Any], *args: Any, then: Callable[[Any], None] | None = None,
                    group: str = "service", exclusive: bool = True, **kwargs: Any) -> None:
        """Call a service on a worker thread; hand the result to `then` on the UI thread."""
        def job() -> None:
            result = self.incasso.call_service(fn, *args, **kwargs)
            if then is not None:
                self.app.call_from_thread(then, result)

        self.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False)


def run_refusable(owner, fn: Callable[..., Any], *args: Any, ok: Callable[[Any], None],
                  refused: Callable[[Any], None], group: str, **kwargs: Any) -> None:
    """Call a service on a worker thread of ``owner`` (a screen or a dialog): the result goes
    to ``ok``, a refusal (IncassoError: bad input, no rights) to ``refused``, both on the UI
    thread. An unexpected failure ends the worker in ERROR, which the App reports."""
    from incasso_tui.errors import IncassoError

    app = owner.app

    def job() -> None:
        try:
            result = app.call_service(fn, *args, **kwargs)
        except IncassoError as exc:
            app.call_from_thread(refused, exc)
        else:
            app.call_from_thread(ok, result)

    owner.run_worker(job, thread=True, group=group, exit_on_error=False)
