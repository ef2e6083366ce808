"""ctrl+e on a list: the export dialog writes the list as it is searched, on a worker."""

from __future__ import annotations

from pilot_helpers import make_app, settle

from incasso_tui.i18n import set_language
from incasso_tui.services import browse
from incasso_tui.services.exports import sources

from .helpers import read_csv, read_xlsx


async def _type(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def test_ctrl_e_exports_the_searched_mandates_list(demo, database, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    app = make_app(database)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("slash")
        await _type(pilot, "jan")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExportScreen"
        path_input = app.screen.query_one("#export-path")
        # the default: ~/incasso-exports/mandates-<today>.csv, its directory made on export
        assert path_input.value == str(tmp_path / "home" / "incasso-exports" / "mandates-2026-11-24.csv")
        await pilot.press("enter")
        await settle(pilot, rounds=4)
        assert type(app.screen).__name__ == "MandatesScreen"
        notes = [n.message for n in app._notifications]
        assert any("geëxporteerd naar" in n for n in notes), notes

    target = tmp_path / "home" / "incasso-exports" / "mandates-2026-11-24.csv"
    assert (target.parent.stat().st_mode & 0o777) == 0o700
    _header, rows = read_csv(target)
    expected = browse.search_mandates(demo(), browse.MandateFilter(search="jan"), 0, 10**6).rows
    assert 0 < len(rows) == len(expected) < 350
    assert [r[0] for r in rows] == [m.reference for m in expected]


async def test_xlsx_and_a_bad_path_in_the_dialog(demo, database, tmp_path):
    app = make_app(database)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")  # debtors
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#export-xlsx").value = True
        await settle(pilot)
        field = screen.query_one("#export-path")
        assert field.value.endswith(".xlsx")  # the name follows the format
        field.value = str(tmp_path / "missing" / "d.xlsx")
        await pilot.press("enter")
        await settle(pilot, rounds=4)
        assert app.screen is screen  # still open, with the rule
        error = str(screen.query_one("#export-error").render())
        assert "file" in error and "does not exist" in error
        field.value = str(tmp_path / "d.xlsx")
        await pilot.press("enter")
        await settle(pilot, rounds=4)
        assert app.screen is not screen
    _header, cells = read_xlsx(tmp_path / "d.xlsx")
    assert len(cells) == 300


def test_the_export_columns_are_the_list_screens_columns(demo):
    """'Same columns': the headers of every exported list are those its screen shows."""
    from screens.admin import (
        AdministrationsScreen,
        BankAccountsScreen,
        BankGroupsScreen,
        InvoiceTypesScreen,
        UsersScreen,
    )
    from screens.debtors import DebtorsScreen
    from screens.feedback import FeedbackScreen
    from screens.mandates import MandatesScreen
    from screens.orders import OrdersScreen
    from screens.queue import QueueScreen
    from screens.sets import SetsScreen

    set_language("nl")
    for screen in (
        MandatesScreen,
        DebtorsScreen,
        OrdersScreen,
        SetsScreen,
        FeedbackScreen,
        QueueScreen,
        AdministrationsScreen,
        BankGroupsScreen,
        BankAccountsScreen,
        InvoiceTypesScreen,
        UsersScreen,
    ):
        shown = [c.label for c in screen.columns(None)]
        exported = [c.label for c in sources.source(screen.EXPORT).columns]
        assert shown == exported, screen.__name__
