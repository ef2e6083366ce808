#!/usr/bin/env python3
"""kill -9 of a worker at random points, in a loop: afterwards no stuck set, no staged file
left, no order in two unsent files. Not part of the test suite (it takes minutes).

    bench/crash_loop.py [--iterations 50] [--orders 2000] [--seed 11] [--work DIR]

Builds an SQLite database with one bank group (a delivery directory, so sets can be sent)
and two administrations. Each iteration starts one whole `incasso` process on the state the
previous ones left — `set process ID --wait` for an open, failed or processed set (re-processing
a sent one with --confirm-sent), `worker --once` for a set whose job waits or whose worker
died, `set send ID` for a processed set, `jobs retry` for a failed job — and kills it with
SIGKILL after a random delay between 0.8 × the start-up of a trivial command and 1.1 × the
time an undisturbed processing took (so the kill falls anywhere from late start-up to the
letter); now and then a batch of new orders
and a new set join in. The heartbeat timeout is INCASSO_JOB_STALE_SECONDS (default here 1 s),
so dead workers' jobs are reclaimed quickly; after MAX_ATTEMPTS deaths a set is failed.

Then recovery — `incasso worker --once`, which reclaims dead workers' jobs, finishes or
removes staged files and runs what is queued — and the checks, printed as figures:
  stuck sets        a set that is queued, or whose status offers no action its service accepts
                    (open/failed: process or delete; processed: send; sent: handle/letter)
  staged files      `.NAME.staged` / `..NAME.part` files left in the outbox
  orders in two files  EndToEndIds read back from the pain.008 files of unsent sets (the
                    current, not superseded, files of processed sets) that occur more than once;
                    also over the current files of sent sets (a re-processed sent set's old file
                    is superseded)
  unknown files     final .xml files in the outbox that no set records
  orders without their file  underway orders whose EndToEndId is not in the file they name
Exit status 1 when any of them is not zero.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
TODAY = "2026-11-24"
USER = "bench"
BATCH_ACCOUNTS = 2


class Loop:
    def __init__(self, work: Path, orders: int, seed: int, stale: str, python: str):
        self.work = work
        self.orders_per_batch = orders
        self.rng = random.Random(seed)
        self.python = python
        self.db_path = work / "incasso.sqlite3"
        self.outbox = work / "outbox"
        self.bank = work / "bank"
        self.config = work / "config.toml"
        self.env = {
            **os.environ,
            "INCASSO_TODAY": TODAY,
            "INCASSO_JOB_STALE_SECONDS": stale,
            "XDG_CONFIG_HOME": str(work / "xdg" / "config"),
            "XDG_DATA_HOME": str(work / "xdg" / "data"),
            "XDG_STATE_HOME": str(work / "xdg" / "state"),
        }
        self.stale = float(stale)
        self.next_debtor = 0
        self.delays = (0.0, 1.0)  # kill after a delay drawn from this range (seconds)

    # ------------------------------------------------------------------ the database
    def build(self) -> None:
        os.environ["INCASSO_TODAY"] = TODAY
        from incasso_tui.db import database as db
        from incasso_tui.db import migrations
        from incasso_tui.db import models as m
        from incasso_tui.services.demo import creditor_id

        self.bank.mkdir(parents=True, exist_ok=True)
        self.config.write_text(
            f'[database]\nurl = "sqlite:///{self.db_path}"\n[paths]\noutbox_dir = "{self.outbox}"\n'
            "[auth]\nallow_user_flag = true\n",
            encoding="utf-8",
        )
        database = db.bind(f"sqlite:///{self.db_path}")
        migrations.upgrade(database)
        m.User.create(login=USER, name="Crash loop", role="admin")
        group = m.BankGroup.create(
            code="ABN",
            name="ABN AMRO",
            pain_version="pain.008.001.02",
            lead_days=2,
            delivery_dir=str(self.bank),
        )
        from schwifty import IBAN

        for a in range(BATCH_ACCOUNTS):
            adm = m.Administration.create(
                code=f"ADM{a}",
                name=f"Stichting Crash {a}",
                creditor_id=creditor_id(f"3012345{a}"),
                town="Utrecht",
            )
            m.BankAccount.create(
                administration=adm,
                bank_group=group,
                bic="ABNANL2A",
                bank_name="ABN AMRO",
                iban=str(IBAN.generate("NL", bank_code="ABNA", account_code=f"041716430{a}")),
            )
        db.close()

    def add_orders(self) -> None:
        """A batch of new debtors, each with an active mandate (one in ten B2B) and an order."""
        from schwifty import IBAN

        from incasso_tui.db import database as db
        from incasso_tui.db import models as m

        today = dt.date.fromisoformat(TODAY)
        with db.database.connection_context(), db.database.atomic():
            accounts = list(m.BankAccount.select().order_by(m.BankAccount.id))
            for i in range(self.next_debtor, self.next_debtor + self.orders_per_batch):
                account = accounts[i % len(accounts)]
                adm_id = account.administration_id
                debtor = m.Debtor.create(
                    administration=adm_id,
                    number=f"{i + 1:07d}",
                    name=f"Jürgen Müller {i}",
                    name_key=f"jürgen müller {i}",
                    iban=str(IBAN.generate("NL", bank_code="INGB", account_code=f"{i + 1:010d}")),
                    bic="INGBNL2A",
                )
                mandate = m.Mandate.create(
                    administration=adm_id,
                    debtor=debtor,
                    scheme="B2B" if i % 10 == 0 else "CORE",
                    sequence_number=1,
                    reference=f"{i + 1:07d}-1",
                    reference_key=f"{i + 1:07d}-1",
                    creditor_id=m.Administration.get_by_id(adm_id).creditor_id,
                    signed_date=today - dt.timedelta(days=60),
                    effective_date=today - dt.timedelta(days=60),
                    status="active",
                    b2b_registered=True,
                )
                m.CollectionOrder.create(
                    administration=adm_id,
                    debtor=debtor,
                    mandate=mandate,
                    bank_account=account,
                    invoice_number=f"F{i:07d}",
                    amount_cents=1000 + i % 5000,
                    requested_date=today + dt.timedelta(days=3 + i % 5),
                    remittance=f"Factuur F{i:07d} contributie",
                )
        self.next_debtor += self.orders_per_batch

    def state(self) -> dict[str, list[tuple[int, int | None, str | None, bool]]]:
        """Sets by status: (set id, its newest job id, that job's status, job stale)."""
        from incasso_tui.db import database as db
        from incasso_tui.db import models as m

        out: dict[str, list[tuple[int, int | None, str | None, bool]]] = collections.defaultdict(list)
        limit = dt.datetime.now() - dt.timedelta(seconds=self.stale + 1)
        with db.database.connection_context():
            newest: dict[int, m.Job] = {}
            for job in m.Job.select().where(m.Job.kind == "process_set").order_by(m.Job.id):
                newest[int((job.payload or {})["set_id"])] = job
            for cset in m.CollectionSet.select().order_by(m.CollectionSet.id):
                job = newest.get(cset.id)
                stale = bool(
                    job and job.status == "running" and job.heartbeat_at and job.heartbeat_at < limit
                )
                out[cset.status].append(
                    (cset.id, job.id if job else None, job.status if job else None, stale)
                )
        return out

    # ------------------------------------------------------------------ processes
    def incasso(self, *args: str) -> list[str]:
        return [self.python, "-m", "incasso_tui", "--config", str(self.config), "--user", USER, *args]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.incasso(*args), capture_output=True, text=True, env=self.env, cwd=ROOT)

    def run_and_kill(self, delay: float, *args: str) -> str:
        """Start `incasso ARGS`, SIGKILL it after `delay` seconds unless it ended; its fate."""
        proc = subprocess.Popen(
            self.incasso(*args),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
            cwd=ROOT,
        )
        try:
            _out, err = proc.communicate(timeout=delay)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"`incasso {' '.join(args)}` ended with {proc.returncode}:\n{err[-2000:]}")
            if "Traceback" in err or "internal error" in err:
                raise SystemExit(f"`incasso {' '.join(args)}`:\n{err[-2000:]}")
            return "finished" if proc.returncode == 0 else "refused"
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate()
            return "killed" + self.left_behind()

    def left_behind(self) -> str:
        """What the kill left: a job whose worker died, staged files."""
        from incasso_tui.db import database as db
        from incasso_tui.db import models as m

        with db.database.connection_context():
            running = m.Job.select().where(m.Job.status == "running").count()
        staged = sum(1 for p in self.outbox.glob("*/.*") if p.name.endswith(".staged"))
        notes = [f"{running} job(s) of a dead worker"] * bool(running) + [f"{staged} staged file(s)"] * bool(
            staged
        )
        return f" ({', '.join(notes)})" if notes else ""

    def new_set(self) -> int:
        self.add_orders()
        done = self.run("set", "new", "--bank-group", "ABN", "--json")
        if done.returncode != 0:
            raise SystemExit(f"set new failed: {done.stderr}")
        import json

        return int(json.loads(done.stdout)["id"])

    def wait_until_stale(self) -> None:
        time.sleep(self.stale + 1.1)  # heartbeats are stored in whole seconds

    # ------------------------------------------------------------------ one iteration
    def step(self) -> str:
        st = self.state()
        delay = self.rng.uniform(*self.delays)
        waiting = st.get("queued", [])
        if waiting:
            if any(job_status == "running" and not stale for _s, _j, job_status, stale in waiting):
                self.wait_until_stale()  # its worker died in the previous iteration
            return "worker --once: " + self.run_and_kill(delay, "worker", "--once")
        roll = self.rng.random()
        if roll < 0.15 or not any(st.get(s) for s in ("open", "failed", "processed")):
            set_id = self.new_set()
            return f"set process {set_id} --wait (new set): " + self.run_and_kill(
                delay, "set", "process", str(set_id), "--wait"
            )
        for status in ("failed", "open", "processed"):
            if st.get(status):
                set_id, job_id, job_status, _stale = self.rng.choice(st[status])
                break
        if status == "failed" and job_id and job_status == "failed" and self.rng.random() < 0.5:
            retried = self.run("jobs", "retry", str(job_id))
            if retried.returncode == 0:
                return f"jobs retry {job_id}, worker --once: " + self.run_and_kill(delay, "worker", "--once")
        if status == "processed" and self.rng.random() < 0.4:
            return f"set send {set_id}: " + self.run_and_kill(delay, "set", "send", str(set_id))
        if status == "processed" and self.rng.random() < 0.1 and st.get("sent"):
            set_id = self.rng.choice(st["sent"])[0]
            return f"set process {set_id} --wait --confirm-sent: " + self.run_and_kill(
                delay, "set", "process", str(set_id), "--wait", "--confirm-sent"
            )
        return f"set process {set_id} --wait ({status}): " + self.run_and_kill(
            delay, "set", "process", str(set_id), "--wait"
        )

    # ------------------------------------------------------------------ the checks
    def check(self) -> dict[str, int]:
        from lxml import etree

        from incasso_tui.db import database as db
        from incasso_tui.db import models as m
        from incasso_tui.services.auth import actor_for
        from incasso_tui.services.collection import sets

        figures: dict[str, int] = {}
        with db.database.connection_context():
            actor = actor_for(m.User.get(m.User.login == USER))
            stuck = 0
            by_status: collections.Counter[str] = collections.Counter()
            for cset in m.CollectionSet.select():
                by_status[cset.status] += 1
                if cset.status == "queued":
                    stuck += 1
                    continue
                if not sets.set_actions(actor, sets.set_detail(actor, cset.id)):
                    stuck += 1
            figures["sets"] = sum(by_status.values())
            for status in ("open", "queued", "processed", "sent", "failed"):
                figures[f"sets {status}"] = by_status[status]
            figures["stuck sets"] = stuck
            figures["jobs still queued or running"] = (
                m.Job.select().where(m.Job.status.in_(["queued", "running"])).count()
            )
            leftovers = [p for p in self.outbox.glob("*/.*") if p.name.endswith((".staged", ".part"))]
            figures["staged files left"] = len(leftovers)
            recorded: dict[str, str] = {}  # file path -> "unsent" | "sent" | "superseded"
            for cset in m.CollectionSet.select():
                for f in cset.files or []:
                    kind = (
                        "superseded"
                        if f.get("superseded")
                        else ("unsent" if cset.status == "processed" else "sent")
                    )
                    recorded[str(Path(f["path"]))] = kind
            finals = list(self.outbox.glob("*/*.xml"))
            figures["files"] = len(finals)
            figures["unknown files"] = sum(1 for p in finals if str(p) not in recorded)
            seen: collections.Counter[str] = collections.Counter()
            current: collections.Counter[str] = collections.Counter()  # sent files too
            in_file: dict[str, set[str]] = {}
            for path in finals:
                ids = {el.text or "" for _ev, el in etree.iterparse(str(path), tag="{*}EndToEndId")}
                in_file[path.name] = ids
                if recorded.get(str(path)) == "unsent":
                    seen.update(ids)
                if recorded.get(str(path)) in ("unsent", "sent"):
                    current.update(ids)
            figures["orders in unsent files"] = len(seen)
            figures["orders in two files"] = sum(1 for n in seen.values() if n > 1)
            figures["orders in current files, sent or not"] = len(current)
            figures["orders in two current files"] = sum(1 for n in current.values() if n > 1)
            missing = 0
            for e2e, name in (
                m.CollectionOrder.select(m.CollectionOrder.end_to_end_id, m.CollectionOrder.file_name)
                .where(m.CollectionOrder.status == "underway")
                .tuples()
            ):
                if e2e not in in_file.get(name or "", set()):
                    missing += 1
            figures["orders without their file"] = missing
        return figures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=50)
    ap.add_argument("--orders", type=int, default=2000, help="orders per batch (a new set)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--stale", default="1", help="INCASSO_JOB_STALE_SECONDS for the processes")
    ap.add_argument("--work", default="")
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="incasso-crash-loop-"))
    work.mkdir(parents=True, exist_ok=True)
    if (work / "incasso.sqlite3").exists():
        raise SystemExit(f"{work} holds a database already: give an empty --work directory")
    os.environ["INCASSO_JOB_STALE_SECONDS"] = args.stale
    loop = Loop(work, args.orders, args.seed, args.stale, args.python)
    started = time.perf_counter()
    loop.build()
    # Calibration: one undisturbed processing of a set, as a whole process.
    set_id = loop.new_set()
    t0 = time.perf_counter()
    done = loop.run("set", "process", str(set_id), "--wait")
    undisturbed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"the undisturbed processing failed: {done.stderr}")
    t0 = time.perf_counter()
    loop.run("jobs", "list")
    start_up = time.perf_counter() - t0
    loop.delays = (0.8 * start_up, 1.1 * undisturbed)
    print(
        f"work {work}; {args.orders} orders per set; undisturbed `set process --wait` "
        f"{undisturbed:.2f} s (start-up {start_up:.2f} s); kills after "
        f"{loop.delays[0]:.2f}–{loop.delays[1]:.2f} s",
        file=sys.stderr,
    )
    fates: collections.Counter[str] = collections.Counter()
    for i in range(1, args.iterations + 1):
        what = loop.step()
        fate = what.rsplit(": ", 1)[1]
        fates[fate.split(" (")[0]] += 1
        fates["dead"] += "dead worker" in fate
        fates["left staged files"] += "staged" in fate
        print(f"{i:3d} {what}", file=sys.stderr, flush=True)
    # Recovery: what any worker does when it starts, then the queue run to the end.
    loop.wait_until_stale()
    recovery = loop.run("worker", "--once")
    if recovery.returncode != 0:
        raise SystemExit(f"recovery failed: {recovery.stderr}")
    figures = loop.check()
    elapsed = time.perf_counter() - started
    print(
        f"iterations {args.iterations}: {fates['killed']} killed by SIGKILL, "
        f"{fates['finished']} finished before the kill, {fates['refused']} refused; "
        f"kills that left a dead worker's job: {fates['dead']}, "
        f"that left staged files: {fates['left staged files']}; {elapsed:.0f} s"
    )
    for name, value in figures.items():
        print(f"  {name}: {value}")
    bad = (
        "stuck sets",
        "staged files left",
        "orders in two files",
        "orders in two current files",
        "unknown files",
        "orders without their file",
    )
    bad += ("jobs still queued or running",)
    failed = [name for name in bad if figures[name]]
    print(
        "OK: zero stuck sets, zero staged files left, zero orders in two files"
        if not failed
        else f"FAILED: {failed}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
