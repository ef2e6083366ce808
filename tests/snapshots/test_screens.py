"""Every screen as a user sees it, at 80×24 and 160×48, in Dutch and English, compared with
the stored SVG snapshot (pytest-textual-snapshot): a layout regression fails the suite.

After an intended change of a screen: `pytest tests/snapshots --snapshot-update`, then look at
the new SVGs (the report pytest writes on a failure shows old and new side by side).
One back-end suffices: the screens render the same rows from SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from pilot_helpers import settle
from snapshot_helpers import SIZES, session, steady

from incasso_tui.app import IncassoApp

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
        await steady(pilot)

    app = IncassoApp(session(url, database, language), run_jobs=False)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=open_screen)
