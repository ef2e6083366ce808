"""Job rows: enqueue, atomic claim, heartbeat, finish, cancel, retry, recovery.

Claiming is one conditional UPDATE (`… WHERE id = ? AND status = 'queued'`): on SQLite
writers are serialised, on PostgreSQL the second updater re-reads the row after the
first commits; either way exactly one worker sees a row count of 1. A job whose
worker died (no heartbeat for `heartbeat_timeout()`) is put back in the
queue by any running worker (when it starts, and then periodically: see worker.py), up to
MAX_ATTEMPTS; handlers are idempotent, so a retry is safe. After MAX_ATTEMPTS the job fails;
a dead job someone asked to cancel is cancelled.

However a job ends badly — failed (by its handler, or given up after MAX_ATTEMPTS) or
cancelled — its handler's hook `after_fail(payload, error, gave_up_after)` or
`after_cancel(payload)` runs in the transaction that ends the job, so its subject never
waits for a job that will not come (a set: failed or back as it was, staged files removed).

The heartbeat timeout is 30 s; INCASSO_JOB_STALE_SECONDS (a positive number) changes it
for every process that has it in its environment (tests, a slow shared database).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable
from typing import Any, cast

from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.db.statuses import JobStatus
from incasso_tui.jobs.registry import handler_for

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(seconds=30)
STALE_ENV = "INCASSO_JOB_STALE_SECONDS"
MAX_ATTEMPTS = 3


def heartbeat_timeout() -> dt.timedelta:
    """The heartbeat timeout: a running job without a heartbeat for this long lost its worker."""
    raw = os.environ.get(STALE_ENV, "").strip()
    try:
        seconds = float(raw) if raw else 0.0
    except ValueError:
        seconds = 0.0
    return dt.timedelta(seconds=seconds) if 0 < seconds < 86400 else STALE_AFTER


def wall_now() -> dt.datetime:
    # Real time, not clock.now(): staleness is about seconds that really passed.
    return dt.datetime.now().replace(microsecond=0)


def enqueue(kind: str, payload: dict[str, Any], user_id: int | None, message: str = "") -> m.Job:
    return m.Job.create(kind=kind, payload=payload, user=user_id, message=message[:200])


def claim(job_id: int, worker: str) -> bool:
    now = wall_now()
    n: int = (
        m.Job.update(
            status=JobStatus.RUNNING,
            worker=worker,
            started_at=now,
            heartbeat_at=now,
            attempts=m.Job.attempts + 1,
            error=None,
            progress=0,
        )
        .where((m.Job.id == job_id) & (m.Job.status == JobStatus.QUEUED))
        .execute()
    )
    return n == 1


def claim_next(worker: str) -> m.Job | None:
    """The oldest queued job, now running for `worker`; None when the queue is empty."""
    # Read the candidates completely first: an UPDATE while this SELECT is still open would
    # try to upgrade an old read snapshot, which SQLite refuses at once instead of waiting.
    rows = cast(
        "Iterable[tuple[int]]",  # peewee-stubs type .tuples() rows as the model
        m.Job.select(m.Job.id).where(m.Job.status == JobStatus.QUEUED).order_by(m.Job.id).limit(10).tuples(),
    )
    candidates = [row[0] for row in rows]
    for job_id in candidates:
        if claim(job_id, worker):
            return m.Job.get_by_id(job_id)
    return None


def heartbeat(job_id: int, progress: int | None = None, message: str | None = None) -> bool:
    """Record life (and progress); returns True when someone asked to cancel the job."""
    values: dict[str, Any] = {"heartbeat_at": wall_now()}
    if progress is not None:
        values["progress"] = max(0, min(1000, progress))
    if message is not None:
        values["message"] = message[:200]
    m.Job.update(**values).where((m.Job.id == job_id) & (m.Job.status == JobStatus.RUNNING)).execute()
    row = m.Job.select(m.Job.cancel_requested).where(m.Job.id == job_id).tuples().first()
    return bool(row and row[0])


def finish(job_id: int, result: dict[str, Any] | None, message: str = "") -> None:
    m.Job.update(
        status=JobStatus.DONE,
        progress=1000,
        finished_at=wall_now(),
        result=result,
        message=message[:200] or m.Job.message,
    ).where(m.Job.id == job_id).execute()


def fail(job_id: int, error: str, kind: str | None = None, payload: dict[str, Any] | None = None) -> None:
    """The job failed; with its kind, the handler's `after_fail` hook runs in the same
    transaction (its subject must not wait for a job that will not come)."""
    update = m.Job.update(
        status=JobStatus.FAILED,
        finished_at=wall_now(),
        error=error[:2000],
        message=error.splitlines()[0][:200] if error else "",
    ).where(m.Job.id == job_id)
    _end(update, kind, "after_fail", payload, error, 0)


def mark_cancelled(
    job_id: int, message: str = "cancelled", kind: str | None = None, payload: dict[str, Any] | None = None
) -> None:
    """The job is cancelled; with its kind, the handler's `after_cancel` hook runs in the
    same transaction."""
    update = m.Job.update(status=JobStatus.CANCELLED, finished_at=wall_now(), message=message[:200]).where(
        m.Job.id == job_id
    )
    _end(update, kind, "after_cancel", payload)


def _end(update: Any, kind: str | None, hook: str, payload: dict[str, Any] | None, *args: Any) -> None:
    if kind is not None:
        try:
            with database.atomic():
                update.execute()
                _hook(kind, hook, payload or {}, *args)
            return
        except Exception as exc:  # noqa: BLE001 - the job still ends; its subject is settled later
            log.warning("%s of a %s job failed: %s", hook, kind, exc)
    update.execute()


def requeue(job_id: int, message: str) -> None:
    """Give a running job back to the queue (its worker is shutting down, not failing)."""
    (
        m.Job.update(status=JobStatus.QUEUED, worker=None, message=message[:200])
        .where((m.Job.id == job_id) & (m.Job.status == JobStatus.RUNNING))
        .execute()
    )


def recover_stale(stale_after: dt.timedelta | None = None, job_ids: Iterable[int] | None = None) -> list[int]:
    """Running jobs without a heartbeat for `stale_after` (default: the heartbeat timeout):
    back to the queue; cancelled when someone asked for that; failed after MAX_ATTEMPTS, with
    the handler's hook putting its subject right. `job_ids` limits the look to those jobs.
    One indexed query when nothing is stale. Returns the ids that were requeued."""
    limit = wall_now() - (stale_after if stale_after is not None else heartbeat_timeout())
    query = m.Job.select(m.Job.id, m.Job.attempts, m.Job.cancel_requested, m.Job.kind, m.Job.payload).where(
        (m.Job.status == JobStatus.RUNNING) & (m.Job.heartbeat_at < limit)
    )
    if job_ids is not None:
        query = query.where(m.Job.id.in_(list(job_ids)))
    stale = list(
        cast(
            "Iterable[tuple[int, int, bool, str, dict[str, Any] | None]]",  # peewee-stubs: rows as the model
            query.tuples(),
        )
    )
    requeued: list[int] = []
    for job_id, attempts, cancel, kind, payload in stale:
        try:
            if _recover_one(job_id, attempts, cancel, kind, payload or {}, limit):
                requeued.append(job_id)
        except Exception as exc:  # noqa: BLE001 - the job stays stale; the next look tries again
            log.warning("recovering job %s failed: %s", job_id, exc)
    return requeued


def _recover_one(
    job_id: int, attempts: int, cancel: bool, kind: str, payload: dict[str, Any], limit: dt.datetime
) -> bool:
    """One stale job: cancelled, failed or requeued (True), each in one transaction with
    the handler's hook; nothing when another worker got there first."""
    running = (m.Job.id == job_id) & (m.Job.status == JobStatus.RUNNING) & (m.Job.heartbeat_at < limit)
    with database.atomic():
        if cancel:
            done = (
                m.Job.update(
                    status=JobStatus.CANCELLED,
                    finished_at=wall_now(),
                    message="cancelled (its worker had stopped responding)",
                )
                .where(running)
                .execute()
            )
            if done:
                _hook(kind, "after_cancel", payload)
            return False
        if attempts >= MAX_ATTEMPTS:
            reason = (
                f"the worker stopped responding {attempts} times (it died or hung); not retried automatically"
            )
            done = (
                m.Job.update(
                    status=JobStatus.FAILED, finished_at=wall_now(), error=reason, message=reason[:200]
                )
                .where(running)
                .execute()
            )
            if done:
                _hook(kind, "after_fail", payload, reason, attempts)
            return False
        requeued: int = (
            m.Job.update(
                status=JobStatus.QUEUED,
                worker=None,
                message="requeued: the previous worker stopped responding",
            )
            .where(running)
            .execute()
        )
        return requeued == 1


def _hook(kind: str, name: str, payload: dict[str, Any], *args: Any) -> None:
    """A handler's hook for a job ended without it (see the module doc); an unknown kind has none."""
    try:
        handler = handler_for(kind)
    except (LookupError, ImportError):
        log.warning("job kind %r has no handler: %s not run", kind, name)
        return
    hook = getattr(handler, name, None)
    if hook is not None:
        hook(payload, *args)
