"""Job rows: enqueue, atomic claim, heartbeat, finish, cancel, retry, recovery.

Claiming is one conditional UPDATE (`… WHERE id = ? AND status = 'queued'`): on SQLite
writers are serialised, on PostgreSQL the second updater re-reads the row after the
first commits; either way exactly one worker sees a row count of 1. A job whose
worker died (no heartbeat for STALE_AFTER) is put back in the queue on the next start
of any worker, up to MAX_ATTEMPTS; handlers are idempotent, so a retry is safe.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.core.errors import NotFound, Refused
from incasso_tui.services.auth import Actor

STALE_AFTER = dt.timedelta(seconds=30)
MAX_ATTEMPTS = 3


def _now() -> dt.datetime:
    # Real time, not clock.now(): staleness is about seconds that really passed.
    return dt.datetime.now().replace(microsecond=0)


def enqueue(kind: str, payload: dict[str, Any], user_id: int | None, message: str = "") -> m.Job:
    return m.Job.create(kind=kind, payload=payload, user=user_id, message=message[:200])


def claim(job_id: int, worker: str) -> bool:
    now = _now()
    n = (m.Job.update(status="running", worker=worker, started_at=now, heartbeat_at=now,
                      attempts=m.Job.attempts + 1, error=None, progress=0)
         .where((m.Job.id == job_id) & (m.Job.status == "queued")).execute())
    return n == 1


def claim_next(worker: str) -> m.Job | None:
    """The oldest queued job, now running for `worker`; None when the queue is empty."""
    # Read the candidates completely first: an UPDATE while this SELECT is still open would
    # try to upgrade an old read snapshot, which SQLite refuses at once instead of waiting.
    candidates = [row[0] for row in m.Job.select(m.Job.id).where(m.Job.status == "queued")
                  .order_by(m.Job.id).limit(10).tuples()]
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
    m.Job.update(**values).where((m.Job.id == job_id) & (m.Job.status == "running")).execute()
    row = m.Job.select(m.Job.cancel_requested).where(m.Job.id == job_id).tuples().first()
    return bool(row and row[0])


def finish(job_id: int, result: dict[str, Any] | None, message: str = "") -> None:
    m.Job.update(status="done", progress=1000, finished_at=_now(), result=result,
                 message=message[:200] or m.Job.message).where(m.Job.id == job_id).execute()


def fail(job_id: int, error: str) -> None:
    m.Job.update(status="failed", finished_at=_now(), error=error[:2000],
                 message=error.splitlines()[0][:200] if error else "").where(m.Job.id == job_id).execute()


def mark_cancelled(job_id: int, message: str = "cancelled") -> None:
    m.Job.update(status="cancelled", finished_at=_now(), message=message[:200]).where(
        m.Job.id == job_id).execute()


def requeue(job_id: int, message: str) -> None:
    """Give a running job back to the queue (its worker is shutting down, not failing)."""
    (m.Job.update(status="queued", worker=None, message=message[:200])
     .where((m.Job.id == job_id) & (m.Job.status == "running")).execute())


def recover_stale(stale_after: dt.timedelta = STALE_AFTER) -> list[int]:
    """Running jobs without a heartbeat for `stale_after`: back to the queue, or failed after
    MAX_ATTEMPTS. Returns the ids that were requeued."""
    limit = _now() - stale_after
    stale = list(m.Job.select(m.Job.id, m.Job.attempts)
                 .where((m.Job.status == "running") & (m.Job.heartbeat_at < limit)).tuples())
    requeued = []
    for job_id, attempts in stale:
        with database.atomic():
            if attempts >= MAX_ATTEMPTS:
                (m.Job.update(status="failed", finished_at=_now(),
                              error=f"the worker stopped responding {attempts} times; not retried again")
                 .where((m.Job.id == job_id) & (m.Job.status == "running")).execute())
            elif (m.Job.update(status="queued", worker=None,
                               message="requeued: the previous worker stopped responding")
                  .where((m.Job.id == job_id) & (m.Job.status == "running")).execute()):
                requeued.append(job_id)
    return requeued


def _own_job(actor: Actor, job_id: int) -> m.Job:
    job = m.Job.get_or_none(m.Job.id == job_id)
    if job is None or not (actor.is_admin or job.user_id == actor.user_id):
        raise NotFound(f"job {job_id} does not exist or is not yours")
    return job


def request_cancel(actor: Actor, job_id: int) -> str:
    """A queued job is cancelled at once; a running one is asked to stop at its next step."""
    job = _own_job(actor, job_id)
    if job.status == "queued":
        n = (m.Job.update(status="cancelled", finished_at=_now(), message=f"cancelled by {actor.login}")
             .where((m.Job.id == job_id) & (m.Job.status == "queued")).execute())
        if n:
            _after_cancel(job)
            return "cancelled"
    if job.status == "running" or m.Job.get_by_id(job_id).status == "running":
        m.Job.update(cancel_requested=True).where(m.Job.id == job_id).execute()
        return "cancel requested"
    raise Refused(f"job {job_id} is {job.status}: only a queued or running job can be cancelled")


def retry(actor: Actor, job_id: int) -> None:
    job = _own_job(actor, job_id)
    if job.status not in ("failed", "cancelled"):
        raise Refused(f"job {job_id} is {job.status}: only a failed or cancelled job can be retried")
    from incasso_tui.jobs.registry import handler_for

    before = getattr(handler_for(job.kind), "before_retry", None)
    with database.atomic():
        if before is not None:
            before(actor, job.payload)  # e.g. put the set back in the queued state
        m.Job.update(status="queued", error=None, cancel_requested=False, finished_at=None,
                     message=f"retried by {actor.login}").where(m.Job.id == job_id).execute()


def _after_cancel(job: m.Job) -> None:
    from incasso_tui.jobs.registry import handler_for

    after = getattr(handler_for(job.kind), "after_cancel", None)
    if after is not None:
        after(job.payload)
