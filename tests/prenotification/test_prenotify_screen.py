"""Pilot: key n on a set not yet processed → the dialog counts the debtors → letters written,
e-mails queued (only offered with [smtp]); processing then warns about who was not told."""

from __future__ import annotations

import pypdf
from pilot_helpers import db_url_of, make_app, settle

from incasso_tui.app import IncassoApp
from incasso_tui.core import config as config_mod
from incasso_tui.db import models as m
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.services.auth import resolve_actor
from incasso_tui.services.collection import sets
from incasso_tui.services.session import Session

from .helpers import notice_world


def _app_with_smtp(database, port: int) -> IncassoApp:
    cfg = config_mod.from_dict(
        {
            "database": {"url": db_url_of(database)},
            "auth": {"allow_user_flag": True},
            "ui": {"language": "en"},
            "smtp": {"host": "127.0.0.1", "port": port, "security": "none", "from_address": "i@example.org"},
        }
    )
    config_mod._loaded = cfg  # the app's own worker reads the settings its process loaded
    return IncassoApp(Session(cfg, database, resolve_actor("tester", True)), run_jobs=False)


async def _open_dialog(app, pilot, set_id):
    from screens.modals.prenotify import PrenotifyScreen
    from screens.set_detail import SetDetailScreen

    await settle(pilot)
    app.push_screen(SetDetailScreen(set_id))
    await settle(pilot)
    assert app.screen.check_action("prenotify", ()) is True
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(app.screen, PrenotifyScreen)
    return app.screen


async def test_letters_from_the_set_screen(admin, database, tmp_path):
    notice_world(3)
    created = sets.create_set(admin, "ABN")
    app = make_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _open_dialog(app, pilot, created.id)
        summary = str(dialog.query_one("#prenotify-summary").render())
        assert "3" in summary and "2" in summary  # 3 debtors, 2 by e-mail, 1 to print
        assert dialog.query_one("#f-email").disabled  # no [smtp]: no e-mail offered
        dialog.query_one("#f-path").value = str(tmp_path / "letters.pdf")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert len(pypdf.PdfReader(tmp_path / "letters.pdf").pages) == 3
        assert (tmp_path / "letters.csv").is_file()
        detail = app.screen.detail
        assert detail.prenotification["orders_notified"] == 3
        assert "Pre-notified" in str(
            app.screen.query_one("#set-facts").render()
        ) or "Vooraangekondigd" in str(app.screen.query_one("#set-facts").render())


async def test_emails_from_the_set_screen_and_the_process_warning(admin, database, smtp_server):
    inbox, port = smtp_server
    notice_world(3)
    created = sets.create_set(admin, "ABN")
    m.Debtor.update(email="").where(m.Debtor.number == m.Debtor.select(m.Debtor.number).limit(1)).execute()
    app = _app_with_smtp(database, port)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot, created.id)
        assert not dialog.query_one("#f-email").disabled
        dialog.query_one("#f-files").value = False
        dialog.query_one("#f-email").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        job = m.Job.get(m.Job.kind == "prenotify_email")
        assert JobRunner().run_one(job.id) == "done"
        assert sorted(inbox.recipients()) == [
            "debtor1@example.org"
        ]  # debtor0 lost its address; debtor2 has none
        notes: list[str] = []
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("p")  # process: a summary first, then it warns about the two debtors not told
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        warning = next(n for n in notes if "without a pre-notification" in n)
        assert "2 of 3 orders" in warning
