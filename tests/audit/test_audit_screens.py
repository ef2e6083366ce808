"""Pilot: the Audit screen from the palette's area list, its filters, and the history of a
set (H on the set detail) and of an administration (h in the admin list) with old -> new."""

from __future__ import annotations

import datetime as dt

from pilot_helpers import make_app, settle

from incasso_tui.db import models as m
from incasso_tui.i18n import set_language
from incasso_tui.services.collection.sets import change_date, create_set
from incasso_tui.services.organisation import edit_administration


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_the_audit_screen_lists_entries_and_filters_them(demo, database):
    set_language("nl")
    admin = demo()
    edit_administration(admin, "RIJN", name="Rijnland Nieuw")
    app = make_app(database)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.action_open("audit")
        await settle(pilot)
        from screens.audit import AuditScreen

        screen = app.screen
        assert isinstance(screen, AuditScreen)
        table = screen.table
        cells = [str(c) for c in table.get_row_at(0)]
        assert cells[1] == "tester" and cells[2].startswith("Administratie ")
        assert "Rijnland Nieuw" in cells[4] and "→" in cells[4]
        total = table.row_count
        assert total >= 2  # the init's user.add too
        table.focus()  # letters are keys on the list (in the search box they search)
        await pilot.pause()
        for _ in range(7):  # kind: debtor, mandate, order, set, administration, bank group, user
            await pilot.press("o")
        await settle(pilot)
        assert screen.kind == "user"
        assert "Object: Gebruiker" in _text(app, "#list-info")
        assert all(str(table.get_row_at(i)[2]).startswith("Gebruiker") for i in range(table.row_count))
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "HistoryScreen"


async def test_a_support_user_sees_only_their_administrations(demo, database):
    set_language("en")
    admin = demo()
    edit_administration(admin, "RIJN", name="Rijnland Nieuw")
    edit_administration(admin, "ZON", name="Zon Nieuw")
    app = make_app(database, login="bram")  # support, ZON
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_open("audit")
        await settle(pilot)
        table = app.screen.table
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows and all("Zon Nieuw" in r[4] for r in rows)  # nor RIJN, nor the user entries


async def test_shift_h_on_the_set_detail_shows_its_history(demo, database):
    set_language("en")
    admin = demo()
    created = create_set(admin, "ING")
    cset = m.CollectionSet.get_by_id(created.id)
    change_date(admin, cset.id, cset.requested_date + dt.timedelta(days=7))
    app = make_app(database)
    async with app.run_test(size=(160, 48)) as pilot:
        from screens.set_detail import SetDetailScreen

        await settle(pilot)
        app.push_screen(SetDetailScreen(cset.id))
        await settle(pilot)
        await pilot.press("H")
        await settle(pilot)
        assert type(app.screen).__name__ == "HistoryScreen"
        text = _text(app, "#history-text")
        assert "→" in text and text.count("tester") == 2  # created, then its date changed
        assert app.screen.export == ("audit", app.screen.export[1]) and app.screen.export[1].kind == "set"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SetDetailScreen)


async def test_h_in_the_administrations_list_shows_old_and_new(demo, database):
    set_language("en")
    admin = demo()
    edit_administration(admin, "KLIM", name="Klimaat Nieuw")
    app = make_app(database)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.action_open("administrations")
        await settle(pilot)
        table = app.screen.table
        codes = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=codes.index("KLIM"))
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert type(app.screen).__name__ == "HistoryScreen"
        text = _text(app, "#history-text")
        assert "Klimaat Nieuw" in text and "→" in text
