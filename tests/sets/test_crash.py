"""kill -9 of a worker process while it processes a set, at several points: afterwards no file
under its final name that the database does not know, no order underway without its file (once
recovery ran), and the retried job completes with the same bytes as an undisturbed run."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.jobs import queue
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.sepa import check_file
from incasso_tui.services.collection import processing, sets

from .helpers import TODAY, world


def _worker(config: Path, crash_at: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "INCASSO_TEST_CRASH_AT": crash_at}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "incasso_tui",
            "--config",
            str(config),
            "--user",
            "tester",
            "worker",
            "--once",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _final_files(outbox: Path) -> set[str]:
    return {str(p) for p in outbox.glob("*/*.xml")}


def _check_invariants(set_id: int, outbox: Path, *, recovered: bool) -> None:
    cset = m.CollectionSet.get_by_id(set_id)
    known = (
        {f["path"]: f["sha256"] for f in (cset.files or []) if not f.get("superseded")}
        if cset.status in ("processed", "sent")
        else {}
    )
    # No file under its final name that the database does not know.
    assert _final_files(outbox) <= set(known), (_final_files(outbox), known)
    underway = m.CollectionOrder.select().where(m.CollectionOrder.status == "underway").count()
    if underway:
        assert cset.status in ("processed", "sent")
        for path, digest in known.items():
            staged = processing.staged_path(Path(path))
            if recovered:
                assert Path(path).is_file() and hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest
            else:  # before recovery the file may still wait under its staged name
                assert Path(path).is_file() or staged.is_file()


@pytest.mark.parametrize("point", ["after_plan", "mid_file", "after_file", "after_commit"])
def test_kill_during_processing_then_recover(admin, config_file, tmp_path, point):
    world(5003 if point == "mid_file" else 6, with_b2b=2)  # mid_file: past the first chunk
    created = sets.create_set(admin, "ABN")
    outbox = tmp_path / "outbox"
    job_id = processing.process_set(admin, created.id, outbox_dir=outbox)
    cfg = config_file(f'\n[paths]\noutbox_dir = "{outbox}"\n')  # the database's outbox
    db.close()
    proc = _worker(cfg, point)
    assert proc.returncode == -9, (proc.returncode, proc.stderr[-2000:])
    _check_invariants(created.id, outbox, recovered=False)
    assert m.Job.get_by_id(job_id).status == "running"
    assert queue.recover_stale(dt.timedelta(seconds=-1)) == [job_id]
    assert JobRunner().run_pending(once=True) == 1
    job = m.Job.get_by_id(job_id)
    assert job.status == "done", job.error
    _check_invariants(created.id, outbox, recovered=True)
    cset = m.CollectionSet.get_by_id(created.id)
    assert cset.status == "processed"
    assert not [p for p in (outbox / "ABN").iterdir() if p.name.startswith(".")]
    total = m.CollectionOrder.select().count()
    assert m.CollectionOrder.select().where(m.CollectionOrder.status == "underway").count() == total
    assert sum(f["count"] for f in cset.files) == total
    digests = {f["name"]: f["sha256"] for f in cset.files}
    for f in cset.files:
        assert check_file(f["path"], today=TODAY).ok
    # The same bytes as an undisturbed (re-)run of the set.
    assert JobRunner().run_one(processing.process_set(admin, created.id, outbox_dir=outbox)) == "done"
    assert {f["name"]: f["sha256"] for f in m.CollectionSet.get_by_id(created.id).files} == digests


def test_consulting_a_set_completes_a_rename_a_dead_worker_left(admin, config_file, tmp_path):
    world(3)
    created = sets.create_set(admin, "ABN")
    outbox = tmp_path / "outbox"
    processing.process_set(admin, created.id, outbox_dir=outbox)
    cfg = config_file(f'\n[paths]\noutbox_dir = "{outbox}"\n')  # the database's outbox
    db.close()
    assert _worker(cfg, "after_commit").returncode == -9
    _check_invariants(created.id, outbox, recovered=False)
    detail = sets.set_detail(admin, created.id)  # no job run: the consult finishes the rename
    assert detail.status == "processed"
    _check_invariants(created.id, outbox, recovered=True)


def test_two_worker_processes_run_a_set_job_once(admin, config_file, tmp_path):
    world(40, with_b2b=5)
    outbox = tmp_path / "outbox"
    first = sets.create_set(admin, "ABN")
    job_id = processing.process_set(admin, first.id, outbox_dir=outbox)
    # The workers' outbox is the one the set was queued with: the database's (a worker whose
    # configured outbox is another directory would be refused once files exist).
    cfg = config_file(f'\n[paths]\noutbox_dir = "{outbox}"\n')
    db.close()
    env = dict(os.environ)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "incasso_tui",
                "--config",
                str(cfg),
                "--user",
                "tester",
                "worker",
                "--once",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    ran = [line for out, _ in outputs for line in out.splitlines() if f"job {job_id} " in line]
    assert len(ran) == 1 and " done" in ran[0]
    job = m.Job.get_by_id(job_id)
    assert (job.status, job.attempts) == ("done", 1)
    cset = m.CollectionSet.get_by_id(first.id)
    assert cset.status == "processed" and sum(f["count"] for f in cset.files) == 45
    _check_invariants(first.id, outbox, recovered=True)


def test_worker_start_completes_renames_and_removes_unrecorded_files(admin, config_file, tmp_path):
    # A set committed before its worker died (staged file known to the database) and a stray
    # staged file of a set that never committed: `incasso worker` finishes the first and
    # removes the second when it starts, before running any job.
    world(3)
    created = sets.create_set(admin, "ABN")
    outbox = tmp_path / "outbox"
    cfg = config_file(f'\n[paths]\noutbox_dir = "{outbox}"\n')
    processing.process_set(admin, created.id, outbox_dir=outbox)
    db.close()
    assert _worker(cfg, "after_commit").returncode == -9
    m.Job.update(status="done").where(m.Job.status == "running").execute()  # no retry to do it
    other = m.CollectionSet.create(
        bank_group=m.CollectionSet.get_by_id(created.id).bank_group,
        created_by=admin.user_id,
        requested_date=TODAY,
    )
    stray = outbox / "ABN" / f".ABN_INC-{other.id}-20261124100000.xml.staged"
    stray.write_text("<half/>")
    db.close()
    proc = _worker(cfg, "")
    assert proc.returncode == 0, proc.stderr
    assert f"outbox recovery: completed ABN_INC-{created.id}-" in proc.stderr
    assert f"outbox recovery: removed unrecorded {stray.name}" in proc.stderr
    assert not stray.exists()
    _check_invariants(created.id, outbox, recovered=True)
