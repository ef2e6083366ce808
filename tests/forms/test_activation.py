"""Activating a mandate with a chosen effective date (#12 item 5): default the date signed
(today without one), not before the signature, not after the end; the same service on the
CLI (`incasso mandate activate REF [--effective DATE]`) and behind the TUI's dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from pilot_helpers import settle

from incasso_tui.cli.main import main
from incasso_tui.core.errors import ValidationError
from incasso_tui.db import models as m
from incasso_tui.i18n import t
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates.lifecycle import MandateInput
from screens.mandates import MandatesScreen
from screens.modals.activate import ActivateScreen

from .helpers import SIZE, app_in, text_of, type_text

TODAY = dt.date(2026, 11, 24)


def _inactive(actor, **dates) -> m.Mandate:
    debtor = m.Debtor.select().where(m.Debtor.is_business == False).first()  # noqa: E712
    return mandates.create_mandate(actor, debtor.id, MandateInput(**dates))


def _activation_summary(mandate_id: int) -> str:
    entry = (
        m.AuditEntry.select()
        .where(m.AuditEntry.action == "mandate.activate", m.AuditEntry.object_id == str(mandate_id))
        .get()
    )
    return entry.summary


def test_the_effective_date_defaults_to_the_date_signed_else_today(demo):
    actor = demo()
    signed = _inactive(actor, signed_date="2026-11-20")
    assert mandates.activate_mandate(actor, signed.id).effective_date == dt.date(2026, 11, 20)
    assert _activation_summary(signed.id).endswith("effective 2026-11-20")
    unsigned = _inactive(actor)
    assert mandates.activate_mandate(actor, unsigned.id).effective_date == TODAY


def test_a_chosen_date_is_checked_against_signature_and_end(demo):
    actor = demo()
    mandate = _inactive(actor, signed_date="2026-11-20", end_date="2027-06-30")
    with pytest.raises(ValidationError) as before:
        mandates.activate_mandate(actor, mandate.id, "19-11-2026")
    assert (before.value.field, before.value.rule) == ("effective date", "must not be before the date signed")
    with pytest.raises(ValidationError) as after:
        mandates.activate_mandate(actor, mandate.id, dt.date(2027, 7, 1))
    assert (after.value.field, after.value.rule) == ("effective date", "must not be after the end date")
    assert m.Mandate.get_by_id(mandate.id).status == "inactive"  # nothing stored
    activated = mandates.activate_mandate(actor, mandate.id, "2026-12-01")
    assert activated.effective_date == dt.date(2026, 12, 1)
    assert _activation_summary(mandate.id).endswith("effective 2026-12-01")


def test_cli_activate_with_and_without_effective(demo, config_file, capsys):
    actor = demo()
    cfg = config_file()
    first = _inactive(actor, signed_date="2026-11-20")
    second = _inactive(actor, signed_date="2026-11-20")
    assert main(["--config", str(cfg), "--user", "tester", "mandate", "activate", first.reference]) == 0
    assert "active from 2026-11-20" in capsys.readouterr().out
    args = ["mandate", "activate", second.reference, "--effective", "03-12-2026"]
    assert main(["--config", str(cfg), "--user", "tester", *args]) == 0
    assert "active from 2026-12-03" in capsys.readouterr().out
    third = _inactive(actor, signed_date="2026-11-20")
    args = ["mandate", "activate", third.reference, "--effective", "2026-11-01"]
    assert main(["--config", str(cfg), "--user", "tester", *args]) != 0
    err = capsys.readouterr().err
    assert "effective date" in err and "before the date signed" in err
    assert m.Mandate.get_by_id(third.id).status == "inactive"


async def test_the_activate_dialog_offers_the_date_signed_and_checks_what_is_typed(demo, database):
    actor = demo()
    mandate = _inactive(actor, signed_date="2026-11-20")
    app = app_in(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MandatesScreen())
        await settle(pilot)
        screen = app.screen
        screen.query_one("#search").value = mandate.reference
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        table = screen.query_one("#list")
        table.focus()
        index = next(i for i, r in enumerate(table.rows_loaded) if r.id == mandate.id)
        table.move_cursor(row=index)
        await pilot.pause()
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ActivateScreen)
        field = app.screen.query_one("#activate-date")
        assert field.value == "20-11-2026"
        field.value = ""
        await type_text(pilot, "19-11-2026")  # before the signature: said at once
        await pilot.pause()
        assert t("must not be before the date signed") in text_of(app, "#activate-error")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ActivateScreen)  # not accepted
        field.value = ""
        await type_text(pilot, "2026-12-01")  # the other way of writing a date
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ActivateScreen)
    stored = m.Mandate.get_by_id(mandate.id)
    assert stored.effective_date == dt.date(2026, 12, 1)
