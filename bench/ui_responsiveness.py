#!/usr/bin/env python3
"""Benchmark: does the UI's event loop keep ticking while the App's own job runner processes a
large set? (Measured here, not asserted in a test: gaps depend on the machine's load.)

    bench/ui_responsiveness.py [--n 30000] [--runs 3] [--work DIR]

Each run builds a set of N orders (bench/sets_process.py's builder), starts the App headless
with its job runner, queues the processing, switches between two lists as a user would while it
runs, and records the event loop's ticks (an interval of 50 ms). It prints per run the
processing time, the ticks seen while the job ran, and the largest and 99th-percentile gap
between ticks; then the medians. A job run on the UI's loop would show one gap as long as the
processing itself; the worker thread keeps it near the 50 ms interval.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from sets_process import TODAY, build  # noqa: E402  (the shared bench builder)

INTERVAL = 0.05


async def one_run(db_path: Path, set_id: int, outbox: Path) -> tuple[float, int, float, float]:
    from textual.events import Key

    from incasso_tui.app import IncassoApp
    from incasso_tui.core import config as config_mod
    from incasso_tui.db import database as db
    from incasso_tui.db import models as m
    from incasso_tui.services.auth import resolve_actor
    from incasso_tui.services.collection import processing
    from incasso_tui.services.session import Session

    url = f"sqlite:///{db_path}"
    database = db.bind(url)
    actor = resolve_actor("bench", True)
    job_id = processing.process_set(actor, set_id, outbox_dir=outbox)
    cfg = config_mod.from_dict(
        {"database": {"url": url}, "auth": {"allow_user_flag": True}, "paths": {"outbox_dir": str(outbox)}}
    )
    app = IncassoApp(Session(cfg, database, actor), run_jobs=True)
    ticks: list[tuple[float, bool]] = []
    started = finished = 0.0
    running = [False]
    async with app.run_test(size=(160, 45)) as pilot:
        app.set_interval(INTERVAL, lambda: ticks.append((time.perf_counter(), running[0])))
        keys = itertools.cycle(["f4", "f5"])
        while True:
            status = db.in_connection(lambda: m.Job.get_by_id(job_id).status)
            if status == "running" and not running[0]:
                running[0], started = True, time.perf_counter()
            if status in ("done", "failed"):
                finished = time.perf_counter()
                break
            app.post_message(Key(next(keys), None))
            await pilot.pause(0.25)
    db.close()
    during = [b - a for (a, ra), (b, rb) in itertools.pairwise(ticks) if ra and rb]
    if not during:
        return finished - started, 0, 0.0, 0.0
    during.sort()
    return finished - started, len(during), during[-1], during[int(len(during) * 0.99) - 1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="")
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="incasso-ui-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        INCASSO_TODAY=TODAY,
        TEXTUAL_ANIMATIONS="none",
        XDG_DATA_HOME=str(work / "data"),
        XDG_STATE_HOME=str(work / "state"),
        XDG_CONFIG_HOME=str(work / "cfg"),
    )
    results = []
    for run in range(1, args.runs + 1):
        db_path = work / f"ui-{run}.sqlite3"
        db_path.unlink(missing_ok=True)
        set_id = build(str(db_path), args.n)
        seconds, count, worst, p99 = asyncio.run(one_run(db_path, set_id, work / f"outbox-{run}"))
        results.append((seconds, count, worst, p99))
        print(
            f"run {run}: processing {seconds:.1f} s, {count} ticks while it ran, "
            f"largest gap {worst * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms (interval {INTERVAL * 1000:.0f} ms)",
            flush=True,
        )
    print(
        f"N={args.n}: median processing {statistics.median(r[0] for r in results):.1f} s, "
        f"largest gap {statistics.median(r[2] for r in results) * 1000:.0f} ms, "
        f"p99 {statistics.median(r[3] for r in results) * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
