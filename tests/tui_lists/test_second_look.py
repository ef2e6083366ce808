"""A second look before the irreversible: processing and sending show a summary and wait for
a yes; Escape cancels; re-processing a sent set needs an explicit yes (issue #12 item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import make_app, settle

from incasso_tui.db import models as m
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.services.collection import processing, second_look
from tests.tui_lists.helpers import demo_sets


def _jobs(set_id: int) -> int:
    return sum(1 for j in m.Job.select() if j.kind == "process_set" and str(set_id) in str(j.payload))


def test_the_preview_counts_the_files_processing_writes(demo, tmp_path):
    """The number of files in the summary is the number processing writes after splitting."""
    made = demo_sets(demo)
    admin = demo()
    set_id = made["RABO"]
    m.BankGroup.update(max_per_file=7).where(m.BankGroup.code == "RABO").execute()
    look = second_look.process_preview(admin, set_id)
    assert look.orders > 7 and look.files > 1 and look.max_per_file == 7
    assert sum(n for _, n in look.dates) == look.orders
    job = processing.process_set(admin, set_id, outbox_dir=tmp_path)
    JobRunner().run_one(job)
    cset = m.CollectionSet.get_by_id(set_id)
    written = [f for f in cset.files if not f.get("superseded")]
    assert cset.status == "processed" and len(written) == look.files
    assert sum(f["count"] for f in written) == look.orders
    assert sum(f["total_cents"] for f in written) == look.total_cents
    sent = second_look.send_preview(admin, set_id)
    assert (sent.files, sent.orders, sent.total_cents) == (look.files, look.orders, look.total_cents)


def test_a_user_without_rights_on_the_whole_set_gets_no_preview(demo):
    from incasso_tui.core.errors import Refused

    made = demo_sets(demo)
    with pytest.raises(Refused):
        second_look.process_preview(demo("bram"), made["ABN"])  # support: may not process


async def test_process_and_send_ask_first_and_escape_cancels(demo, database, tmp_path):
    from screens.modals.confirm import ConfirmScreen
    from screens.set_detail import SetDetailScreen

    made = demo_sets(demo)
    set_id = made["ABN"]
    delivery = tmp_path / "to-the-bank"
    delivery.mkdir()
    m.BankGroup.update(delivery_dir=str(delivery)).where(m.BankGroup.code == "ABN").execute()
    app = make_app(database)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.push_screen(SetDetailScreen(set_id))
        await settle(pilot)
        detail = app.screen.detail
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = str(app.screen.query_one("#confirm-message").content)
        look = second_look.process_preview(demo(), set_id)
        assert look.orders > 0 and look.orders <= detail.orders
        assert "Bankgroep: ABN" in text and f"Incasso-opdrachten: {look.orders}  ·" in text
        assert "Incassodata: " in text and f"Bestanden: {look.files}" in text
        await pilot.press("escape")  # cancelled: nothing queued
        await settle(pilot)
        assert isinstance(app.screen, SetDetailScreen)
        assert _jobs(set_id) == 0 and m.CollectionSet.get_by_id(set_id).status == "open"
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert _jobs(set_id) == 1 and m.CollectionSet.get_by_id(set_id).status == "queued"
        assert JobRunner().run_pending(once=True) == 1
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen.detail.status == "processed"
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = str(app.screen.query_one("#confirm-message").content)
        assert f"Afgeleverd in: {delivery}" in text and f"Bestanden: {look.files}" in text
        await pilot.press("escape")
        await settle(pilot)
        assert m.CollectionSet.get_by_id(set_id).status == "processed" and not list(delivery.iterdir())
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert m.CollectionSet.get_by_id(set_id).status == "sent"
        assert len([p for p in Path(delivery).iterdir() if p.suffix == ".xml"]) == look.files
        # re-processing a sent set: the dialog says so, and Enter (on "No") does nothing
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.default_yes is False  # "No" has the focus
        await pilot.press("enter")
        await settle(pilot)
        assert _jobs(set_id) == 1 and m.CollectionSet.get_by_id(set_id).status == "sent"
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert _jobs(set_id) == 2 and m.CollectionSet.get_by_id(set_id).status == "queued"
