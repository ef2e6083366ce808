"""When a collection may be reversed by hand, and what a reversal means for its mandate.

Pure rules (sepa-rules.md §3.3, §4.5, §6): the services apply them to stored orders; the
screens show the verdicts.  Deadlines count from the collection (debit) date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

REJECT, RETURN, REFUND, REVERSAL = "reject", "return", "refund", "reversal"
KINDS = (REJECT, RETURN, REFUND, REVERSAL)
KIND_LABELS = {REJECT: "reject", RETURN: "return", REFUND: "refund", REVERSAL: "creditor reversal"}
# A reject comes before settlement: the collection never happened.
PRE_SETTLEMENT = frozenset({REJECT})

REFUND_AUTHORISED_DAYS = 56  # 8 weeks: refund without questions (CORE)
REFUND_UNAUTHORISED_MONTHS = 13  # MOI: unauthorised-collection claim (CORE)
REVERSAL_TARGET_DAYS = 5  # a creditor reversal within 5 TARGET2 days after the collection
REVERSAL_REASONS = ("AM05", "MS02", "MS03")  # interbank reasons of a creditor reversal

FLAG_MOI = "moi"  # refund between 8 weeks and 13 months: needs the signed mandate
FLAG_B2B_REFUND = "b2b_refund"  # B2B has no refund right: an anomaly to look into


@dataclass(frozen=True)
class Verdict:
    """Whether a kind of reversal may be entered; ``flag`` marks one that needs attention."""

    allowed: bool
    reason: str = ""  # why not (allowed False) or what the flag means
    flag: str | None = None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def verdict(
    kind: str, *, scheme: str, collection_date: dt.date, on: dt.date, reason_code: str = ""
) -> Verdict:
    """May a reversal of ``kind`` dated ``on`` be recorded for a collection of ``scheme``
    collected on ``collection_date``?"""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if on < collection_date and kind != REJECT:
        return Verdict(
            False,
            f"a {KIND_LABELS[kind]} is dated on or after the collection date {collection_date.isoformat()}",
        )
    if kind == REVERSAL:
        # Loaded here: the kinds and labels above are read at every TUI start (home counts,
        # filters) and `incasso_tui.sepa` would bring the whole SEPA engine with it.
        from incasso_tui.sepa.calendar import add_target_days

        last = add_target_days(collection_date, REVERSAL_TARGET_DAYS)
        if on > last:
            return Verdict(
                False,
                f"a creditor reversal is possible until {REVERSAL_TARGET_DAYS} "
                f"TARGET2 days after the collection ({last.isoformat()})",
            )
        if reason_code and reason_code not in REVERSAL_REASONS:
            return Verdict(False, "a creditor reversal carries reason " + ", ".join(REVERSAL_REASONS))
        return Verdict(True)
    if kind == REFUND:
        if scheme == "B2B":
            return Verdict(
                True, "B2B collections have no refund right: check with the debtor's bank", FLAG_B2B_REFUND
            )
        if on <= collection_date + dt.timedelta(days=REFUND_AUTHORISED_DAYS):
            return Verdict(True)
        if on <= add_months(collection_date, REFUND_UNAUTHORISED_MONTHS):
            return Verdict(
                True,
                "after 8 weeks: an unauthorised-collection claim (MOI); the "
                "signed mandate must be shown to the bank",
                FLAG_MOI,
            )
        return Verdict(
            False,
            f"a refund is possible until {REFUND_UNAUTHORISED_MONTHS} months "
            f"after the collection "
            f"({add_months(collection_date, REFUND_UNAUTHORISED_MONTHS).isoformat()})",
        )
    return Verdict(True)


def counts_as_use(kind: str) -> bool:
    """A returned or refunded collection still used the mandate (the next one is RCUR); a
    reject before settlement did not (the next one is FRST again)."""
    return kind not in PRE_SETTLEMENT
