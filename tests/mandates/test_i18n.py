"""Every text the debtor and mandate screens pass to t() has a Dutch translation (the default
UI language, incasso_tui/locale/nl/LC_MESSAGES/messages.po), and the Dutch keeps every
placeholder of the English text. tests/i18n checks the whole catalogue against Babel's extraction."""

from __future__ import annotations

import re
import string
from pathlib import Path

from incasso_tui import i18n

SCREENS = Path(__file__).resolve().parents[2] / "screens"
FILES = [
    "mandates.py",
    "debtors.py",
    "debtor_views.py",
    "mandate_actions.py",
    "mandate_detail.py",
    "modals/mandate_form.py",
    "modals/debtor_form.py",
    "modals/form_base.py",
    "modals/confirm.py",
    "modals/prompt.py",
    "modals/history.py",
    "modals/csv_import.py",
    "admin.py",
    "admin_details.py",
    "setup_wizard.py",
    "modals/setup_form.py",
    "modals/administration_form.py",
    "modals/bank_group_form.py",
    "modals/bank_account_form.py",
    "modals/invoice_type_form.py",
    "modals/user_form.py",
    "modals/mandate_settings_form.py",
]
# t("…"), with adjacent string literals joined; f-strings are not catalogue keys.
CALL = re.compile(r"""\bt\(\s*((?:(?<![fF])"(?:[^"\\]|\\.)*"\s*)+)""")


def literals() -> set[str]:
    found = set()
    for name in FILES:
        source = (SCREENS / name).read_text(encoding="utf-8")
        for match in CALL.finditer(source):
            found.add("".join(eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', match.group(1))))
    from screens.mandate_detail import MandateDetailScreen  # noqa: F401 - a module that imports
    from screens.modals.history import FIELD_LABELS

    found.update(FIELD_LABELS.values())
    return found


def test_every_screen_text_is_translated():
    i18n.set_language("nl")
    catalogue = i18n.catalogue()
    texts = literals()
    assert len(texts) > 100
    missing = sorted(x for x in texts if x not in catalogue)
    assert missing == []


def test_translations_keep_their_placeholders():
    NL = i18n.catalogue("nl")

    def names(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert [k for k, v in NL.items() if names(k) != names(v)] == []


def test_why_not_collectable_is_translated():
    NL = i18n.catalogue("nl")
    from incasso_tui.rules.mandates import hold_reason

    source = Path(hold_reason.__code__.co_filename).read_text(encoding="utf-8")
    templates = re.findall(r'Hold\(\s*"\w+",\s*"([^"]+)"', source)
    assert len(templates) >= 9 and [x for x in templates if x not in NL] == []
