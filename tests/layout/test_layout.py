"""Layout at 80×24 and 160×48 in Dutch, English and German (#12 item 7): no column header is
cut, Home shows its menu and every count on its label's line without scrolling, and the footer's
keys fit at 80 columns."""

from __future__ import annotations

import pytest
from pilot_helpers import db_url_of, settle
from rich.cells import cell_len
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from incasso_tui import i18n
from incasso_tui.app import IncassoApp
from incasso_tui.core import config as config_mod
from incasso_tui.services.auth import resolve_actor
from incasso_tui.services.session import Session
from tests.tui_lists.helpers import demo_sets

LANGUAGES = ["nl", "en", "de"]
LISTS = [  # every area that shows a table
    "debtors",
    "mandates",
    "orders",
    "sets",
    "queue",
    "feedback",
    "audit",
    "reports",
    "administrations",
    "bank_groups",
    "bank_accounts",
    "invoice_types",
    "users",
]


def app_in(database, language: str) -> IncassoApp:
    cfg = config_mod.from_dict(
        {
            "database": {"url": db_url_of(database)},
            "auth": {"allow_user_flag": True},
            "ui": {"language": language},
        }
    )
    return IncassoApp(Session(cfg, database, resolve_actor("tester", True)), run_jobs=False)


def cut_headers(screen) -> list[str]:
    """The header labels of the screen's tables that are narrower shown than written."""
    cut = []
    for table in screen.query(DataTable):
        for column in table.columns.values():
            shown = column.get_render_width(table) - 2 * table.cell_padding
            if shown < cell_len(column.label.plain):
                cut.append(f"{table.id}: {column.label.plain!r} in {shown}")
    return cut


@pytest.fixture(autouse=True)
def _dutch_after():
    yield
    i18n.set_language("nl")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_no_column_header_is_cut(demo, database, language: str) -> None:
    from screens.set_detail import SetDetailScreen

    set_id = next(iter(demo_sets(demo).values()))
    app = app_in(database, language)
    cut: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for area in LISTS:
            app.push_screen(app.make_screen(area))
            await settle(pilot)
            cut += [f"{area} {found}" for found in cut_headers(app.screen)]
            app.pop_screen()
            await settle(pilot)
        app.push_screen(SetDetailScreen(set_id))
        await settle(pilot)
        cut += [f"set detail {found}" for found in cut_headers(app.screen)]
    assert cut == []


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
@pytest.mark.parametrize("language", LANGUAGES)
async def test_home_shows_menu_and_counts_without_scrolling(demo, database, language, size) -> None:
    app = app_in(database, language)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, rounds=3)
        screen = app.screen
        scroll = screen.query_one("#home-scroll")
        assert scroll.max_scroll_y == 0, "Home scrolls: part of it is out of sight"
        menu = screen.query_one("#menu", Static)
        assert menu.region.bottom <= scroll.region.bottom and menu.region.width > 0
        assert i18n.t("Debtors") in str(menu.render()) and i18n.t("Users") in str(menu.render())
        for card in screen.query(".card").results(Static):
            if not card.display:
                continue
            lines = str(card.render()).splitlines()
            # Each figure on its label's line: no line is wrapped below its label.
            assert card.content_region.width >= max(cell_len(line) for line in lines), lines
            assert card.region.bottom <= scroll.region.bottom
        orders = str(screen.query_one("#card-orders", Static).render())
        assert f"{i18n.t('Orders not processed')}: " in orders
        assert any(
            line.startswith(i18n.t("Orders not processed")) and line[-1].isdigit()
            for line in orders.splitlines()
        )


@pytest.mark.parametrize("language", LANGUAGES)
async def test_footer_keys_fit_at_80_columns(demo, database, language: str) -> None:
    app = app_in(database, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for keys in ([], ["f3", "down"], ["f5", "down"]):
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            footer = app.screen.query_one("AppFooter")
            shown = list(footer.query(FooterKey))
            # Every key whole on the line (the palette key is docked right, beside them).
            width = sum(key.outer_size.width + key.styles.margin.width for key in shown)
            assert width <= footer.size.width, [key.description for key in shown]
            actions = {key.action for key in shown}
            assert {"app.quit", "app.help"} <= actions or {"quit", "help"} <= actions, actions
            if keys:  # a list with its table focused offers its own keys, not only the app's
                assert actions - {"quit", "help", "back", "app.quit", "app.help", "screen.back"}
            await pilot.press("escape")
            await settle(pilot)
