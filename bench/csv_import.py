#!/usr/bin/env python3
"""Benchmark: `incasso import orders FILE.csv` of N orders as a whole process, on SQLite and
(when INCASSO_BENCH_PG_URL names a server) on PostgreSQL, next to a reference in the same run:
a bare csv.reader -> executemany INSERT of the same rows into the same table in one
transaction, also as a whole process.

    bench/csv_import.py [--sizes 100000,1000000] [--runs 3] [--work DIR]

Each run starts from a copy of the built database (SQLite) or with the orders of the
previous run deleted (PostgreSQL). Prints medians of wall time and peak RSS, and the ratio.
Goal (issue 15): 100k rows stored in ≤ 10 s, 1M in ≤ 100 s, flat memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import measure

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
TODAY = "2026-11-24"
ADMINISTRATIONS = 2
BATCH = 1000  # rows per INSERT (SQLite takes at most 32,766 parameters)


def build(url: str, n: int) -> None:
    """A database with N debtors, each with an active mandate, over two administrations."""
    os.environ["INCASSO_TODAY"] = TODAY
    from incasso_tui.db import database as db
    from incasso_tui.db import migrations
    from incasso_tui.db import models as m
    from incasso_tui.rules.search_keys import debtor_keys
    from incasso_tui.services.demo import creditor_id
    from incasso_tui.services.imports.bulk import insert_returning_ids

    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
    database = db.bind(url)
    migrations.upgrade(database)
    m.User.create(login="bench", name="Bench", role="admin")
    group = m.BankGroup.create(code="ABN", name="ABN AMRO", pain_version="pain.008.001.02")
    today = dt.date.fromisoformat(TODAY)
    for a in range(ADMINISTRATIONS):
        adm = m.Administration.create(
            code=f"ADM{a}", name=f"Bench {a}", creditor_id=creditor_id(f"3012345{a}"), town="Utrecht"
        )
        m.BankAccount.create(
            administration=adm,
            bank_group=group,
            bic="ABNANL2A",
            bank_name="ABN AMRO",
            iban=["NL91ABNA0417164300", "NL44RABO0123456789"][a],
        )
    # Ids count from 1 in the new tables: debtor i and its mandate get id i + 1 (the
    # reference relies on it). Written with the import's own bulk insert: peewee's
    # insert_many spends ~0.5 ms per row building SQL.
    for start in range(0, n, BATCH):
        with database.atomic():
            k = range(start, min(n, start + BATCH))
            insert_returning_ids(
                m.Debtor,
                [
                    {
                        "administration": 1 + i % ADMINISTRATIONS,
                        "number": f"{i:07d}",
                        "name": f"Debiteur {i}",
                        **debtor_keys(f"Debiteur {i}", ""),
                        "iban": "NL91ABNA0417164300",
                        "bic": "ABNANL2A",
                    }
                    for i in k
                ],
            )
            insert_returning_ids(
                m.Mandate,
                [
                    {
                        "administration": 1 + i % ADMINISTRATIONS,
                        "debtor": i + 1,
                        "sequence_number": 1,
                        "reference": f"{i:07d}-1",
                        "reference_key": f"{i:07d}-1",
                        "creditor_id": creditor_id(f"3012345{i % ADMINISTRATIONS}"),
                        "signed_date": today - dt.timedelta(days=60),
                        "effective_date": today - dt.timedelta(days=60),
                        "status": "active",
                    }
                    for i in k
                ],
            )
    if url.startswith("postgres"):
        for table in ("debtor", "mandate"):
            database.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))"
            )
        database.execute_sql("ANALYZE")
    db.close()


def write_csv(path: str, n: int) -> None:
    start = dt.date.fromisoformat(TODAY)
    with open(path, "w", encoding="utf-8") as f:
        f.write("administration;debtor;amount;requested_date;invoice_number;remittance\n")
        for i in range(n):
            day = (start + dt.timedelta(days=3 + i % 7)).isoformat()
            f.write(f"ADM{i % ADMINISTRATIONS};{i:07d};{10 + i % 500},{i % 100:02d};{day};F{i:07d};\n")


# The reference, run as its own process: bare csv.reader -> executemany, one transaction. It
# knows the bench's ids (debtor i has id i+1, its mandate too, account = administration).
REFERENCE = """
import csv, datetime, sys
url, path = sys.argv[1], sys.argv[2]
if url.startswith("postgres"):
    import psycopg
    conn = psycopg.connect(url)
    ph = "%s"
else:
    import sqlite3
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    ph = "?"
now = datetime.datetime.now().isoformat(sep=" ")
sql = (
    'INSERT INTO collection_order (administration_id, debtor_id, mandate_id, bank_account_id, '
    'invoice_number, amount_cents, requested_date, remittance, status, final, created_by_id, '
    'created_at, updated_at) VALUES (' + ", ".join([ph] * 13) + ")"
)
def rows():
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter=";")
        next(reader)
        for adm, debtor, amount, day, invoice, remittance in reader:
            a = int(adm[3:]) + 1
            d = int(debtor) + 1
            euros, cents = amount.split(",")
            yield (a, d, d, a, invoice, int(euros) * 100 + int(cents), day,
                   remittance or "Factuur " + invoice, "open", False, 1, now, now)
with conn:
    cur = conn.cursor()
    batch = []
    for row in rows():
        batch.append(row)
        if len(batch) == 5000:
            cur.executemany(sql, batch)
            batch = []
    if batch:
        cur.executemany(sql, batch)
conn.close()
"""


def reset(url: str, template: str | None, run_dir: str) -> str:
    """The database url for one run: a fresh copy (SQLite), or orders emptied (PostgreSQL)."""
    if template is None:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DELETE FROM collection_order")
            conn.execute("DELETE FROM audit_entry")
            conn.execute("VACUUM ANALYZE collection_order")
        return url
    path = os.path.join(run_dir, "incasso.sqlite3")
    shutil.copy(template, path)
    return f"sqlite:///{path}"


def bench(label: str, url: str, template: str | None, n: int, csv_path: str, args, work: str) -> None:
    ours, ref = [], []
    ref_script = os.path.join(work, "reference.py")
    with open(ref_script, "w") as f:
        f.write(REFERENCE)
    for run in range(args.runs):
        run_dir = os.path.join(work, f"{label}-{n}-run{run}")
        shutil.rmtree(run_dir, ignore_errors=True)
        os.makedirs(run_dir)
        run_url = reset(url, template, run_dir)
        cfg = os.path.join(run_dir, "config.toml")
        with open(cfg, "w") as f:
            f.write(f'[database]\nurl = "{run_url}"\n[auth]\nallow_user_flag = true\n')
        env = {**os.environ, "INCASSO_TODAY": TODAY}
        cmd = [args.python, "-m", "incasso_tui", "--config", cfg, "--user", "bench"]
        ours.append(measure([*cmd, "import", "orders", csv_path], run_dir, env))
        run_url = reset(url, template, run_dir)
        ref.append(measure([args.python, ref_script, run_url, csv_path], run_dir, env))
        print(
            f"{label} N={n} run {run + 1}: ours {ours[-1][0]:.2f} s {ours[-1][1] / 1024:.0f} MB · "
            f"reference {ref[-1][0]:.2f} s {ref[-1][1] / 1024:.0f} MB",
            file=sys.stderr,
        )
    ow, orss = statistics.median(w for w, _ in ours), statistics.median(r for _, r in ours)
    rw, rrss = statistics.median(w for w, _ in ref), statistics.median(r for _, r in ref)
    print(
        f"| {label:10} | {n:>9,} | {ow:8.2f} s | {orss / 1024:5.0f} MB | {rw:7.2f} s | "
        f"{rrss / 1024:5.0f} MB | {ow / rw:5.2f}x |",
        flush=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--build", nargs=2, metavar=("URL", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build:
        build(args.build[0], int(args.build[1]))
        return 0
    work = args.work or tempfile.mkdtemp(prefix="incasso-csv-bench-")
    os.makedirs(work, exist_ok=True)
    pg_url = os.environ.get("INCASSO_BENCH_PG_URL", "")
    print("| database   |      rows | incasso import | peak RSS | reference | ref RSS | ratio |")
    print("| ---------- | --------: | ---------: | -------: | --------: | ------: | ----: |", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        csv_path = os.path.join(work, f"orders-{n}.csv")
        if not os.path.exists(csv_path):
            write_csv(csv_path, n)
        template = os.path.join(work, f"template-{n}.sqlite3")
        if not os.path.exists(template):
            # Built in a process of its own, so the builder's memory is not in any figure.
            subprocess.run([args.python, __file__, "--build", f"sqlite:///{template}", str(n)], check=True)
        bench("SQLite", "", template, n, csv_path, args, work)
        if pg_url:
            subprocess.run([args.python, __file__, "--build", pg_url, str(n)], check=True)
            bench("PostgreSQL", pg_url, None, n, csv_path, args, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
