"""The forms as a user sees them (#12 items 5 and 7): the mandate, order and debtor forms and
the activate dialog, at 80×24 and 160×48, in Dutch and English, compared with the stored SVG
snapshot (pytest-textual-snapshot). After an intended change:
`pytest tests/snapshots/test_forms_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pilot_helpers import settle
from snapshot_helpers import SIZES, session, steady

from incasso_tui.app import IncassoApp
from incasso_tui.services.debtors import editable_administrations
from screens.modals.activate import ActivateScreen
from screens.modals.debtor_form import DebtorFormScreen
from screens.modals.mandate_form import MandateFormScreen
from screens.modals.order_form import OrderFormScreen

SNAPSHOT_ROOT = "/tmp/incasso-form-snapshots"
FORMS = {  # name -> the form, given the administrations the user may change
    "mandate-form": lambda adms: MandateFormScreen(administrations=adms),
    "order-form": lambda adms: OrderFormScreen(),
    "debtor-form": lambda adms: DebtorFormScreen(administrations=adms, administration_id=adms[0][0]),
    "activate": lambda adms: ActivateScreen("10001-2", dt.date(2026, 11, 20), None, dt.date(2026, 11, 24)),
}


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_form(snap_compare, demo_db, language: str, size: str, form: str) -> None:
    url, database = demo_db
    opened = session(url, database, language)
    app = IncassoApp(opened, run_jobs=False)
    administrations = editable_administrations(opened.actor)

    async def open_form(pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(FORMS[form](administrations))
        await settle(pilot, rounds=3)
        await steady(pilot, rounds=2)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=open_form)
