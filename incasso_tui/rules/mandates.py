"""Pure mandate rules: status from dates, references. No database, no UI."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

EXPIRY_DAYS = 1095  # 36 months without a collection (sepa-rules §5.1)
STATUSES = ("inactive", "active", "ended", "expired", "blocked", "revoked")
# Set by bank feedback or by hand; dates never lift them.
STICKY = ("blocked", "revoked")


def compute_status(
    *,
    today: dt.date,
    effective: dt.date | None,
    end: dt.date | None,
    last_collection: dt.date | None,
    recurrent: bool,
    collected: bool,
    final_collected: bool,
    current: str = "inactive",
) -> tuple[str, str]:
    """(status, reason) for a mandate on `today`.

    Expired when 1095 days or more have passed since the last collection (or the
    effective date when never collected): on day 1095 it is expired.
    """
    if current in STICKY:
        return current, ""
    if final_collected:
        return "ended", "final collection (FNAL) made"
    if not recurrent and collected:
        return "ended", "one-off mandate used"
    if end is not None and end < today:
        return "ended", f"end date {end.isoformat()} passed"
    if effective is None:
        return "inactive", "no effective date yet"
    if effective > today:
        return "inactive", f"effective from {effective.isoformat()}"
    since = last_collection or effective
    if (today - since).days >= EXPIRY_DAYS:
        what = "last collection" if last_collection else "effective date, never collected"
        return "expired", f"no collection for 36 months ({what} {since.isoformat()})"
    return "active", ""


def expiry_date(effective: dt.date | None, last_collection: dt.date | None) -> dt.date | None:
    """The first day on which the mandate counts as expired if not collected before."""
    since = last_collection or effective
    return since + dt.timedelta(days=EXPIRY_DAYS) if since else None


def expiring_since_range(today: dt.date, within_days: int) -> tuple[dt.date, dt.date]:
    """The last-collection (or effective, never collected) dates whose expiry_date() falls on
    today + 1 … today + within_days: the mandates expiring within that many days."""
    return (
        today + dt.timedelta(days=1 - EXPIRY_DAYS),
        today + dt.timedelta(days=within_days - EXPIRY_DAYS),
    )


_FIELD = re.compile(r"\{(\w+)(?::(\d+))?\}")
REFERENCE_FIELDS = ("debtor", "seq", "admin", "type")


def format_reference(fmt: str, *, debtor: str, seq: int, admin: str, invoice_type: str = "") -> str:
    """Fill a reference format such as "{debtor}-{seq}" or "{admin}{debtor}M{seq:3}".

    `{seq:3}` zero-pads to three digits. The caller validates the result
    (≤ 35, SEPA characters, no space, no leading/trailing or double slash).
    """
    values = {"debtor": debtor, "seq": seq, "admin": admin, "type": invoice_type}

    def fill(match: re.Match[str]) -> str:
        name, width = match.group(1), match.group(2)
        if name not in values:
            raise KeyError(name)
        value = values[name]
        if width and isinstance(value, int):
            return f"{value:0{int(width)}d}"
        return str(value)

    return _FIELD.sub(fill, fmt)


@dataclass(frozen=True)
class Hold:
    """Why a mandate cannot be collected on a date. `text` is an English template (the UI
    translates it and fills in `values`); `code` is stable for programs and tests."""

    code: str
    text: str
    values: dict[str, object] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return self.text.format(**self.values)


def hold_reason(
    *,
    on_date: dt.date,
    status: str,
    scheme: str,
    b2b_registered: bool,
    effective: dt.date | None,
    end: dt.date | None,
    last_collection: dt.date | None,
    recurrent: bool,
    collected: bool,
    final_collected: bool,
) -> Hold | None:
    """None when a collection due on `on_date` may be put in a file under this mandate."""
    if status == "revoked":
        return Hold("revoked", "mandate revoked")
    if status == "blocked":
        return Hold("blocked", "mandate blocked")
    if final_collected:
        return Hold("final_collected", "final collection (FNAL) already made")
    if not recurrent and collected:
        return Hold("one_off_used", "one-off mandate already used")
    if end is not None and end < on_date:
        return Hold("ended", "mandate ended on {date}", {"date": end.isoformat()})
    if effective is None:
        return Hold("inactive", "mandate inactive: no effective date (a signed form is needed)")
    if effective > on_date:
        return Hold(
            "not_yet_effective", "mandate not yet effective (from {date})", {"date": effective.isoformat()}
        )
    since = last_collection or effective
    if (on_date - since).days >= EXPIRY_DAYS:
        return Hold(
            "expired",
            "mandate expired: no collection for 36 months (since {date})",
            {"date": since.isoformat()},
        )
    if scheme == "B2B" and not b2b_registered:
        return Hold("b2b_not_registered", "B2B mandate not yet registered at the debtor's bank")
    return None
