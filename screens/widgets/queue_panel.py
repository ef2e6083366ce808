"""The job queue panel shown on every area screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Static

from incasso_tui.i18n import t
from incasso_tui.jobs.registry import kind_label, phase
from incasso_tui.services import jobs as job_service
from incasso_tui.services.statuses import JobStatus
from screens.widgets.app_ref import incasso_app

if TYPE_CHECKING:
    from incasso_tui.services.jobs import ProgressEvent


class QueuePanel(Static):
    """The job queue on every screen: the running job with a bar and ETA, counts queued and
    failed. Progress comes from the App's runner (at most every 0.25 s); counts from the
    database every 2 s, so jobs of other processes show too."""

    counts: dict[str, int] = {}

    def on_mount(self) -> None:
        self.counts = {}
        self.event: ProgressEvent | None = getattr(self.app, "last_job_event", None)
        self._render_text()
        incasso_app(self).job_signal.subscribe(self, self._on_job)
        self.load()
        self.set_interval(2.0, self.load)

    def _on_job(self, event: ProgressEvent) -> None:
        self.event = event if event.status == JobStatus.RUNNING else None
        if event.status != JobStatus.RUNNING:
            self.load()
        self._render_text()

    @work(thread=True, exclusive=True, group="queue-panel", exit_on_error=False)
    def load(self) -> None:
        app = incasso_app(self)
        counts = app.call_service(job_service.queue_counts, app.actor)
        self.app.call_from_thread(self._set_counts, counts)

    def _set_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self._render_text()

    def _render_text(self) -> None:
        text = t(
            "Queue: {queued} queued · {running} running · {failed} failed",
            queued=self.counts.get(JobStatus.QUEUED, 0),
            running=self.counts.get(JobStatus.RUNNING, 0),
            failed=self.counts.get(JobStatus.FAILED, 0),
        )
        event = self.event
        if event is not None:
            filled = int(event.fraction * 20)
            eta = event.eta_seconds
            eta_text = f" · ETA {int(eta) // 60}:{int(eta) % 60:02d}" if eta is not None else ""
            template, values = phase(event.message or "")
            text = (
                f"{t('Job')} {event.job_id} {t(kind_label(event.kind))} [{'█' * filled}{'░' * (20 - filled)}] "
                f"{event.fraction:.0%}{eta_text} · {t(template, **values)} │ {text}"
            )
        self.update(text)
