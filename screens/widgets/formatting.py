"""How values look in tables: dates, money (integer cents), yes/no."""

from __future__ import annotations

import datetime as dt

from incasso_tui.core.money import amount_text
from incasso_tui.i18n import language, t


def date_text(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M") if language() == "nl" else value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%d-%m-%Y") if language() == "nl" else value.isoformat()


def money_text(cents: int) -> str:
    return amount_text(cents, language())


def yes_no(value: bool) -> str:
    return t("yes") if value else t("no")
