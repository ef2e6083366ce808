"""The dialogs as a user sees them (#12 item 7): confirm, export, pre-notify, the second look
before processing, F1 help, the reason codes and the new-set wizard, at 80×24
and 160×48, in Dutch and English, compared with the stored SVG snapshot. After an intended
change: `pytest tests/snapshots/test_modal_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pilot_helpers import settle
from textual.widgets import Input

from incasso_tui.app import IncassoApp
from incasso_tui.core import config as config_mod
from incasso_tui.db import database as db
from incasso_tui.db import migrations
from incasso_tui.db import models as m
from incasso_tui.services import setup
from incasso_tui.services.auth import resolve_actor
from incasso_tui.services.collection import sets
from incasso_tui.services.session import Session

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


def _set_detail(set_id: int):
    from screens.set_detail import SetDetailScreen

    return SetDetailScreen(set_id)


def _reason_codes(_set_id: int):
    from screens.modals.reason_codes import ReasonCodesScreen

    return ReasonCodesScreen()


# name -> (a screen to push first, given the set id, or None for Home; then the keys pressed)
MODALS: dict[str, tuple[Callable | None, list[str]]] = {
    "confirm": (_set_detail, ["x"]),  # delete the set?
    "second-look": (_set_detail, ["p"]),  # process: the summary before the irreversible
    "prenotify": (_set_detail, ["n"]),
    "export": (None, ["f3", "ctrl+e"]),
    "help": (None, ["f3", "f1"]),
    "reason-codes": (_reason_codes, []),
    "set-wizard": (None, ["f5", "n"]),
}


@pytest.fixture
def demo_db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    # The same paths and the same clock on every run (as tests/snapshots/test_screens.py);
    # HOME too: the export and pre-notify dialogs propose a file under it.
    home = Path("/tmp/incasso-modal-snapshots") / request.node.name.replace("[", "-").rstrip("]")
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    for var, sub in (("XDG_CONFIG_HOME", "cfg"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("INCASSO_NOW", "2026-11-24T09:30:00")
    url = f"sqlite:///{home / 'incasso.sqlite3'}"
    database = db.bind(url)
    migrations.upgrade(database)
    setup.initialise(database, "tester", demo=True)
    yield url, database
    db.close()


@pytest.mark.parametrize("modal", list(MODALS))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_modal(snap_compare, demo_db, language: str, size: str, modal: str) -> None:
    url, database = demo_db
    cfg = config_mod.from_dict(
        {"database": {"url": url}, "auth": {"allow_user_flag": True}, "ui": {"language": language}}
    )
    session = Session(cfg, database, resolve_actor("tester", True))
    group = m.BankGroup.select().order_by(m.BankGroup.code).first()
    set_id = sets.create_set(session.actor, group.code, sets.earliest_date(group)).id
    first, keys = MODALS[modal]

    async def open_modal(pilot) -> None:
        await settle(pilot)
        if first is not None:
            pilot.app.push_screen(first(set_id))
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        # A blinking cursor is on or off depending on the moment: keep it on.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await settle(pilot, rounds=3)

    assert snap_compare(IncassoApp(session, run_jobs=False), terminal_size=SIZES[size], run_before=open_modal)
