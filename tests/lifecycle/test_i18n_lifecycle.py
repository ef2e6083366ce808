"""The Dutch texts of this part: every held-back reason the planner gives and every text the
lifecycle keys pass to t() is translated, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

from incasso_tui import i18n

NL = i18n.catalogue("nl")  # the Dutch .po (incasso_tui/locale)

ROOT = Path(__file__).resolve().parents[2]


def _names(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_translations_keep_their_placeholders():
    assert NL and [k for k, v in NL.items() if _names(k) != _names(v)] == []


def test_the_planners_reasons_and_the_keys_texts_are_translated():
    i18n.set_language("nl")
    catalogue = i18n.catalogue()
    planner = (ROOT / "incasso_tui/services/collection/planning.py").read_text(encoding="utf-8")
    templates = re.findall(r'Hold\(\s*"(\w+)",\s*((?:"[^"]*"\s*)+)', planner)
    texts = {code: "".join(re.findall(r'"([^"]*)"', parts)) for code, parts in templates}
    assert {"over_transaction_max", "no_address"} <= set(texts)
    assert [texts[c] for c in ("over_transaction_max", "no_address") if texts[c] not in catalogue] == []
    orders = (ROOT / "screens/orders.py").read_text(encoding="utf-8")
    final_key = orders[orders.index("def action_final_order") : orders.index("def action_cancel_order")]
    calls = re.findall(r'\bt\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', final_key)
    keys = {"".join(re.findall(r'"((?:[^"\\]|\\.)*)"', c)) for c in calls}
    assert len(keys) >= 6 and sorted(k for k in keys if k not in catalogue) == []
