#!/usr/bin/env python3
"""The mandates screen with 100,000 and 1,000,000 mandates: opening it and searching it, as a
user does, on SQLite and (when INCASSO_BENCH_PG_URL names a server) on PostgreSQL.

    python bench/mandates_screen.py [--sizes 100000,1000000] [--runs 7] [--work DIR]

Fills the database in bulk (sqlite3 executemany / PostgreSQL COPY: seconds to a minute or two,
not the ORM's minutes) with three administrations, 0.7 debtors per mandate and the mandates,
then drives the real app headless (App.run_test + Pilot) and times, per run:

* open:   F3 on the home screen until the mandates screen shows its first page: the first
          frame the compositor renders after the page arrived from the worker thread;
* search: the last key of a search term until the first frame with that search's page
          (including the screen's search-as-you-type pause);
* the service calls alone (first page, each search) for comparison, and the reference: the
          database alone answering the same search's first page through the trigram index
          in a bare driver query (what no code of ours can beat).

Prints medians per back-end and size. Targets (issue 15): open <= 150 ms, search <= 100 ms.
`--work DIR` keeps (and reuses) the filled SQLite files; PostgreSQL is refilled per size.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

TARGET_OPEN, TARGET_SEARCH = 0.15, 0.1
# name, number, IBAN, accents typed and not typed, a rare name, a town
SEARCHES = ["jansen", "10042", "NL5", "zoë", "Müller", "mueller", "pena", "ødegård", "utrecht"]


def _columns(model) -> list:
    return [f for f in model._meta.sorted_fields if f.name != "id"]


def _tuples(model, values: list[dict], pg: bool) -> list[tuple]:
    """Rows of `model`, every column filled the way peewee stores it."""
    fields = _columns(model)
    defaults = {f.name: f.default() if callable(f.default) else f.default for f in fields}
    out = []
    for value in values:
        merged = {**defaults, **value}
        out.append(tuple(_plain(f.db_value(merged[f.name]), pg) for f in fields))
    return out


def _plain(value, pg: bool):
    if isinstance(value, bool) and not pg:
        return int(value)
    if isinstance(value, (dt.date, dt.datetime)) and not pg:
        return str(value)
    return value


def _iban(account: int) -> str:
    bban = f"ABNA{account:010d}"
    number = int("".join(str(int(c, 36)) for c in bban + "NL00"))
    return f"NL{98 - number % 97:02d}{bban}"


def _generate(n_mandates: int, adms: list, chunk: int = 50_000):
    """(debtor rows, mandate rows) in chunks: a million rows never sit in memory at once."""
    from incasso_tui.rules.mandates import compute_status
    from incasso_tui.rules.search_keys import debtor_keys
    from incasso_tui.services.demo import FIRST, LAST

    rnd = random.Random(4)
    today = dt.date.today()
    n_debtors = int(n_mandates * 0.7)
    towns = ["Utrecht", "Amsterdam", "Köln", "Zwolle", "Den Haag", "Ødense"]
    for start in range(0, n_mandates, chunk):
        debtors, mandates = [], []
        for i in range(start, min(start + chunk, n_mandates)):
            if i < n_debtors:
                name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
                town = towns[i % len(towns)]
                debtors.append(
                    {
                        "administration": adms[i % 3].id,
                        "number": str(10000 + i),
                        "name": name,
                        **debtor_keys(name, town),
                        "iban": _iban(i),
                        "bic": "ABNANL2A",
                        "town": town,
                        "street": "Kerkstraat",
                        "building_number": str(i % 200),
                    }
                )
            debtor = i if i < n_debtors else rnd.randrange(n_debtors)
            seq = 1 if i < n_debtors else 2 + i  # unique per debtor
            number = str(10000 + debtor)
            signed = today - dt.timedelta(days=rnd.randint(1, 1600))
            effective = None if rnd.random() < 0.08 else signed + dt.timedelta(days=rnd.randint(0, 10))
            end = today - dt.timedelta(days=rnd.randint(1, 300)) if rnd.random() < 0.08 else None
            last = today - dt.timedelta(days=rnd.randint(1, 1300)) if rnd.random() < 0.6 else None
            status, reason = compute_status(
                today=today,
                effective=effective,
                end=end,
                last_collection=last,
                recurrent=True,
                collected=last is not None,
                final_collected=False,
            )
            reference = f"{number}-{seq}"
            external = f"EXT{i}" if rnd.random() < 0.05 else None
            adm = adms[debtor % 3]
            mandates.append(
                {
                    "administration": adm.id,
                    "debtor": debtor + 1,
                    "scheme": "CORE",
                    "recurrent": True,
                    "sequence_number": seq,
                    "reference": reference,
                    "reference_key": reference.upper(),
                    "external_reference": external,
                    "external_key": external and external.upper(),
                    "creditor_id": adm.creditor_id,
                    "signed_date": signed,
                    "effective_date": effective,
                    "end_date": end,
                    "last_collection_date": last,
                    "status": status,
                    "status_reason": reason,
                    "collected": last is not None,
                }
            )
        yield debtors, mandates


def fill(url: str, n_mandates: int) -> None:
    from incasso_tui.db import database as db
    from incasso_tui.db import migrations
    from incasso_tui.db import models as m
    from incasso_tui.services.demo import creditor_id

    database = db.bind(url)
    migrations.upgrade(database)
    m.User.create(login="bench", name="Bench", role="admin")
    adms = [
        m.Administration.create(code=code, name=code, creditor_id=creditor_id(kvk))
        for code, kvk in (("ZON", "30123456"), ("KLIM", "40212345"), ("RIJN", "24356789"))
    ]
    db.close()
    if url.startswith("sqlite"):
        con = sqlite3.connect(url[len("sqlite:///") :])
        with con:
            for debtors, mandates in _generate(n_mandates, adms):
                for model, rows in ((m.Debtor, debtors), (m.Mandate, mandates)):
                    names = [f.column_name for f in _columns(model)]
                    sql = f'INSERT INTO "{model._meta.table_name}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'
                    con.executemany(sql, _tuples(model, rows, pg=False))
        con.execute("ANALYZE")
        con.close()
        return
    import psycopg

    with psycopg.connect(url) as con:
        for debtors, mandates in _generate(n_mandates, adms):
            for model, rows in ((m.Debtor, debtors), (m.Mandate, mandates)):
                names = ", ".join(f.column_name for f in _columns(model))
                with con.cursor().copy(f'COPY "{model._meta.table_name}" ({names}) FROM STDIN') as copy:
                    for row in _tuples(model, rows, pg=True):
                        copy.write_row(row)
        con.execute("ANALYZE")


def _reset_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP SCHEMA public CASCADE")
        con.execute("CREATE SCHEMA public")


def reference_times(url: str, runs: int) -> list[float]:
    """The database alone: the first page of each search's debtors through the trigram
    index and their mandates in reference order, one bare driver query, no code of ours."""
    from incasso_tui.rules.search_keys import fold

    if url.startswith("sqlite"):
        con = sqlite3.connect(url[len("sqlite:///") :])
        sql = (
            "SELECT m.id, m.reference, d.number, d.name FROM mandate m JOIN debtor d ON d.id = m.debtor_id "
            "WHERE m.debtor_id IN (SELECT rowid FROM debtor_search WHERE search_key LIKE ?) "
            "ORDER BY m.reference_key LIMIT 60"
        )
    else:
        import psycopg

        con = psycopg.connect(url)
        sql = (
            "SELECT m.id, m.reference, d.number, d.name FROM mandate m JOIN debtor d ON d.id = m.debtor_id "
            "WHERE d.search_key LIKE %s ORDER BY m.reference_key LIMIT 60"
        )
    out = []
    for run in range(runs):
        start = time.perf_counter()
        con.execute(sql, (f"%{fold(SEARCHES[run % len(SEARCHES)])}%",)).fetchall()
        out.append(time.perf_counter() - start)
    con.close()
    return out


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


async def drive(url: str, runs: int) -> dict[str, list[float]]:
    from textual.worker import WorkerCancelled

    from incasso_tui.app import IncassoApp
    from incasso_tui.core import config as config_mod
    from incasso_tui.db import database as db
    from incasso_tui.services.auth import resolve_actor
    from incasso_tui.services.session import Session
    from screens.widgets.paged_table import PagedTable

    database = db.bind(url, pooled=True)  # as `incasso` opens the TUI (cli/tui_launch.py)
    cfg = config_mod.from_dict({"database": {"url": url}, "auth": {"allow_user_flag": True}})
    # No job runner: its thread lives as long as the app and is not what is measured.
    app = IncassoApp(Session(cfg, database, resolve_actor("bench", True)), run_jobs=False)
    shown = asyncio.Event()
    state = {"loaded": False, "at": 0.0}

    def hook(message) -> None:
        if isinstance(message, PagedTable.Loaded):
            state["loaded"] = True

    # "Shown" is the first frame the compositor renders after the page arrived (headless
    # apps still compute every frame; they only skip writing it to a terminal).
    display = app._display

    def displayed(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None and state["loaded"] and not shown.is_set():
            state["at"] = time.perf_counter()
            shown.set()

    app._display = displayed

    def expect() -> None:
        state["loaded"] = False
        shown.clear()

    async def until_shown(pilot) -> float:
        await shown.wait()
        await pilot.pause()  # let the rest of the update settle before the next step
        return state["at"]

    times: dict[str, list[float]] = {"open": [], "search": []}
    async with app.run_test(size=(160, 45), message_hook=hook) as pilot:
        for _ in range(3):
            try:
                await app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                continue
        for run in range(runs + 1):  # the first run warms imports and caches
            expect()
            start = time.perf_counter()
            await pilot.press("f3")
            opened = await until_shown(pilot) - start
            table = app.screen.query_one(PagedTable)
            assert table.total and len(table.rows_loaded) > 0, "no rows shown"
            term = SEARCHES[run % len(SEARCHES)]
            await pilot.press("slash", *term[:-1])
            await asyncio.sleep(0.5)  # the intermediate searches finish
            await pilot.pause()
            expect()
            start = time.perf_counter()
            await pilot.press(term[-1])
            searched = await until_shown(pilot) - start
            assert app.screen.query_one("#search").value == term
            if run:
                times["open"].append(opened)
                times["search"].append(searched)
            await pilot.press("escape", "escape")  # leave the search box, then the screen
            await pilot.pause()
        app.exit(0)
    return times


def service_times(url: str, runs: int) -> dict[str, list[float]]:
    from incasso_tui.db import database as db
    from incasso_tui.db import interrupt
    from incasso_tui.db import models as m
    from incasso_tui.services.auth import actor_for
    from incasso_tui.services.browse import MandateFilter, search_mandates

    db.bind(url)
    actor = actor_for(m.User.get(m.User.login == "bench"))
    out: dict[str, list[float]] = {"service: first page": [], "service: search": []}
    # As a screen asks: interactive (the count follows the page), the screen's first page size.
    for run in range(runs):
        with interrupt.interactive(interrupt.Interrupt()):
            start = time.perf_counter()
            search_mandates(actor, MandateFilter(), 0, 60)
            out["service: first page"].append(time.perf_counter() - start)
            start = time.perf_counter()
            search_mandates(actor, MandateFilter(search=SEARCHES[run % len(SEARCHES)]), 0, 60)
            out["service: search"].append(time.perf_counter() - start)
    db.close()
    return out


def run_size(url: str, size: int, runs: int, fresh: bool) -> dict[str, list[float]]:
    if fresh:
        start = time.perf_counter()
        fill(url, size)
        print(f"filled {size:,} mandates in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    results = {**service_times(url, runs), "reference: the database alone": reference_times(url, runs)}
    return {**asyncio.run(drive(url, runs)), **results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", default="100000,1000000", help="mandate counts, comma separated")
    parser.add_argument("--mandates", type=int, help="one size (the same as --sizes N)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--work", type=Path, help="keep the SQLite files here (reused when they exist)")
    args = parser.parse_args()
    sizes = [args.mandates] if args.mandates else [int(x.replace("_", "")) for x in args.sizes.split(",")]
    pg_url = os.environ.get("INCASSO_BENCH_PG_URL", "")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            XDG_DATA_HOME=f"{tmp}/data", XDG_STATE_HOME=f"{tmp}/state", XDG_CONFIG_HOME=f"{tmp}/cfg"
        )
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(f"| back-end | mandates | measurement (median of {args.runs}) | time | target |")
        print("| --- | --- | --- | --- | --- |")
        for size in sizes:
            backends = [("SQLite", f"sqlite:///{work / f'mandates-{size}.sqlite3'}")]
            if pg_url:
                backends.append(("PostgreSQL", pg_url))
            for name, url in backends:
                if name == "PostgreSQL":
                    _reset_pg(url)
                fresh = name == "PostgreSQL" or not (work / f"mandates-{size}.sqlite3").exists()
                times = run_size(url, size, args.runs, fresh)
                targets = {"open": TARGET_OPEN, "search": TARGET_SEARCH}
                labels = {
                    "open": "open mandates screen until first page shown",
                    "search": "search: last key until result shown",
                }
                for key, values in times.items():
                    target = targets.get(key)
                    label = labels.get(key, f"{key} (no UI)")
                    shown = f"{target * 1000:.0f} ms" if target else ""
                    print(f"| {name} | {size:,} | {label} | {median_ms(values)} | {shown} |", flush=True)
                    if target and statistics.median(values) > target:
                        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
