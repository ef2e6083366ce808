"""Driving the app in the mandate tests: build it on the test database, wait for its workers
(not the job runner, which lives as long as the app), read what it told the user."""

from __future__ import annotations

from textual.worker import WorkerCancelled

from incasso_tui.app import IncassoApp
from incasso_tui.core import config as config_mod
from incasso_tui.services.auth import resolve_actor
from incasso_tui.services.session import Session

SIZE = (160, 45)


def make_app(database, login: str = "tester", data_dir=None) -> IncassoApp:
    url = f"sqlite:///{database.database}" if "sqlite" in type(database).__name__.lower() else "postgresql://"
    raw = {"database": {"url": url}, "auth": {"allow_user_flag": True}}
    if data_dir is not None:
        raw["paths"] = {"data_dir": str(data_dir)}
    cfg = config_mod.from_dict(raw)
    return IncassoApp(Session(cfg, database, resolve_actor(login, True)), run_jobs=False)


async def settle(pilot, rounds: int = 2) -> None:
    """Let the screen's workers finish and the UI catch up (a cancelled search is no failure)."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        for _ in range(5):
            try:
                await app.workers.wait_for_complete([w for w in app.workers if w.group != "job-queue"])
                break
            except WorkerCancelled:
                continue
    await pilot.pause()


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def open_mandates(pilot) -> None:
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)


def select_row(app, predicate) -> object:
    """Put the list's cursor on the first loaded row matching `predicate`; returns the row."""
    table = app.screen.query_one("#list")
    index = next(i for i, row in enumerate(table.rows_loaded) if predicate(row))
    table.move_cursor(row=index)
    return table.rows_loaded[index]
