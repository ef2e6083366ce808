"""The job queue (wachtrij): every job with status, user, times and errors."""

from __future__ import annotations

from textual.binding import Binding

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.services.browse import JobRow, list_jobs

from .filters import cycle
from .formatting import date_text
from .paged_table import Column
from .list_screen import ListScreen


class QueueScreen(ListScreen):
    AREA = "queue"
    TITLE = "Queue"
    SEARCHABLE = False
    HELP = """
# Queue

The jobs in the queue: yours, or everyone's for an admin. **s** cycles the status
filter; the list refreshes itself every few seconds.
"""
    BINDINGS = [Binding("s", "cycle_status", t("Status filter"), id="queue-status")]

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(3.0, self.reload)

    def columns(self) -> list[Column]:
        return [Column("id", "#", 6), Column("kind", t("Kind"), 14), Column("status", t("Status"), 12),
                Column("progress", t("Progress"), 8), Column("user", t("User"), 10),
                Column("created", t("Created"), 16), Column("started", t("Started"), 16),
                Column("finished", t("Finished"), 16), Column("attempts", t("Attempts"), 4),
                Column("message", t("Message"), 30), Column("error", t("Error"), 30)]

    def fetch(self, offset: int, limit: int):
        return list_jobs(self.incasso.actor, self.status, offset, limit)

    def cells(self, r: JobRow) -> tuple:
        return (str(r.id), r.kind, status_label("job", r.status), f"{r.progress / 10:.0f}%",
                r.user or "", date_text(r.created_at), date_text(r.started_at),
                date_text(r.finished_at), str(r.attempts), r.message, r.error or "")

    def filter_text(self) -> str:
        return f"{t('status')}: {status_label('job', self.status)}" if self.status else ""

    def action_cycle_status(self) -> None:
        self.status = cycle(status_codes("job"), self.status)
        self.reload()
