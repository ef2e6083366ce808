"""Pilot: the orders screen's f key marks an order final (and undoes it) after asking; the
mandate screen's k key asks for a new reference, checked as it is typed, and replaces it."""

from __future__ import annotations

from pilot_helpers import make_app, settle
from textual.widgets import Input

from incasso_tui.db import models as m

from .helpers import world


async def test_final_key_on_the_orders_screen(admin, database):
    _group, _adm, _account, orders = world(2)
    app = make_app(database)
    async with app.run_test(size=(160, 50)) as pilot:
        from screens.modals.confirm import ConfirmScreen
        from screens.orders import OrdersScreen

        await settle(pilot)
        app.push_screen(OrdersScreen())
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#list")
        index = next(i for i, row in enumerate(table.rows_loaded) if row.id == orders[1].id)
        table.move_cursor(row=index)
        table.focus()  # a list opens in its search box; letters act in the table
        await settle(pilot)
        assert screen.check_action("final_order", ()) is True
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "000002-1" in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("y")
        await settle(pilot)
        assert m.CollectionOrder.get_by_id(orders[1].id).final
        # In the UI language (Dutch by default).
        assert any("laatste incasso onder machtiging 000002-1" in n.message for n in app._notifications)
        # Again: it asks to undo.
        table.move_cursor(row=next(i for i, r in enumerate(table.rows_loaded) if r.id == orders[1].id))
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert "Ongedaan maken" in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("y")
        await settle(pilot)
        assert not m.CollectionOrder.get_by_id(orders[1].id).final
        # An order in a file: the key is dimmed.
        m.CollectionOrder.update(status="underway").where(m.CollectionOrder.id == orders[1].id).execute()
        screen.reload()
        await settle(pilot)
        table.move_cursor(row=next(i for i, r in enumerate(table.rows_loaded) if r.id == orders[1].id))
        await settle(pilot)
        assert screen.check_action("final_order", ()) is None


async def test_replace_reference_key_on_the_mandate_screen(admin, database):
    _group, _adm, _account, orders = world(2)
    mandate_id = orders[0].mandate_id
    m.Mandate.update(collected=True).where(m.Mandate.id == mandate_id).execute()
    app = make_app(database)
    async with app.run_test(size=(160, 50)) as pilot:
        from screens.mandate_detail import MandateDetailScreen
        from screens.modals.prompt import PromptScreen

        await settle(pilot)
        app.push_screen(MandateDetailScreen(mandate_id))
        await settle(pilot)
        assert app.screen.check_action("replace_reference", ()) is True
        await pilot.press("c")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        field = prompt.query_one(Input)
        assert field.value == "000001-1"
        field.value = "bad ref"
        await settle(pilot)
        assert str(prompt.query_one("#prompt-error").render())  # checked as typed
        field.value = "ZON-0001"
        await settle(pilot)
        assert not str(prompt.query_one("#prompt-error").render())
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        mandate = m.Mandate.get_by_id(mandate_id)
        assert (mandate.reference, mandate.amend_reference) == ("ZON-0001", "000001-1")
        assert isinstance(app.screen, MandateDetailScreen)
        assert "000001-1" in str(app.screen.query_one("#detail-amendment").render())
        assert "ZON-0001" in str(app.screen.query_one("#detail-title").render())
        # The mandates list offers the same key, for the mandate under the cursor.
        from screens.mandates import MandatesScreen

        app.push_screen(MandatesScreen())
        await settle(pilot)
        table = app.screen.query_one("#list")
        table.move_cursor(
            row=next(i for i, r in enumerate(table.rows_loaded) if r.id == orders[1].mandate_id)
        )
        table.focus()  # a list opens in its search box; letters act in the table
        await settle(pilot)
        assert app.screen.check_action("replace_reference", ()) is True
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "000002-1"
        await pilot.press("escape")
        await settle(pilot)
        assert m.Mandate.get_by_id(orders[1].mandate_id).reference == "000002-1"
