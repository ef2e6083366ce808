"""The daily mandate check: statuses that change because a day passed.

A mandate becomes active on its effective date, ended after its end date, expired on the
1095th day without a collection (sepa-rules §5.1), ended the day after its final (FNAL)
collection's date (open again when a reject re-pended that collection). Saving a mandate recomputes its status;
this check catches the ones nobody touched. It runs from cron (`incasso mandates check`)
and at the start of the TUI when it has not run today (the date is kept in AppMeta).

At the start of the TUI the check runs as the system, whoever started the app (a support
user too): its changes are audited as user "system". Run explicitly (`incasso mandates
check`) it changes data for the user who asked, so it needs an operator or admin and its
changes are audited under that user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import peewee as pw

from incasso_tui.core.clock import now
from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import Refused
from incasso_tui.db import models as m
from incasso_tui.db.statuses import MandateStatus
from incasso_tui.rules.mandates import EXPIRY_DAYS
from incasso_tui.services import audit
from incasso_tui.services.auth import EDIT, Actor

CHECK_KEY = "mandates_check_date"
AUDIT_USER = "system"
BATCH = 500


@dataclass
class CheckResult:
    date: dt.date
    ran: bool = True
    checked: int = 0
    changes: dict[str, int] = field(default_factory=dict)  # "active->expired": n

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "ran": self.ran,
            "checked": self.checked,
            "changes": dict(self.changes),
        }


def _candidates(today: dt.date):
    """Only mandates whose status can change today: an index-friendly OR of the transitions,
    so the check takes milliseconds even with 100,000 mandates."""
    expired_before = today - dt.timedelta(days=EXPIRY_DAYS - 1)  # day 1095 counts as expired
    since = m.Mandate.last_collection_date.is_null(False) & (m.Mandate.last_collection_date < expired_before)
    never = m.Mandate.last_collection_date.is_null() & (m.Mandate.effective_date < expired_before)
    return (
        m.Mandate.select()
        .where(
            ((m.Mandate.status == MandateStatus.INACTIVE) & (m.Mandate.effective_date <= today))
            | (
                m.Mandate.status.in_((MandateStatus.ACTIVE, MandateStatus.INACTIVE))
                & (m.Mandate.end_date < today)
            )
            | ((m.Mandate.status == MandateStatus.ACTIVE) & (since | never))
            # A final (FNAL) collection ends the mandate once its date has passed; a late
            # reject before settlement re-pends it, and then the mandate opens again
            # (lifecycle.final_settled says why the moment is the collection date).
            | (
                (m.Mandate.status != MandateStatus.ENDED)
                & m.Mandate.final_collected
                & (m.Mandate.last_collection_date.is_null() | (m.Mandate.last_collection_date < today))
            )
            | (
                (m.Mandate.status == MandateStatus.ENDED)
                & m.Mandate.final_pending
                & ~m.Mandate.final_collected
            )
            | ((m.Mandate.status != MandateStatus.ENDED) & ~m.Mandate.recurrent & m.Mandate.collected)
        )
        .where(m.Mandate.status.not_in((MandateStatus.BLOCKED, MandateStatus.REVOKED)))
        .order_by(m.Mandate.id)
    )


def check_all(today: dt.date | None = None, *, audit_user: str = AUDIT_USER) -> CheckResult:
    """Recompute the status of every mandate that may have changed; audit each change (as
    `audit_user`: the system, or the user who ran the check)."""
    # Imported here: the TUI calls run_daily_check at every start, and on most starts the
    # check already ran today; the mandate services (and the SEPA engine) load only when needed.
    from incasso_tui.services.mandates.lifecycle import refresh_status

    today = today or clock_today()
    result = CheckResult(today)
    database = m.Mandate._meta.database
    ids = [row[0] for row in _candidates(today).select(m.Mandate.id).tuples()]
    for start in range(0, len(ids), BATCH):
        with database.atomic():
            for mandate in m.Mandate.select().where(m.Mandate.id.in_(ids[start : start + BATCH])):
                result.checked += 1
                old_reason = mandate.status_reason
                moved = refresh_status(mandate, today)
                if not moved and mandate.status_reason == old_reason:
                    continue
                mandate.updated_at = now()
                mandate.save(only=[m.Mandate.status, m.Mandate.status_reason, m.Mandate.updated_at])
                if moved:
                    key = f"{moved[0]}->{moved[1]}"
                    result.changes[key] = result.changes.get(key, 0) + 1
                    audit.record(
                        audit_user,
                        "mandate.status",
                        mandate,
                        changes={"status": moved},
                        summary=f"daily check: {moved[0]} -> {moved[1]}"
                        + (f" ({mandate.status_reason})" if mandate.status_reason else ""),
                    )
    return result


def last_check_date() -> dt.date | None:
    row = m.AppMeta.get_or_none(m.AppMeta.key == CHECK_KEY)
    return dt.date.fromisoformat(row.value) if row else None


def run_daily_check(
    today: dt.date | None = None, *, force: bool = False, actor: Actor | None = None
) -> CheckResult:
    """Run the check unless it already ran today (`force` runs it anyway, as cron does).

    Without `actor` it runs as the system (the TUI start). With one (`incasso mandates
    check`), the user must be allowed to change mandates: an operator or an admin."""
    if actor is not None and not actor.may(EDIT):
        raise Refused(
            "user {login} ({role}) may not run the mandate check: it changes mandate "
            "statuses, which needs an operator or admin",
            login=actor.login,
            role=actor.role,
        )
    today = today or clock_today()
    if not force and last_check_date() == today:
        return CheckResult(today, ran=False)
    result = check_all(today, audit_user=actor.login if actor is not None else AUDIT_USER)
    try:
        with m.AppMeta._meta.database.atomic():
            updated = m.AppMeta.update(value=today.isoformat()).where(m.AppMeta.key == CHECK_KEY).execute()
            if not updated:
                m.AppMeta.create(key=CHECK_KEY, value=today.isoformat())
    except pw.IntegrityError:
        pass  # another process started at the same moment and recorded the same day
    return result
