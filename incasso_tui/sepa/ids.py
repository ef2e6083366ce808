"""Helpers that make valid MsgId / PmtInfId / EndToEndId values (sepa-rules.md §2.1).

The set processing assigns the identifiers and stores them (EndToEndId is the
key that comes back in every R-transaction); these helpers only make sure the
values it builds are 1-35 SEPA characters without '/' trouble.
"""

from __future__ import annotations

import datetime as dt

from incasso_tui.sepa.validate import ID_MAX, validate_identifier


def make_msg_id(set_id: int | str, created_at: dt.datetime, prefix: str = "INC", part: int = 1) -> str:
    """``INC-<set id>-<YYYYMMDDhhmmss>``, e.g. INC-42-20260302101500; the second and later
    file of a set split over several files end in ``-<part>`` (INC-42-20260302101500-2),
    which is kept whole when the rest has to be shortened to fit 35."""
    if part < 1:
        raise ValueError(f"part must be 1 or more, got {part}")
    suffix = f"-{part}" if part > 1 else ""
    base = f"{prefix}-{set_id}-{created_at:%Y%m%d%H%M%S}"[: ID_MAX - len(suffix)]
    return validate_identifier(base + suffix, "MsgId")


def make_pmt_inf_id(msg_id: str, number: int) -> str:
    """``<MsgId>-<n>``; the MsgId is shortened from the right so the result fits 35."""
    suffix = f"-{number}"
    base = msg_id[: ID_MAX - len(suffix)].rstrip(" ")
    return validate_identifier(base + suffix, "PmtInfId")


def make_end_to_end_id(set_id: int | str, order_id: int | str) -> str:
    """``<set id>-<order id>``; unique per collection, stable in the database."""
    return validate_identifier(f"{set_id}-{order_id}", "EndToEndId")
