"""Driving the forms: an app in a chosen UI language, the forms opened directly, waiting for
the debtor picker's (debounced) search without any timing assumption."""

from __future__ import annotations

from pilot_helpers import db_url_of, settle

from incasso_tui.app import IncassoApp
from incasso_tui.core import config as config_mod
from incasso_tui.i18n import set_language
from incasso_tui.services.auth import resolve_actor
from incasso_tui.services.session import Session

SIZE = (100, 40)


def app_in(database, language: str = "nl", login: str = "tester") -> IncassoApp:
    raw: dict = {
        "database": {"url": db_url_of(database)},
        "auth": {"allow_user_flag": True},
        "ui": {"language": language},
    }
    app = IncassoApp(Session(config_mod.from_dict(raw), database, resolve_actor(login, True)), run_jobs=False)
    set_language(language)
    return app


async def wait_until(pilot, condition, rounds: int = 200) -> None:
    """Let the app run until `condition()` holds (a debounce timer and a worker between);
    fails after `rounds` short pauses, which is no statement about how long it may take."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
        await settle(pilot, rounds=1)
    assert condition(), "the condition never held"


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space", ".": "full_stop"}.get(ch, ch) for ch in text])
