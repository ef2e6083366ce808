"""Every text of the readiness report that the TUI shows has a Dutch translation with the same
placeholders: the screen's and the tile's own texts, and each group's title, what to do and
every reason an object can have."""

from __future__ import annotations

import re
import string
from pathlib import Path

from incasso_tui import i18n
from incasso_tui.services.readiness import readiness_report

from .helpers import one_problem_of_each_kind

NL = i18n.catalogue("nl")  # the Dutch .po (incasso_tui/locale)

SCREENS = Path(__file__).resolve().parents[2] / "screens"
CALL = re.compile(r"""\bt\(\s*((?:(?<![fF])"(?:[^"\\]|\\.)*"\s*)+)""")


def _names(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def screen_literals() -> set[str]:
    found: set[str] = set()
    for name in ("readiness.py", "home.py"):
        source = (SCREENS / name).read_text(encoding="utf-8")
        for match in CALL.finditer(source):
            found.add("".join(eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', match.group(1))))
    from screens.home import MENU
    from screens.readiness import KINDS

    found.update(KINDS.values())
    found.update(title for _key, _area, title, _admin in MENU)
    return found


def test_every_text_is_translated(demo):
    one_problem_of_each_kind()
    report = readiness_report(demo(), limit=1000)
    assert all(g.count for g in report.groups)  # the builder made every kind of problem
    texts = screen_literals()
    assert len(texts) > 20
    for g in report.groups:
        texts.update({g.title, g.fix, *(item.why for item in g.items)})
    i18n.set_language("nl")
    catalogue = i18n.catalogue()
    assert sorted(x for x in texts if x not in catalogue) == []


def test_translations_keep_their_placeholders():
    assert [k for k, v in NL.items() if _names(k) != _names(v)] == []
