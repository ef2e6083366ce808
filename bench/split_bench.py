#!/usr/bin/env python3
"""Benchmark: a 100,000-order set in a bank group with a maximum of 5,000 transactions per file
(20 files) against the same set without a limit (one file per scheme), each processed with
`incasso set process ID --wait` as a whole process (plan, files, XSD, commit, letters), in the
same run, alternating which goes first.

    bench/split_bench.py [--n 100000] [--max 5000] [--runs 3] [--work DIR] [--pg URL]

With --pg (a PostgreSQL server URL, e.g. the one `.ci/pg.sh start` prints) the set is built
once into a template database and each run gets a fresh copy (CREATE DATABASE … TEMPLATE);
without it, SQLite files.

Prints the medians (wall time, peak RSS) and the ratio split / unsplit. Target: ≤ 1.1×.

The set: two administrations with an account each in one bank group, one collection date, a
tenth B2B, a third collected before (RCUR). Per account that is CORE FRST 30,000 and RCUR
15,000, B2B FRST 3,333 and RCUR 1,667: 18 CORE files and 2 B2B files of 5,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import measure

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
TODAY = "2026-11-24"


def build(url: str, n: int) -> int:
    """An incasso database with n eligible orders in one set of bank group ABN (no limit);
    returns the set id."""
    os.environ["INCASSO_TODAY"] = TODAY
    from schwifty import IBAN

    from incasso_tui.db import database as db
    from incasso_tui.db import migrations
    from incasso_tui.db import models as m
    from incasso_tui.services.auth import actor_for
    from incasso_tui.services.collection import sets
    from incasso_tui.services.demo import creditor_id

    database = db.bind(url)
    migrations.upgrade(database)
    user = m.User.create(login="bench", name="Bench", role="admin")
    group = m.BankGroup.create(code="ABN", name="ABN AMRO", pain_version="pain.008.001.02", profile="OTHER")
    today = dt.date.fromisoformat(TODAY)
    names = ["Jürgen Müller", "Zoë de Vries", "Łukasz Nowak", "Søren Ødegård", "Jan Jansen"]
    ibans = [str(IBAN.generate("NL", bank_code="INGB", account_code=f"{i:010d}")) for i in range(1, 1001)]
    for a in range(2):
        adm = m.Administration.create(
            code=f"ADM{a}",
            name=f"Stichting Bench {a}",
            creditor_id=creditor_id(f"3012345{a}"),
            town="Utrecht",
        )
        account = m.BankAccount.create(
            administration=adm,
            bank_group=group,
            bic="ABNANL2A",
            bank_name="ABN AMRO",
            iban=str(IBAN.generate("NL", bank_code="ABNA", account_code=f"041716430{a}")),
        )
        per = n // 2 + (n % 2 if a == 0 else 0)
        with database.atomic():
            base_debtor = m.Debtor.select(m.Debtor.id).order_by(m.Debtor.id.desc()).scalar() or 0
            base_mandate = m.Mandate.select(m.Mandate.id).order_by(m.Mandate.id.desc()).scalar() or 0
            for start in range(0, per, 2000):  # PostgreSQL takes at most 65,535 parameters
                k = range(start, min(per, start + 2000))
                m.Debtor.insert_many(
                    [
                        {
                            "administration": adm.id,
                            "number": f"{a}{i:07d}",
                            "name": f"{names[i % 5]} {i}",
                            "name_key": f"{names[i % 5].lower()} {i}",
                            "iban": ibans[i % 1000],
                            "bic": "INGBNL2A",
                        }
                        for i in k
                    ]
                ).execute()
                m.Mandate.insert_many(
                    [
                        {
                            "administration": adm.id,
                            "debtor": base_debtor + i + 1,
                            "scheme": "B2B" if i % 10 == 0 else "CORE",
                            "sequence_number": 1,
                            "reference": f"{a}-{i:07d}-1",
                            "reference_key": f"{a}-{i:07d}-1",
                            "creditor_id": adm.creditor_id,
                            "signed_date": today - dt.timedelta(days=60),
                            "effective_date": today - dt.timedelta(days=60),
                            "status": "active",
                            "b2b_registered": True,
                            "collected": i % 3 == 0,
                        }
                        for i in k
                    ]
                ).execute()
                m.CollectionOrder.insert_many(
                    [
                        {
                            "administration": adm.id,
                            "debtor": base_debtor + i + 1,
                            "mandate": base_mandate + i + 1,
                            "bank_account": account.id,
                            "invoice_number": f"F{i:07d}",
                            "amount_cents": 1000 + i % 50000,
                            "requested_date": today + dt.timedelta(days=5),
                            "remittance": f"Factuur F{i:07d} contributie € 2026",
                        }
                        for i in k
                    ]
                ).execute()
    t0 = time.perf_counter()
    created = sets.create_set(actor_for(user), "ABN")
    print(
        f"set {created.id}: {created.orders} orders, created in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    db.close()
    return created.id


def _pg_url(server: str, name: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + name


def _pg_admin(server: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as con:
        for sql in statements:
            con.execute(sql)


def prepare(template: str, run_dir: str, limit: int | None, pg: str) -> tuple[str, str]:
    """A fresh copy of the template with the bank group's maximum; (config, database url)."""
    shutil.rmtree(run_dir, ignore_errors=True)
    os.makedirs(run_dir)
    if pg:
        url = _pg_url(pg, "incasso_split_run")
        _pg_admin(
            pg,
            "DROP DATABASE IF EXISTS incasso_split_run",
            f"CREATE DATABASE incasso_split_run TEMPLATE {template}",
        )
        _pg_admin(url, f"UPDATE bank_group SET max_per_file = {int(limit) if limit else 'NULL'}")
    else:
        db_path = os.path.join(run_dir, "incasso.sqlite3")
        shutil.copy(template, db_path)
        with sqlite3.connect(db_path) as con:
            con.execute("UPDATE bank_group SET max_per_file = ? WHERE code = 'ABN'", (limit,))
        url = f"sqlite:///{db_path}"
    cfg = os.path.join(run_dir, "config.toml")
    with open(cfg, "w") as f:
        f.write(
            f'[database]\nurl = "{url}"\n[paths]\noutbox_dir = '
            f'"{run_dir}/outbox"\n[auth]\nallow_user_flag = true\n'
        )
    return cfg, url


def files_of(url: str, set_id: int) -> list[dict]:
    sql = "SELECT files FROM collection_set WHERE id = %d" % set_id
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url) as con:
            row = con.execute(sql).fetchone()
    else:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as con:
            row = con.execute(sql).fetchone()
    assert row is not None
    return [f for f in json.loads(row[0]) if not f.get("superseded")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--max", type=int, default=5000, help="the bank group's maximum per file")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--pg", default="", help="PostgreSQL server URL (else SQLite)")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="incasso-split-bench-")
    os.makedirs(work, exist_ok=True)
    if args.pg:
        template = "incasso_split_template"
        _pg_admin(args.pg, f"DROP DATABASE IF EXISTS {template}", f"CREATE DATABASE {template}")
        set_id = build(_pg_url(args.pg, template), args.n)
    else:
        template = os.path.join(work, f"template-{args.n}.sqlite3")
        set_id = build(f"sqlite:///{template}", args.n) if not os.path.exists(template) else 1
    env = {**os.environ, "INCASSO_TODAY": TODAY}
    results: dict[str, list[tuple[float, int]]] = {"split": [], "unsplit": []}
    for run in range(args.runs):
        order = ["split", "unsplit"] if run % 2 == 0 else ["unsplit", "split"]
        for variant in order:
            run_dir = os.path.join(work, f"run{run}-{variant}")
            cfg, url = prepare(template, run_dir, args.max if variant == "split" else None, args.pg)
            cmd = [args.python, "-m", "incasso_tui", "--config", cfg, "--user", "bench"]
            results[variant].append(measure([*cmd, "set", "process", str(set_id), "--wait"], run_dir, env))
            files = files_of(url, set_id)
            count = sum(f["count"] for f in files)
            letters = [n for n in os.listdir(os.path.join(run_dir, "outbox", "ABN")) if n.endswith(".pdf")]
            if count != args.n or len(letters) != len(files):
                sys.exit(f"{variant}: {count} orders in {len(files)} files, {len(letters)} letters")
            wall, rss = results[variant][-1]
            print(
                f"run {run + 1} {variant:7}: {wall:.2f} s {rss / 1024:.0f} MB, {len(files)} files",
                file=sys.stderr,
            )
    split_w = statistics.median(w for w, _ in results["split"])
    plain_w = statistics.median(w for w, _ in results["unsplit"])
    split_rss = statistics.median(r for _, r in results["split"])
    plain_rss = statistics.median(r for _, r in results["unsplit"])
    print(
        f"{'PostgreSQL' if args.pg else 'SQLite'} N={args.n} max/file={args.max}  split: {split_w:.2f} s, {split_rss / 1024:.0f} MB  |  "
        f"unsplit: {plain_w:.2f} s, {plain_rss / 1024:.0f} MB  |  ratio {split_w / plain_w:.3f}x (target ≤ 1.1x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
