#!/usr/bin/env python3
"""Benchmark: a collection set of N orders processed with `incasso set process ID --wait` as a
whole process (eligibility, sequence types, status updates, XSD-validated file, letter), next
to the reference kit's `limit_lxml.py --mode stream --validate` on N transactions, in the same run.

    bench/sets_process.py [--sizes 100000,1000000 | --n 100000] [--runs 3] [--work DIR]
                          [--kit ../shared/bench]

On SQLite, and on PostgreSQL too when INCASSO_BENCH_PG_URL names a server (each size is built
once into a template database; every run starts from a copy: CREATE DATABASE … TEMPLATE).
Prints per back-end and size the medians of --runs (wall time and peak RSS of the whole
process, /usr/bin/time -v), the reference's, and the ratio. Goals: SQLite ≤ 2.5×,
PostgreSQL ≤ 3×, peak RSS ≤ 120 MB at every size.
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
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from templates import fresh_copy, pg_admin, with_db
from timing import measure

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
DEFAULT_KIT = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))
TODAY = "2026-11-24"
# Rows per INSERT: PostgreSQL binds at most 65,535 parameters per statement (~30 columns a row).
STEP = 2000


def build(url: str, n: int) -> int:
    """An incasso database at `url` with n eligible orders in one bank group; returns the set id."""
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
    group = m.BankGroup.create(code="ABN", name="ABN AMRO", pain_version="pain.008.001.02")
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
            for start in range(0, per, STEP):
                k = range(start, min(per, start + STEP))
                m.Debtor.insert_many(
                    [
                        {
                            "administration": adm.id,
                            "number": f"{i:07d}",
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
            base_mandate = (
                m.Mandate.select(m.Mandate.id)
                .where(m.Mandate.administration == adm)
                .order_by(m.Mandate.id)
                .scalar()
                - 1
            )
            for start in range(0, per, STEP):
                k = range(start, min(per, start + STEP))
                m.CollectionOrder.insert_many(
                    [
                        {
                            "administration": adm.id,
                            "debtor": base_debtor + i + 1,
                            "mandate": base_mandate + i + 1,
                            "bank_account": account.id,
                            "invoice_number": f"F{i:07d}",
                            "amount_cents": 1000 + i % 50000,
                            "requested_date": today + dt.timedelta(days=3 + i % 7),
                            "remittance": f"Factuur F{i:07d} contributie € 2026",
                        }
                        for i in k
                    ]
                ).execute()
    actor = actor_for(user)
    t0 = time.perf_counter()
    created = sets.create_set(actor, "ABN")
    print(
        f"set {created.id}: {created.orders} orders, created in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    if url.startswith("postgresql"):  # statistics, as a database in use has: else plans guess
        database.execute_sql("ANALYZE")
    db.close()
    return created.id


def _template(backend: str, n: int, work: str, pg_url: str) -> tuple[str, int]:
    """The url of the built template for this size (built once, in a child process: the
    bench itself keeps no database open) and its set id."""
    marker = os.path.join(work, f"template-{backend}-{n}.set")
    if backend == "sqlite":
        url = "sqlite:///" + os.path.join(work, f"template-{n}.sqlite3")
    else:
        url = with_db(pg_url, f"incasso_bench_{n}")
    if not os.path.exists(marker):
        if backend == "sqlite":
            path = url[len("sqlite:///") :]
            if os.path.exists(path):
                os.remove(path)
        else:
            pg_admin(
                pg_url, f"DROP DATABASE IF EXISTS incasso_bench_{n}", f"CREATE DATABASE incasso_bench_{n}"
            )
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--build", url, "--n", str(n)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        print(f"{backend} {n}: built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        with open(marker, "w") as f:
            f.write(out.strip().splitlines()[-1])
    with open(marker) as f:
        return url, int(f.read().strip())


def bench(backend: str, n: int, args: argparse.Namespace, pg_url: str) -> tuple[float, int, float, int]:
    """Medians (our wall, our RSS KB, reference wall, reference RSS KB) of args.runs runs."""
    template, set_id = _template(backend, n, args.work, pg_url)
    ref_db = os.path.join(args.work, f"ref-{n}.sqlite")
    if not os.path.exists(ref_db):
        subprocess.run(
            [args.python, os.path.join(args.kit, "gen_data.py"), str(n), ref_db],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    ours, ref = [], []
    for run in range(args.runs):
        run_dir = os.path.join(args.work, f"run-{backend}-{n}-{run}")
        shutil.rmtree(run_dir, ignore_errors=True)
        os.makedirs(run_dir)
        url = fresh_copy(backend, template, run_dir, pg_url, "incasso_bench_run")
        cfg = os.path.join(run_dir, "config.toml")
        with open(cfg, "w") as f:
            f.write(
                f'[database]\nurl = "{url}"\n[paths]\noutbox_dir = '
                f'"{run_dir}/outbox"\n[auth]\nallow_user_flag = true\n'
            )
        env = {**os.environ, "INCASSO_TODAY": TODAY}
        cmd = [args.python, "-m", "incasso_tui", "--config", cfg, "--user", "bench"]
        ours.append(measure([*cmd, "set", "process", str(set_id), "--wait"], run_dir, env))
        out = os.path.join(run_dir, "ref-out")
        os.makedirs(out)
        ref.append(
            measure(
                [
                    args.python,
                    os.path.join(args.kit, "limit_lxml.py"),
                    ref_db,
                    out,
                    "--mode",
                    "stream",
                    "--validate",
                ],
                run_dir,
            )
        )
        print(
            f"{backend} {n} run {run + 1}: ours {ours[-1][0]:.2f} s {ours[-1][1] / 1024:.0f} MB · "
            f"reference {ref[-1][0]:.2f} s {ref[-1][1] / 1024:.0f} MB",
            file=sys.stderr,
        )
        shutil.rmtree(os.path.join(run_dir, "outbox"), ignore_errors=True)  # 1M: ~500 MB of XML
        shutil.rmtree(out, ignore_errors=True)
        if backend == "sqlite":
            os.remove(url[len("sqlite:///") :])
    return (
        statistics.median(w for w, _ in ours),
        int(statistics.median(r for _, r in ours)),
        statistics.median(w for w, _ in ref),
        int(statistics.median(r for _, r in ref)),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="", help="comma-separated set sizes, e.g. 100000,1000000")
    ap.add_argument("--n", type=int, default=100_000, help="one size (when --sizes is not given)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="")
    ap.add_argument("--kit", default=DEFAULT_KIT)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--only", choices=("sqlite", "postgresql"), help="one back-end only")
    ap.add_argument("--build", default="", help=argparse.SUPPRESS)  # internal: build a template
    args = ap.parse_args()
    if args.build:
        print(build(args.build, args.n))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] if args.sizes else [args.n]
    args.work = args.work or tempfile.mkdtemp(prefix="incasso-bench-")
    os.makedirs(args.work, exist_ok=True)
    pg_url = os.environ.get("INCASSO_BENCH_PG_URL", "")
    backends = [b for b in ["sqlite"] + (["postgresql"] if pg_url else []) if args.only in (None, b)]
    for backend in backends:
        print(
            f"\n{backend}: incasso set process --wait vs limit_lxml stream+validate ({args.runs} runs, medians)"
        )
        print(f"{'orders':>9}  {'wall':>8}  {'peak RSS':>9}  {'reference':>9}  {'ref RSS':>8}  {'ratio':>6}")
        for n in sizes:
            ow, orss, rw, rrss = bench(backend, n, args, pg_url)
            print(
                f"{n:>9}  {ow:>6.2f} s  {orss / 1024:>6.0f} MB  {rw:>7.2f} s  {rrss / 1024:>5.0f} MB  {ow / rw:>5.2f}x",
                flush=True,
            )
    print("\ngoals: SQLite ≤ 2.5x, PostgreSQL ≤ 3x, peak RSS ≤ 120 MB at every size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
