"""Pre-notifications (vooraankondigingen, sepa-rules §4.4): tell each debtor the amount and
date of their collections before a set (or one order) is processed.

One use case for the TUI and the CLI: `prenotify_set` / `prenotify_order` write the print PDF
(one letter per debtor, each from a new page) and/or the mail-merge CSV, and/or queue the
e-mails (job "prenotify_email", email_job.py). Every notice is recorded per order with the
date and amount it states (PreNotification), so processing can warn about orders collected
without a notice in time, or on another date or for another amount (overview.check_set).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from incasso_tui.core.clock import now as clock_now
from incasso_tui.core.config import SmtpConfig
from incasso_tui.core.errors import Refused, UsageError
from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.db.statuses import PreNotificationChannel, PreNotificationStatus
from incasso_tui.services import audit
from incasso_tui.services.auth import Actor
from incasso_tui.services.exports.run import default_directory
from incasso_tui.services.prenotification import files
from incasso_tui.services.prenotification.email_job import queue_email
from incasso_tui.services.prenotification.gather import Gathered, for_order, for_set
from incasso_tui.services.prenotification.overview import NoticeCheck, check_set, order_marks, set_summary

__all__ = [
    "NoticeCheck",
    "PrenotifyResult",
    "Preview",
    "check_set",
    "default_pdf_path",
    "order_marks",
    "prenotify_order",
    "prenotify_set",
    "preview_set",
    "processing_warnings",
    "set_summary",
]

NEED_OUTPUT = "give at least one of --email, --out FILE.pdf, --letters DIR, --csv FILE.csv"


@dataclass
class Preview:
    """What pre-notifying a set would do (the TUI's dialog shows it before anything happens)."""

    set_id: int
    debtors: int
    orders: int
    by_email: int
    to_print: int
    held_back: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PrenotifyResult:
    subject: str
    debtors: int
    orders: int
    held_back: int
    pdf: Path | None = None
    csv: Path | None = None
    letters: list[Path] = field(default_factory=list)  # one PDF per debtor (--letters)
    job_id: int | None = None  # the e-mails' job
    emails: int = 0  # debtors e-mailed by the job
    to_print: list[dict[str, str]] = field(default_factory=list)  # debtors without an e-mail address

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["pdf"] = str(self.pdf) if self.pdf else None
        data["csv"] = str(self.csv) if self.csv else None
        data["letters"] = [str(p) for p in self.letters]
        return data


def processing_warnings(actor: Actor, set_id: int, limit: int = 100) -> NoticeCheck:
    """The orders of a set the user may see whose pre-notification is missing, late, or no
    longer true (shown when the set is processed: a warning, not a refusal)."""
    from incasso_tui.services.collection.sets import get_set

    return check_set(get_set(actor, set_id).id, limit)


def default_pdf_path(set_id: int) -> Path:
    """Where the TUI offers to write a set's print PDF (the CSV goes beside it)."""
    return default_directory() / f"prenotify-{set_id}.pdf"


def preview_set(actor: Actor, set_id: int) -> Preview:
    gathered = for_set(actor, set_id)
    return Preview(
        set_id,
        len(gathered.notices),
        gathered.orders,
        gathered.by_email,
        len(gathered.notices) - gathered.by_email,
        gathered.held_back,
    )


def prenotify_set(
    actor: Actor,
    set_id: int,
    *,
    pdf: str | Path | None = None,
    csv: str | Path | None = None,
    letters: str | Path | None = None,
    email: bool = False,
    smtp: SmtpConfig | None = None,
) -> PrenotifyResult:
    """The pre-notifications of a set not yet processed: print PDF, a PDF per debtor, CSV and/or
    e-mails."""
    paths = _require_output(pdf, csv, letters, email)
    return _produce(actor, for_set(actor, set_id), f"set {set_id}", paths, email, smtp)


def prenotify_order(
    actor: Actor,
    order_id: int,
    *,
    pdf: str | Path | None = None,
    csv: str | Path | None = None,
    letters: str | Path | None = None,
    email: bool = False,
    smtp: SmtpConfig | None = None,
) -> PrenotifyResult:
    """The pre-notification of one order not yet in a file."""
    paths = _require_output(pdf, csv, letters, email)
    return _produce(actor, for_order(actor, order_id), f"order {order_id}", paths, email, smtp)


Paths = tuple[Path | None, Path | None, Path | None]  # print PDF, CSV, directory of letters


def _require_output(
    pdf: str | Path | None, csv: str | Path | None, letters: str | Path | None, email: bool
) -> Paths:
    if not (pdf or csv or letters or email):
        raise UsageError(NEED_OUTPUT)
    return files.check_paths(pdf, csv, letters)


def _produce(
    actor: Actor,
    gathered: Gathered,
    subject: str,
    paths: Paths,
    email: bool,
    smtp: SmtpConfig | None,
) -> PrenotifyResult:
    if not gathered.notices:
        if gathered.held_back:
            raise Refused(
                "{subject} has no orders that will be collected ({held_back} held back): nothing to pre-notify",
                subject=subject,
                held_back=gathered.held_back,
            )
        raise Refused(
            "{subject} has no orders that will be collected: nothing to pre-notify", subject=subject
        )
    if email and smtp is None:
        raise Refused("e-mail is not configured: add an [smtp] section to the configuration")
    pdf_path, csv_path, letters_dir = paths
    result = PrenotifyResult(subject, len(gathered.notices), gathered.orders, gathered.held_back)
    # Files first (nothing is recorded when writing fails), then the records, then the mails.
    if pdf_path is not None:
        result.pdf = files.write_print_pdf(pdf_path, gathered.notices)
    if letters_dir is not None:
        result.letters = files.write_letters(letters_dir, gathered.notices)
    if csv_path is not None:
        result.csv = files.write_csv(csv_path, gathered.notices)
    channels = []
    if pdf_path is not None or letters_dir is not None:
        channels.append(PreNotificationChannel.PRINT)
    if csv_path is not None:
        channels.append(PreNotificationChannel.CSV)
    if channels:
        _record_written(actor, gathered, subject, channels)
    if email and smtp is not None:
        result.job_id = queue_email(actor, gathered, smtp, subject)
        result.emails = gathered.by_email
    result.to_print = [
        {
            "administration": n.administration,
            "debtor_number": n.debtor_number,
            "debtor_name": n.letter.debtor.name,
        }
        for n in gathered.notices
        if not n.email
    ]
    return result


def _record_written(
    actor: Actor, gathered: Gathered, subject: str, channels: list[PreNotificationChannel]
) -> None:
    """A letter in the print PDF or a CSV row counts as told on the day it was made."""
    stamp = clock_now()
    rows = [
        {
            "order": o.order_id,
            "collection_set": gathered.set_id,
            "debtor": n.debtor_id,
            "channel": channel,
            "recipient": "",
            "collection_date": o.collection_date,
            "amount_cents": o.amount_cents,
            "created_at": stamp,
            "sent_at": stamp,
            "status": PreNotificationStatus.SENT,
            "created_by": actor.user_id,
        }
        for channel in channels
        for n in gathered.notices
        for o in n.orders
    ]
    with database.atomic():
        for i in range(0, len(rows), 500):
            m.PreNotification.insert_many(rows[i : i + 500]).execute()
        for adm_id in sorted({n.administration_id for n in gathered.notices}):
            debtors = sum(1 for n in gathered.notices if n.administration_id == adm_id)
            audit.record(
                actor,
                "prenotification.write",
                object_type="collection_set" if gathered.set_id else "order",
                object_id=gathered.set_id or gathered.notices[0].orders[0].order_id,
                administration_id=adm_id,
                summary=f"pre-notifications of {subject}: {debtors} debtors ({', '.join(map(str, channels))})",
            )
