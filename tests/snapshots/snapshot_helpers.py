"""Helpers of the snapshot tests: the app as the tests open it, and a steady last frame."""

from __future__ import annotations

from pilot_helpers import settle
from textual.widgets import Input

from incasso_tui.core import config as config_mod
from incasso_tui.services.auth import resolve_actor
from incasso_tui.services.session import Session

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


def session(url: str, database, language: str) -> Session:
    cfg = config_mod.from_dict(
        {"database": {"url": url}, "auth": {"allow_user_flag": True}, "ui": {"language": language}}
    )
    return Session(cfg, database, resolve_actor("tester", True))


async def steady(pilot, rounds: int = 3) -> None:
    """A blinking cursor is on or off depending on the moment: keep it on, then settle."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await settle(pilot, rounds=rounds)
