"""The Reports screen driven by Pilot: opened from Home with t, a chart above a table whose
rows are the report's, the three reports by 1 2 3, the months by s, a limited user's scope;
and the Home screen's trend of the last twelve months."""

from __future__ import annotations

from pilot_helpers import make_app, settle
from sets.helpers import operator
from textual.widgets import DataTable, Input, Sparkline
from textual_plotext import PlotextPlot

from reports import seed


async def test_reports_from_home_with_chart_and_table(admin, database):
    known = seed.collections()
    operator("zonly", known["zon"])
    app = make_app(database)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        trend = app.screen.query_one("#home-sparkline", Sparkline)
        assert list(trend.data or [])[-2:] == [13000, 12000]
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert screen.AREA == "reports"
        chart = screen.query_one("#reports-chart", PlotextPlot)
        table = screen.query_one("#reports-table", DataTable)
        assert chart.region.height >= 7 and table.region.y > chart.region.y  # the chart above
        assert table.row_count == 4
        assert [str(c) for c in table.get_row_at(1)[:5]] == ["2026-10", "ZON", known["iban_a"], "3", "60,00"]
        await pilot.press("2")
        await settle(pilot)
        assert screen.report.name == "rejects" and table.row_count == 5
        await pilot.press("s")
        await settle(pilot)
        assert table.row_count == 13 and str(table.get_row_at(12)[4]) == "83,33 %"
        # A period typed in the From field.
        await pilot.click("#reports-from")
        for key in "01-11-2026":
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.report.date_from.isoformat() == "2026-11-01" and table.row_count == 2
        await pilot.press("3")
        await settle(pilot)
        assert screen.report.name == "mandates" and table.row_count > 0


async def test_a_limited_user_sees_only_their_administrations(admin, database):
    known = seed.collections()
    operator("zonly", known["zon"])
    app = make_app(database, login="zonly")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        table = app.screen.query_one("#reports-table", DataTable)
        assert {str(table.get_row_at(i)[1]) for i in range(table.row_count)} == {"ZON"}
        # Dutch, the default language: the screen's own catalogue part.
        assert app.screen.query_one("#reports-from", Input).placeholder == "datum"
        assert str(table.columns[next(iter(table.columns))].label) == "Maand"
