"""A look-up a screen stops waiting for is stopped on the server, every screen look-up runs
under a time bound, and a screen's count gives up at a cap ("more than") where the CLI
counts exactly."""

from __future__ import annotations

import threading
import time

import pytest

from incasso_tui.db import interrupt
from incasso_tui.db import models as m
from incasso_tui.db.database import QueryStopped
from incasso_tui.services import browse, session

# Runs for minutes on either back-end unless it is stopped.
SLOW = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) "
    "SELECT count(*) FROM c"
)


def _slow() -> int:
    return m.Mandate._meta.database.execute_sql(SLOW).fetchone()[0]


def _running_elsewhere(database) -> list[str]:
    """Statements other sessions are running (PostgreSQL)."""
    rows = database.execute_sql(
        "SELECT query FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()"
    ).fetchall()
    return [r[0] for r in rows if "RECURSIVE" in r[0]]


def test_a_cancelled_look_up_stops_on_the_server(database):
    stop = session.Interrupt()
    outcome: list[BaseException | int] = []

    def worker() -> None:
        try:
            outcome.append(session.in_interactive_connection(stop, _slow))
        except BaseException as error:  # handed to the test thread
            outcome.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    pg = "Postgres" in type(database).__name__
    deadline = time.monotonic() + 30
    while pg and not _running_elsewhere(database) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not pg:
        time.sleep(0.3)
    stop.cancel()
    thread.join(60)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], QueryStopped)
    if pg:
        assert _running_elsewhere(database) == []


def test_a_look_up_runs_under_a_time_bound(database):
    with pytest.raises(QueryStopped), interrupt.interactive(None, seconds=0.3):
        _slow()
    # The bound ends with the look-up: the connection carries on, unbounded.
    assert m.Mandate.select().count() == 0
    if "Postgres" in type(database).__name__:
        assert database.execute_sql("SHOW statement_timeout").fetchone()[0] == "0"


def test_a_cancel_before_the_statement_starts_still_stops_it(database):
    stop = session.Interrupt()
    stop.cancel()
    with pytest.raises(QueryStopped):
        session.in_interactive_connection(stop, _slow)


def test_a_screen_count_stops_at_the_cap_the_cli_counts_exactly(demo, monkeypatch):
    actor = demo()
    monkeypatch.setattr(browse, "COUNT_CAP", 40)
    exact = browse.search_mandates(actor, browse.MandateFilter(), 0, 20)
    assert (exact.total, exact.capped) == (m.Mandate.select().count(), False)
    with interrupt.interactive(session.Interrupt()):
        page = browse.search_mandates(actor, browse.MandateFilter(), 0, 20)
        searched = browse.search_mandates(actor, browse.MandateFilter(search="e"), 0, 20)
        # The page comes first, saying only "at least what is shown"; its count follows.
        assert (page.total, page.capped, page.more) == (20, True, True)
        assert page.count is not None and searched.count is not None
        assert page.count() == (40, True)
        assert searched.count() == (40, True)
        monkeypatch.setattr(browse, "COUNT_CAP", 10_000)
        assert page.count() == (exact.total, False)
    assert [r.id for r in page.rows] == [r.id for r in exact.rows]


def test_the_tui_pool_reuses_connections_and_a_stopped_one_comes_back_clean(db_url):
    """The TUI binds a pooled database (PostgreSQL): a look-up on a new worker thread reuses
    a connection, and one whose statement was stopped comes back without a time bound."""
    from incasso_tui.db import database as db
    from incasso_tui.db import migrations

    if db_url.startswith("sqlite"):
        pytest.skip("SQLite opens a file; there is nothing to pool")
    database = db.bind(db_url, pooled=True)
    migrations.upgrade(database)
    db.close()

    def backend() -> tuple[int, str, str]:
        row = database.execute_sql(
            "SELECT pg_backend_pid(), current_setting('statement_timeout'), "
            "current_setting('max_parallel_workers_per_gather')"
        ).fetchone()
        return row[0], row[1], row[2]

    def on_a_thread(fn):
        out: list = []
        thread = threading.Thread(target=lambda: out.append(db.in_connection(fn)))
        thread.start()
        thread.join(60)
        return out[0]

    first = on_a_thread(backend)
    stop = session.Interrupt()
    stop.cancel()
    stopped = on_a_thread(lambda: _stopped_quietly(stop))
    assert stopped is True
    after = on_a_thread(backend)
    assert after[0] == first[0]  # the same server connection, from the pool
    assert after[1:] == ("0", first[2])  # no time bound and no setting left behind
    db.close()


def _stopped_quietly(stop) -> bool:
    try:
        with interrupt.interactive(stop):
            _slow()
    except QueryStopped:
        return True
    return False
