"""Concurrency on one database: writers that wait for a lock within a bound, then say the
database is busy in one line; debtor numbers that never collide. Real processes on a real
SQLite file and on the real PostgreSQL (the `db_url` fixture), no mocks.

The lock is held by a separate process (HOLDER below): on SQLite an open BEGIN IMMEDIATE
transaction (what a set being processed holds while it commits), on PostgreSQL an EXCLUSIVE
table lock on the orders and debtors (writes wait for it, reads do not).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.services.auth import actor_for

HOLDER = r"""
import sys
url, tables = sys.argv[1], sys.argv[2:]
if url.startswith("sqlite:///"):
    import sqlite3
    con = sqlite3.connect(url[len("sqlite:///"):], isolation_level=None, timeout=30)
    con.execute("BEGIN IMMEDIATE")
else:
    import psycopg
    con = psycopg.connect(url)
    con.execute(
        "LOCK TABLE " + ", ".join('"%s"' % t for t in tables) + " IN EXCLUSIVE MODE"
    )
print("locked", flush=True)
sys.stdin.readline()  # the test says when to let go
if url.startswith("sqlite:///"):
    con.execute("ROLLBACK")
else:
    con.rollback()
con.close()
print("released", flush=True)
"""


def write_config(tmp_path: Path, db_url: str, busy_ms: int) -> Path:
    path = tmp_path / f"config-{busy_ms}.toml"
    path.write_text(
        f'[database]\nurl = "{db_url}"\nbusy_timeout_ms = {busy_ms}\n\n'
        f'[paths]\noutbox_dir = "{tmp_path / "outbox"}"\n\n[auth]\nallow_user_flag = true\n',
        encoding="utf-8",
    )
    return path


def incasso(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "tester", *args]


def cli_env() -> dict[str, str]:
    return {**os.environ, "USER": "tester", "LOGNAME": "tester"}


class Holder:
    """A process holding the write lock until `release()`."""

    def __init__(self, db_url: str):
        tables = [m.CollectionOrder._meta.table_name, m.Debtor._meta.table_name]
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, db_url, *tables],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if self.proc.poll() is None:
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            assert self.proc.stdout.readline().strip() == "released"
        self.proc.wait(timeout=30)


@pytest.fixture
def one_order_world(database, db_url):
    """An admin `tester`, an administration ZON with a bank account and debtor 000001 with an
    active mandate (tests/sets/helpers.world); the test process's connection is closed so
    that only the processes under test use the database."""
    from tests.sets.helpers import world

    m.User.create(login="tester", name="Tester", role="admin")
    world(1)
    db.close()
    return db_url


def order_count() -> int:
    with db.database.connection_context():
        return m.CollectionOrder.select().count()


def wait_until_waiting(proc: subprocess.Popen, db_url: str) -> None:
    """Return once `proc` is waiting for the lock (PostgreSQL: a backend waits on a lock),
    or, on SQLite, has had the database open for a while: long enough that without the
    busy wait it would have failed already ("database is locked" came at once)."""
    if db_url.startswith("sqlite:///"):
        path = os.path.realpath(db_url[len("sqlite:///") :])
        for _ in range(600):
            assert proc.poll() is None, proc.communicate()
            try:
                fds = os.listdir(f"/proc/{proc.pid}/fd")
                if any(os.path.realpath(f"/proc/{proc.pid}/fd/{fd}") == path for fd in fds):
                    break
            except OSError:
                pass
            time.sleep(0.05)
        time.sleep(1.5)
        return
    watcher = db.make_database(db_url)
    with watcher.connection_context():
        for _ in range(600):
            assert proc.poll() is None, proc.communicate()
            waiting = watcher.execute_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.05)
    pytest.fail("order add never waited for the lock")


ORDER_ADD = ("order", "add", "--administration", "ZON", "--debtor", "000001", "--amount", "12,50", "--json")


def test_order_add_waits_for_a_writer_and_succeeds_when_it_lets_go(one_order_world, tmp_path):
    db_url = one_order_world
    before = order_count()
    cfg = write_config(tmp_path, db_url, busy_ms=120_000)  # far longer than the lock is held
    holder = Holder(db_url)
    try:
        proc = subprocess.Popen(
            incasso(cfg, *ORDER_ADD), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env()
        )
        wait_until_waiting(proc, db_url)
        assert proc.poll() is None  # still waiting, not failed
    finally:
        holder.release()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    added = json.loads(out)
    assert order_count() == before + 1
    with db.database.connection_context():
        assert m.CollectionOrder.get_by_id(added["id"]).amount_cents == 1250


def test_order_add_says_the_database_is_busy_when_the_lock_stays(one_order_world, tmp_path):
    db_url = one_order_world
    before = order_count()
    cfg = write_config(tmp_path, db_url, busy_ms=300)
    holder = Holder(db_url)
    try:
        result = subprocess.run(
            incasso(cfg, *ORDER_ADD), capture_output=True, text=True, env=cli_env(), timeout=120
        )
    finally:
        holder.release()
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("incasso: the database is busy") and "0.3 s" in lines[0]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert order_count() == before  # nothing half-stored


def test_the_service_raises_the_same_line_for_the_tui(one_order_world, tmp_path):
    """The TUI shows an IncassoError's text as it is (forms, notifications): the service gives
    the same one line the CLI prints."""
    from incasso_tui.core.errors import IncassoError
    from incasso_tui.services.collection.orders import OrderInput, add_order

    db_url = one_order_world
    db.bind(db_url, busy_timeout_ms=200)
    actor = actor_for(m.User.get(m.User.login == "tester"))
    holder = Holder(db_url)
    try:
        with pytest.raises(db.DatabaseBusy) as caught:
            add_order(actor, OrderInput("ZON", "000001", "3,00"))
    finally:
        holder.release()
        db.close()
    assert isinstance(caught.value, IncassoError) and caught.value.exit_code == 1
    assert str(caught.value).startswith("the database is busy") and "\n" not in str(caught.value)
    assert order_count() == 1  # the world's own order only


# --------------------------------------------------------------------------- debtor numbers


N_WRITERS = 8


def test_debtor_numbers_never_collide_between_connections(database):
    """Threads with their own connections each take the suggested number and store at the same
    moment (a barrier between suggesting and storing): every debtor gets its own number."""
    from incasso_tui.services import debtors
    from tests.sets.helpers import world

    tester = m.User.create(login="tester", name="Tester", role="admin")
    _, adm, _, _ = world(1)
    actor = actor_for(tester)
    barrier = threading.Barrier(N_WRITERS, timeout=60)
    results: list[str] = []
    errors: list[BaseException] = []

    def add(i: int) -> None:
        def work() -> None:
            number = debtors.next_number(actor, adm.id)
            barrier.wait()
            data = debtors.DebtorInput(number=number, name=f"Gelijktijdig {i}", town="Utrecht")
            results.append(debtors.create_debtor(actor, adm.id, data).number)

        try:
            db.in_connection(work)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(N_WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == N_WRITERS and len(set(results)) == N_WRITERS
    numbers = sorted(int(n) for n in results)
    assert numbers == list(range(numbers[0], numbers[0] + N_WRITERS))  # the next free ones, no gaps
    assert m.Debtor.select().where(m.Debtor.administration == adm).count() == 1 + N_WRITERS


def test_a_chosen_number_taken_meanwhile_is_refused_clearly(database):
    """Two people typing the same new number at once: one is stored, the other is told the
    number is used (never an IntegrityError)."""
    from incasso_tui.core.errors import ValidationErrors
    from incasso_tui.services import debtors
    from tests.sets.helpers import world

    tester = m.User.create(login="tester", name="Tester", role="admin")
    _, adm, _, _ = world(1)
    actor = actor_for(tester)
    barrier = threading.Barrier(2, timeout=60)
    outcomes: list[object] = []

    def add(i: int) -> None:
        def work() -> None:
            data = debtors.DebtorInput(number="77777", name=f"Zelfde nummer {i}", town="Utrecht")
            barrier.wait()
            return debtors.create_debtor(actor, adm.id, data).number

        try:
            outcomes.append(db.in_connection(work))
        except Exception as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(map(type, outcomes), key=lambda t: t.__name__) == [ValidationErrors, str]
    refused = next(o for o in outcomes if isinstance(o, ValidationErrors))
    assert str(refused) == "number '77777': already used in administration ZON"


def test_concurrent_debtor_add_processes_get_distinct_numbers(one_order_world, tmp_path):
    """`incasso debtor add` without --number, N real processes at once: all succeed."""
    db_url = one_order_world
    cfg = write_config(tmp_path, db_url, busy_ms=60_000)
    procs = [
        subprocess.Popen(
            incasso(cfg, "debtor", "add", "--administration", "ZON", "--name", f"Proces {i}", "--json"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        for i in range(N_WRITERS)
    ]
    numbers = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        numbers.append(json.loads(out)["number"])
    assert len(set(numbers)) == N_WRITERS
    with db.database.connection_context():
        assert m.Debtor.select().count() == 1 + N_WRITERS
