"""A language chosen in Settings applies at once, without a restart: the Home screen under
Settings, Settings itself, their titles and the footer's keys speak it (nl -> en -> de)."""

from __future__ import annotations

from pilot_helpers import make_app, settle
from textual.widgets import Select
from textual.widgets._footer import FooterKey

from incasso_tui import i18n
from incasso_tui.core.state import read_state

SIZE = (160, 48)


def footer_keys(screen) -> set[str]:
    return {key.description for key in screen.query(FooterKey)}


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def choose(pilot, code: str) -> None:
    pilot.app.screen.query_one("#language", Select).value = code
    await settle(pilot, rounds=3)


async def test_a_language_applies_at_once(demo, database):
    i18n.set_language("nl")
    app = make_app(database)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "Debiteuren" in shown(app.screen, "#menu")
            await pilot.press("f7")
            await settle(pilot)
            assert app.screen.AREA == "settings"
            assert "Instellingen" in shown(app.screen, "#app-header")

            for code, settings, debtors, quit_key in (
                ("en", "Settings", "Debtors", "Quit"),
                ("de", "Einstellungen", "Debitoren", "Beenden"),
                ("nl", "Instellingen", "Debiteuren", "Afsluiten"),
            ):
                await choose(pilot, code)
                assert app.screen.AREA == "settings"
                assert settings in shown(app.screen, "#app-header")
                assert quit_key in footer_keys(app.screen)
                assert app.screen.query_one("#language", Select).value == code
                assert [getattr(s, "AREA", None) for s in app.screen_stack[1:]] == ["home", "settings"]
                await pilot.press("escape")  # back to the Home screen, rebuilt in the new language
                await settle(pilot)
                assert app.screen.AREA == "home"
                assert debtors in shown(app.screen, "#menu")
                assert quit_key in footer_keys(app.screen)
                assert read_state(app.session.config.state_file)["language"] == code
                await pilot.press("f7")
                await settle(pilot)
    finally:
        i18n.set_language("nl")


async def test_lists_opened_after_the_change_speak_the_new_language(demo, database):
    i18n.set_language("nl")
    app = make_app(database)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f3")
            await settle(pilot)
            assert "Debiteur" in headers(app.screen)
            await pilot.press("f7")  # Settings replaces the list above Home
            await settle(pilot)
            await choose(pilot, "de")
            await pilot.press("f3")
            await settle(pilot)
            assert "Mandate" in shown(app.screen, "#app-header")
            assert {"Debitor", "Status"} <= set(headers(app.screen))
    finally:
        i18n.set_language("nl")


def headers(screen) -> list[str]:
    return [str(column.label) for column in screen.query_one("#list").columns.values()]
