"""The job queue (wachtrij): every job with status, user, times and errors."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from incasso_tui.i18n import status_codes, status_label, t
from incasso_tui.jobs.registry import kind_label, phase
from incasso_tui.services import jobs as job_service
from incasso_tui.services.browse import JobRow, list_jobs
from incasso_tui.services.exports.sources import StatusFilter
from incasso_tui.services.paging import Page
from incasso_tui.services.statuses import JobAction
from screens.list_screen import ListScreen
from screens.widgets.filters import cycle
from screens.widgets.formatting import date_text
from screens.widgets.paged_table import Column


def phase_text(message: str) -> str:
    """A job's progress message (its phase) in the UI language."""
    template, values = phase(message or "")
    return t(template, **values)


class QueueScreen(ListScreen):
    AREA = "queue"
    TITLE = "Queue"
    SEARCHABLE = False
    EXPORT = "jobs"
    HELP = """
# Queue

The jobs in the queue: yours, or everyone's for an admin. **s** cycles the status
filter; the list refreshes itself every few seconds. **r** retries a failed or cancelled
job, **c** cancels a queued one (a running one stops at its next step), **o** opens the
collection set a job processes.
"""
    BINDINGS = [
        Binding("s", "cycle_status", "Status filter", id="queue-status"),
        Binding("r", "retry_job", "Retry", id="queue-retry"),
        Binding("c", "cancel_job", "Cancel job", id="queue-cancel"),
        Binding("o", "open_set", "Open set", id="queue-open-set"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(3.0, self.reload)

    def columns(self) -> list[Column]:
        return [
            Column("id", "#", 6),
            Column("kind", t("Kind"), 14),
            Column("status", t("Status"), 12),
            Column("progress", t("Progress"), 8),
            Column("user", t("User"), 10),
            Column("created", t("Created"), 16),
            Column("started", t("Started"), 16),
            Column("finished", t("Finished"), 16),
            Column("attempts", t("Attempts"), 4),
            Column("message", t("Message"), 30),
            Column("error", t("Error"), 30),
        ]

    def list_filter(self) -> StatusFilter:
        return StatusFilter(self.status)

    def fetch(self, offset: int, limit: int) -> Page[JobRow]:
        return list_jobs(self.incasso.actor, self.status, offset, limit)

    def cells(self, r: JobRow) -> tuple:
        return (
            str(r.id),
            t(kind_label(r.kind)),
            status_label("job", r.status),
            f"{r.progress / 10:.0f}%",
            r.user or "",
            date_text(r.created_at),
            date_text(r.started_at),
            date_text(r.finished_at),
            str(r.attempts),
            phase_text(r.message),
            r.error or "",
        )

    def filter_text(self) -> str:
        return f"{t('status')}: {status_label('job', self.status)}" if self.status else ""

    def action_cycle_status(self) -> None:
        self.status = cycle(status_codes("job"), self.status)
        self.reload()

    @on(DataTable.RowHighlighted, "#list")
    def _row_highlighted(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        row = self.current_row() if action in ("retry_job", "cancel_job", "open_set") else None
        if action == "retry_job":
            return True if JobAction.RETRY in self._actions(row) else None
        if action == "cancel_job":
            return True if JobAction.CANCEL in self._actions(row) else None
        if action == "open_set":
            return True if row is not None and row.kind == "process_set" else None
        return super().check_action(action, parameters)

    def _actions(self, row: JobRow | None) -> frozenset[JobAction]:
        """What the user may do with the job under the cursor (none without a row)."""
        if row is None:
            return frozenset()
        return job_service.job_actions(self.incasso.actor, row.user_id, row.status)

    def action_retry_job(self) -> None:
        row = self.table.current
        if row is not None:
            job_id = row.id

            def retried(_result: None) -> None:
                self.notify(t("Job {id} queued again", id=job_id))
                self.reload()

            self.run_service(job_service.retry, self.incasso.actor, job_id, then=retried)

    def action_cancel_job(self) -> None:
        row = self.table.current
        if row is not None:
            self.run_service(job_service.request_cancel, self.incasso.actor, row.id, then=self._cancelled)

    def _cancelled(self, outcome: str) -> None:
        self.notify(t(outcome))
        self.reload()

    def action_open_set(self) -> None:
        from incasso_tui.services.collection.processing import set_of_job
        from screens.set_detail import SetDetailScreen

        row = self.current_row()
        if row is None:
            return

        def open_set(set_id: int | None) -> None:
            if set_id:
                self.app.push_screen(SetDetailScreen(set_id))

        self.run_service(set_of_job, self.incasso.actor, row.id, then=open_set)
