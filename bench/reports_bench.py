#!/usr/bin/env python3
"""Benchmark: the three reports on a database with N collection orders (collected over 24
months across three administrations, some rejected or reversed, with their R-transactions).

    bench/reports_bench.py [--sizes 100000,1000000] [--runs 3] [--work DIR] [--pg URL]

The debtors and mandates come from bench/mandates_screen.py's builder (one mandate per ten
orders), the orders and R-transactions are bulk-inserted the same way (sqlite3, its `_rows`).
With --pg (a PostgreSQL database URL; its schema is replaced) the SQLite database is copied
into it with COPY. Per size it prints the medians of --runs: `incasso report NAME --json` as a
whole process, and the service call alone (in-process, warm). Goal: ≤ 0.5 s on 1,000,000 orders.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from mandates_screen import _iban, _rows, fill  # noqa: E402 - the bench folder is on the path now
from timing import measure  # noqa: E402

TODAY = "2026-11-24"
REPORTS = ("collected", "rejects", "mandates")
CODES = ("AC04", "AM04", "MD06", "MS02", "MD01")
BATCH = 100_000


def build(path: Path, n_orders: int) -> None:
    os.environ["INCASSO_TODAY"] = TODAY
    from incasso_tui.db import database as db
    from incasso_tui.db import models as m

    n_mandates = max(10, n_orders // 10)
    fill(path, n_mandates)
    db.bind(f"sqlite:///{path}")
    group = m.BankGroup.create(code="ABN", name="ABN AMRO")
    adms = list(m.Administration.select().order_by(m.Administration.id))
    accounts = [  # two accounts per administration
        (adm.id, m.BankAccount.create(administration=adm, bank_group=group, iban=_iban(900 + k)).id)
        for k, adm in enumerate(adms * 2)
    ]
    n_debtors = m.Debtor.select().count()
    db.close()
    today = dt.date.fromisoformat(TODAY)
    con = sqlite3.connect(path)
    for start in range(0, n_orders, BATCH):
        orders, feedback = [], []
        for i in range(start, min(n_orders, start + BATCH)):
            adm, account = accounts[i % len(accounts)]
            roll = i % 100
            status = (
                "open"
                if roll < 2
                else "underway"
                if roll < 5
                else "rejected"
                if roll < 8
                else ("reversed" if roll < 10 else "processed")
            )
            day = None if status == "open" else today - dt.timedelta(days=i % 730)
            orders.append(
                {
                    "administration": adm,
                    "debtor": i % n_debtors + 1,
                    "mandate": i % n_mandates + 1,
                    "bank_account": account,
                    "invoice_number": f"F{i:08d}",
                    "amount_cents": 1000 + i % 50000,
                    "requested_date": day or today,
                    "status": status,
                    "collection_date": day,
                    "end_to_end_id": f"E2E{i:010d}",
                }
            )
            if status in ("rejected", "reversed") and day is not None:
                feedback.append(
                    {
                        "order": i + 1,
                        "kind": "reject" if status == "rejected" else "refund",
                        "reason_code": CODES[i % len(CODES)],
                        "amount_cents": 1000 + i % 50000,
                        "date": day + dt.timedelta(days=2 if status == "rejected" else 20),
                    }
                )
        with con:
            con.executemany(*_rows(m.CollectionOrder, orders))
            con.executemany(*_rows(m.BankFeedback, feedback))
    con.execute("ANALYZE")
    con.close()


def copy_to_pg(sqlite_path: Path, url: str) -> None:
    """The SQLite database's rows into PostgreSQL (a fresh schema), with COPY."""
    from incasso_tui.db import database as db
    from incasso_tui.db import migrations
    from incasso_tui.db import models as m

    database = db.make_database(url)
    database.connect()
    database.execute_sql("DROP SCHEMA public CASCADE")
    database.execute_sql("CREATE SCHEMA public")
    database.close()
    database = db.bind(url)
    migrations.upgrade(database)
    source = sqlite3.connect(sqlite_path)
    conn = database.connection()
    for model in m.ALL_MODELS:
        if model in (m.SchemaVersion,):
            continue
        table = model._meta.table_name
        columns = [f.column_name for f in model._meta.sorted_fields]
        names = ", ".join(f'"{c}"' for c in columns)
        with conn.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{table}"')
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in source.execute(f'SELECT {names} FROM "{table}"'):
                    copy.write_row(row)
            if "id" in columns:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
                )
    conn.commit()
    database.execute_sql("ANALYZE")
    db.close()


def service_seconds(url: str, runs: int) -> dict[str, list[float]]:
    os.environ["INCASSO_TODAY"] = TODAY
    from incasso_tui.db import database as db
    from incasso_tui.db import models as m
    from incasso_tui.services.auth import actor_for
    from incasso_tui.services.reports import REPORTS as SERVICES

    db.bind(url)
    actor = actor_for(m.User.get(m.User.login == "bench"))
    times: dict[str, list[float]] = {name: [] for name in REPORTS}
    for name in REPORTS:
        SERVICES[name](actor)  # warm: the first call loads modules and pages
        for _ in range(runs):
            t0 = time.perf_counter()
            SERVICES[name](actor)
            times[name].append(time.perf_counter() - t0)
    db.close()
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="")
    ap.add_argument("--pg", default="", help="a PostgreSQL database URL (its schema is replaced)")
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="incasso-reports-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'orders':>9}  {'back-end':8}  {'report':9}  {'process':>9}  {'service':>9}  peak RSS")
    for size in (int(s) for s in args.sizes.split(",")):
        path = work / f"reports-{size}.sqlite3"
        if not path.exists():
            t0 = time.perf_counter()
            build(path, size)
            print(f"built {size} orders in {time.perf_counter() - t0:.0f} s ({path})", file=sys.stderr)
        url = f"sqlite:///{path}"
        if args.pg:
            copy_to_pg(path, args.pg)
            url = args.pg
        cfg = work / "config.toml"
        cfg.write_text(f'[database]\nurl = "{url}"\n[auth]\nallow_user_flag = true\n', encoding="utf-8")
        env = {**os.environ, "INCASSO_TODAY": TODAY}
        inside = service_seconds(url, args.runs)
        for name in REPORTS:
            cmd = [sys.executable, "-m", "incasso_tui", "--config", str(cfg), "--user", "bench"]
            results = [measure([*cmd, "report", name, "--json"], str(work), env) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in results)
            rss = statistics.median(r[1] for r in results)
            print(
                f"{size:>9}  {'pg' if args.pg else 'sqlite':8}  {name:9}  {wall:>8.3f}s  "
                f"{statistics.median(inside[name]):>8.3f}s  {rss / 1024:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
