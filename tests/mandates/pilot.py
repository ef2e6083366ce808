"""Driving the app in the mandate tests: build it on the test database, wait for its workers
(not the job runner, which lives as long as the app), read what it told the user."""

from __future__ import annotations

# One copy for every test folder; re-exported for the mandate and feedback tests.
from pilot_helpers import make_app as make_app
from pilot_helpers import settle

SIZE = (160, 45)


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def open_mandates(pilot) -> None:
    """The mandates list with the focus in its table (it opens in its search box)."""
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    await pilot.press("down")
    await settle(pilot)


def select_row(app, predicate) -> object:
    """Put the list's cursor on the first loaded row matching `predicate`; returns the row."""
    table = app.screen.query_one("#list")
    index = next(i for i, row in enumerate(table.rows_loaded) if predicate(row))
    table.move_cursor(row=index)
    return table.rows_loaded[index]
