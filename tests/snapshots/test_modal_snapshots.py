"""The dialogs as a user sees them (#12 item 7): confirm, export, pre-notify, the second look
before processing, F1 help, the reason codes and the new-set wizard, at 80×24
and 160×48, in Dutch and English, compared with the stored SVG snapshot. After an intended
change: `pytest tests/snapshots/test_modal_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pilot_helpers import settle
from snapshot_helpers import SIZES, session, steady

from incasso_tui.app import IncassoApp
from incasso_tui.db import models as m
from incasso_tui.services.collection import sets

# The export and pre-notify dialogs propose a file under HOME: it is fixed too.
SNAPSHOT_ROOT = "/tmp/incasso-modal-snapshots"
SNAPSHOT_SETS_HOME = True


def _set_detail(set_id: int):
    from screens.set_detail import SetDetailScreen

    return SetDetailScreen(set_id)


def _reason_codes(_set_id: int):
    from screens.modals.reason_codes import ReasonCodesScreen

    return ReasonCodesScreen()


# name -> (a screen to push first, given the set id, or None for Home; then the keys pressed)
MODALS: dict[str, tuple[Callable | None, list[str]]] = {
    "confirm": (_set_detail, ["x"]),  # delete the set?
    "second-look": (_set_detail, ["p"]),  # process: the summary before the irreversible
    "prenotify": (_set_detail, ["n"]),
    "export": (None, ["f3", "ctrl+e"]),
    "help": (None, ["f3", "f1"]),
    "reason-codes": (_reason_codes, []),
    "set-wizard": (None, ["f5", "n"]),
}


@pytest.mark.parametrize("modal", list(MODALS))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_modal(snap_compare, demo_db, language: str, size: str, modal: str) -> None:
    url, database = demo_db
    opened = session(url, database, language)
    group = m.BankGroup.select().order_by(m.BankGroup.code).first()
    set_id = sets.create_set(opened.actor, group.code, sets.earliest_date(group)).id
    first, keys = MODALS[modal]

    async def open_modal(pilot) -> None:
        await settle(pilot)
        if first is not None:
            pilot.app.push_screen(first(set_id))
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await steady(pilot)

    assert snap_compare(IncassoApp(opened, run_jobs=False), terminal_size=SIZES[size], run_before=open_modal)
