"""The app shell driven by Textual's Pilot: every area by keys, Escape back, help,
rights in the UI, search, settings written to the state file (never config.toml)."""

from __future__ import annotations

import pytest
from pilot_helpers import db_url_of as db_url_of  # re-exported: tests/sets import it from here
from pilot_helpers import make_app, settle

from incasso_tui.app import IncassoApp
from incasso_tui.core import config as config_mod
from incasso_tui.core.state import read_state
from incasso_tui.db import database as db

SIZE = (150, 45)


def table_rows(screen) -> int:
    return len(screen.query_one("#list").rows_loaded)


@pytest.mark.parametrize(
    "key, area",
    [
        ("d", "debtors"),
        ("m", "mandates"),
        ("o", "orders"),
        ("c", "sets"),
        ("w", "queue"),
        ("s", "settings"),
        ("a", "administrations"),
        ("b", "bank_groups"),
        ("u", "users"),
    ],
)
async def test_every_area_by_key_and_escape_back(demo, database, key, area):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.AREA == "home"
        await pilot.press(key)
        await settle(pilot)
        assert area == app.screen.AREA
        if area != "settings":
            assert app.screen.query_one("#list").total is not None  # the list loaded
        if area not in ("settings", "sets", "queue"):  # the demo has no sets or jobs yet
            assert table_rows(app.screen) > 0
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.AREA == "home"


async def test_function_keys_switch_areas_without_growing_the_stack(demo, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, area in (
            ("f2", "debtors"),
            ("f3", "mandates"),
            ("f4", "orders"),
            ("f5", "sets"),
            ("f6", "queue"),
            ("f7", "settings"),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert area == app.screen.AREA
        assert len(app.screen_stack) == 3  # default, home, current area
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.AREA == "home"


async def test_home_shows_counts_within_rights(demo, database):
    app = make_app(database, "bram")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#card-mandates").render())
        from incasso_tui.db import models as m

        zon = m.Administration.get(m.Administration.code == "ZON")
        active = (
            m.Mandate.select()
            .where((m.Mandate.administration == zon) & (m.Mandate.status == "active"))
            .count()
        )
        assert f"{active}" in text
        menu = str(app.screen.query_one("#menu").render())
        assert "Gebruikers" not in menu  # admin areas are not offered to support staff


async def test_support_user_cannot_open_admin_areas(demo, database):
    app = make_app(database, "bram")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.AREA == "home"
        await pilot.press("f8")
        await settle(pilot)
        assert app.screen.AREA == "home"


async def test_mandate_list_only_shows_visible_administrations_and_searches(demo, database):
    app = make_app(database, "bram")  # support, ZON only
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        rows = app.screen.query_one("#list").rows_loaded
        assert rows and {r.administration for r in rows} == {"ZON"}
        first = rows[0]  # the list opens in its search box: typing searches
        for ch in first.debtor_number:
            await pilot.press(ch)
        await pilot.pause(0.3)
        await settle(pilot)
        rows = app.screen.query_one("#list").rows_loaded
        assert rows and all(
            r.debtor_number.startswith(first.debtor_number)
            or first.debtor_number.lower() in r.debtor_name.lower()
            for r in rows
        )
        await pilot.press("escape")  # leaves the search box, stays on the screen
        await settle(pilot)
        assert app.screen.AREA == "mandates"
        await pilot.press("s")  # status filter: inactive
        await settle(pilot)
        assert {r.status for r in app.screen.query_one("#list").rows_loaded} <= {"inactive"}


async def test_mandate_views_sort_by_date(demo, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("5")  # by last collection, newest first, empty last
        await settle(pilot)
        dates = [r.last_collection for r in app.screen.query_one("#list").rows_loaded]
        present = [d for d in dates if d is not None]
        assert present == sorted(present, reverse=True)
        assert dates[: len(present)] == present


async def test_list_pages_from_the_database(demo, database):
    app = make_app(database)
    app.session.config.page_size = 50
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        table = app.screen.query_one("#list")
        assert len(table.rows_loaded) == 50 and table.total == 350
        await pilot.press("down")  # from the search box to the table
        await pilot.press("G")  # to the end of what is loaded: the next page follows
        await settle(pilot)
        assert len(table.rows_loaded) == 100


async def test_help_shows_keys_of_the_screen(demo, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        from textual.widgets import Markdown

        text = app.screen.query_one(Markdown).source
        assert "Statusfilter" in text and "1–5" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.AREA == "mandates"


async def test_theme_choice_goes_to_state_file_not_config(demo, database, tmp_path):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    assert read_state(app.session.config.state_file)["theme"] == "nord"
    assert not config_mod.paths.default_config_file().exists()


async def test_ctrl_c_needs_a_second_press(demo, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert app.is_running
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0


async def test_app_runs_queued_jobs_and_shows_progress_on_every_screen(demo, database):
    from incasso_tui.db import models as m
    from incasso_tui.jobs import queue

    job = queue.enqueue("sleep", {"steps": 8, "seconds": 3.2}, demo().user_id)
    app = IncassoApp(make_app(database).session, run_jobs=True)
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")  # progress shows whatever screen is open
        for _ in range(600):  # until done; generous: a loaded machine starts the runner late
            await pilot.pause(0.05)
            text = str(app.screen.query_one("#queue-panel").render())
            if "Testtaak" in text and "%" in text:  # the job kind's Dutch label
                seen.append(text)
            if db.in_connection(lambda: m.Job.get_by_id(job.id).status) == "done":
                break
        await pilot.pause(0.3)
        final = str(app.screen.query_one("#queue-panel").render())
    assert seen and "Taak" in seen[0]
    assert db.in_connection(lambda: m.Job.get_by_id(job.id).status) == "done"
    assert "Testtaak" not in final  # the bar goes when the job is done


async def test_keymap_from_config_remaps_a_binding(demo, database):
    app = make_app(database)
    app.session.config.keymap = {"open-mandates": "f9"}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen.AREA == "mandates"


async def test_queue_keys_follow_what_the_job_allows(demo, database):
    from incasso_tui.db import models as m
    from incasso_tui.jobs import queue

    job = queue.enqueue("sleep", {}, demo().user_id)
    m.Job.update(status="failed").where(m.Job.id == job.id).execute()
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert app.screen.AREA == "queue"
        assert app.screen.check_action("retry_job", ()) is True
        assert app.screen.check_action("cancel_job", ()) is None
