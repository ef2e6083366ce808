"""Why an order is held back: each reason code (rules/mandates.py, collection/planning.py,
collection/sets.py, readiness) with a short English label for summaries such as
"niet geregistreerd (B2B): 7" (screens translate it with t())."""

from __future__ import annotations

HOLD_LABELS: dict[str, str] = {
    "b2b_not_registered": "B2B not registered",
    "blocked": "mandate blocked",
    "ended": "mandate ended",
    "expired": "mandate expired",
    "final_collected": "final collection made",
    "final_in_set": "final collection already in set",
    "inactive": "mandate inactive",
    "invalid_amount": "invalid amount",
    "invalid_iban": "invalid IBAN",
    "no_address": "address needed",
    "no_iban": "no IBAN",
    "no_mandate": "no mandate",
    "no_usable_mandate": "no usable mandate",
    "not_added": "not in the set",
    "not_yet_effective": "not yet effective",
    "one_off_in_set": "one-off already in set",
    "one_off_used": "one-off already used",
    "over_transaction_max": "over maximum per transaction",
    "revoked": "mandate revoked",
    "sequence": "sequence type",
}


def hold_label(code: str) -> str:
    """The English label of a reason code (the code itself for one not declared here)."""
    return HOLD_LABELS.get(code, code)
