"""Pilot: the Dutch UI shows a service's refusal, a form's field error, the held-back reasons
and the queue's job kinds and phases in Dutch; the CLI still prints the English text."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from pilot_helpers import make_app, settle

from incasso_tui.db import models as m
from incasso_tui.i18n import set_language
from incasso_tui.services.collection import processing, sets

SIZE = (160, 48)


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_refused_delete_of_a_processed_set_is_dutch(demo, database):
    actor = demo()
    set_language("nl")
    created = sets.create_set(actor, "ING")
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        from screens.set_detail import SetDetailScreen

        await settle(pilot)
        app.push_screen(SetDetailScreen(created.id))
        await settle(pilot)
        # Someone else processes the set while this screen still shows it as a draft.
        m.CollectionSet.update(status="processed").where(m.CollectionSet.id == created.id).execute()
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        shown = "\n".join(notices(app))
        assert (
            f"set {created.id} is verwerkt: alleen een nog niet verwerkte set kan worden gewijzigd" in shown
        )
        assert "only a set" not in shown and "processed" not in shown
    assert m.CollectionSet.get_by_id(created.id).status == "processed"  # the refusal held


async def test_an_invalid_iban_in_the_debtor_form_names_the_field_and_the_rule_in_dutch(demo, database):
    demo()
    set_language("nl")
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("down", "n")  # to the table, then "n" is New
        await settle(pilot)
        app.screen.query_one("#f-name").value = "Anouk Bakker"
        app.screen.query_one("#f-iban").value = "NL91ABNA041716430"
        await pilot.press("ctrl+s")
        await settle(pilot)
        note = str(app.screen.query_one("#note-iban").render())
        assert "IBAN" in note and "heeft 17 tekens; een NL-IBAN heeft er 18" in note
        assert "characters" not in note


async def test_the_held_back_reasons_of_a_set_are_dutch(demo, database):
    actor = demo()
    set_language("nl")
    created = sets.create_set(actor, "ING")
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        from screens.set_detail import SetDetailScreen

        await settle(pilot)
        app.push_screen(SetDetailScreen(created.id))
        await settle(pilot)
        detail = app.screen.detail
        assert detail is not None and detail.held_back_by_reason  # the demo holds some back
        heading = str(app.screen.query_one("#set-held-heading").render())
        assert heading.startswith("Tegengehouden") or "Tegengehouden" in heading
        for code in detail.held_back_by_reason:
            assert f"{code}:" not in heading  # no reason shown by its code
        assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+: \d", heading)
        if "b2b_not_registered" in detail.held_back_by_reason:
            assert "B2B niet geregistreerd: " in heading


async def test_the_queue_shows_dutch_job_kinds_and_phases(demo, database, tmp_path):
    actor = demo()
    set_language("nl")
    created = sets.create_set(actor, "ING")
    job_id = processing.process_set(actor, created.id, outbox_dir=tmp_path / "outbox")
    m.Job.update(message="writing file").where(m.Job.id == job_id).execute()
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        from screens.queue import QueueScreen

        await settle(pilot)
        app.push_screen(QueueScreen())
        await settle(pilot)
        table = app.screen.query_one("#list")
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        row = next(r for r in rows if r[0] == str(job_id))
        assert "Set verwerken" in row and "bestand schrijven" in row
        assert "process_set" not in row and "writing file" not in row


def test_the_cli_still_prints_the_english_refusal(demo, database, config_file):
    actor = demo()
    created = sets.create_set(actor, "ING")
    m.CollectionSet.update(status="processed").where(m.CollectionSet.id == created.id).execute()
    database.close()  # the CLI is another process
    config = config_file()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "incasso_tui",
            "--config",
            str(config),
            "--user",
            "tester",
            "set",
            "delete",
            str(created.id),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[2],
    )
    assert proc.returncode == 1, proc.stderr
    assert f"set {created.id} is processed: only a set that is not processed can be changed" in proc.stderr
    assert "verwerkt" not in proc.stderr + proc.stdout
