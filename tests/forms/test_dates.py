"""Dates in the forms (#12 item 5): typed as dd-mm-jjjj or YYYY-MM-DD alike, shown and
suggested the UI language's way (nl dd-mm-jjjj, en YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt

import pytest
from pilot_helpers import settle
from textual.widgets import Input

from incasso_tui.db import models as m
from incasso_tui.i18n import t
from incasso_tui.services.debtors import editable_administrations
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates.lifecycle import MandateInput
from screens.modals.mandate_form import DATE_FIELDS, MandateFormScreen
from screens.modals.order_form import OrderFormScreen

from .helpers import SIZE, app_in, type_text

SHOWN = {"nl": ("20-11-2026", "dd-mm-jjjj"), "en": ("2026-11-20", "YYYY-MM-DD")}


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_edit_form_shows_dates_and_placeholders_the_languages_way(demo, database, language):
    actor = demo()
    debtor = m.Debtor.select().first()
    mandate = mandates.create_mandate(actor, debtor.id, MandateInput(signed_date="2026-11-20"))
    app = app_in(database, language)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MandateFormScreen(mandate_id=mandate.id))
        await settle(pilot)
        date, placeholder = SHOWN[language]
        assert app.screen.query_one("#f-signed_date", Input).value == date
        assert {app.screen.query_one(f"#f-{key}", Input).placeholder for key in DATE_FIELDS} == {placeholder}
        app.pop_screen()
        app.push_screen(MandateFormScreen(administrations=editable_administrations(actor)))
        await settle(pilot)
        assert app.screen.query_one("#f-end_date", Input).placeholder == placeholder


@pytest.mark.parametrize("typed", ["24-12-2026", "2026-12-24", "24.12.2026"])
async def test_order_form_takes_a_date_written_either_way(demo, database, typed):
    demo()
    debtor = m.Debtor.select().first()
    results: list = []
    app = app_in(database, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(
            OrderFormScreen(values={"administration": "ZON", "debtor": debtor.number, "amount": "5"}),
            results.append,
        )
        await settle(pilot)
        assert app.screen.query_one("#order-date", Input).placeholder.startswith("YYYY-MM-DD")
        app.screen.query_one("#order-date", Input).focus()
        await type_text(pilot, typed)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert [r.requested_date for r in results] == [dt.date(2026, 12, 24)]


async def test_order_form_names_a_wrong_date_and_stays_open(demo, database):
    demo()
    app = app_in(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(OrderFormScreen(values={"administration": "ZON", "debtor": "1", "amount": "5"}))
        await settle(pilot)
        app.screen.query_one("#order-date", Input).value = "31-02-2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderFormScreen)
        assert t("requested date") in str(app.screen.query_one("#order-form-error").render())


async def test_order_form_shows_a_returned_date_the_languages_way(demo, database):
    demo()
    app = app_in(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # After a refusal the orders screen hands the values back, the date as the service has it.
        app.push_screen(OrderFormScreen(values={"date": "2026-12-24"}))
        await settle(pilot)
        assert app.screen.query_one("#order-date", Input).value == "24-12-2026"
