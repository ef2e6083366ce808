"""The UI keeps working while the App's own job runner processes a large set: keys are handled
and lists load while the job runs, and its progress reaches the queue panel in several steps
(throttled, not once at the end). How long the event loop pauses is measured, not asserted:
bench/ui_responsiveness.py."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from schwifty import IBAN
from textual.events import Key

from incasso_tui.app import IncassoApp
from incasso_tui.core import config as config_mod
from incasso_tui.db import models as m
from incasso_tui.services.auth import resolve_actor
from incasso_tui.services.collection import processing, sets
from incasso_tui.services.demo import creditor_id
from incasso_tui.services.session import Session
from tests.test_app import db_url_of

from .helpers import TODAY

N = 30_000


def big_set(admin) -> int:
    """N eligible orders in one bank group, inserted in bulk (as bench/sets_process.py)."""
    group = m.BankGroup.create(code="ABN", name="ABN AMRO", pain_version="pain.008.001.02")
    adm = m.Administration.create(
        code="ZON", name="Stichting Zon", creditor_id=creditor_id("30123456"), town="Utrecht"
    )
    account = m.BankAccount.create(
        administration=adm,
        bank_group=group,
        bic="ABNANL2A",
        iban=str(IBAN.generate("NL", bank_code="ABNA", account_code="0417164300")),
    )
    ibans = [str(IBAN.generate("NL", bank_code="INGB", account_code=f"{i:010d}")) for i in range(1, 201)]
    for start in range(0, N, 5000):
        k = range(start, min(N, start + 5000))
        m.Debtor.insert_many(
            [
                {
                    "administration": adm.id,
                    "number": f"{i:07d}",
                    "name": f"Zoë {i}",
                    "name_key": f"zoë {i}",
                    "iban": ibans[i % 200],
                }
                for i in k
            ]
        ).execute()
    first_debtor = m.Debtor.select(m.Debtor.id).order_by(m.Debtor.id).scalar()
    for start in range(0, N, 5000):
        k = range(start, min(N, start + 5000))
        m.Mandate.insert_many(
            [
                {
                    "administration": adm.id,
                    "debtor": first_debtor + i,
                    "sequence_number": 1,
                    "reference": f"R{i:07d}",
                    "reference_key": f"R{i:07d}",
                    "creditor_id": adm.creditor_id,
                    "signed_date": TODAY - dt.timedelta(days=40),
                    "status": "active",
                    "effective_date": TODAY - dt.timedelta(days=40),
                }
                for i in k
            ]
        ).execute()
    first_mandate = m.Mandate.select(m.Mandate.id).order_by(m.Mandate.id).scalar()
    for start in range(0, N, 5000):
        k = range(start, min(N, start + 5000))
        m.CollectionOrder.insert_many(
            [
                {
                    "administration": adm.id,
                    "debtor": first_debtor + i,
                    "mandate": first_mandate + i,
                    "bank_account": account.id,
                    "amount_cents": 1000 + i,
                    "requested_date": TODAY + dt.timedelta(days=5),
                    "remittance": f"Factuur {i}",
                }
                for i in k
            ]
        ).execute()
    return sets.create_set(admin, "ABN").id


def rows_shown(app, screen) -> bool:
    table = app.screen.query("#list") if isinstance(app.screen, screen) else None
    return bool(table) and table.first().row_count > 0


async def test_keys_work_while_a_large_set_processes(admin, database, tmp_path):
    if "postgres" in type(database).__name__.lower():
        pytest.skip("one back-end suffices: the runner thread is the same code")
    set_id = big_set(admin)
    outbox = tmp_path / "outbox"
    job_id = processing.process_set(admin, set_id, outbox_dir=outbox)
    cfg = config_mod.from_dict(
        {
            "database": {"url": db_url_of(database)},
            "auth": {"allow_user_flag": True},
            "paths": {"outbox_dir": str(outbox)},
        }
    )
    app = IncassoApp(Session(cfg, database, resolve_actor("tester", True)), run_jobs=True)
    events = []
    async with app.run_test(size=(160, 45)) as pilot:
        from screens.orders import OrdersScreen
        from screens.sets import SetsScreen

        app.job_signal.subscribe(app, lambda event: events.append((event.status, event.done)))
        for _ in range(600):  # until the runner has started the job
            await pilot.pause(0.02)
            if events:
                break
        assert events, "the App's job runner did not start the job"
        # Switch screens as a user would (a key, then wait until the list shows its rows), six
        # times or until the job is done: every screen appears, at least two while it runs.
        shown = []
        screens = [("f4", OrdersScreen), ("f5", SetsScreen)]
        while m.Job.get_by_id(job_id).status == "running" and len(shown) < 6:
            key, screen = screens[len(shown) % 2]
            app.post_message(Key(key, None))
            for _ in range(500):
                await asyncio.sleep(0.01)
                if rows_shown(app, screen):
                    break
            shown.append((rows_shown(app, screen), m.Job.get_by_id(job_id).status == "running"))
        assert all(ok for ok, _ in shown), shown
        # Run on the UI's loop, the job would finish before any screen could show its rows.
        assert sum(1 for _, running in shown if running) >= 2, shown
        for _ in range(3000):
            await pilot.pause(0.02)
            if m.Job.get_by_id(job_id).status in ("done", "failed"):
                break
        await pilot.pause(0.3)
    job = m.Job.get_by_id(job_id)
    assert job.status == "done", job.error
    progress = [done for status, done in events if status == "running"]
    assert len(set(progress)) >= 3, events  # several steps reached the UI, not one at the end
    assert events[-1][0] == "done"
