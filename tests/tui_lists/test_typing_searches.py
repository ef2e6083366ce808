"""Typing on a list searches; single-letter actions work in the table (issue #12 item 1)."""

from __future__ import annotations

import pytest
from pilot_helpers import make_app, settle
from textual.widgets import Input


async def _open(app, pilot, screen) -> None:
    await settle(pilot)
    app.push_screen(screen)
    await settle(pilot)


async def test_typing_pena_on_the_mandates_searches_and_opens_nothing(demo, database):
    demo()
    app = make_app(database)
    async with app.run_test(size=(80, 24)) as pilot:
        from screens.mandates import MandatesScreen

        await _open(app, pilot, MandatesScreen())
        await pilot.press(*"peña")  # "p" was the print-form dialog, "eña" went into its path
        await settle(pilot)
        assert isinstance(app.screen, MandatesScreen)  # no dialog opened
        assert app.screen.query_one("#search", Input).value == "peña"
        info = str(app.screen.query_one("#list-info").content)
        assert info.startswith("Zoeken")  # the mode the user is in
        rows = app.screen.table.rows_loaded
        assert rows and all("peña" in r.debtor_name.lower() or "pena" in r.debtor_name.lower() for r in rows)
        await pilot.press("down")  # to the table: now letters are actions
        await settle(pilot)
        assert app.screen.focused is app.screen.table
        assert str(app.screen.query_one("#list-info").content).startswith("Lijst")
        await pilot.press("p")
        await settle(pilot)
        assert not isinstance(app.screen, MandatesScreen)  # the print-form dialog
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MandatesScreen)
        await pilot.press("slash")  # back to the search box
        await settle(pilot)
        assert isinstance(app.screen.focused, Input)


async def test_a_letter_that_is_no_action_in_the_table_searches(demo, database):
    demo()
    app = make_app(database)
    async with app.run_test(size=(80, 24)) as pilot:
        from screens.debtors import DebtorsScreen

        await _open(app, pilot, DebtorsScreen())
        await pilot.press("enter")  # an empty search: Enter goes to the table
        await settle(pilot)
        assert app.screen.focused is app.screen.table
        await pilot.press("q", "u")  # no key of the debtors list
        await settle(pilot)
        search = app.screen.query_one("#search", Input)
        assert app.screen.focused is search and search.value == "qu"


async def test_escape_on_an_empty_search_leaves_and_with_text_goes_to_the_table(demo, database):
    demo()
    app = make_app(database)
    async with app.run_test(size=(80, 24)) as pilot:
        from screens.orders import OrdersScreen

        await _open(app, pilot, OrdersScreen())
        await pilot.press("j", "a")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen) and app.screen.focused is app.screen.table
        await pilot.press("slash", "ctrl+u")  # back in the search box, emptied
        await settle(pilot)
        assert app.screen.search_text == ""
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.AREA == "home"


async def test_f1_from_the_search_box_lists_the_keys_of_the_table(demo, database):
    demo()
    app = make_app(database)
    async with app.run_test(size=(80, 24)) as pilot:
        from screens.mandates import MandatesScreen

        await _open(app, pilot, MandatesScreen())
        await pilot.press("f1")
        await settle(pilot)
        from textual.widgets import Markdown

        assert "Formulier afdrukken" in app.screen.query_one(Markdown).source


def _searchable():
    from screens.debtors import DebtorsScreen
    from screens.feedback import FeedbackScreen
    from screens.mandates import MandatesScreen
    from screens.orders import OrdersScreen

    return [DebtorsScreen, MandatesScreen, OrdersScreen, FeedbackScreen]


def _short_lists():
    from screens import admin
    from screens.queue import QueueScreen
    from screens.sets import SetsScreen

    lists = [SetsScreen, QueueScreen]
    lists += [
        cls
        for cls in vars(admin).values()
        if isinstance(cls, type)
        and issubclass(cls, admin.AdminListScreen)
        and cls is not admin.AdminListScreen
    ]
    return lists


@pytest.mark.parametrize("which", ["searchable", "short"])
async def test_every_list_opens_where_the_user_starts(demo, database, which):
    demo()
    app = make_app(database)
    screens = _searchable() if which == "searchable" else _short_lists()
    assert screens
    async with app.run_test(size=(160, 48)) as pilot:
        for cls in screens:
            await _open(app, pilot, cls())
            focused = app.screen.focused
            if which == "searchable":
                assert isinstance(focused, Input) and focused.id == "search", cls.__name__
            else:
                assert focused is app.screen.table, cls.__name__
            app.pop_screen()
            await settle(pilot)
