"""Backups taken while a worker process processes a large set: each restores into a consistent
database (no order underway without its set's file record, the set's status agreeing with its
orders and job), and the last one, after the worker finished, names files that are on disk
with the recorded SHA-256 and pass the SEPA check."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from incasso_tui.core import config as config_mod
from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.sepa import check_file
from incasso_tui.services import backup
from incasso_tui.services.collection import processing

from .helpers import (
    TODAY,
    bulk_set,
    check_consistent,
    connected,
    fresh_database,
    need_pg_tools,
    run,
    write_config,
)

N = 10_000  # orders: processing them takes long enough for backups to land in it
MAX_DURING = 3


def _worker(cfg: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "incasso_tui", "--config", str(cfg), "--user", "tester", "worker", "--once"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


def test_backups_during_processing_restore_consistent(admin, database, config_file, db_url, tmp_path):
    need_pg_tools(db_url)
    set_id = bulk_set(admin, N)
    outbox = tmp_path / "outbox"
    job_id = processing.process_set(admin, set_id, outbox_dir=outbox)
    cfg_path = config_file(f'\n[paths]\noutbox_dir = "{outbox}"\n')
    cfg = config_mod.load(str(cfg_path))
    db.close()
    backups: list[Path] = []
    worker = _worker(cfg_path)
    try:
        while m.Job.get_by_id(job_id).status == "queued" and worker.poll() is None:
            time.sleep(0.005)
        # The job runs: back up, from this process, while the worker writes.
        while worker.poll() is None and len(backups) < MAX_DURING:
            out = tmp_path / f"during-{len(backups)}.tar.gz"
            backup.make_backup(database, cfg, "tester", out)
            backups.append(out)
        _, stderr = worker.communicate(timeout=300)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, stderr
    assert m.Job.get_by_id(job_id).status == "done"
    final = tmp_path / "after.tar.gz"
    backup.make_backup(database, cfg, "tester", final)

    states = []
    for out in [*backups, final]:
        with fresh_database(db_url, tmp_path) as target:
            restored = run(write_config(tmp_path / "restore.toml", target), "db", "restore", str(out))
            assert restored.returncode == 0, restored.stderr
            states.append(check_consistent(target))
            if out == final:
                with connected(target) as copy:
                    files = copy.execute_sql("SELECT files FROM collection_set").fetchone()[0]
    # At least one backup was taken while the job ran (before or after its commit).
    assert any(job == "running" for _, job in states[:-1]), states
    assert states[-1] == ("processed", "done")
    files = json.loads(files) if isinstance(files, str) else files
    assert sum(f["count"] for f in files) == N
    for f in files:
        path = Path(f["path"])
        assert hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"]
        assert check_file(path, today=TODAY).ok
