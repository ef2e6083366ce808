#!/usr/bin/env python3
"""incasso-tui's pain.008 writer as a benchmark producer (one whole process per run).

Usage:  sepa_producer.py DB OUTDIR [--version pain.008.001.02|pain.008.001.08]
                         [--no-validate]

DB is an orders database made by ../shared/bench/gen_data.py.  Like the
reference producers it writes one file per (creditor, instrument), named
c<creditor>-<instrument>.xml, so bench/sepa_bench.py can compare outputs with
../shared/bench/compare.py.  The way it feeds the writer is the way the set
processing does: one GROUP BY for the totals per PmtInf key first, then one
cursor per PmtInf, rows turned into Transaction dataclasses on the fly.

Prints one JSON line with in-process timings on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import sys
import time

T0 = time.perf_counter()
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from incasso_tui.sepa import BatchInfo, BatchKey, Creditor, FileHeader, Transaction, write_pain008  # noqa: E402 - timed import

T_IMPORT = time.perf_counter() - T0

ORDER_COLS = (
    "end_to_end_id, amount_cents, mandate_id, mandate_date, debtor_name, debtor_iban, debtor_bic, remittance"
)


def plan(con: sqlite3.Connection) -> dict:
    """{(creditor, instrument): [(seq, date, count, sum_cents), ...]} from one GROUP BY."""
    files: dict = {}
    for cred, instr, seq, coll, cnt, tot in con.execute(
        "SELECT creditor, instrument, seq_type, collection_date, COUNT(*), "
        "SUM(amount_cents) FROM orders GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    ):
        files.setdefault((cred, instr), []).append((seq, coll, cnt, tot))
    return files


def transactions(con, cred, instr, seq, coll):
    """A cursor over one PmtInf's orders, as Transaction objects (lazily)."""
    date = dt.date.fromisoformat
    rows = con.execute(
        "SELECT " + ORDER_COLS + " FROM orders WHERE creditor=? AND instrument=? AND "
        "seq_type=? AND collection_date=? ORDER BY id",
        (cred, instr, seq, coll),
    )
    for e2e, amount, mid, mdate, name, iban, bic, rem in rows:
        yield Transaction(e2e, amount, mid, date(mdate), name, iban, bic, rem)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("outdir")
    ap.add_argument("--version", default="pain.008.001.02", choices=["pain.008.001.02", "pain.008.001.08"])
    ap.add_argument("--no-validate", action="store_true")
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    con = sqlite3.connect(a.db)
    creditors = {
        r[0]: Creditor(name=r[1], iban=r[2], bic=r[3], creditor_id=r[4])
        for r in con.execute("SELECT id, name, iban, bic, creditor_id FROM creditors")
    }
    now = dt.datetime.now().replace(microsecond=0)
    n_tx = n_bytes = 0
    todo = plan(con)
    for (cred, instr), batches in todo.items():
        msg_id = "%s-C%d%s" % (now.strftime("%Y%m%d%H%M%S"), cred, instr)
        header = FileHeader(msg_id=msg_id, created_at=now, initiating_party_name=creditors[cred].name)
        pairs = []
        for seq, coll, cnt, tot in batches:
            key = BatchKey(creditors[cred], instr, seq, dt.date.fromisoformat(coll))
            # a callable: the cursor is opened only when this PmtInf is written
            pairs.append(
                (
                    BatchInfo(key, cnt, tot),
                    lambda s=seq, c=coll, cr=cred, i=instr: transactions(con, cr, i, s, c),
                )
            )
        written = write_pain008(
            os.path.join(a.outdir, "c%d-%s.xml" % (cred, instr)),
            header,
            pairs,
            a.version,
            validate=not a.no_validate,
            overwrite=True,
        )
        n_tx += written.nb_of_txs
        n_bytes += written.size
    print(
        json.dumps(
            {
                "producer": "incasso_sepa",
                "version": a.version,
                "validate": not a.no_validate,
                "files": len(todo),
                "tx": n_tx,
                "bytes": n_bytes,
                "import_s": round(T_IMPORT, 4),
                "total_s": round(time.perf_counter() - T0, 4),
            }
        ),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
