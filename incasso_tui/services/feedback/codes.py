"""The reason codes and the kinds of reversal as the screens and the CLI show them: the code
table, labels in the user's language, the codes a manual reversal offers and starts with.

Read-only views of incasso_tui.rules.reason_codes and incasso_tui.rules.reversals; nothing
from the database, so the CLI builds its `choices` and the screens their filters from here
without loading anything.
"""

from __future__ import annotations

from typing import TypedDict

from incasso_tui.rules import reason_codes as rc
from incasso_tui.rules import reversals as rules

# What "collect again" makes sense for: the collection failed but the claim stands.
AGAIN_ACTIONS = frozenset({rc.RETRY_ALLOWED, rc.REFUND, rc.CONTACT_DEBTOR, rc.FIX_DATA, rc.DECIDE})

# The reason code a manual reversal of each kind starts with (and without a kind).
DEFAULT_REASONS: dict[str, str] = {
    rules.REFUND: "MD06",
    rules.REVERSAL: "MS02",
    rules.REJECT: "MS02",
    rules.RETURN: "AM04",
}
DEFAULT_REASON = "MS02"


class ReasonCodeRow(TypedDict):
    code: str
    name: str
    action: str
    action_label: str
    effect: str  # what the action does, in English
    advice: str


def reversal_kinds() -> tuple[str, ...]:
    """reject, return, refund, reversal: the kinds of R-transaction (filters and choices)."""
    return rules.KINDS


def kind_label(kind: str) -> str:
    """The English label of a kind ("creditor reversal"); the screens translate it."""
    return rules.KIND_LABELS.get(kind, kind)


def reason_name(code: str, language: str = "en") -> str:
    """The meaning of a reason code; an unknown code is "Unknown reason code"."""
    found = rc.lookup(code)
    return found.name_nl if language == "nl" else found.name_en


def reason_advice(code: str, language: str = "en") -> str:
    """What a person should do after feedback with this code."""
    found = rc.lookup(code)
    return found.advice_nl if language == "nl" else found.advice_en


def reason_labels(language: str = "en") -> dict[str, str]:
    """Every known code and its meaning, sorted by code (for filters and lists)."""
    return {c.code: (c.name_nl if language == "nl" else c.name_en) for c in rc.all_codes()}


def action_label(action: str, language: str = "en") -> str:
    """The label of what the app does for a code ("Block mandate"); an unknown action as is."""
    labels = rc.ACTIONS.get(action)
    if labels is None:
        return action
    return labels[1] if language == "nl" else labels[0]


def action_effect(action: str) -> str:
    """What the action does to the collection and the mandate, in English ("" when unknown)."""
    return rc.ACTIONS.get(action, ("", "", ""))[2]


def reason_choices(kind: str | None, language: str = "en") -> list[tuple[str, str]]:
    """(code, meaning) of the codes a manual reversal of ``kind`` may carry: a creditor
    reversal only its interbank reasons, the other kinds (and no kind) every known code."""
    codes = rc.all_codes()
    if kind == rules.REVERSAL:
        codes = [c for c in codes if c.code in rules.REVERSAL_REASONS]
    return [(c.code, c.name_nl if language == "nl" else c.name_en) for c in codes]


def default_reason(kind: str | None) -> str:
    """The code a manual reversal of ``kind`` starts with."""
    return DEFAULT_REASONS.get(kind or "", DEFAULT_REASON)


def reason_code_table(language: str = "en") -> list[ReasonCodeRow]:
    """The reason-code action table, for administrators to read (screen and CLI)."""
    rows: list[ReasonCodeRow] = []
    for code in rc.all_codes():
        label_en, label_nl, effect = rc.ACTIONS[code.action]
        rows.append(
            {
                "code": code.code,
                "name": code.name_nl if language == "nl" else code.name_en,
                "action": code.action,
                "action_label": label_nl if language == "nl" else label_en,
                "effect": effect,
                "advice": code.advice_nl if language == "nl" else code.advice_en,
            }
        )
    return rows
