"""Every screen as a user sees it, at 80×24 and 160×48, in Dutch and English, compared with
the stored SVG snapshot (pytest-textual-snapshot): a layout regression fails the suite.

After an intended change of a screen: `pytest tests/snapshots --snapshot-update`, then look at
the new SVGs (the report pytest writes on a failure shows old and new side by side).
One back-end suffices: the screens render the same rows from SQLite and PostgreSQL.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot_helpers import settle
from textual.widgets import Input

from incasso_tui.app import IncassoApp
from incasso_tui.core import config as config_mod
from incasso_tui.db import database as db
from incasso_tui.db import migrations
from incasso_tui.services import setup
from incasso_tui.services.auth import resolve_actor
from incasso_tui.services.session import Session

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
SCREENS = {  # name -> keys pressed from Home
    "home": [],
    "debtors": ["f2"],
    "mandates": ["f3"],
    "mandate-detail": ["f3", "enter"],
    "orders": ["f4"],
    "sets": ["f5"],
    "queue": ["f6"],
    "settings": ["f7"],
    "administrations": ["f8"],
    "bank-feedback": ["f9"],
    "readiness": ["k"],
    "reports": ["t"],
    "help": ["f1"],
}


@pytest.fixture
def demo_db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    # The same paths and the same clock on every run: the settings screen shows where the
    # database and the state live, lists show when things were made.
    home = Path("/tmp/incasso-snapshots") / request.node.name.replace("[", "-").rstrip("]")
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    for var, sub in (("XDG_CONFIG_HOME", "cfg"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("INCASSO_NOW", "2026-11-24T09:30:00")
    url = f"sqlite:///{home / 'incasso.sqlite3'}"
    database = db.bind(url)
    migrations.upgrade(database)
    setup.initialise(database, "tester", demo=True)
    yield url, database
    db.close()


def _app(url: str, database, language: str) -> IncassoApp:
    cfg = config_mod.from_dict(
        {"database": {"url": url}, "auth": {"allow_user_flag": True}, "ui": {"language": language}}
    )
    return IncassoApp(Session(cfg, database, resolve_actor("tester", True)), run_jobs=False)


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_screen(snap_compare, demo_db, language: str, size: str, screen: str) -> None:
    if screen == "reports" and size == "80x24":
        # plotext places the month ticks of a narrow bar chart differently from run to run (seen
        # as 25-12 26-01 … with or without 26-04); at 160×48 they are all there and stable.
        pytest.skip("the narrow chart's tick labels are not stable between runs")
    url, database = demo_db

    async def open_screen(pilot) -> None:
        await settle(pilot)
        for key in SCREENS[screen]:
            await pilot.press(key)
            await settle(pilot)
        # A blinking cursor is on or off depending on the moment: keep it on.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await settle(pilot, rounds=3)

    assert snap_compare(_app(url, database, language), terminal_size=SIZES[size], run_before=open_screen)
