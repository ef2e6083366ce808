"""The Home tile and the readiness screen, driven by Textual's Pilot: the tile shows the
counts and opens the report (key and click); the report lists the groups and their objects
readably at 80×24 and 160×48; Enter opens an object where a screen for it exists."""

from __future__ import annotations

import pytest
from pilot_helpers import make_app, settle
from textual.content import Content
from textual.widgets import OptionList, Static

from incasso_tui.db import models as m
from incasso_tui.services.auth import actor_for
from incasso_tui.services.readiness import readiness_report


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def visible(app, widget) -> bool:
    """The widget is laid out and at least partly inside the terminal."""
    return widget.region.area > 0 and app.screen.region.overlaps(widget.region)


def option_texts(option_list: OptionList) -> list[str]:
    """The options as shown (markup applied)."""
    prompts = (option_list.get_option_at_index(i).prompt for i in range(option_list.option_count))
    return [Content.from_markup(str(prompt)).plain for prompt in prompts]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_home_tile_shows_the_counts_and_k_opens_the_report(demo, database, size):
    report = readiness_report(demo(), limit=0)
    assert report.blocking and report.warnings  # the demo has both
    app = make_app(database)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        tile = app.screen.query_one("#card-readiness")
        assert visible(app, tile)
        expected = f"{report.blocking} blokkerend, {report.warnings} waarschuwing"
        assert expected in text_of(app.screen, "#card-readiness")
        assert tile.has_class("-blocking")

        await pilot.press("k")
        await settle(pilot)
        assert app.screen.AREA == "readiness"
        summary = app.screen.query_one("#readiness-summary")
        option_list = app.screen.query_one("#readiness-list", OptionList)
        assert visible(app, summary) and visible(app, option_list)
        assert expected in text_of(app.screen, "#readiness-summary")
        texts = option_texts(option_list)
        # Every group that found something: its title (in Dutch) with its count, then objects.
        assert any("Bankgroepen zonder aflevering: 3" in x for x in texts)
        assert any("Machtigingen die binnen 60 dagen verlopen" in x for x in texts)
        assert any("Bankgroep ABN" in x for x in texts)
        # Long lines wrap instead of running off to the right, and the first group with its
        # first object is on the screen as it opens.
        assert option_list.max_scroll_x == 0
        shown = app.export_screenshot().replace("&#160;", " ")
        for words in ("Blokkerend", "Bankgroepen zonder aflevering", "Bankgroep", "ABN AMRO"):
            assert words in shown, words
        # The cursor starts on the first object, not on a heading.
        assert app.screen.selected_item() is not None
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.AREA == "home"


async def test_a_click_on_the_tile_opens_the_report(demo, database):
    app = make_app(database)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.click("#card-readiness")
        await settle(pilot)
        assert app.screen.AREA == "readiness"


async def _enter_on(pilot, key: str) -> None:
    option_list = pilot.app.screen.query_one("#readiness-list", OptionList)
    option_list.highlighted = option_list.get_option_index(key)
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


async def test_enter_opens_the_object(demo, database):
    report = readiness_report(demo(), limit=50)
    b2b = next(g for g in report.groups if g.key == "b2b_not_registered")
    held = next(g for g in report.groups if g.key == "orders_without_usable_mandate")
    app = make_app(database)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        readiness = app.screen

        await _enter_on(pilot, "b2b_not_registered:0")  # a mandate: its own screen
        assert app.screen.AREA == "mandate" and app.screen.mandate_id == b2b.items[0].id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is readiness

        await _enter_on(pilot, "orders_without_usable_mandate:0")  # an order: its debtor
        assert app.screen.AREA == "debtor" and app.screen.debtor.id == held.items[0].debtor_id
        assert app.screen.debtor.number == m.Debtor.get_by_id(held.items[0].debtor_id).number
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is readiness

        await _enter_on(pilot, "bank_groups_without_delivery:0")  # admin: the bank groups list
        assert app.screen.AREA == "bank_groups"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is readiness


async def test_a_problem_put_right_is_gone_when_coming_back(demo, database):
    app = make_app(database)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        await _enter_on(pilot, "bank_groups_without_delivery:0")
        m.BankGroup.update(delivery_dir="/srv/bank").execute()  # as if set on that screen
        await pilot.press("escape")
        await settle(pilot)
        texts = option_texts(app.screen.query_one("#readiness-list", OptionList))
        assert not any("Bankgroepen zonder aflevering" in x and ": 3" in x for x in texts)
        assert any("✓ Bankgroepen zonder aflevering" in x for x in texts)


async def test_support_user_sees_own_administrations_and_cannot_open_admin_lists(demo, database):
    app = make_app(database, "bram")  # support, ZON only
    bram = actor_for(m.User.get(m.User.login == "bram"))
    report = readiness_report(bram, limit=50)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert app.screen.AREA == "readiness"
        items = app.screen.items.values()
        assert items and {i.administration for i in items} <= {"ZON", ""}
        assert len(items) == sum(len(g.items) for g in report.groups)
        await _enter_on(pilot, "bank_groups_without_delivery:0")
        assert app.screen.AREA == "readiness"  # refused with a message, not opened


async def test_empty_database_shows_ready(admin, database):
    app = make_app(database)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "SetupWizardScreen"  # an admin, nothing set up yet
        await pilot.press("escape")
        await settle(pilot)
        assert "Gereed voor de volgende incasso" in text_of(app.screen, "#card-readiness")
        assert app.screen.query_one("#card-readiness").has_class("-ready")
        await pilot.press("k")
        await settle(pilot)
        assert app.screen.selected_item() is None
        texts = option_texts(app.screen.query_one("#readiness-list", OptionList))
        assert texts[0].startswith("Niets gevonden") and len(texts) == 10
