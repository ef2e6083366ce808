"""Pilot: w on the mandates list shows the expiring view; from a held-back order m opens the
mandate that blocks it and Escape comes back; the mandate's screen tells last and next apart."""

from __future__ import annotations

import re

from pilot_helpers import make_app, settle

from incasso_tui.rules.mandates import EXPIRY_DAYS
from incasso_tui.services.collection import sets

from .helpers import days, mandate, order

SIZE = (160, 48)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_w_on_the_mandates_list_shows_the_expiring_view_and_back(admin, database):
    soon = mandate("401", last=days(3 - EXPIRY_DAYS))
    later = mandate("402", last=None, effective=days(40 - EXPIRY_DAYS))
    mandate("403", last=days(-10))
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        table = app.screen.query_one("#list")
        assert len(table.rows_loaded) == 3
        table.focus()  # single-letter keys act when the table has the focus
        await pilot.press("w")
        await settle(pilot)
        assert [r.id for r in table.rows_loaded] == [soon.id, later.id]
        assert "Verloopt binnen 60 dagen" in text_of(app, "#list-info")
        assert "Verloopt" in [str(c.label) for c in table.columns.values()]
        assert days(3).strftime("%d-%m-%Y") in [str(c) for c in table.get_row_at(0)]
        await pilot.press("w")
        await settle(pilot)
        assert len(table.rows_loaded) == 3


async def test_e_on_home_opens_the_mandates_behind_its_expiring_figure(admin, database):
    soon = mandate("401", last=days(3 - EXPIRY_DAYS))
    mandate("403", last=days(-10))
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "60 dagen: 1 (e)" in text_of(app, "#card-mandates")
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.AREA == "mandates"
        assert [r.id for r in app.screen.query_one("#list").rows_loaded] == [soon.id]


async def test_m_on_a_held_back_order_opens_its_mandate_and_escape_comes_back(admin, database):
    blocked = mandate("411", last=None, scheme="B2B")  # B2B, not registered: held back
    order(blocked)
    fine = mandate("412", last=None)
    order(fine)
    created = sets.create_set(admin, "ABN")
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from screens.set_detail import SetDetailScreen

        app.push_screen(SetDetailScreen(created.id))
        await settle(pilot)
        held = app.screen.query_one("#set-held")
        assert held.row_count == 1
        held.focus()
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.AREA == "mandate" and app.screen.mandate_id == blocked.id
        assert "411-1" in text_of(app, "#detail-title")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.AREA == "set"
        app.screen.query_one("#set-held").focus()
        await pilot.press("D")
        await settle(pilot)
        assert app.screen.AREA == "debtor" and app.screen.debtor.number == "411"


async def test_m_in_the_orders_list_opens_the_orders_mandate(admin, database):
    x = mandate("421", last=None)
    order(x)
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        app.screen.query_one("#list").focus()
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.AREA == "mandate" and app.screen.mandate_id == x.id


async def test_the_mandate_screen_shows_last_and_next_collection_apart(admin, database):
    x = mandate("431", last=days(12))
    order(x, status="processed", collection=days(-20), n=1)
    order(x, status="underway", collection=days(12), n=2)
    pending = mandate("432", last=None, effective=days(7), status="inactive")
    order(pending, status="underway", collection=days(10))
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from screens.mandate_detail import MandateDetailScreen

        app.push_screen(MandateDetailScreen(x.id))
        await settle(pilot)
        facts = text_of(app, "#detail-facts")
        assert re.search(rf"Laatste incasso +{days(-20).strftime('%d-%m-%Y')}\n", facts)
        assert re.search(rf"Volgende incasso +{days(12).strftime('%d-%m-%Y')} \(in een bestand\)", facts)
        app.pop_screen()
        app.push_screen(MandateDetailScreen(pending.id))
        await settle(pilot)
        facts = text_of(app, "#detail-facts")
        assert (
            f"actief vanaf {days(7).strftime('%d-%m-%Y')}, vóór de incassodatum "
            f"{days(10).strftime('%d-%m-%Y')}" in facts
        )
