"""Pilot: new set wizard → set detail → process (queued) → letter; queue and orders keys."""

from __future__ import annotations

from pathlib import Path

from incasso_tui.db import models as m
from incasso_tui.jobs.worker import JobRunner
from tests.test_app import make_app, settle


async def test_new_set_process_and_letter_from_the_screens(demo, database):
    demo()
    app = make_app(database)
    async with app.run_test(size=(160, 50)) as pilot:
        from screens.sets import SetsScreen

        await settle(pilot)
        app.push_screen(SetsScreen())
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        from screens.modals.set_wizard import NewSetScreen

        assert isinstance(app.screen, NewSetScreen)
        await pilot.press("down")  # ABN -> ING
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        from screens.set_detail import SetDetailScreen

        assert isinstance(app.screen, SetDetailScreen)
        detail = app.screen.detail
        assert detail is not None and detail.bank_group == "ING" and detail.orders > 0
        assert detail.held_back_total > 0
        assert app.screen.check_action("letter", ()) is None  # not processed yet
        await pilot.press("p")  # the summary first, then yes
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert m.CollectionSet.get_by_id(detail.id).status == "queued"
        assert JobRunner().run_pending(once=True) == 1
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen.detail.status == "processed"
        assert app.screen.check_action("letter", ()) is True
        await pilot.press("l")
        await settle(pilot)
        cset = m.CollectionSet.get_by_id(detail.id)
        assert Path(cset.files[0]["path"]).is_file()
        pdfs = list(Path(cset.files[0]["path"]).parent.glob("*.pdf"))
        assert pdfs and pdfs[0].read_bytes()[:5] == b"%PDF-"
        await pilot.press("escape")
        await settle(pilot)
        from screens.queue import QueueScreen

        app.push_screen(QueueScreen())
        await settle(pilot)
        assert app.screen.check_action("open_set", ()) is True
        assert app.screen.check_action("retry_job", ()) is None
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, SetDetailScreen) and app.screen.set_id == detail.id


async def test_add_and_cancel_an_order_from_the_orders_screen(demo, database):
    demo()
    app = make_app(database)
    async with app.run_test(size=(160, 50)) as pilot:
        from screens.modals.order_form import OrderFormScreen
        from screens.orders import OrdersScreen

        await settle(pilot)
        app.push_screen(OrdersScreen())
        await settle(pilot)
        before = m.CollectionOrder.select().count()
        await pilot.press("down", "n")  # from the search box to the table, then New
        await settle(pilot)
        assert isinstance(app.screen, OrderFormScreen)
        for key, value in (("administration", "ZON"), ("debtor", "10000"), ("amount", "abc")):
            app.screen.query_one(f"#order-{key}").value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        # A bad amount: the form comes back with the rule named.
        assert isinstance(app.screen, OrderFormScreen)
        assert "amount" in str(app.screen.query_one("#order-form-error").render())
        app.screen.query_one("#order-amount").value = "12,50"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert m.CollectionOrder.select().count() == before + 1
        new = m.CollectionOrder.select().order_by(m.CollectionOrder.id.desc()).first()
        assert new.amount_cents == 1250 and new.status == "open"
        # Bank group filter: b cycles ABN -> ...; every order shown is in that group.
        screen = app.screen
        await pilot.press("b")
        await settle(pilot)
        assert screen.bank_group == "ABN" and "ABN" in screen.filter_text()
        accounts = {a.id for a in m.BankAccount.select().join(m.BankGroup).where(m.BankGroup.code == "ABN")}
        shown = [row.id for row in screen.table.rows_loaded]
        assert shown and all(m.CollectionOrder.get_by_id(i).bank_account_id in accounts for i in shown)
