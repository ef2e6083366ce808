#!/usr/bin/env python3
"""The mandates screen with 100,000 mandates: opening it and searching it, as a user does.

    python bench/mandates_screen.py [--mandates 100000] [--runs 7] [--db PATH]

Fills an SQLite file (bulk insert straight through sqlite3: seconds, not minutes) with
three administrations, ~70,000 debtors and the mandates, then drives the real app headless
(App.run_test + Pilot) and times, per run:

* open:   F3 on the home screen until the mandates screen shows its first page: the first
          frame the compositor renders after the page arrived from the worker thread;
* search: the last key of a search term until the first frame with that search's page
          (including the screen's search-as-you-type pause);
* the service calls alone (first page, one search) for comparison.

Prints medians as a table. Targets (issue 4): open <= 0.5 s, search <= 0.2 s; exit 1 when
a median misses its target. `--db PATH` keeps (or reuses) the filled database.
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

TARGET_OPEN, TARGET_SEARCH = 0.5, 0.2
SEARCHES = ["jansen", "10042", "NL5", "zoë", "Müller"]  # name, number, IBAN, accents


def _rows(model, values: list[dict]) -> tuple[str, list[tuple]]:
    """An INSERT for `model` and its rows, every column filled the way peewee stores it."""
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    defaults = {f.name: f.default() if callable(f.default) else f.default for f in fields}
    sql = (
        f'INSERT INTO "{model._meta.table_name}" ({", ".join(f.column_name for f in fields)}) '
        f"VALUES ({', '.join('?' for _ in fields)})"
    )
    rows = []
    for value in values:
        merged = {**defaults, **value}
        rows.append(tuple(_plain(f.db_value(merged[f.name])) for f in fields))
    return sql, rows


def _plain(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return str(value)
    return value


def _iban(account: int) -> str:
    bban = f"ABNA{account:010d}"
    number = int("".join(str(int(c, 36)) for c in bban + "NL00"))
    return f"NL{98 - number % 97:02d}{bban}"


def fill(path: Path, n_mandates: int) -> None:
    from incasso_tui.db import database as db
    from incasso_tui.db import migrations
    from incasso_tui.db import models as m
    from incasso_tui.rules.mandates import compute_status
    from incasso_tui.services.demo import FIRST, LAST, creditor_id

    database = db.bind(f"sqlite:///{path}")
    migrations.upgrade(database)
    m.User.create(login="bench", name="Bench", role="admin")
    adms = [
        m.Administration.create(code=code, name=code, creditor_id=creditor_id(kvk))
        for code, kvk in (("ZON", "30123456"), ("KLIM", "40212345"), ("RIJN", "24356789"))
    ]
    db.close()
    rnd = random.Random(4)
    today = dt.date.today()
    n_debtors = int(n_mandates * 0.7)
    debtors = []
    for i in range(n_debtors):
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        debtors.append(
            {
                "administration": adms[i % 3].id,
                "number": str(10000 + i),
                "name": name,
                "name_key": name.lower(),
                "iban": _iban(i),
                "bic": "ABNANL2A",
                "town": "Utrecht",
                "street": "Kerkstraat",
                "building_number": str(i % 200),
            }
        )
    mandates = []
    for i in range(n_mandates):
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
    con = sqlite3.connect(path)
    with con:
        con.executemany(*_rows(m.Debtor, debtors))
        con.executemany(*_rows(m.Mandate, mandates))
    con.execute("ANALYZE")
    con.close()


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


async def drive(path: Path, runs: int) -> dict[str, list[float]]:
    from textual.worker import WorkerCancelled

    from incasso_tui.app import IncassoApp
    from incasso_tui.core import config as config_mod
    from incasso_tui.db import database as db
    from incasso_tui.services.auth import resolve_actor
    from incasso_tui.services.session import Session
    from screens.widgets.paged_table import PagedTable

    url = f"sqlite:///{path}"
    database = db.bind(url)
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


def service_times(path: Path, runs: int) -> dict[str, list[float]]:
    from incasso_tui.db import database as db
    from incasso_tui.db import models as m
    from incasso_tui.services.auth import actor_for
    from incasso_tui.services.browse import MandateFilter, search_mandates

    db.bind(f"sqlite:///{path}")
    actor = actor_for(m.User.get(m.User.login == "bench"))
    out: dict[str, list[float]] = {"service: first page": [], "service: search": []}
    for run in range(runs):
        start = time.perf_counter()
        search_mandates(actor, MandateFilter(), 0, 200)
        out["service: first page"].append(time.perf_counter() - start)
        start = time.perf_counter()
        search_mandates(actor, MandateFilter(search=SEARCHES[run % len(SEARCHES)]), 0, 200)
        out["service: search"].append(time.perf_counter() - start)
    db.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mandates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="keep the database here (reused when it exists)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            XDG_DATA_HOME=f"{tmp}/data", XDG_STATE_HOME=f"{tmp}/state", XDG_CONFIG_HOME=f"{tmp}/cfg"
        )
        path = args.db or Path(tmp) / "bench.sqlite3"
        if not path.exists():
            start = time.perf_counter()
            fill(path, args.mandates)
            print(f"filled {args.mandates:,} mandates into {path} in {time.perf_counter() - start:.1f} s")
        services = service_times(path, args.runs)
        times = asyncio.run(drive(path, args.runs))
    print(f"\n| measurement (median of {args.runs}) | time | target |")
    print("| --- | --- | --- |")
    print(
        f"| open mandates screen until first page shown | {median_ms(times['open'])} | "
        f"{TARGET_OPEN * 1000:.0f} ms |"
    )
    print(
        f"| search: last key until result shown | {median_ms(times['search'])} | "
        f"{TARGET_SEARCH * 1000:.0f} ms |"
    )
    for name, values in services.items():
        print(f"| {name} (query + count, no UI) | {median_ms(values)} | |")
    ok = (
        statistics.median(times["open"]) <= TARGET_OPEN
        and statistics.median(times["search"]) <= TARGET_SEARCH
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
