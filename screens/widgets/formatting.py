"""How values look in tables: dates, money (integer cents), yes/no; and stored text made
safe to show (no control characters reach the terminal, no markup in data is obeyed)."""

from __future__ import annotations

import datetime as dt

from rich.highlighter import Highlighter
from rich.markup import escape as markup_escape
from rich.text import Text

from incasso_tui.core.money import amount_text
from incasso_tui.core.terminal_text import UNSAFE, escape_terminal, picture_terminal
from incasso_tui.i18n import language, t


def escape(value: object) -> str:
    """Text from data or input for a markup string (a Static, a label): control characters
    and bidirectional overrides written as \\uXXXX (core.terminal_text), markup escaped.
    Use it instead of rich.markup.escape wherever stored text is shown."""
    return markup_escape(escape_terminal(value))


def plain(value: object) -> Text:
    """Text from data as a Rich Text: never read as markup, unsafe characters escaped."""
    return Text(escape_terminal(value), end="")


class _ControlPictures(Highlighter):
    """Shows an Input's unsafe characters as visible ones (␛, �) without changing its value
    or the length the cursor counts (an edit form may be filled with stored text)."""

    def highlight(self, text: Text) -> None:
        plain = text.plain
        if UNSAFE.search(plain) is not None:
            text.plain = picture_terminal(plain)


SAFE_INPUT = _ControlPictures()  # Input(highlighter=SAFE_INPUT)


def safe_cell(cell: object) -> object:
    """A table cell that is safe to show: text as plain Text (no markup) with unsafe
    characters escaped; a Text keeps its style and justification; other renderables as they
    are."""
    if isinstance(cell, Text):
        if UNSAFE.search(cell.plain) is None:
            return cell
        return Text(escape_terminal(cell.plain), style=cell.style, justify=cell.justify, end="")
    if isinstance(cell, str):
        return Text(escape_terminal(cell), end="")
    return cell


def date_text(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    day = {"nl": "%d-%m-%Y", "de": "%d.%m.%Y"}.get(language(), "%Y-%m-%d")  # as the forms read them
    if isinstance(value, dt.datetime):
        return value.strftime(f"{day} %H:%M")
    return value.strftime(day)


def money_text(cents: int) -> str:
    return amount_text(cents, language())


def yes_no(value: bool) -> str:
    return t("yes") if value else t("no")
