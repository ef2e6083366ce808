"""An end date before the effective date (#12 item 5): warned in the form as it is typed,
refused by the service with both fields named."""

from __future__ import annotations

import pytest
from pilot_helpers import settle

from incasso_tui.core.errors import ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.i18n import t
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates.lifecycle import MandateInput
from screens.modals.mandate_form import MandateFormScreen

from .helpers import SIZE, app_in, text_of, type_text


def test_the_service_refuses_an_end_before_the_effective_date(demo):
    actor = demo()
    debtor = m.Debtor.select().first()
    with pytest.raises(ValidationErrors) as refused:
        mandates.create_mandate(
            actor, debtor.id, MandateInput(effective_date="2026-12-10", end_date="01-12-2026")
        )
    assert [(e.field, e.rule) for e in refused.value.errors] == [
        ("end date", "must not be before the effective date")
    ]
    same_day = mandates.create_mandate(
        actor, debtor.id, MandateInput(effective_date="2026-12-10", end_date="2026-12-10")
    )
    assert same_day.end_date == same_day.effective_date  # one day is a choice, not an error


async def test_the_form_warns_while_typing_and_does_not_save(demo, database):
    demo()
    debtor = m.Debtor.select().first()
    before = m.Mandate.select().count()
    app = app_in(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MandateFormScreen(debtor_id=debtor.id))
        await settle(pilot)
        app.screen.query_one("#f-effective_date").focus()
        await type_text(pilot, "10-12-2026")
        app.screen.query_one("#f-end_date").focus()
        await type_text(pilot, "01-12-2026")
        await pilot.pause()
        warning = t("must not be before the effective date")
        assert warning in text_of(app, "#note-end_date")
        assert app.screen.query_one("#note-end_date").has_class("-error")
        # Moving the effective date back lifts the warning at once.
        app.screen.query_one("#f-effective_date").value = "2026-11-20"
        await pilot.pause()
        assert warning not in text_of(app, "#note-end_date")
        app.screen.query_one("#f-effective_date").value = "2026-12-10"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MandateFormScreen)
        assert warning in text_of(app, "#note-end_date")
    assert m.Mandate.select().count() == before
