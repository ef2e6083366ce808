#!/usr/bin/env python3
"""Benchmark: importing a large bank feedback file (camt.053 and pain.002) as a whole process.

    bench/feedback_import.py [--mb 200 | --sizes 100000,1000000] [--orders 3000] [--runs 3]
                             [--work DIR] [--only camt|pain]

Builds a database with one collection set of ORDERS orders (bulk inserts), processed and
sent (so the orders are underway in a file whose MsgId the bank reports on), on SQLite and,
when INCASSO_BENCH_PG_URL names a server, on PostgreSQL too (built once into a template
database; every run starts from CREATE DATABASE ... TEMPLATE). Then it writes two files of
about MB megabytes each, or with --sizes of that many transactions each:

* camt.053.001.02: one batch credit of the whole collection (a TxDtls per order), a return
  (RtrInf) of every order, then unmatched returns (EndToEndIds that are not ours, one in
  eight entries) and ordinary incoming credit transfers until the size is reached;
* pain.002.001.03 on the set's file: a reject (RJCT) of every order, then rejects that
  match nothing (one in eight) and accepted transactions (ACCP), with the full original
  transaction reference as Rabobank sends it, until the size is reached.

Each file is imported with `incasso feedback import FILE --dry-run` and without --dry-run
(on a fresh copy of the database each run), as whole processes under /usr/bin/time -v;
printed are the medians of --runs of wall time (and the CPU time within it) and peak RSS,
next to the reference measured in the same run: a bare lxml iterparse pass over the same
file that collects every EndToEndId and clears each transaction once read (the least any
import of it must do), and the ratio of the two.
Targets: peak RSS <= 150 MB, wall time <= 60 s, for a 200 MB file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from templates import fresh_copy, pg_admin, with_db
from timing import measure

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
TODAY = "2026-11-24"
CODES = ("AC04", "MD01", "AM04", "MS03", "AC06", "MD07", "MS02", "AG01", "XX99")


def build(url: str, work: str, n: int) -> list[dict]:
    """A database (``url``, empty) with a sent set of n orders, filled with bulk inserts;
    returns per order its ids for the files."""
    os.environ["INCASSO_TODAY"] = TODAY
    from schwifty import IBAN

    from incasso_tui.db import database as db
    from incasso_tui.db import migrations
    from incasso_tui.db import models as m
    from incasso_tui.jobs.worker import JobRunner
    from incasso_tui.services.auth import actor_for
    from incasso_tui.services.collection import processing, sets
    from incasso_tui.services.demo import creditor_id

    database = db.bind(url)
    migrations.upgrade(database)
    user = m.User.create(login="bench", name="Bench", role="admin")
    group = m.BankGroup.create(code="ABN", name="ABN AMRO", pain_version="pain.008.001.02")
    today = dt.date.fromisoformat(TODAY)
    adm = m.Administration.create(
        code="ZON", name="Stichting Zon", creditor_id=creditor_id("30123456"), town="Utrecht"
    )
    account = m.BankAccount.create(
        administration=adm,
        bank_group=group,
        bic="ABNANL2A",
        bank_name="ABN AMRO",
        iban=str(IBAN.generate("NL", bank_code="ABNA", account_code="0417164300")),
    )
    with database.atomic():
        _insert_chunked(
            m.Debtor,
            [
                {
                    "administration": adm.id,
                    "number": f"{i:07d}",
                    "name": f"Jürgen Müller {i}",
                    "name_key": f"jürgen müller {i}",
                    "iban": str(IBAN.generate("NL", bank_code="INGB", account_code=f"{i:010d}")),
                    "bic": "INGBNL2A",
                }
                for i in range(1, n + 1)
            ],
        )
        _insert_chunked(
            m.Mandate,
            [
                {
                    "administration": adm.id,
                    "debtor": i,
                    "sequence_number": 1,
                    "reference": f"ZON-{i:07d}-1",
                    "reference_key": f"ZON-{i:07d}-1",
                    "creditor_id": adm.creditor_id,
                    "signed_date": today - dt.timedelta(days=60),
                    "effective_date": today - dt.timedelta(days=60),
                    "status": "active",
                    "collected": i % 3 == 0,
                }
                for i in range(1, n + 1)
            ],
        )
        _insert_chunked(
            m.CollectionOrder,
            [
                {
                    "administration": adm.id,
                    "debtor": i,
                    "mandate": i,
                    "bank_account": account.id,
                    "invoice_number": f"F{i:07d}",
                    "amount_cents": 1000 + i % 50000,
                    "requested_date": today + dt.timedelta(days=5),
                    "remittance": f"Factuur F{i:07d} contributie 2026",
                }
                for i in range(1, n + 1)
            ],
        )
    actor = actor_for(user)
    created = sets.create_set(actor, "ABN")
    job = processing.process_set(actor, created.id, outbox_dir=os.path.join(work, "outbox"))
    assert JobRunner().run_one(job) == "done"
    m.CollectionSet.update(status="sent").where(m.CollectionSet.id == created.id).execute()
    cset = m.CollectionSet.get_by_id(created.id)
    (entry,) = cset.files
    orders = [
        {
            "e2e": o.end_to_end_id,
            "mandate": o.mandate.reference,
            "amount": f"{o.amount_cents // 100}.{o.amount_cents % 100:02d}",
            "date": o.collection_date.isoformat(),
            "msg_id": entry["msg_id"],
            "pmt_inf": entry["pmt_inf"][0]["id"],
            "creditor_iban": account.iban,
        }
        for o in m.CollectionOrder.select()
        .where(m.CollectionOrder.collection_set == created.id)
        .order_by(m.CollectionOrder.id)
    ]
    db.close()
    return orders


def _insert_chunked(model, rows: list[dict]) -> None:
    """Bulk inserts in chunks (SQLite allows some 32,000 bound values per statement)."""
    import peewee

    for chunk in peewee.chunked(rows, 1000):
        model.insert_many(chunk).execute()


# ------------------------------------------------------------------ camt.053


def _camt_tx(e2e: str, mandate: str, amount: str, code: str | None, n: int) -> str:
    back = (
        f"<RtrInf><Orgtr><Id><OrgId><BICOrBEI>INGBNL2A</BICOrBEI></OrgId></Id></Orgtr>"
        f"<Rsn><Cd>{code}</Cd></Rsn><AddtlInf>Terugboeking {code} van de bank van de debiteur"
        f"</AddtlInf></RtrInf>"
        if code
        else ""
    )
    return (
        f"<TxDtls><Refs><AcctSvcrRef>0417A{n:011d}</AcctSvcrRef><EndToEndId>{e2e}</EndToEndId>"
        f"<MndtId>{mandate}</MndtId></Refs>"
        f'<AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>'
        f"<RltdPties><Dbtr><Nm>Jürgen Müller {n}</Nm></Dbtr><DbtrAcct><Id><IBAN>"
        f"NL{n % 90 + 10:02d}INGB{n:010d}</IBAN></Id></DbtrAcct><Cdtr><Nm>Stichting Zon</Nm>"
        f"</Cdtr></RltdPties><RltdAgts><DbtrAgt><FinInstnId><BIC>INGBNL2A</BIC></FinInstnId>"
        f"</DbtrAgt></RltdAgts><RmtInf><Ustrd>Factuur F{n:07d} contributie 2026, lid {n}"
        f"</Ustrd></RmtInf>{back}</TxDtls>"
    )


def _camt_entry(side: str, amount: str, day: str, family: str, txs: str, n: int) -> str:
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{side}</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
        f"<AcctSvcrRef>0417E{n:011d}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}"
        f"</Cd><SubFmlyCd>{'UPDD' if family == 'IDDT' else 'ESCT'}</SubFmlyCd></Fmly></Domn>"
        f"</BkTxCd><NtryDtls>{txs}</NtryDtls></Ntry>\n"
    )


def camt053(orders: list[dict], target: int, count: int = 0) -> Iterator[str]:
    """Until ``target`` bytes, or when ``count`` is given, until that many TxDtls."""
    day = (dt.date.fromisoformat(orders[0]["date"]) + dt.timedelta(days=3)).isoformat()
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n<BkToCstmrStmt>\n'
        f"<GrpHdr><MsgId>BENCH-CAMT053-{day}</MsgId><CreDtTm>{day}T04:05:11</CreDtTm></GrpHdr>\n"
        f"<Stmt><Id>BENCH-CAMT053-{day}-1</Id><CreDtTm>{day}T04:05:11</CreDtTm><Acct><Id><IBAN>"
        f"{orders[0]['creditor_iban']}</IBAN></Id><Ccy>EUR</Ccy><Svcr><FinInstnId><BIC>ABNANL2A"
        f"</BIC></FinInstnId></Svcr></Acct>\n"
    )
    size = 0
    # The batch credit of the whole collection: one entry, a TxDtls per order.
    batch = "".join(_camt_tx(o["e2e"], o["mandate"], o["amount"], None, i) for i, o in enumerate(orders))
    chunk = _camt_entry("CRDT", "1.00", day, "IDDT", batch, 0)
    size += len(chunk.encode())
    yield chunk
    for i, o in enumerate(orders):
        tx = _camt_tx(o["e2e"], o["mandate"], o["amount"], CODES[i % len(CODES)], i)
        chunk = _camt_entry("DBIT", o["amount"], day, "IDDT", tx, i)
        size += len(chunk.encode())
        yield chunk
    n = len(orders)
    while (n < count - len(orders)) if count else (size < target):
        n += 1
        if n % 8 == 0:  # a return that matches nothing of ours
            tx = _camt_tx(f"X-{n}", f"OTHER-{n}", "12.50", CODES[n % len(CODES)], n)
            chunk = _camt_entry("DBIT", "12.50", day, "IDDT", tx, n)
        else:  # an ordinary incoming transfer
            tx = _camt_tx(f"NOTPROVIDED-{n}", "", "25.00", None, n).replace("<MndtId></MndtId>", "")
            chunk = _camt_entry("CRDT", "25.00", day, "RCDT", tx, n)
        size += len(chunk.encode())
        yield chunk
    yield "</Stmt>\n</BkToCstmrStmt>\n</Document>\n"


# ------------------------------------------------------------------ pain.002


def _pain_tx(o: dict, status: str, code: str | None, n: int) -> str:
    reason = (
        f"<StsRsnInf><Orgtr><Id><OrgId><BICOrBEI>INGBNL2A</BICOrBEI></OrgId></Id></Orgtr>"
        f"<Rsn><Cd>{code}</Cd></Rsn><AddtlInf>Geweigerd door de bank van de debiteur</AddtlInf>"
        f"</StsRsnInf>"
        if code
        else ""
    )
    return (
        f"<TxInfAndSts><StsId>RABO-{n:09d}</StsId><OrgnlEndToEndId>{o['e2e']}</OrgnlEndToEndId>"
        f"<TxSts>{status}</TxSts>{reason}<OrgnlTxRef>"
        f'<Amt><InstdAmt Ccy="EUR">{o["amount"]}</InstdAmt></Amt>'
        f"<ReqdColltnDt>{o['date']}</ReqdColltnDt><CdtrSchmeId><Id><PrvtId><Othr>"
        f"<Id>NL16ZZZ300384870000</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id>"
        f"</CdtrSchmeId><PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><LclInstrm><Cd>CORE</Cd>"
        f"</LclInstrm><SeqTp>RCUR</SeqTp></PmtTpInf><PmtMtd>DD</PmtMtd><MndtRltdInf>"
        f"<MndtId>{o['mandate']}</MndtId><DtOfSgntr>2024-03-01</DtOfSgntr></MndtRltdInf>"
        f"<Dbtr><Nm>Jürgen Müller {n}</Nm></Dbtr><DbtrAcct><Id><IBAN>NL{n % 90 + 10:02d}INGB"
        f"{n:010d}</IBAN></Id></DbtrAcct><DbtrAgt><FinInstnId><BIC>INGBNL2A</BIC></FinInstnId>"
        f"</DbtrAgt><CdtrAgt><FinInstnId><BIC>ABNANL2A</BIC></FinInstnId></CdtrAgt><Cdtr>"
        f"<Nm>Stichting Zon</Nm></Cdtr><CdtrAcct><Id><IBAN>{o['creditor_iban']}</IBAN></Id>"
        f"</CdtrAcct></OrgnlTxRef></TxInfAndSts>\n"
    )


def pain002(orders: list[dict], target: int, count: int = 0) -> Iterator[str]:
    """Until ``target`` bytes, or when ``count`` is given, until that many TxInfAndSts."""
    first = orders[0]
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">\n<CstmrPmtStsRpt>\n'
        "<GrpHdr><MsgId>BENCH-PSR-0001</MsgId><CreDtTm>2026-11-26T06:12:45</CreDtTm><InitgPty><Id>"
        "<OrgId><BICOrBEI>ABNANL2A</BICOrBEI></OrgId></Id></InitgPty></GrpHdr>\n"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{first['msg_id']}</OrgnlMsgId>"
        "<OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>\n"
        f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>{first['pmt_inf']}</OrgnlPmtInfId>"
        "<PmtInfSts>PART</PmtInfSts>\n"
    )
    size = 0
    for i, o in enumerate(orders):
        chunk = _pain_tx(o, "RJCT", CODES[i % len(CODES)], i)
        size += len(chunk.encode())
        yield chunk
    n = len(orders)
    while (n < count) if count else (size < target):
        n += 1
        other = {**first, "e2e": f"X-{n}", "mandate": f"OTHER-{n}", "amount": "12.50"}
        chunk = _pain_tx(other, "RJCT", "AC04", n) if n % 8 == 0 else _pain_tx(other, "ACCP", None, n)
        size += len(chunk.encode())
        yield chunk
    yield "</OrgnlPmtInfAndSts>\n</CstmrPmtStsRpt>\n</Document>\n"


def write_file(path: str, chunks: Iterator[str]) -> int:
    with open(path, "w", encoding="utf-8") as f:
        for chunk in chunks:
            f.write(chunk)
    return os.path.getsize(path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument(
        "--sizes", default="", help="transactions per file, e.g. 100000,1000000 (instead of --mb)"
    )
    ap.add_argument("--orders", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="")
    ap.add_argument("--only", choices=("camt", "pain"), default=None)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--reference", metavar="FILE", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.reference:
        return reference(args.reference)
    work = args.work or tempfile.mkdtemp(prefix="incasso-bench-feedback-")
    os.makedirs(work, exist_ok=True)
    pg_url = os.environ.get("INCASSO_BENCH_PG_URL", "")
    templates = {"sqlite": _template_sqlite(work, args.orders)}
    if pg_url:
        templates["postgresql"] = _template_pg(pg_url, work, args.orders)
    orders = templates["sqlite"][1]
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()] if args.sizes else [0]
    env = {**os.environ, "INCASSO_TODAY": TODAY}
    results = []
    for count in sizes:
        label = f"{count} tx" if count else f"{args.mb} MB"
        for kind, gen in (("camt", camt053), ("pain", pain002)):
            if args.only and kind != args.only:
                continue
            path = os.path.join(work, f"{kind}-{count or args.mb}{'tx' if count else 'mb'}.xml")
            size = write_file(path, gen(orders, args.mb * 1024 * 1024, count))
            print(f"{kind}: {path} {size / 1024 / 1024:.0f} MB", file=sys.stderr)
            ref = _runs(args, [args.python, os.path.abspath(__file__), "--reference", path], work, env)
            for backend, (template, _) in templates.items():
                for dry in (True, False):
                    ours = []
                    for run in range(args.runs):
                        run_dir = os.path.join(work, f"{kind}-{backend}-{'dry' if dry else 'real'}-{run}")
                        shutil.rmtree(run_dir, ignore_errors=True)
                        os.makedirs(run_dir)
                        url = fresh_copy(backend, template, run_dir, pg_url, "incasso_fb_bench_run")
                        cfg = os.path.join(run_dir, "config.toml")
                        with open(cfg, "w") as f:
                            f.write(f'[database]\nurl = "{url}"\n[auth]\nallow_user_flag = true\n')
                        cmd = [args.python, "-m", "incasso_tui", "--config", cfg, "--user", "bench"]
                        cmd += ["feedback", "import", path] + (["--dry-run"] if dry else [])
                        wall, rss = measure(cmd, run_dir, env)
                        ours.append((wall, rss, cpu_seconds(run_dir)))
                        print(
                            f"  {label} {kind} {backend} {'--dry-run' if dry else 'import   '} run {run + 1}: "
                            f"{wall:.1f} s ({ours[-1][2]:.1f} s CPU), {rss / 1024:.0f} MB",
                            file=sys.stderr,
                        )
                    results.append((label, kind, backend, dry, _medians(ours), ref, size))
    print(
        "reference: a bare lxml iterparse pass over the same file that collects every EndToEndId "
        "(clearing each transaction), as a whole process"
    )
    for label, kind, backend, dry, (wall, rss, cpu), (rwall, rrss, rcpu), size in results:
        name = "camt.053" if kind == "camt" else "pain.002"
        mode = "--dry-run" if dry else "(stored)"
        print(
            f"{label} ({size / 1024 / 1024:.0f} MB) {name} {backend:<10} {mode:<9} "
            f"{wall:.1f} s ({cpu:.1f} s CPU), peak RSS {rss / 1024:.0f} MB; reference "
            f"{rwall:.1f} s ({rcpu:.1f} s CPU), {rrss / 1024:.0f} MB; ratio {wall / rwall:.2f}x "
            f"(CPU {cpu / max(rcpu, 0.01):.2f}x)  (targets: <= 60 s, <= 150 MB; {args.orders} matching orders)"
        )
    return 0


def reference(path: str) -> int:
    """The reference: lxml's iterparse over the file, every transaction cleared once read,
    collecting the EndToEndIds (what any import must at least do)."""
    from lxml import etree

    ids = []
    tags = ("{*}EndToEndId", "{*}OrgnlEndToEndId", "{*}TxDtls", "{*}TxInfAndSts", "{*}Ntry")
    for _event, el in etree.iterparse(path, events=("end",), tag=tags):
        if el.tag.endswith("EndToEndId"):
            ids.append(el.text)
        else:
            el.clear()
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]
    print(len(ids))
    return 0


def _runs(args: argparse.Namespace, cmd: list[str], work: str, env: dict) -> tuple[float, int, float]:
    out = []
    run_dir = os.path.join(work, "reference")
    os.makedirs(run_dir, exist_ok=True)
    for _ in range(args.runs):
        wall, rss = measure(cmd, run_dir, env)
        out.append((wall, rss, cpu_seconds(run_dir)))
    return _medians(out)


def _medians(runs: list[tuple[float, int, float]]) -> tuple[float, int, float]:
    return (
        statistics.median(w for w, _, _ in runs),
        int(statistics.median(r for _, r, _ in runs)),
        statistics.median(c for _, _, c in runs),
    )


def _template_sqlite(work: str, n: int) -> tuple[str, list[dict]]:
    path = os.path.join(work, f"template-{n}.sqlite3")
    if os.path.exists(path):
        os.remove(path)
    return "sqlite:///" + path, build("sqlite:///" + path, work, n)


def _template_pg(pg_url: str, work: str, n: int) -> tuple[str, list[dict]]:
    """Built once per bench with bulk inserts; every run starts from CREATE DATABASE ... TEMPLATE."""
    name = f"incasso_fb_bench_{n}"
    pg_admin(pg_url, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    url = with_db(pg_url, name)
    return url, build(url, os.path.join(work, "pg"), n)


def cpu_seconds(run_dir: str) -> float:
    """User + system time of the run just measured (on a shared machine the wall time also
    counts waiting for a CPU)."""
    total = 0.0
    with open(os.path.join(run_dir, "time.txt")) as f:
        for line in f:
            if line.strip().startswith(("User time (seconds)", "System time (seconds)")):
                total += float(line.rsplit(":", 1)[1])
    return total


if __name__ == "__main__":
    sys.exit(main())
