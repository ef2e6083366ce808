"""The forms as a user sees them (#12 items 5 and 7): the mandate, order and debtor forms and
the activate dialog, at 80×24 and 160×48, in Dutch and English, compared with the stored SVG
snapshot (pytest-textual-snapshot). After an intended change:
`pytest tests/snapshots/test_forms_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import datetime as dt
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
from incasso_tui.services.debtors import editable_administrations
from incasso_tui.services.session import Session
from screens.modals.activate import ActivateScreen
from screens.modals.debtor_form import DebtorFormScreen
from screens.modals.mandate_form import MandateFormScreen
from screens.modals.order_form import OrderFormScreen

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
FORMS = {  # name -> the form, given the administrations the user may change
    "mandate-form": lambda adms: MandateFormScreen(administrations=adms),
    "order-form": lambda adms: OrderFormScreen(),
    "debtor-form": lambda adms: DebtorFormScreen(administrations=adms, administration_id=adms[0][0]),
    "activate": lambda adms: ActivateScreen("10001-2", dt.date(2026, 11, 20), None, dt.date(2026, 11, 24)),
}


@pytest.fixture
def demo_db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    # The same paths and the same clock on every run (as tests/snapshots/test_screens.py).
    home = Path("/tmp/incasso-form-snapshots") / request.node.name.replace("[", "-").rstrip("]")
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


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_form(snap_compare, demo_db, language: str, size: str, form: str) -> None:
    url, database = demo_db
    cfg = config_mod.from_dict(
        {"database": {"url": url}, "auth": {"allow_user_flag": True}, "ui": {"language": language}}
    )
    session = Session(cfg, database, resolve_actor("tester", True))
    app = IncassoApp(session, run_jobs=False)
    administrations = editable_administrations(session.actor)

    async def open_form(pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(FORMS[form](administrations))
        await settle(pilot, rounds=3)
        # A blinking cursor is on or off depending on the moment: keep it on.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await settle(pilot, rounds=2)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=open_form)
