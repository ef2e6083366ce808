"""Was the debtor told in time, and is what they were told still true? (sepa-rules §4.3/§4.4)

The creditor tells the debtor the amount and date at least `days` calendar days before the
collection (14 unless agreed otherwise: the administration's pre_notification_days). A notice
no longer holds when the collection's date or amount differs from what it stated. Pure: dates
and numbers in, a finding out; used by the processing warnings and the set's summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class NoticeProblem(StrEnum):
    NONE_SENT = "none"  # no pre-notification at all
    TOO_LATE = "late"  # told fewer than the agreed days before the collection
    DATE_MOVED = "date_moved"  # collected on another date than the notice said
    AMOUNT_CHANGED = "amount_changed"  # collected for another amount than the notice said


# English sentence per problem (the CLI prints it; screens translate it).
PROBLEM_TEXT: dict[NoticeProblem, str] = {
    NoticeProblem.NONE_SENT: "no pre-notification",
    NoticeProblem.TOO_LATE: "pre-notification less than {days} days before the collection",
    NoticeProblem.DATE_MOVED: "collection date moved after the pre-notification",
    NoticeProblem.AMOUNT_CHANGED: "amount changed after the pre-notification",
}


@dataclass(frozen=True)
class Notice:
    """What a pre-notification stated, and the day it went out."""

    notified_on: dt.date
    stated_date: dt.date
    stated_amount_cents: int


def latest_notice_day(collection_date: dt.date, days: int) -> dt.date:
    """The last day a notice may go out for a collection on `collection_date`."""
    return collection_date - dt.timedelta(days=max(days, 0))


def in_time(notified_on: dt.date, collection_date: dt.date, days: int) -> bool:
    """At least `days` calendar days between the notice and the collection."""
    return notified_on <= latest_notice_day(collection_date, days)


def notice_problem(
    notice: Notice | None, collection_date: dt.date, amount_cents: int, days: int
) -> NoticeProblem | None:
    """What is wrong with the notice of a collection on `collection_date` of `amount_cents`,
    or None when the debtor was told this date and amount in time. A changed date or amount
    comes first: a notice in time for another collection does not count."""
    if notice is None:
        return NoticeProblem.NONE_SENT
    if notice.stated_date != collection_date:
        return NoticeProblem.DATE_MOVED
    if notice.stated_amount_cents != amount_cents:
        return NoticeProblem.AMOUNT_CHANGED
    if not in_time(notice.notified_on, collection_date, days):
        return NoticeProblem.TOO_LATE
    return None
