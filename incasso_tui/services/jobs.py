"""The job queue as its users see it: counts for the panel, a job's status, cancel and retry,
and which of those a job allows. Only admins see and touch every job; others their own."""

from __future__ import annotations

from typing import cast

import peewee as pw

from incasso_tui.core.errors import NotFound, Refused
from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.db.statuses import JOB_ALLOWS, JobAction, JobStatus, allows
from incasso_tui.jobs import queue
from incasso_tui.jobs.queue import wall_now
from incasso_tui.jobs.registry import handler_for
from incasso_tui.jobs.worker import ProgressEvent as ProgressEvent  # for the queue panel
from incasso_tui.services.auth import PROCESS, Actor


def queue_counts(actor: Actor) -> dict[str, int]:
    """Jobs by status: every job for admins, one's own for others."""
    query = m.Job.select(m.Job.status, pw.fn.COUNT(m.Job.id)).where(
        m.Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED])
    )
    if not actor.is_admin:
        query = query.where(m.Job.user == actor.user_id)
    # peewee's stubs type the rows of a model query as the model; these are (status, count)
    return dict(cast("list[tuple[str, int]]", list(query.group_by(m.Job.status).tuples())))


def may_run_jobs(actor: Actor) -> bool:
    """Whether the user may run the queue (the app's runner, `incasso worker`)."""
    return actor.may(PROCESS)


def require_may_run_jobs(actor: Actor) -> None:
    """As `may_run_jobs`, refusing with the reason."""
    actor.require(PROCESS, what="jobs")


def job_actions(actor: Actor, job_user_id: int | None, status: str) -> frozenset[JobAction]:
    """What the user may do with a job in this status (cancel, retry)."""
    if not (actor.is_admin or job_user_id == actor.user_id):
        return frozenset()
    return allows(JOB_ALLOWS, status)


def get_job(actor: Actor, job_id: int) -> m.Job:
    return _own_job(actor, job_id)


def _own_job(actor: Actor, job_id: int) -> m.Job:
    job = m.Job.get_or_none(m.Job.id == job_id)
    if job is None or not (actor.is_admin or job.user_id == actor.user_id):
        raise NotFound("job {job_id} does not exist or is not yours", job_id=job_id)
    return job


def request_cancel(actor: Actor, job_id: int) -> str:
    """A queued job is cancelled at once; a running one is asked to stop at its next step —
    or, when its worker died (no heartbeat for the heartbeat timeout), cancelled at once.
    The job's subject (a set) goes back as it was, in the same transaction."""
    job = _own_job(actor, job_id)
    if job.status == JobStatus.QUEUED:
        with database.atomic():
            n = (
                m.Job.update(
                    status=JobStatus.CANCELLED, finished_at=wall_now(), message=f"cancelled by {actor.login}"
                )
                .where((m.Job.id == job_id) & (m.Job.status == JobStatus.QUEUED))
                .execute()
            )
            if n:
                _after_cancel(job)
        if n:
            return JobStatus.CANCELLED
    if job.status == JobStatus.RUNNING or m.Job.get_by_id(job_id).status == JobStatus.RUNNING:
        m.Job.update(cancel_requested=True).where(m.Job.id == job_id).execute()
        queue.recover_stale(job_ids=[job_id])  # a dead worker's job: cancelled now
        if m.Job.get_by_id(job_id).status == JobStatus.CANCELLED:
            return JobStatus.CANCELLED
        return "cancel requested"
    raise Refused(
        "job {job_id} is {status}: only a queued or running job can be cancelled",
        job_id=job_id,
        status=job.status,
    )


def retry(actor: Actor, job_id: int) -> None:
    """A failed or cancelled job back in the queue, with MAX_ATTEMPTS attempts again."""
    job = _own_job(actor, job_id)
    if job.status not in JOB_ALLOWS[JobAction.RETRY]:
        raise Refused(
            "job {job_id} is {status}: only a failed or cancelled job can be retried",
            job_id=job_id,
            status=job.status,
        )
    before = getattr(handler_for(job.kind), "before_retry", None)
    with database.atomic():
        if before is not None:
            before(actor, job.payload)  # e.g. put the set back in the queued state
        n = (
            m.Job.update(
                status=JobStatus.QUEUED,
                error=None,
                cancel_requested=False,
                finished_at=None,
                attempts=0,
                message=f"retried by {actor.login}",
            )
            .where((m.Job.id == job_id) & m.Job.status.in_(sorted(JOB_ALLOWS[JobAction.RETRY])))
            .execute()
        )
        if n != 1:
            raise Refused("job {job_id} was changed by someone else meanwhile; try again", job_id=job_id)


def _after_cancel(job: m.Job) -> None:
    after = getattr(handler_for(job.kind), "after_cancel", None)
    if after is not None:
        after(job.payload)
