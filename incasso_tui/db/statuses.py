"""Every status a row can have, and the actions each status allows: declared once.

The values are what the database stores. The services combine these tables with the user's
rights (`allowed_actions` in each area's service); screens dim keys and the CLI builds its
`choices` from what the services say, so no status rule is repeated elsewhere.
No peewee and no UI here: this module is imported by the rules, the services and the i18n.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar


class MandateStatus(StrEnum):
    INACTIVE = "inactive"  # no effective date yet, or in the future
    ACTIVE = "active"
    ENDED = "ended"  # end date passed
    EXPIRED = "expired"  # no collection for 36 months
    BLOCKED = "blocked"  # by bank feedback (AC04, AC06, …) until lifted
    REVOKED = "revoked"  # cancelled by the debtor or invalid (MD07, MD01)


class OrderStatus(StrEnum):
    OPEN = "open"  # niet verwerkt
    UNDERWAY = "underway"  # onderweg: in a generated file
    PROCESSED = "processed"  # verwerkt / afgehandeld
    REJECTED = "rejected"
    REVERSED = "reversed"  # gestorneerd
    CANCELLED = "cancelled"


class SetStatus(StrEnum):
    OPEN = "open"  # niet verwerkt
    QUEUED = "queued"
    PROCESSED = "processed"  # file(s) written
    SENT = "sent"
    FAILED = "failed"  # keeps the error; can be retried


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class PreNotificationStatus(StrEnum):
    """A pre-notification (vooraankondiging) row; e-mail goes pending -> sending -> sent.
    A row left 'sending' by a crash is never sent again: 'unknown' (at most one mail)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"  # e-mailed, or written to the print PDF / mail-merge CSV
    UNKNOWN = "unknown"  # the mail may or may not have left: a crash during the SMTP transaction
    FAILED = "failed"


class PreNotificationChannel(StrEnum):
    PRINT = "print"
    EMAIL = "email"
    CSV = "csv"


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    SUPPORT = "support"


# The English label of a status where it differs from its code (translated by the i18n).
LABELS: Mapping[type[StrEnum], Mapping[str, str]] = {
    OrderStatus: {OrderStatus.OPEN: "not processed"},
    SetStatus: {SetStatus.OPEN: "not processed"},
}


def label(status: StrEnum) -> str:
    return LABELS.get(type(status), {}).get(status, status.value)


# --- groups the services query by -------------------------------------------------------
# A set can be changed (date, orders, deletion) before it has produced a file.
SET_EDITABLE = frozenset({SetStatus.OPEN, SetStatus.FAILED})
SET_UNSENT = frozenset({SetStatus.OPEN, SetStatus.QUEUED, SetStatus.PROCESSED, SetStatus.FAILED})
SET_HAS_FILES = frozenset({SetStatus.PROCESSED, SetStatus.SENT})
# The orders a set (re)processes: not processed yet, or in an unsent file.
ORDER_IN_FILE = (OrderStatus.OPEN, OrderStatus.UNDERWAY)
JOB_ACTIVE = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})
JOB_ENDED_BADLY = frozenset({JobStatus.FAILED, JobStatus.CANCELLED})


Action = TypeVar("Action", bound=StrEnum)


# --- actions: which status allows which --------------------------------------------------
class SetAction(StrEnum):
    PROCESS = "process"
    LETTER = "letter"
    SEND = "send"
    CHANGE_DATE = "change_date"
    REMOVE_ORDER = "remove_order"
    ADD_ORDERS = "add_orders"
    DELETE = "delete"
    HANDLE = "handle"
    REVERSE_ORDER = "reverse_order"
    PRENOTIFY = "prenotify"  # vooraankondiging: before the set is processed


SET_ALLOWS: Mapping[SetAction, frozenset[SetStatus]] = {
    # Re-processing a processed or sent set is explicit (and logged by the service).
    SetAction.PROCESS: frozenset({SetStatus.OPEN, SetStatus.FAILED, SetStatus.PROCESSED, SetStatus.SENT}),
    SetAction.LETTER: SET_HAS_FILES,
    SetAction.SEND: frozenset({SetStatus.PROCESSED}),
    SetAction.CHANGE_DATE: SET_EDITABLE,
    SetAction.REMOVE_ORDER: SET_EDITABLE,
    SetAction.ADD_ORDERS: SET_EDITABLE,
    SetAction.DELETE: SET_EDITABLE,
    SetAction.HANDLE: SET_HAS_FILES,
    # Storneren only after the file went to the bank.
    SetAction.REVERSE_ORDER: frozenset({SetStatus.SENT}),
    SetAction.PRENOTIFY: SET_EDITABLE,
}


class OrderAction(StrEnum):
    CANCEL = "cancel"
    HANDLE = "handle"
    PROCESS = "process"  # on its own, outside a set
    REVERSE = "reverse"
    COLLECT_AGAIN = "collect_again"
    MARK_FINAL = "mark_final"  # the last collection under its mandate (FNAL), or undo that
    PRENOTIFY = "prenotify"  # vooraankondiging of one order before it is in a file


ORDER_ALLOWS: Mapping[OrderAction, frozenset[OrderStatus]] = {
    OrderAction.CANCEL: frozenset({OrderStatus.OPEN}),
    OrderAction.HANDLE: frozenset({OrderStatus.UNDERWAY}),
    OrderAction.PROCESS: frozenset({OrderStatus.OPEN}),
    OrderAction.REVERSE: frozenset({OrderStatus.UNDERWAY, OrderStatus.PROCESSED}),
    OrderAction.COLLECT_AGAIN: frozenset({OrderStatus.REJECTED, OrderStatus.REVERSED}),
    # Only before it is in a file: the file says FNAL or not.
    OrderAction.MARK_FINAL: frozenset({OrderStatus.OPEN}),
    OrderAction.PRENOTIFY: frozenset({OrderStatus.OPEN}),
}


class MandateAction(StrEnum):
    EDIT = "edit"
    ACTIVATE = "activate"
    END = "end"
    CONFIRM_B2B = "confirm_b2b"
    REVOKE = "revoke"
    REPLACE_REFERENCE = "replace_reference"  # sepa-rules §5.2: the next collection tells the bank


MANDATE_ALLOWS: Mapping[MandateAction, frozenset[MandateStatus]] = {
    MandateAction.EDIT: frozenset(MandateStatus),
    MandateAction.ACTIVATE: frozenset({MandateStatus.INACTIVE}),
    MandateAction.END: frozenset(
        {MandateStatus.ACTIVE, MandateStatus.INACTIVE, MandateStatus.EXPIRED, MandateStatus.BLOCKED}
    ),
    MandateAction.CONFIRM_B2B: frozenset(set(MandateStatus) - {MandateStatus.ENDED, MandateStatus.REVOKED}),
    MandateAction.REVOKE: frozenset(set(MandateStatus) - {MandateStatus.REVOKED}),
    # A mandate that can still be collected (an ended or revoked one is never collected again).
    MandateAction.REPLACE_REFERENCE: frozenset(
        {MandateStatus.ACTIVE, MandateStatus.INACTIVE, MandateStatus.EXPIRED, MandateStatus.BLOCKED}
    ),
}


class JobAction(StrEnum):
    CANCEL = "cancel"
    RETRY = "retry"


JOB_ALLOWS: Mapping[JobAction, frozenset[JobStatus]] = {
    JobAction.CANCEL: JOB_ACTIVE,
    JobAction.RETRY: JOB_ENDED_BADLY,
}


def allows(table: Mapping[Action, frozenset[Any]], status: str) -> frozenset[Action]:
    """The actions of `table` that a row in `status` allows (before rights and other facts)."""
    return frozenset(action for action, statuses in table.items() if status in statuses)
