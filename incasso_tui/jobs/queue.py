"""Job rows: enqueue, atomic claim, heartbeat, finish, cancel, retry, recovery.

Claiming is one conditional UPDATE (`… WHERE id = ? AND status = 'queued'`): on SQLite
writers are serialised, on PostgreSQL the second updater re-reads the row after the
first commits; either way exactly one worker sees a row count of 1. A job whose
worker died (no heartbeat for STALE_AFTER) is put back in the queue on the next start
of any worker, up to MAX_ATTEMPTS; handlers are idempotent, so a retry is safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.db.statuses import JobStatus

STALE_AFTER = dt.timedelta(seconds=30)
MAX_ATTEMPTS = 3


def _now() -> dt.datetime:
    # Real time, not clock.now(): staleness is about seconds that really passed.
    return dt.datetime.now().replace(microsecond=0)


def enqueue(kind: str, payload: dict[str, Any], user_id: int | None, message: str = "") -> m.Job:
    return m.Job.create(kind=kind, payload=payload, user=user_id, message=message[:200])


def claim(job_id: int, worker: str) -> bool:
    now = _now()
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
    values: dict[str, Any] = {"heartbeat_at": _now()}
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
        finished_at=_now(),
        result=result,
        message=message[:200] or m.Job.message,
    ).where(m.Job.id == job_id).execute()


def fail(job_id: int, error: str) -> None:
    m.Job.update(
        status=JobStatus.FAILED,
        finished_at=_now(),
        error=error[:2000],
        message=error.splitlines()[0][:200] if error else "",
    ).where(m.Job.id == job_id).execute()


def mark_cancelled(job_id: int, message: str = "cancelled") -> None:
    m.Job.update(status=JobStatus.CANCELLED, finished_at=_now(), message=message[:200]).where(
        m.Job.id == job_id
    ).execute()


def requeue(job_id: int, message: str) -> None:
    """Give a running job back to the queue (its worker is shutting down, not failing)."""
    (
        m.Job.update(status=JobStatus.QUEUED, worker=None, message=message[:200])
        .where((m.Job.id == job_id) & (m.Job.status == JobStatus.RUNNING))
        .execute()
    )


def recover_stale(stale_after: dt.timedelta = STALE_AFTER) -> list[int]:
    """Running jobs without a heartbeat for `stale_after`: back to the queue, or failed after
    MAX_ATTEMPTS. Returns the ids that were requeued."""
    limit = _now() - stale_after
    stale = list(
        cast(
            "Iterable[tuple[int, int]]",  # peewee-stubs type .tuples() rows as the model
            m.Job.select(m.Job.id, m.Job.attempts)
            .where((m.Job.status == JobStatus.RUNNING) & (m.Job.heartbeat_at < limit))
            .tuples(),
        )
    )
    requeued: list[int] = []
    for job_id, attempts in stale:
        with database.atomic():
            if attempts >= MAX_ATTEMPTS:
                (
                    m.Job.update(
                        status=JobStatus.FAILED,
                        finished_at=_now(),
                        error=f"the worker stopped responding {attempts} times; not retried again",
                    )
                    .where((m.Job.id == job_id) & (m.Job.status == JobStatus.RUNNING))
                    .execute()
                )
            elif (
                m.Job.update(
                    status=JobStatus.QUEUED,
                    worker=None,
                    message="requeued: the previous worker stopped responding",
                )
                .where((m.Job.id == job_id) & (m.Job.status == JobStatus.RUNNING))
                .execute()
            ):
                requeued.append(job_id)
    return requeued
