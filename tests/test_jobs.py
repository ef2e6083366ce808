"""The persistent job queue on both back-ends: atomic claims across threads and processes,
progress, cancellation, retry, and recovery after a worker is killed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from incasso_tui.core.errors import Refused
from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.jobs import queue
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.services import jobs as job_service


def test_a_job_runs_with_progress_and_result(admin):
    job = queue.enqueue("sleep", {"steps": 4, "seconds": 0.04}, admin.user_id)
    events = []
    runner = JobRunner(listener=events.append)
    assert runner.run_pending(once=True) == 1
    job = m.Job.get_by_id(job.id)
    assert (job.status, job.progress, job.attempts, job.result) == ("done", 1000, 1, {"steps": 4})
    assert events[-1].status == "done" and events[0].total == 4


def test_claim_is_atomic_across_threads(admin, db_url):
    job = queue.enqueue("sleep", {"steps": 1, "seconds": 0}, admin.user_id)
    barrier = threading.Barrier(6)
    wins = []

    def contender(n: int) -> None:
        barrier.wait()
        wins.append(db.in_connection(queue.claim, job.id, f"w{n}"))

    threads = [threading.Thread(target=contender, args=(n,)) for n in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(wins) == [False] * 5 + [True]
    assert m.Job.get_by_id(job.id).attempts == 1


def _worker_process(config, *extra):
    env = dict(os.environ)
    return subprocess.Popen(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "tester", "worker", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_worker_processes_never_run_the_same_job(admin, config_file):
    cfg = config_file()
    ids = [queue.enqueue("sleep", {"steps": 2, "seconds": 0.2}, admin.user_id).id for _ in range(10)]
    db.close()  # the workers are other processes
    procs = [_worker_process(cfg, "--once") for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    done = [int(line.split()[1]) for out, _err in outputs for line in out.splitlines() if " done" in line]
    assert sorted(done) == ids  # every job ran, and exactly once
    jobs = list(m.Job.select().where(m.Job.id.in_(ids)))
    assert {j.status for j in jobs} == {"done"} and {j.attempts for j in jobs} == {1}


def test_killed_worker_job_is_recovered_and_completes(admin, config_file):
    cfg = config_file()
    job = queue.enqueue("sleep", {"steps": 40, "seconds": 8}, admin.user_id)
    db.close()
    proc = _worker_process(cfg)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row = db.in_connection(lambda: m.Job.get_by_id(job.id))
        if row.status == "running" and row.progress > 0:
            break
        time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("the worker never started the job")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert m.Job.get_by_id(job.id).status == "running"  # what a crash leaves behind
    assert queue.recover_stale(dt.timedelta(seconds=30)) == []  # a fresh heartbeat is not stale
    assert queue.recover_stale(dt.timedelta(seconds=-1)) == [job.id]
    m.Job.update(payload={"steps": 2, "seconds": 0.02}).where(m.Job.id == job.id).execute()
    assert JobRunner().run_pending(once=True) == 1
    job = m.Job.get_by_id(job.id)
    assert (job.status, job.attempts) == ("done", 2)


def test_stale_job_fails_after_max_attempts(admin):
    job = queue.enqueue("sleep", {}, admin.user_id)
    m.Job.update(
        status="running", attempts=queue.MAX_ATTEMPTS, heartbeat_at=dt.datetime.now() - dt.timedelta(hours=1)
    ).where(m.Job.id == job.id).execute()
    assert queue.recover_stale() == []
    job = m.Job.get_by_id(job.id)
    assert job.status == "failed" and "stopped responding" in job.error


def test_cancel_queued_and_running_jobs(admin, demo):
    queued = queue.enqueue("sleep", {"steps": 2, "seconds": 0.01}, admin.user_id)
    assert job_service.request_cancel(admin, queued.id) == "cancelled"
    with pytest.raises(Refused):
        job_service.request_cancel(admin, queued.id)
    running = queue.enqueue("sleep", {"steps": 200, "seconds": 20}, admin.user_id)
    runner = JobRunner()
    thread = threading.Thread(target=db.in_connection, args=(runner.run_pending,), kwargs={"once": True})
    thread.start()
    deadline = time.monotonic() + 30
    while m.Job.get_by_id(running.id).progress == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job_service.request_cancel(admin, running.id) == "cancel requested"
    thread.join(timeout=30)
    assert m.Job.get_by_id(running.id).status == "cancelled"
    # Someone else's job is not visible to an operator.
    from incasso_tui.core.errors import NotFound

    with pytest.raises(NotFound):
        job_service.request_cancel(demo("anna"), running.id)


def test_failed_job_can_be_retried(admin):
    job = queue.enqueue("sleep", {"steps": 3, "seconds": 0.01, "fail_at": 1}, admin.user_id)
    JobRunner().run_pending(once=True)
    failed = m.Job.get_by_id(job.id)
    assert failed.status == "failed" and "on purpose" in failed.error
    with pytest.raises(Refused, match="only a failed or cancelled job"):
        job_service.retry(admin, queue.enqueue("sleep", {}, admin.user_id).id)  # still queued
    m.Job.update(payload={"steps": 1, "seconds": 0}).where(m.Job.id == job.id).execute()
    job_service.retry(admin, job.id)
    JobRunner().run_pending(once=True)
    assert m.Job.get_by_id(job.id).status == "done"


def test_shutdown_requeues_instead_of_cancelling(admin):
    job = queue.enqueue("sleep", {"steps": 100, "seconds": 10}, admin.user_id)
    runner = JobRunner()
    thread = threading.Thread(target=db.in_connection, args=(runner.run_pending,))
    thread.start()
    deadline = time.monotonic() + 30
    while m.Job.get_by_id(job.id).progress == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    runner.stop.set()
    thread.join(timeout=30)
    assert m.Job.get_by_id(job.id).status == "queued"


def test_job_actions_follow_the_status_and_whose_job_it_is(admin, demo):
    from incasso_tui.db.statuses import JobAction, JobStatus
    from incasso_tui.services import browse

    job = queue.enqueue("sleep", {}, admin.user_id)
    expected = {
        JobStatus.QUEUED: {JobAction.CANCEL},
        JobStatus.RUNNING: {JobAction.CANCEL},
        JobStatus.DONE: set(),
        JobStatus.FAILED: {JobAction.RETRY},
        JobStatus.CANCELLED: {JobAction.RETRY},
    }
    for status, actions in expected.items():
        assert job_service.job_actions(admin, job.user_id, status) == actions
    # Someone else's job allows an operator nothing.
    assert job_service.job_actions(demo("anna"), admin.user_id, JobStatus.FAILED) == frozenset()
    # The queue's rows carry whose job it is; the JSON of `incasso jobs list` stays as it was.
    row = browse.list_jobs(admin).rows[0]
    assert row.user_id == admin.user_id and "user_id" not in row.as_dict()
