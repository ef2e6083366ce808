"""Keys a role may not use are hidden, not shown dimmed (issue #12 item 4c); a load that
fails never leaves "Loading…" on the screen (item 4b); a limited user opens a set that
spans administrations (item 4a)."""

from __future__ import annotations

from pilot_helpers import make_app, settle

from tests.tui_lists.helpers import demo_sets, footer_actions, spanning_set

# action -> the screens where it is a key (n Nieuw, p Verwerken, v Versturen, x Verwijderen…)
_SETS = {"new_set"}
_SET_DETAIL = {"process", "send", "delete_set", "change_date", "add_orders", "remove_order", "prenotify"}
_ORDERS = {"new_order", "cancel_order"}
_MANDATES = {"new_mandate", "end_mandate", "edit_mandate"}


async def _footer_of(app, pilot, screen, *, table: bool = False) -> set[str]:
    app.push_screen(screen)
    await settle(pilot)
    await settle(pilot)
    if table:
        await pilot.press("down")  # from the search box to the table, as a user would
        await settle(pilot)
    shown = footer_actions(app.screen)
    app.pop_screen()
    await settle(pilot)
    return shown


async def _footers(database, login: str, set_id: int) -> dict[str, set[str]]:
    from screens.mandates import MandatesScreen
    from screens.orders import OrdersScreen
    from screens.set_detail import SetDetailScreen
    from screens.sets import SetsScreen

    app = make_app(database, login)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        return {
            "sets": await _footer_of(app, pilot, SetsScreen()),
            "set": await _footer_of(app, pilot, SetDetailScreen(set_id)),
            "orders": await _footer_of(app, pilot, OrdersScreen(), table=True),
            "mandates": await _footer_of(app, pilot, MandatesScreen(), table=True),
        }


async def test_support_staff_see_no_keys_they_may_not_use(demo, database):
    made = demo_sets(demo)
    set_id = made["ABN"]  # ZON only: bram sees all of it
    for login in ("bram", "dirk"):
        shown = await _footers(database, login, set_id)
        assert not shown["sets"] & _SETS, login
        assert not shown["set"] & _SET_DETAIL, login
        assert not shown["orders"] & _ORDERS, login
        assert not shown["mandates"] & _MANDATES, login
        assert "back" in shown["set"]  # the footer is there, only the keys are gone


async def test_an_admin_sees_the_keys(demo, database):
    made = demo_sets(demo)
    shown = await _footers(database, "tester", made["ABN"])
    assert shown["sets"] >= _SETS
    assert {"process", "delete_set", "change_date"} <= shown["set"]
    assert "new_order" in shown["orders"] and "new_mandate" in shown["mandates"]


async def test_a_limited_user_opens_a_set_spanning_administrations(demo, database):
    from screens.set_detail import SetDetailScreen

    made = demo_sets(demo)
    set_id = spanning_set(made, "anna", demo)  # anna may process, not every administration here
    app = make_app(database, "anna")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.push_screen(SetDetailScreen(set_id))
        await settle(pilot)
        await settle(pilot)
        screen = app.screen
        assert screen.detail is not None and screen.detail.hidden_orders > 0
        title = str(screen.query_one("#set-title").content)
        assert "Laden…" not in title and f"Set {set_id}" in title
        facts = str(screen.query_one("#set-facts").content)
        assert f"{screen.detail.hidden_orders} opdrachten van andere administraties verborgen" in facts
        # acting on the whole set is not hers: the keys are hidden, not dimmed
        assert not footer_actions(screen) & {"process", "send", "delete_set", "change_date"}
        await pilot.press("p")
        await settle(pilot)
        assert app.screen is screen  # no summary, nothing queued


async def test_a_failing_load_shows_why_instead_of_loading(demo, database):
    from screens.set_detail import SetDetailScreen

    demo()
    app = make_app(database, "bram")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(SetDetailScreen(987654))  # no such set
        await settle(pilot)
        await settle(pilot)
        title = str(app.screen.query_one("#set-title").content)
        assert "Laden…" not in title
        assert title.startswith("Laden mislukt") and "987654" in title
