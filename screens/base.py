"""What every area screen shares: the header line, the queue panel, the footer, Escape back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from incasso_tui.i18n import status_label, t
from incasso_tui.services import jobs_summary

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
    """Counts of the job queue, on every screen; refreshed from the database."""

    def on_mount(self) -> None:
        self.update(t("Queue: {queued} queued · {running} running · {failed} failed",
                      queued=0, running=0, failed=0))
        self.load()
        self.set_interval(2.0, self.load)

    @work(thread=True, exclusive=True, group="queue-panel", exit_on_error=False)
    def load(self) -> None:
        app: IncassoApp = self.app  # type: ignore[assignment]
        counts = app.call_service(jobs_summary.queue_counts, app.actor)
        self.app.call_from_thread(self.update, t(
            "Queue: {queued} queued · {running} running · {failed} failed",
            queued=counts.get("queued", 0), running=counts.get("running", 0),
            failed=counts.get("failed", 0)))


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
        yield QueuePanel(id="queue-panel")
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "back":
            return len(self.app.screen_stack) > 2  # nothing behind the home screen
        return True

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def run_service(self, fn: Callable[..., Any], *args: Any, then: Callable[[Any], None] | None = None,
                    group: str = "service", exclusive: bool = True, **kwargs: Any) -> None:
        """Call a service on a worker thread; hand the result to `then` on the UI thread."""
        def job() -> None:
            result = self.incasso.call_service(fn, *args, **kwargs)
            if then is not None:
                self.app.call_from_thread(then, result)

        self.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False)
