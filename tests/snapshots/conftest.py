"""What every snapshot test shares: a demo database in a fixed place with a fixed clock (the
settings screen shows paths, lists show when things were made), and the steps that make a
frame the same on every run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from incasso_tui.db import database as db
from incasso_tui.db import migrations
from incasso_tui.services import setup


@pytest.fixture
def demo_db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """(url, database) of the demo data under the test module's SNAPSHOT_ROOT; HOME too when
    the module says SNAPSHOT_SETS_HOME (dialogs that propose a file under it)."""
    root = Path(getattr(request.module, "SNAPSHOT_ROOT", "/tmp/incasso-snapshots"))
    home = root / request.node.name.replace("[", "-").rstrip("]")
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    for var, sub in (("XDG_CONFIG_HOME", "cfg"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    if getattr(request.module, "SNAPSHOT_SETS_HOME", False):
        monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("INCASSO_NOW", "2026-11-24T09:30:00")
    url = f"sqlite:///{home / 'incasso.sqlite3'}"
    database = db.bind(url)
    migrations.upgrade(database)
    setup.initialise(database, "tester", demo=True)
    yield url, database
    db.close()
