"""Driving the app in tests (one copy for every test folder): build it on the test database,
wait for its workers (not the job runner, which lives as long as the app).

Import it as `from pilot_helpers import …`: tests/ is on sys.path (its conftest.py has no
package around it), from tests/ itself and from every folder below it.
"""

from __future__ import annotations

from textual.worker import WorkerCancelled

from incasso_tui.app import IncassoApp
from incasso_tui.core import config as config_mod
from incasso_tui.services.auth import resolve_actor
from incasso_tui.services.session import Session


def db_url_of(database) -> str:
    if hasattr(database, "server_version") and "postgres" in type(database).__name__.lower():
        return "postgresql://"
    return f"sqlite:///{database.database}"


def make_app(database, login: str = "tester", data_dir=None) -> IncassoApp:
    raw: dict = {"database": {"url": db_url_of(database)}, "auth": {"allow_user_flag": True}}
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
