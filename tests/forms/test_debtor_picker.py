"""The debtor picker in the mandate and order forms (#12 item 5): part of a name, number, IBAN
or town lists the matching debtors; Up/Down and Enter pick one, Escape closes the list; an
exact number typed still works."""

from __future__ import annotations

from pilot_helpers import settle
from textual.widgets import OptionList

from incasso_tui.db import models as m
from incasso_tui.services import browse
from incasso_tui.services.debtors import editable_administrations
from screens.modals.mandate_form import MandateFormScreen
from screens.modals.order_form import OrderFormScreen

from .helpers import SIZE, app_in, text_of, type_text, wait_until


def _matches(app, selector: str) -> list[str]:
    options = app.screen.query_one(selector, OptionList)
    if not options.has_class("-open"):
        return []
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_mandate_form_picks_a_debtor_by_part_of_the_name(demo, database):
    actor = demo()
    app = app_in(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MandateFormScreen(administrations=editable_administrations(actor)))
        await settle(pilot)
        assert app.focused.id == "f-debtor-input"
        await type_text(pilot, "visser")
        await wait_until(pilot, lambda: _matches(app, "#f-debtor-input-matches"))
        shown = _matches(app, "#f-debtor-input-matches")
        # The debtors list's own search, in the chosen administration, a few at a time; each
        # match with name, number, town and IBAN.
        chosen = app.screen.query_one("#f-administration").value
        expected = browse.search_debtors(actor, "visser", chosen, 0, 6).rows
        assert shown == [" · ".join([r.name, r.number, r.town, r.iban]) for r in expected]
        assert len(expected) >= 2 and {r.administration for r in expected} == {
            m.Administration.get_by_id(chosen).code
        }
        second_name = shown[1].split(" · ")[0]
        await pilot.press("down", "enter")
        await settle(pilot)
        await wait_until(pilot, lambda: second_name in text_of(app, "#note-debtor"))
        picked = m.Debtor.get(m.Debtor.name == second_name, m.Debtor.administration == chosen)
        assert app.screen.query_one("#f-debtor-input").value == picked.number
        assert app.screen.context.debtor_id == picked.id
        assert app.focused.id == "f-scheme"  # Enter picked and went on, as in every field
        assert not _matches(app, "#f-debtor-input-matches")


async def test_escape_closes_the_list_not_the_form_and_an_exact_number_still_works(demo, database):
    actor = demo()
    app = app_in(database, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MandateFormScreen(administrations=editable_administrations(actor)))
        await settle(pilot)
        chosen = app.screen.query_one("#f-administration").value
        debtor = m.Debtor.select().where(m.Debtor.administration == chosen).order_by(m.Debtor.id).first()
        await type_text(pilot, debtor.town[:4].lower())
        await wait_until(pilot, lambda: _matches(app, "#f-debtor-input-matches"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MandateFormScreen)  # the form stays
        assert not _matches(app, "#f-debtor-input-matches")
        app.screen.query_one("#f-debtor-input").value = ""
        await type_text(pilot, debtor.number)
        await wait_until(pilot, lambda: debtor.name in text_of(app, "#note-debtor"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert m.Mandate.select().where(m.Mandate.debtor == debtor.id).count() >= 1
        assert not isinstance(app.screen, MandateFormScreen)  # saved
        await pilot.press("escape")  # the list closed: Escape is the screen's again


async def test_order_form_picks_by_iban_and_follows_the_debtors_administration(demo, database):
    demo()
    debtor = m.Debtor.select().where(m.Debtor.administration == m.Administration.get(code="KLIM").id).first()
    results: list = []
    app = app_in(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(OrderFormScreen(), results.append)
        await settle(pilot)
        app.screen.query_one("#order-debtor").focus()
        await type_text(pilot, debtor.iban)
        await wait_until(pilot, lambda: len(_matches(app, "#order-debtor-matches")) == 1)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#order-debtor").value == debtor.number
        assert app.screen.query_one("#order-administration").value == "KLIM"
        assert debtor.name in text_of(app, "#order-debtor-name")
        assert app.focused.id == "order-amount"
        await type_text(pilot, "12,50")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert [(r.administration, r.debtor, r.amount) for r in results] == [("KLIM", debtor.number, "12,50")]
