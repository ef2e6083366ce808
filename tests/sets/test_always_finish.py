"""Jobs that can always be finished (issue 11): a set whose processing died MAX_ATTEMPTS times
leaves the queue failed, its staged files removed, and can be retried or deleted; every set
and job state that can be reached has an action its service accepts and that moves it on;
a running worker (`incasso worker`, the App's runner) reclaims a dead worker's job by itself.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from incasso_tui.core.errors import IncassoError, Refused
from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.db.statuses import (
    JOB_ALLOWS,
    SET_ALLOWS,
    JobAction,
    JobStatus,
    SetAction,
    SetStatus,
)
from incasso_tui.jobs import queue
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.services import jobs as job_service
from incasso_tui.services.collection import letters, orders, processing, sending, sets
from incasso_tui.services.feedback import reversals

from .helpers import TODAY, world

ROOT = Path(__file__).resolve().parents[2]


def _cli(config: Path, *args: str, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "tester", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        **kw,
    )


def _staged(outbox: Path) -> list[Path]:
    return sorted(outbox.glob("*/.*.staged"))


# --------------------------------------------------------------------------- three crashes


@pytest.mark.parametrize("then", ["retry", "delete", "process"])
def test_three_crashes_leave_the_set_failed_without_staged_files(admin, config_file, tmp_path, then):
    world(6, with_b2b=2)
    created = sets.create_set(admin, "ABN")
    outbox = tmp_path / "outbox"
    job_id = processing.process_set(admin, created.id, outbox_dir=outbox)
    cfg = config_file(f'\n[paths]\noutbox_dir = "{outbox}"\n')  # the database's outbox
    for attempt in range(1, queue.MAX_ATTEMPTS + 1):
        db.close()  # the worker is another process
        proc = _cli(cfg, "worker", "--once", env={"INCASSO_TEST_CRASH_AT": "after_file"})
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == -9, err[-2000:]
        assert _staged(outbox), "the crash left the written file staged"
        job = m.Job.get_by_id(job_id)
        assert (job.status, job.attempts) == ("running", attempt)
        # The worker is dead: its heartbeat is as old as it will ever be.
        requeued = queue.recover_stale(dt.timedelta(seconds=-1))
        assert requeued == ([job_id] if attempt < queue.MAX_ATTEMPTS else [])
    job = m.Job.get_by_id(job_id)
    assert job.status == "failed" and "stopped responding 3 times" in job.error
    cset = m.CollectionSet.get_by_id(created.id)
    assert cset.status == "failed"
    assert cset.error == "processing stopped 3 times (the worker died or hung); retry or delete the set"
    assert _staged(outbox) == []
    assert m.CollectionOrder.select().where(m.CollectionOrder.status != "open").count() == 0
    # What the user can do now, and it works.
    detail = sets.set_detail(admin, created.id)
    assert {SetAction.PROCESS, SetAction.DELETE} <= sets.set_actions(admin, detail)
    assert job_service.job_actions(admin, job.user_id, job.status) == {JobAction.RETRY}
    if then == "retry":
        job_service.retry(admin, job_id)
        assert m.Job.get_by_id(job_id).attempts == 0  # a retry has its attempts again
        assert JobRunner().run_pending(once=True) == 1
        assert m.Job.get_by_id(job_id).status == "done"
        assert m.CollectionSet.get_by_id(created.id).status == "processed"
    elif then == "delete":
        sets.delete_set(admin, created.id)
        assert m.CollectionSet.get_or_none(m.CollectionSet.id == created.id) is None
        # The job's set is gone: retrying it is refused with the reason, never a crash.
        with pytest.raises(IncassoError, match=f"set {created.id}"):
            job_service.retry(admin, job_id)
    else:
        assert JobRunner().run_one(processing.process_set(admin, created.id, outbox_dir=outbox)) == "done"
        assert m.CollectionSet.get_by_id(created.id).status == "processed"
    assert _staged(outbox) == []


def test_re_processing_that_dies_three_times_keeps_the_earlier_file(admin, tmp_path):
    world(3)
    created = sets.create_set(admin, "ABN")
    outbox = tmp_path / "outbox"
    assert JobRunner().run_one(processing.process_set(admin, created.id, outbox_dir=outbox)) == "done"
    files = m.CollectionSet.get_by_id(created.id).files
    job_id = processing.process_set(admin, created.id, outbox_dir=outbox)
    assert queue.claim(job_id, "dead")
    m.Job.update(attempts=queue.MAX_ATTEMPTS).where(m.Job.id == job_id).execute()
    stray = outbox / "ABN" / f".{files[0]['name']}.staged"
    stray.write_text("<half/>")
    assert queue.recover_stale(dt.timedelta(seconds=-1)) == []
    cset = m.CollectionSet.get_by_id(created.id)
    assert cset.status == "processed" and cset.files == files and "keeps its earlier file" in cset.error
    assert not stray.exists() and Path(files[0]["path"]).is_file()
    assert SetAction.SEND in sets.set_actions(admin, sets.set_detail(admin, created.id))


# --------------------------------------------------------------------------- status × action

_GROUPS = iter(range(1, 10_000))


class Walk:
    """Builds a set in a given state with its own bank group (so sets never share orders)
    and performs a set action through the service the screens and the CLI call."""

    def __init__(self, actor, tmp_path: Path):
        self.actor = actor
        self.tmp = tmp_path
        self.outbox = tmp_path / "outbox"
        self.bank = tmp_path / "bank"
        self.bank.mkdir(exist_ok=True)

    # -- building
    def open_set(self, n: int = 3) -> int:
        k = next(_GROUPS)
        group, _adm, _acc, _orders = world(n, group_code=f"G{k}", account_no=f"{k:010d}")
        m.BankGroup.update(delivery_dir=str(self.bank)).where(m.BankGroup.id == group.id).execute()
        return sets.create_set(self.actor, group.code).id

    def queue(self, set_id: int, outbox: Path | None = None) -> int:
        return processing.process_set(self.actor, set_id, outbox_dir=outbox or self.outbox, confirm_sent=True)

    def process(self, set_id: int) -> int:
        job_id = self.queue(set_id)
        assert JobRunner().run_one(job_id) == "done", m.Job.get_by_id(job_id).error
        return job_id

    def fail(self, set_id: int) -> int:
        """A real failure: the outbox is gone by the time the job runs (a file in its way)."""
        blocker = self.tmp / "not-a-directory"
        blocker.write_text("")
        job_id = self.queue(set_id)
        payload = {**m.Job.get_by_id(job_id).payload, "outbox": str(blocker)}
        m.Job.update(payload=payload).where(m.Job.id == job_id).execute()
        assert JobRunner().run_one(job_id) == "failed"
        return job_id

    def dead(self, set_id: int, attempts: int = 1, cancel: bool = False) -> int:
        """The job claimed by a worker that died (its heartbeat long past)."""
        job_id = self.queue(set_id)
        assert queue.claim(job_id, "host:4242:1")
        old = dt.datetime.now() - dt.timedelta(hours=1)
        m.Job.update(attempts=attempts, heartbeat_at=old, cancel_requested=cancel).where(
            m.Job.id == job_id
        ).execute()
        return job_id

    # -- acting (the services behind the keys and commands)
    def perform(self, set_id: int, action: SetAction) -> object:
        a = self.actor
        if action == SetAction.PROCESS:
            return self.queue(set_id)
        if action == SetAction.LETTER:
            return letters.set_letter(a, set_id, self.tmp / f"letter-{set_id}.pdf")
        if action == SetAction.SEND:
            return sending.send_set(a, set_id, outbox_dir=self.outbox)
        if action == SetAction.CHANGE_DATE:
            return sets.change_date(a, set_id, TODAY + dt.timedelta(days=9))
        if action == SetAction.REMOVE_ORDER:
            return sets.remove_orders(a, set_id, [self.first_order(set_id)])
        if action == SetAction.ADD_ORDERS:
            return sets.add_orders(a, set_id)
        if action == SetAction.DELETE:
            return sets.delete_set(a, set_id)
        if action == SetAction.HANDLE:
            return orders.handle_orders(a, set_id=set_id)
        if action == SetAction.REVERSE_ORDER:
            order_id = self.first_order(set_id)
            options = reversals.reversal_options(a, order_id)
            kind = next((k for k, v in options["kinds"].items() if v["allowed"]), "reject")
            return reversals.reverse_order(a, order_id, kind, options["default_codes"][kind] or "AM04")
        if action == SetAction.PRENOTIFY:
            from incasso_tui.services import prenotification

            return prenotification.prenotify_set(a, set_id, pdf=self.tmp / f"prenotify-{set_id}.pdf")
        raise AssertionError(action)

    def first_order(self, set_id: int) -> int:
        row = (
            m.CollectionOrder.select(m.CollectionOrder.id)
            .where(m.CollectionOrder.collection_set == set_id)
            .order_by(m.CollectionOrder.id)
            .first()
        )
        return row.id if row else -1

    def fingerprint(self, set_id: int) -> tuple:
        """What an action can move: the set's status and files, its orders' statuses, its jobs."""
        cset = m.CollectionSet.get_or_none(m.CollectionSet.id == set_id)
        if cset is None:
            return ("deleted",)
        order_states = sorted(
            (o.id, o.status)
            for o in m.CollectionOrder.select().where(m.CollectionOrder.collection_set == set_id)
        )
        jobs = [(j.id, j.status) for j in m.Job.select() if (j.payload or {}).get("set_id") == set_id]
        return (cset.status, len(cset.files or []), cset.sent_at, tuple(order_states), tuple(jobs))


def _all_held(w: Walk) -> int:
    set_id = w.open_set()
    ids = [o.mandate_id for o in m.CollectionOrder.select().where(m.CollectionOrder.collection_set == set_id)]
    m.Mandate.update(status="revoked").where(m.Mandate.id.in_(ids)).execute()
    return set_id


def _emptied(w: Walk) -> int:
    set_id = w.open_set(2)
    ids = [o.id for o in m.CollectionOrder.select().where(m.CollectionOrder.collection_set == set_id)]
    sets.remove_orders(w.actor, set_id, ids)
    return set_id


def _recovered(w: Walk, attempts: int, cancel: bool = False) -> int:
    set_id = w.open_set()
    w.dead(set_id, attempts=attempts, cancel=cancel)
    queue.recover_stale()  # what every running worker does periodically
    return set_id


def _orphan(w: Walk) -> int:
    set_id = w.open_set()
    job_id = w.queue(set_id)
    m.Job.update(status="failed", error="worker died before the set was told").where(
        m.Job.id == job_id
    ).execute()
    return set_id


def _handled(w: Walk, send: bool) -> int:
    set_id = w.open_set()
    w.process(set_id)
    if send:
        sending.send_set(w.actor, set_id)
    orders.handle_orders(w.actor, set_id=set_id)
    return set_id


# Every state a set reaches through the product (the crash states as a kill -9 leaves them),
# built fresh for each action tried on it.
STATES: dict[str, Callable[[Walk], int]] = {
    "open": lambda w: w.open_set(),
    "open, no orders left": _emptied,
    "open, every order no longer collectable": _all_held,
    "queued": lambda w: (s := w.open_set(), w.queue(s))[0],
    "queued, its worker died": lambda w: (s := w.open_set(), w.dead(s))[0],
    "queued, its worker died MAX_ATTEMPTS times": lambda w: _recovered(w, attempts=queue.MAX_ATTEMPTS),
    "queued, cancelled while its worker was dead": lambda w: _recovered(w, attempts=1, cancel=True),
    "queued, its job ended without the set (older crash)": _orphan,
    "failed": lambda w: (s := w.open_set(), w.fail(s))[0],
    "processed": lambda w: (s := w.open_set(), w.process(s))[0],
    "processed, every order handled": lambda w: _handled(w, send=False),
    "processed, re-processing failed": lambda w: (s := w.open_set(), w.process(s), w.fail(s))[0],
    "sent": lambda w: (s := w.open_set(), w.process(s), sending.send_set(w.actor, s))[0],
    "sent, every order handled": lambda w: _handled(w, send=True),
}


# A set is finished once sent: what it allows then (handle, reverse, letter) need not move it.
FINAL = {SetStatus.SENT}


@pytest.mark.parametrize("state", list(STATES))
def test_every_set_state_has_an_action_its_service_accepts(admin, tmp_path, state):
    w = Walk(admin, tmp_path)
    set_id = STATES[state](w)
    status = SetStatus(sets.get_set(admin, set_id).status)  # what any look at the set sees
    detail = sets.set_detail(admin, set_id)
    offered = sets.set_actions(admin, detail)
    # The service refuses what the status table does not allow (checked on this very set).
    for action in SetAction:
        if status not in SET_ALLOWS[action]:
            before = w.fingerprint(set_id)
            with pytest.raises(IncassoError):
                w.perform(set_id, action)
            assert w.fingerprint(set_id) == before, action
    # What is offered is accepted (each on a fresh set in the same state).
    moved = []
    for action in sorted(offered):
        fresh = STATES[state](w)
        before = w.fingerprint(fresh)
        try:
            w.perform(fresh, action)
        except IncassoError as exc:
            pytest.fail(f"{state}: {action} is offered but refused: {exc}")
        if w.fingerprint(fresh) != before:
            moved.append(action)
    if status == SetStatus.QUEUED:
        # The set waits for its job: the job is active and can be cancelled, which puts the set back.
        job = processing._job_of(set_id, {JobStatus.QUEUED, JobStatus.RUNNING})
        assert job is not None, f"{state}: a queued set without an active job"
        assert JobAction.CANCEL in job_service.job_actions(admin, job.user_id, job.status)
        assert job_service.request_cancel(admin, job.id) == "cancelled"
        assert sets.get_set(admin, set_id).status != SetStatus.QUEUED
    elif status not in FINAL:
        assert moved, f"{state} ({status}): no offered action moves it on (offered {sorted(offered)})"
    else:
        assert offered, f"{state}: nothing is offered"


# --------------------------------------------------------------------------- jobs


def _job_in(state: str, w: Walk, admin) -> int:
    if state == "sleep queued":
        return queue.enqueue("sleep", {"steps": 1, "seconds": 0}, admin.user_id).id
    if state == "sleep failed":
        job = queue.enqueue("sleep", {"steps": 2, "seconds": 0, "fail_at": 0}, admin.user_id)
        JobRunner().run_one(job.id)
        return job.id
    if state == "sleep done":
        job = queue.enqueue("sleep", {"steps": 1, "seconds": 0}, admin.user_id)
        JobRunner().run_one(job.id)
        return job.id
    if state == "sleep running, worker dead":
        job = queue.enqueue("sleep", {"steps": 1, "seconds": 0}, admin.user_id)
        queue.claim(job.id, "host:4242:1")
        m.Job.update(heartbeat_at=dt.datetime.now() - dt.timedelta(hours=1)).where(
            m.Job.id == job.id
        ).execute()
        return job.id
    set_id = w.open_set()
    if state == "set queued":
        return w.queue(set_id)
    if state == "set running, worker dead":
        return w.dead(set_id)
    if state == "set failed":
        return w.fail(set_id)
    if state == "set failed after MAX_ATTEMPTS deaths":
        job_id = w.dead(set_id, attempts=queue.MAX_ATTEMPTS)
        queue.recover_stale()
        return job_id
    if state == "set cancelled":
        job_id = w.queue(set_id)
        job_service.request_cancel(admin, job_id)
        return job_id
    if state == "set done":
        return w.process(set_id)
    raise AssertionError(state)


JOB_STATES = [
    "sleep queued",
    "sleep failed",
    "sleep done",
    "sleep running, worker dead",
    "set queued",
    "set running, worker dead",
    "set failed",
    "set failed after MAX_ATTEMPTS deaths",
    "set cancelled",
    "set done",
]


def _job_action(admin, job_id: int, action: JobAction) -> None:
    if action == JobAction.CANCEL:
        job_service.request_cancel(admin, job_id)
    else:
        job_service.retry(admin, job_id)


@pytest.mark.parametrize("state", JOB_STATES)
def test_every_job_state_has_an_action_its_service_accepts(admin, tmp_path, state):
    w = Walk(admin, tmp_path)
    job_id = _job_in(state, w, admin)
    job = m.Job.get_by_id(job_id)
    status = JobStatus(job.status)
    offered = job_service.job_actions(admin, job.user_id, status)
    for action in JobAction:
        if status not in JOB_ALLOWS[action]:
            with pytest.raises(Refused):
                _job_action(admin, job_id, action)
            assert m.Job.get_by_id(job_id).status == status
    for action in sorted(offered):
        fresh = _job_in(state, w, admin)
        _job_action(admin, fresh, action)  # accepted: no Refused
        after = m.Job.get_by_id(fresh).status
        assert after != status, f"{state}: {action} accepted but the job is still {after}"
        if action == JobAction.CANCEL:  # a dead worker's job is cancelled at once, too
            assert after == JobStatus.CANCELLED
        set_id = (m.Job.get_by_id(fresh).payload or {}).get("set_id")
        if set_id:  # the set follows its job: queued again, or out of the queue
            cset = m.CollectionSet.get_by_id(set_id)
            assert (cset.status == SetStatus.QUEUED) == (after in (JobStatus.QUEUED, JobStatus.RUNNING))
    if status == JobStatus.DONE:
        assert offered == frozenset()  # finished: nothing to do
    else:
        assert offered, f"{state}: no action"


# --------------------------------------------------------------------------- a running worker reclaims

_DOOMED = textwrap.dedent(
    """
    import sys, time
    from incasso_tui.core import config
    from incasso_tui.db import database as db
    from incasso_tui.db.database import database
    from incasso_tui.jobs import queue
    from incasso_tui.jobs.worker import JobRunner

    db.bind(config.load(sys.argv[1]).database_url)
    user_id = int(sys.argv[2])
    runner = JobRunner(name="doomed")
    with database.atomic():  # queued and claimed at once: no other worker sees it queued
        job = queue.enqueue("sleep", {"steps": 600, "seconds": 600}, user_id)
        assert queue.claim(job.id, runner.name)
    print(job.id, flush=True)
    runner.run_job(queue.m.Job.get_by_id(job.id))
    """
)


def _doomed_job(config: Path, user_id: int, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    """A worker process that claims a long job and is then killed with SIGKILL."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _DOOMED, str(config), str(user_id)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
    )
    line = proc.stdout.readline()
    assert line.strip().isdigit(), proc.stderr.read()
    job_id = int(line)
    deadline = time.monotonic() + 60
    while db.in_connection(lambda: m.Job.get_by_id(job_id).progress) == 0:  # it is really running
        assert time.monotonic() < deadline, "the doomed worker never ran its job"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return proc, job_id


def _wait_done(job_id: int, timeout: float = 120) -> m.Job:
    """The job once it ended (or as it is after `timeout`: a bound for waiting, never asserted)."""
    deadline = time.monotonic() + timeout
    job = db.in_connection(lambda: m.Job.get_by_id(job_id))
    while job.status in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = db.in_connection(lambda: m.Job.get_by_id(job_id))
    return job


STALE = "2"  # seconds without a heartbeat before a job counts as its worker's loss


def test_a_running_incasso_worker_reclaims_a_dead_workers_job(admin, config_file, monkeypatch):
    monkeypatch.setenv("INCASSO_JOB_STALE_SECONDS", STALE)
    cfg = config_file()
    db.close()
    worker = _cli(cfg, "worker")
    try:
        assert "waiting for jobs" in worker.stderr.readline()  # started, start-up recovery done
        _proc, job_id = _doomed_job(cfg, admin.user_id, {"INCASSO_JOB_STALE_SECONDS": STALE})
        m.Job.update(payload={"steps": 2, "seconds": 0.02}).where(m.Job.id == job_id).execute()
        db.close()
        job = _wait_done(job_id)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.communicate(timeout=60)
    assert job.status == "done", (job.status, job.worker, job.message)
    assert job.attempts == 2 and job.worker != "doomed" and f":{worker.pid}:" in job.worker


async def test_the_apps_runner_reclaims_a_dead_workers_job(demo, database, config_file, monkeypatch):
    from pilot_helpers import make_app

    from incasso_tui.app import IncassoApp

    monkeypatch.setenv("INCASSO_JOB_STALE_SECONDS", STALE)
    cfg = config_file()
    app = IncassoApp(make_app(database).session, run_jobs=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)  # the runner thread started (and did its start-up recovery)
        _proc, job_id = _doomed_job(cfg, demo().user_id, {"INCASSO_JOB_STALE_SECONDS": STALE})
        m.Job.update(payload={"steps": 2, "seconds": 0.02}).where(m.Job.id == job_id).execute()
        deadline = time.monotonic() + 120
        while (
            db.in_connection(lambda: m.Job.get_by_id(job_id).status) != "done" and time.monotonic() < deadline
        ):
            await pilot.pause(0.1)
        job = db.in_connection(lambda: m.Job.get_by_id(job_id))
    assert job.status == "done" and job.attempts == 2 and job.worker != "doomed"
    assert f":{os.getpid()}:" in job.worker  # this process: the App's runner thread


def test_a_busy_runner_reclaims_from_its_heartbeat_thread(admin, monkeypatch):
    """While it runs a long job of its own, a runner still reclaims dead workers' jobs."""
    monkeypatch.setenv("INCASSO_JOB_STALE_SECONDS", STALE)
    long_job = queue.enqueue("sleep", {"steps": 400, "seconds": 40}, admin.user_id)
    runner = JobRunner()
    thread = threading.Thread(target=db.in_connection, args=(runner.run_pending,), kwargs={"once": True})
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while m.Job.get_by_id(long_job.id).progress == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        dead = queue.enqueue("sleep", {"steps": 1, "seconds": 0}, admin.user_id)
        assert queue.claim(dead.id, "host:4242:1")  # and that worker dies at once
        deadline = time.monotonic() + 60
        while m.Job.get_by_id(dead.id).status == "running" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert m.Job.get_by_id(long_job.id).status == "running"  # the runner was busy all along
        assert m.Job.get_by_id(dead.id).status == "queued"
    finally:
        job_service.request_cancel(admin, long_job.id)
        thread.join(timeout=60)


def test_set_process_wait_takes_over_a_job_whose_worker_died(admin):
    """`incasso set process --wait` follows a job another worker took; when that worker dies,
    it reclaims the job and runs it itself instead of waiting for ever."""
    from incasso_tui.cli.sets import _wait

    job = queue.enqueue("sleep", {"steps": 2, "seconds": 0.02}, admin.user_id)
    assert queue.claim(job.id, "host:4242:1")  # the other worker, which then dies
    m.Job.update(heartbeat_at=dt.datetime.now() - dt.timedelta(hours=1)).where(m.Job.id == job.id).execute()
    result: list[int] = []
    waiter = threading.Thread(
        target=lambda: result.append(db.in_connection(_wait, admin, job.id)), daemon=True
    )
    waiter.start()
    waiter.join(timeout=120)  # a bound for waiting only
    assert result == [0]
    job = m.Job.get_by_id(job.id)
    assert (job.status, job.attempts) == ("done", 2)


@pytest.mark.parametrize("old_job", ["requeued", "given up", "requeued after the new one ran"])
def test_an_old_job_back_from_a_dead_worker_leaves_the_newer_one_alone(admin, config_file, tmp_path, old_job):
    """A worker died after its commit (the set is processed, its job still "running"); the user
    processes the set again. Whatever becomes of the old job — run again, or failed after
    MAX_ATTEMPTS — it neither processes the set nor takes it out of the queue: the new job does."""
    world(4, with_b2b=1)
    created = sets.create_set(admin, "ABN")
    outbox = tmp_path / "outbox"
    first = processing.process_set(admin, created.id, outbox_dir=outbox)
    cfg = config_file(f'\n[paths]\noutbox_dir = "{outbox}"\n')  # the database's outbox
    db.close()
    proc = _cli(cfg, "worker", "--once", env={"INCASSO_TEST_CRASH_AT": "after_commit"})
    proc.communicate(timeout=120)
    assert proc.returncode == -9
    assert m.CollectionSet.get_by_id(created.id).status == "processed"
    second = processing.process_set(admin, created.id, outbox_dir=outbox)
    assert _staged(outbox) == []  # the rename the dead worker left was finished first
    if old_job == "given up":
        m.Job.update(attempts=queue.MAX_ATTEMPTS).where(m.Job.id == first).execute()
    if old_job == "requeued after the new one ran":
        assert JobRunner().run_one(second) == "done"
    assert queue.recover_stale(dt.timedelta(seconds=-1)) == ([] if old_job == "given up" else [first])
    if old_job != "requeued after the new one ran":
        assert m.CollectionSet.get_by_id(created.id).status == "queued"  # still waiting for the new job
    JobRunner().run_pending(once=True)
    assert m.Job.get_by_id(second).status == "done", m.Job.get_by_id(second).error
    cset = m.CollectionSet.get_by_id(created.id)
    assert cset.status == "processed" and {f["job_id"] for f in cset.files} == {second}
    first_job = m.Job.get_by_id(first)
    assert first_job.status == ("failed" if old_job == "given up" else "done")
    if first_job.status == "done":
        assert f"superseded by job {second}" in first_job.message
    assert _staged(outbox) == [] and all(Path(f["path"]).is_file() for f in cset.files)
