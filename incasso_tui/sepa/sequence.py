"""Sequence type (FRST / RCUR / FNAL / OOFF) of the next collection under a mandate.

sepa-rules.md §3.3:

    one-off mandate            -> OOFF   (refused when already used)
    final collection pending   -> FNAL   (after it the mandate is closed)
    policy "always RCUR"       -> RCUR   (allowed since 20 Nov 2016)
    no successful use yet      -> FRST   (a pre-settlement reject does not count)
    otherwise                  -> RCUR

"Successful" means sent and not rejected before settlement; a returned or
refunded collection still counts as use (Tryton).  Decide at processing time,
and give a mandate at most one FRST per set: after handing out FRST, pass
``has_successful_collection=True`` for its next collection in the same set.
"""

from __future__ import annotations

from incasso_tui.sepa.errors import SepaError

FRST, RCUR, FNAL, OOFF = "FRST", "RCUR", "FNAL", "OOFF"
SEQUENCE_TYPES = (FRST, RCUR, OOFF, FNAL)  # also the PmtInf order within a date

ONE_OFF, RECURRENT = "one-off", "recurrent"
MANDATE_KINDS = (ONE_OFF, RECURRENT)

POLICY_FRST_FIRST = "frst_first"
POLICY_ALWAYS_RCUR = "always_rcur"
POLICIES = (POLICY_FRST_FIRST, POLICY_ALWAYS_RCUR)

# Collection outcomes that count as "used" for FRST/RCUR and one-off mandates.
_USED = {"underway", "sent", "processed", "settled", "returned", "reversed", "refunded"}
_NOT_USED = {"not processed", "queued", "rejected", "cancelled"}


def counts_as_use(outcome: str) -> bool:
    """Whether a collection with this status counts as a use of the mandate.

    A pre-settlement reject (pain.002 RJCT) or a cancellation does not; a
    return, reversal or refund does.  Statuses: not processed, queued, underway,
    sent, processed, settled, returned, reversed, refunded, rejected, cancelled
    (case, '_' and '-' do not matter).
    """
    key = outcome.strip().lower().replace("_", " ").replace("-", " ")
    if key in _USED:
        return True
    if key in _NOT_USED:
        return False
    raise SepaError(
        "collection status", "unknown; expected one of " + ", ".join(sorted(_USED | _NOT_USED)), outcome
    )


def choose_sequence_type(
    kind: str,
    *,
    has_successful_collection: bool,
    final_pending: bool = False,
    final_collected: bool = False,
    policy: str = POLICY_FRST_FIRST,
) -> str:
    """FRST, RCUR, FNAL or OOFF for the next collection; SepaError when none is allowed."""
    if kind not in MANDATE_KINDS:
        raise SepaError("mandate kind", "must be 'one-off' or 'recurrent'", kind)
    if policy not in POLICIES:
        raise SepaError("sequence type policy", "must be 'frst_first' or 'always_rcur'", policy)
    if kind == ONE_OFF:
        if has_successful_collection:
            raise SepaError(
                "mandate",
                "a one-off mandate has already been used and cannot "
                "be collected again (reuse gives AG02); a new mandate is needed",
            )
        return OOFF
    if final_collected:
        raise SepaError(
            "mandate",
            "was closed by a final (FNAL) collection and cannot be collected again; a new mandate is needed",
        )
    if final_pending:
        return FNAL
    if policy == POLICY_ALWAYS_RCUR or has_successful_collection:
        return RCUR
    return FRST
