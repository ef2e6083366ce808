"""Tab follows what the user sees, top to bottom (#12 item 5): no hidden Tab stops between the
fields, so what is typed after a Tab lands in the field shown next."""

from __future__ import annotations

from pilot_helpers import settle
from textual.widgets import Input

from incasso_tui.db import models as m
from incasso_tui.services.debtors import editable_administrations
from screens.modals.debtor_form import DebtorFormScreen
from screens.modals.mandate_form import MandateFormScreen
from screens.modals.order_form import OrderFormScreen
from screens.modals.set_wizard import NewSetScreen

from .helpers import app_in, type_text

FIELDS = ("Input", "PickerInput", "Select", "Checkbox", "Button", "OptionList")


async def _tab_stops(pilot) -> list:
    """Every widget Tab reaches from the first one, once around."""
    app = pilot.app
    first = app.screen.focus_chain[0]
    first.focus()
    await pilot.pause()
    stops = [app.focused]
    for _ in range(40):
        await pilot.press("tab")
        await pilot.pause()
        if app.focused is first:
            return stops
        stops.append(app.focused)
    raise AssertionError("Tab never came back to the first field")


def _in_visual_order(stops) -> bool:
    # Where each sits in the scrolled form: top to bottom, then left to right.
    places = [(w.virtual_region_with_margin.y + _offset(w), w.region.x) for w in stops]
    return places == sorted(places)


def _offset(widget) -> int:
    total, node = 0, widget.parent
    while node is not None and hasattr(node, "virtual_region"):
        total += node.virtual_region.y
        node = node.parent
    return total


async def test_tab_through_the_mandate_form_every_value_lands_where_it_is_shown(demo, database):
    actor = demo()
    app = app_in(database)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(MandateFormScreen(administrations=editable_administrations(actor)))
        await settle(pilot)
        stops = await _tab_stops(pilot)
        assert [type(w).__name__ for w in stops if type(w).__name__ not in FIELDS] == []
        assert [w.id for w in stops] == [
            "f-administration",
            "f-debtor-input",
            "f-scheme",
            "f-recurrent",
            "f-invoice_type",
            "f-signed_date",
            "f-effective_date",
            "f-end_date",
            "f-reason",
            "f-reference",
            "f-external_reference",
            "form-save",
            "form-cancel",
        ]
        # Typed into each input after a Tab, every value arrives in that input.
        typed = {
            "f-signed_date": "20-11-2026",
            "f-effective_date": "21-11-2026",
            "f-end_date": "31-12-2027",
            "f-reason": "Gift",
            "f-reference": "R1",
            "f-external_reference": "X1",
        }
        app.screen.query_one("#f-invoice_type").focus()
        await pilot.pause()
        for _ in typed:
            await pilot.press("tab")
            await pilot.pause()
            await type_text(pilot, typed[app.focused.id])
        await settle(pilot)
        assert {key: app.screen.query_one(f"#{key}", Input).value for key in typed} == typed


async def test_every_form_has_its_tab_stops_in_visual_order(demo, database):
    actor = demo()
    debtor = m.Debtor.select().first()
    app = app_in(database)
    forms = [
        lambda: MandateFormScreen(administrations=editable_administrations(actor)),
        lambda: MandateFormScreen(debtor_id=debtor.id),
        lambda: DebtorFormScreen(administrations=editable_administrations(actor)),
        OrderFormScreen,
        lambda: NewSetScreen([], {}),
    ]
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        for make in forms:
            form = make()
            app.push_screen(form)
            await settle(pilot)
            stops = await _tab_stops(pilot)
            name = type(form).__name__
            assert [type(w).__name__ for w in stops if type(w).__name__ not in FIELDS] == [], name
            assert _in_visual_order(stops), (name, [w.id for w in stops])
            app.pop_screen()
            await settle(pilot)
