"""What every area screen shares: the header line, the queue panel, the footer, Escape back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.services.session import Interrupt, LookupStopped, in_interactive_connection
from screens.widgets.app_ref import incasso_app
from screens.widgets.footer import AppFooter
from screens.widgets.header import AppHeader
from screens.widgets.queue_panel import QueuePanel
from screens.widgets.translated_bindings import TranslatedBindings

if TYPE_CHECKING:
    from incasso_tui.app import IncassoApp


class AreaScreen(TranslatedBindings, Screen[None]):
    """Base of the top-level screens. Subclasses implement `compose_body`."""

    AREA = ""
    TITLE = ""
    HELP = ""
    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    @property
    def incasso(self) -> IncassoApp:
        """The app, typed (Textual's `self.app` is `App[Any]`)."""
        return incasso_app(self)

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
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            show_load_failure(self, event.worker.error)

    def run_service(
        self,
        fn: Callable[..., Any],
        *args: Any,
        then: Callable[[Any], object] | None = None,
        group: str = "service",
        exclusive: bool = True,
        stop: Interrupt | None = None,
        **kwargs: Any,
    ) -> None:
        """Call a service on a worker thread; hand the result to `then` on the UI thread.
        With `stop`, a read-only look-up the screen may stop waiting for: `stop.cancel()`
        stops it in the database, and then nothing is handed on."""

        def job() -> None:
            if stop is None:
                result = self.incasso.call_service(fn, *args, **kwargs)
            else:
                try:
                    result = in_interactive_connection(stop, fn, *args, **kwargs)
                except LookupStopped:
                    if stop.cancelled:
                        return
                    raise
            if then is not None:
                self.app.call_from_thread(then, result)

        self.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False)


def show_load_failure(screen: Screen[Any], error: BaseException) -> None:
    """A load that failed never leaves "Loading…" behind: each text still saying so says why."""
    from incasso_tui.core.errors import IncassoError

    loading = t("Loading…")
    why = error_message(error) if isinstance(error, IncassoError) else f"{type(error).__name__}: {error}"
    for static in screen.query(Static):
        if isinstance(static.content, str) and static.content.endswith(loading):
            text = static.content[: -len(loading)] + t("Could not load: {error}", error=why)
            static.update(Text(text, style="red"))  # plain text: the error may name stored things


def run_refusable(
    owner: Widget,
    fn: Callable[..., Any],
    *args: Any,
    ok: Callable[[Any], object],
    refused: Callable[[Any], object],
    group: str,
    **kwargs: Any,
) -> None:
    """Call a service on a worker thread of ``owner`` (a screen or a dialog): the result goes
    to ``ok``, a refusal (IncassoError: bad input, no rights) to ``refused``, both on the UI
    thread. An unexpected failure ends the worker in ERROR, which the App reports."""
    from incasso_tui.core.errors import IncassoError

    app = incasso_app(owner)

    def job() -> None:
        try:
            result = app.call_service(fn, *args, **kwargs)
        except IncassoError as exc:
            app.call_from_thread(refused, exc)
        else:
            app.call_from_thread(ok, result)

    owner.run_worker(job, thread=True, group=group, exit_on_error=False)


# A status value in a message is shown by its label; which kind of status the message names
# is read from its template ("set 12 is processed" names a set's status).
_STATUS_KINDS = ("set", "order", "mandate", "job")


def _status_kind(template: str) -> str | None:
    words = template.lower().replace("{", " ").replace("}", " ").split()
    return next((word for word in words if word in _STATUS_KINDS), None)


def _shown_value(key: str, value: object, kind: str | None) -> object:
    if kind is not None and key.startswith("status") and str(value) in status_codes(kind):
        return status_label(kind, str(value))
    return value


def rule_message(error: BaseException) -> str:
    """The template of an IncassoError (a ValidationError's rule) in the UI language, its
    values filled in: a status value by its translated label."""
    from incasso_tui.services.organisation import rule_parts

    template = getattr(error, "template", "") or str(error)
    values = getattr(error, "values", {}) or {}
    if not values:  # a rule forwarded already filled in (the SEPA engine's): find its template
        template, values = rule_parts(template)
    kind = _status_kind(template)
    try:
        return t(template, **{key: _shown_value(key, value, kind) for key, value in values.items()})
    except (KeyError, IndexError, ValueError):  # a translation naming a value the error lacks
        return str(error)


def error_message(error: BaseException) -> str:
    """A service's refusal in the UI language (plain text, not markup), a field by its
    translated name; anything that is not an IncassoError: its own text."""
    from incasso_tui.core.errors import IncassoError, ValidationError, ValidationErrors

    if isinstance(error, ValidationErrors):
        return "; ".join(error_message(e) for e in error.errors)
    if isinstance(error, ValidationError):
        shown = f" {error.value!r}" if error.value not in (None, "") else ""
        return f"{t(error.field)}{shown}: {rule_message(error)}"
    if isinstance(error, IncassoError):
        return rule_message(error)
    return str(error)
