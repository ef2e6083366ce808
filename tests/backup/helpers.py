"""Helpers for the backup tests: the CLI in a subprocess, a second empty database on the same
back-end, what a database holds (row counts and key tables, read with plain SQL on a
connection of its own), and a large set built in bulk."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import peewee as pw
import pytest
from schwifty import IBAN

from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.services.collection import sets
from incasso_tui.services.demo import creditor_id

TODAY = dt.date(2026, 11, 24)
KEY_TABLES = ("administration", "user", "debtor", "mandate", "collection_set", "collection_order")


def run(config: Path, *args: str, user: str = "tester", env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", user, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def write_config(path: Path, url: str, extra: str = "") -> Path:
    path.write_text(f'[database]\nurl = "{url}"\n\n[auth]\nallow_user_flag = true\n{extra}', encoding="utf-8")
    return path


def is_pg(url: str) -> bool:
    return url.startswith("postgresql")


def need_pg_tools(url: str) -> None:
    if is_pg(url) and not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        pytest.skip("pg_dump/pg_restore/psql not on PATH (Debian: postgresql-client)")


@contextlib.contextmanager
def fresh_database(like_url: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database on the back-end of `like_url` (PostgreSQL: a database
    created on the same server, dropped afterwards)."""
    if not is_pg(like_url):
        yield f"sqlite:///{tmp_path / f'restored-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    import psycopg

    base, _, _ = like_url.rpartition("/")
    name = f"incasso_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(like_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(like_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def connected(url: str):
    """A peewee database for `url` of its own (the models stay bound where they are)."""
    database = db.make_database(url)
    database.connect()
    try:
        yield database
    finally:
        database.close()


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def contents(url: str) -> dict[str, Any]:
    """Row counts of every table, and every row of the key tables, in id order."""
    with connected(url) as database:
        counts = {
            t: database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in database.get_tables()
        }
        rows = {
            t: [
                tuple(_plain(v) for v in row)
                for row in database.execute_sql(f'SELECT * FROM "{t}" ORDER BY id').fetchall()
            ]
            for t in KEY_TABLES
        }
    return {"counts": counts, "rows": rows}


def check_consistent(url: str) -> tuple[str, str]:
    """The invariants of sets and their orders in the database at `url`: no order underway
    without its set's file record, a set's status agreeing with its orders, a queued set with
    its job; SQLite: integrity and foreign keys. Returns (set status, job status)."""
    with connected(url) as database:
        if not is_pg(url):
            assert database.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        ((set_id, status, files),) = database.execute_sql(
            "SELECT id, status, files FROM collection_set"
        ).fetchall()
        files = json.loads(files) if isinstance(files, str) else files
        orders = database.execute_sql(
            "SELECT status, file_name FROM collection_order WHERE collection_set_id = %s"
            if is_pg(url)
            else "SELECT status, file_name FROM collection_order WHERE collection_set_id = ?",
            (set_id,),
        ).fetchall()
        ((job_status,),) = database.execute_sql("SELECT status FROM job").fetchall()
    underway = [name for st, name in orders if st == "underway"]
    if status in ("processed", "sent"):
        names = {f["name"] for f in files}
        assert underway and all(name in names for name in underway), (status, files)
        assert sum(f["count"] for f in files) == len(underway) == len(orders)
        assert job_status in ("running", "done")
    else:
        assert status in ("open", "queued"), status
        assert not underway, f"{len(underway)} orders underway in a {status} set"
        assert job_status in ("queued", "running")
    return status, job_status


def bulk_set(admin, n: int) -> int:
    """One bank group and administration, `n` eligible orders inserted in bulk, one set."""
    group = m.BankGroup.create(code="ABN", name="ABN AMRO", pain_version="pain.008.001.02")
    adm = m.Administration.create(
        code="ZON", name="Stichting Zon", creditor_id=creditor_id("30123456"), town="Utrecht"
    )
    account = m.BankAccount.create(
        administration=adm,
        bank_group=group,
        bic="ABNANL2A",
        iban=str(IBAN.generate("NL", bank_code="ABNA", account_code="0417164300")),
    )
    ibans = [str(IBAN.generate("NL", bank_code="INGB", account_code=f"{i:010d}")) for i in range(1, 101)]
    signed = TODAY - dt.timedelta(days=40)

    def insert_rows(rows: list[dict[str, Any]], model) -> None:
        # The driver's executemany: peewee's insert_many spends seconds building the SQL.
        fields = [f for f in model._meta.sorted_fields if f.name in rows[0] or f.default is not None]
        fields = [f for f in fields if not isinstance(f, pw.AutoField)]
        defaults = {f.name: f.default() if callable(f.default) else f.default for f in fields}
        names = ", ".join(f'"{f.column_name}"' for f in fields)
        marks = ", ".join([db.database.param] * len(fields))
        sql = f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})'
        values = [tuple(f.db_value(r.get(f.name, defaults[f.name])) for f in fields) for r in rows]
        with db.database.atomic():
            db.database.cursor().executemany(sql, values)

    insert_rows(
        [
            {
                "administration": adm.id,
                "number": f"{i:07d}",
                "name": f"Zoë {i}",
                "name_key": f"zoë {i}",
                "iban": ibans[i % 100],
            }
            for i in range(n)
        ],
        m.Debtor,
    )
    debtors = sorted(m.Debtor.select(m.Debtor.id).tuples())
    insert_rows(
        [
            {
                "administration": adm.id,
                "debtor": d,
                "sequence_number": 1,
                "reference": f"R{d:07d}",
                "reference_key": f"R{d:07d}",
                "creditor_id": adm.creditor_id,
                "signed_date": signed,
                "status": "active",
                "effective_date": signed,
            }
            for (d,) in debtors
        ],
        m.Mandate,
    )
    mandates = dict(m.Mandate.select(m.Mandate.debtor, m.Mandate.id).tuples())
    insert_rows(
        [
            {
                "administration": adm.id,
                "debtor": d,
                "mandate": mandates[d],
                "bank_account": account.id,
                "amount_cents": 1000 + i,
                "requested_date": TODAY + dt.timedelta(days=5),
                "remittance": f"Factuur {i}",
            }
            for i, (d,) in enumerate(debtors)
        ],
        m.CollectionOrder,
    )
    return sets.create_set(admin, "ABN").id
