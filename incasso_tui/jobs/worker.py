"""Running jobs: one at a time per runner, with progress, heartbeat and cancellation.

The same runner serves the App's worker thread, `incasso worker` (a server without
a screen) and `incasso set process --wait`. Progress is written to the job row and
handed to an optional listener at most every PROGRESS_INTERVAL seconds (plus the
final value), so neither the database nor the UI is flooded.

Every running runner reclaims the jobs of dead workers (`queue.recover_stale`): when it
starts, then at least every third of the heartbeat timeout — from its loop while idle, from
its heartbeat thread while it runs a job — so a dead worker's job is back in the queue
within twice the heartbeat timeout of its last heartbeat. When nothing is stale that is
one indexed query.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from incasso_tui.core.errors import IncassoError
from incasso_tui.core.logfile import log_exception
from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.db.statuses import JobStatus
from incasso_tui.jobs import queue
from incasso_tui.jobs.registry import handler_for

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.25
HEARTBEAT_INTERVAL = 5.0


def heartbeat_interval() -> float:
    """Seconds between heartbeats: well within the heartbeat timeout, however short it is set."""
    return min(HEARTBEAT_INTERVAL, queue.heartbeat_timeout().total_seconds() / 4)


def reclaim_interval() -> float:
    """Seconds between two looks for dead workers' jobs (a third of the heartbeat timeout)."""
    return queue.heartbeat_timeout().total_seconds() / 3


@dataclass
class ProgressEvent:
    job_id: int
    kind: str
    done: int
    total: int
    message: str
    started: float
    status: str = JobStatus.RUNNING

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def eta_seconds(self) -> float | None:
        if not self.done or not self.total or self.done >= self.total:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed / self.done * (self.total - self.done)


Listener = Callable[[ProgressEvent], None]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


@dataclass
class _Context:
    job_id: int
    kind: str
    user_id: int | None
    runner: JobRunner
    listener: Listener | None
    started: float = field(default_factory=time.monotonic)
    _last: float = 0.0
    _cancel: bool = False

    def progress(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        final = total and done >= total
        if not final and now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        permille = int(done * 1000 / total) if total else 0
        self._cancel = queue.heartbeat(self.job_id, permille, message) or self._cancel
        if self.listener is not None:
            self.listener(ProgressEvent(self.job_id, self.kind, done, total, message, self.started))

    def cancelled(self) -> bool:
        return self._cancel or self.runner.stopping()


class JobRunner:
    def __init__(
        self,
        name: str | None = None,
        listener: Listener | None = None,
        stop: threading.Event | None = None,
        should_stop: Callable[[], bool] | None = None,
        on_start: Callable[[], Any] | None = None,
    ):
        self.name = name or worker_name()
        # Start-up recovery beyond the queue's own (the outbox: files a crash left staged).
        self.on_start = on_start
        self.listener = listener
        self.stop = stop or threading.Event()
        # e.g. "the UI thread-worker running me was cancelled" (the App shutting down)
        self.should_stop = should_stop or (lambda: False)
        self._reclaimed_at = 0.0  # time.monotonic() of the last look for dead workers' jobs
        self._reclaim_lock = threading.Lock()

    def reclaim_stale(self, force: bool = False) -> list[int]:
        """Put dead workers' jobs back in the queue (or end them: see queue.recover_stale),
        at most once per `reclaim_interval()` unless forced. Never raises: a failed look
        (a locked or unreachable database) is logged and tried again at the next interval."""
        now = time.monotonic()
        if not force and now - self._reclaimed_at < reclaim_interval():
            return []
        if not self._reclaim_lock.acquire(blocking=False):
            return []  # the loop and the heartbeat thread: one look at a time
        try:
            self._reclaimed_at = now
            requeued = queue.recover_stale()
        except Exception as exc:  # noqa: BLE001 - the runner goes on; the next look tries again
            log.warning("looking for jobs of dead workers failed: %s", exc)
            return []
        finally:
            self._reclaim_lock.release()
        if requeued:
            log.warning("requeued job(s) %s: their worker stopped responding", requeued)
        return requeued

    def stopping(self) -> bool:
        if not self.stop.is_set() and self.should_stop():
            self.stop.set()
        return self.stop.is_set()

    def run_job(self, job: m.Job) -> str:
        """Run a job this runner has claimed; returns its final status."""
        ctx = _Context(job.id, job.kind, job.user_id, self, self.listener)
        beat_stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(job.id, beat_stop, ctx), daemon=True)
        beat.start()
        status = JobStatus.DONE
        message = ""
        try:
            result = handler_for(job.kind)(ctx, job.payload or {})
            if (result or {}).get("cancelled") and not ctx._cancel:
                ctx._cancel = queue.heartbeat(job.id)  # asked meanwhile, after the last beat?
            if (result or {}).get("cancelled") and not ctx._cancel:
                # The worker is shutting down, nobody cancelled: another worker continues.
                queue.requeue(job.id, "requeued: the worker stopped")
                status = JobStatus.QUEUED
            elif (result or {}).get("cancelled"):
                queue.mark_cancelled(job.id, "cancelled", job.kind, job.payload)
                status = JobStatus.CANCELLED
            else:
                message = (result or {}).get("message", "done")
                queue.finish(job.id, result, message)
        except IncassoError as exc:
            queue.fail(job.id, str(exc), job.kind, job.payload)
            status, message = JobStatus.FAILED, str(exc)
        except Exception as exc:  # noqa: BLE001 - a job failure must not stop the worker
            where = log_exception(exc, f"job {job.id} ({job.kind})")
            queue.fail(job.id, f"{type(exc).__name__}: {exc} (details in {where})", job.kind, job.payload)
            status, message = JobStatus.FAILED, str(exc)
        finally:
            beat_stop.set()
            beat.join(timeout=2)
        if self.listener is not None:
            self.listener(ProgressEvent(job.id, job.kind, 1, 1, message, ctx.started, status))
        return status

    def _beat(self, job_id: int, stop: threading.Event, ctx: _Context) -> None:
        # A step without progress calls (a slow query) must not look like a dead worker.
        # While this runner is busy, its heartbeat thread also reclaims dead workers' jobs.
        while not stop.wait(heartbeat_interval()):
            with contextlib.suppress(Exception):  # the next beat tries again
                ctx._cancel = db.in_connection(queue.heartbeat, job_id) or ctx._cancel
            if time.monotonic() - self._reclaimed_at >= reclaim_interval():
                with contextlib.suppress(Exception):
                    db.in_connection(self.reclaim_stale)

    def run_one(self, job_id: int) -> str:
        """Claim and run one particular job (the foreground `--wait`)."""
        if not queue.claim(job_id, self.name):
            job = m.Job.get_by_id(job_id)
            raise IncassoError(f"job {job_id} is {job.status} (another worker has it)")
        return self.run_job(m.Job.get_by_id(job_id))

    def run_pending(self, poll: float = 0.5, once: bool = False) -> int:
        """Run queued jobs until stopped (or, with `once`, until the queue is empty); dead
        workers' jobs are reclaimed at the start and then periodically."""
        queue.recover_stale()
        self._reclaimed_at = time.monotonic()
        if self.on_start is not None:
            self.on_start()
        ran = 0
        while not self.stopping():
            self.reclaim_stale()
            job = queue.claim_next(self.name)
            if job is None:
                if once:
                    break
                self.stop.wait(poll)
                continue
            self.run_job(job)
            ran += 1
        return ran


def run_in_connection(runner: JobRunner, **kwargs: Any) -> int:
    """For threads: the runner's loop on the thread's own database connection."""
    return db.in_connection(runner.run_pending, **kwargs)
