#!/usr/bin/env python3
"""Benchmark: a collection set of N orders (default 100,000) on SQLite, processed with
`incasso set process ID --wait` as a whole process (eligibility, sequence types, status
updates, XSD-validated file, letter), next to the reference kit's
`limit_lxml.py --mode stream --validate` on N transactions, in the same run.

    bench/sets_process.py [--n 100000] [--runs 3] [--work DIR] [--kit ../shared/bench]

Prints wall time and peak RSS (medians of --runs, whole process, /usr/bin/time -v) and the
ratio to the reference. Target: ≤ 3× the reference, peak RSS ≤ 150 MB.
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
from timing import measure

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
DEFAULT_KIT = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))
TODAY = "2026-11-24"


def build(db_path: str, n: int) -> int:
    """An incasso database with n eligible orders in one bank group; returns the set id."""
    os.environ["INCASSO_TODAY"] = TODAY
    from schwifty import IBAN

    from incasso_tui.db import database as db
    from incasso_tui.db import migrations
    from incasso_tui.db import models as m
    from incasso_tui.services.auth import actor_for
    from incasso_tui.services.collection import sets
    from incasso_tui.services.demo import creditor_id

    database = db.bind(f"sqlite:///{db_path}")
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
            for start in range(0, per, 5000):
                k = range(start, min(per, start + 5000))
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
            for start in range(0, per, 5000):
                k = range(start, min(per, start + 5000))
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
    db.close()
    return created.id


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="")
    ap.add_argument("--kit", default=DEFAULT_KIT)
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="incasso-bench-")
    os.makedirs(work, exist_ok=True)
    template = os.path.join(work, f"template-{args.n}.sqlite3")
    set_id = build(template, args.n) if not os.path.exists(template) else 1
    ref_db = os.path.join(work, f"ref-{args.n}.sqlite")
    if not os.path.exists(ref_db):
        subprocess.run(
            [args.python, os.path.join(args.kit, "gen_data.py"), str(args.n), ref_db],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    ours, ref = [], []
    for run in range(args.runs):
        run_dir = os.path.join(work, f"run{run}")
        shutil.rmtree(run_dir, ignore_errors=True)
        os.makedirs(run_dir)
        db_path = os.path.join(run_dir, "incasso.sqlite3")
        shutil.copy(template, db_path)
        cfg = os.path.join(run_dir, "config.toml")
        with open(cfg, "w") as f:
            f.write(
                f'[database]\nurl = "sqlite:///{db_path}"\n[paths]\noutbox_dir = '
                f'"{run_dir}/outbox"\n[auth]\nallow_user_flag = true\n'
            )
        env = {**os.environ, "INCASSO_TODAY": TODAY}
        ours.append(
            measure(
                [
                    args.python,
                    "-m",
                    "incasso_tui",
                    "--config",
                    cfg,
                    "--user",
                    "bench",
                    "set",
                    "process",
                    str(set_id),
                    "--wait",
                ],
                run_dir,
                env,
            )
        )
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
            f"run {run + 1}: ours {ours[-1][0]:.2f} s {ours[-1][1] / 1024:.0f} MB · "
            f"reference {ref[-1][0]:.2f} s {ref[-1][1] / 1024:.0f} MB",
            file=sys.stderr,
        )
    ow, orss = statistics.median(w for w, _ in ours), statistics.median(r for _, r in ours)
    rw, rrss = statistics.median(w for w, _ in ref), statistics.median(r for _, r in ref)
    print(
        f"N={args.n}  incasso set process --wait: {ow:.2f} s, {orss / 1024:.0f} MB  |  "
        f"limit_lxml stream+validate: {rw:.2f} s, {rrss / 1024:.0f} MB  |  ratio {ow / rw:.2f}x "
        f"(target ≤ 3x), RSS target ≤ 150 MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
