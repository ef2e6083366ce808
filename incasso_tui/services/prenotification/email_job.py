"""Pre-notifications by e-mail as a queued job (kind "prenotify_email"), at most one mail each.

Queueing records a 'pending' row per order of every debtor with an e-mail address, with the
date and amount the notice states, in the transaction that enqueues the job. The job sends a
debtor's mail like this: render the PDF, commit the debtor's rows as 'sending', run the SMTP
transaction, commit them as 'sent'. After a crash the job runs again (the queue requeues it):
rows still 'sending' may or may not have reached the server, so they are never sent again but
marked 'unknown' and reported; 'pending' rows are sent. A server that refuses a mail leaves its
rows 'failed' with the reply; a lost connection stops the job (retry sends what is pending).

Test hook: INCASSO_TEST_CRASH_AT=mail_sent:K kills the process (SIGKILL) right after the
K-th mail's SMTP transaction, before it is recorded as sent: the worst moment.
"""

from __future__ import annotations

import os
import signal
import smtplib
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from incasso_tui.core import config as config_mod
from incasso_tui.core.clock import now as clock_now
from incasso_tui.core.errors import Refused
from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.db.statuses import JOB_ACTIVE, OrderStatus, PreNotificationChannel, PreNotificationStatus
from incasso_tui.services import audit
from incasso_tui.services.auth import Actor
from incasso_tui.services.collection.planning import tuples
from incasso_tui.services.prenotification import mail
from incasso_tui.services.prenotification.files import render_one
from incasso_tui.services.prenotification.gather import DebtorNotice, Gathered, notices_for

if TYPE_CHECKING:
    from incasso_tui.jobs.registry import JobContext

KIND = "prenotify_email"
_PENDING = PreNotificationStatus.PENDING
_SENDING = PreNotificationStatus.SENDING


def queue_email(actor: Actor, gathered: Gathered, smtp: config_mod.SmtpConfig, subject: str) -> int | None:
    """Queue the mails of the debtors with an e-mail address; None when none has one.
    `subject`: what the job and the audit name ("set 12", "order 345")."""
    mail.require_configured(smtp)
    recipients = [n for n in gathered.notices if n.email]
    if not recipients:
        return None
    order_ids = [o.order_id for n in recipients for o in n.orders]
    busy = (
        m.PreNotification.select(m.PreNotification.job)
        .join(m.Job, on=m.PreNotification.job == m.Job.id)
        .where(
            m.PreNotification.order.in_(order_ids)
            & m.PreNotification.status.in_([_PENDING, _SENDING])
            & m.Job.status.in_(sorted(JOB_ACTIVE))
        )
        .first()
    )
    if busy is not None:
        raise Refused(
            "the pre-notifications of {subject} are being e-mailed already (job {job_id})",
            subject=subject,
            job_id=busy.job_id,
        )
    from incasso_tui.jobs import queue

    with database.atomic():
        job = queue.enqueue(
            KIND,
            {"set_id": gathered.set_id, "subject": subject},
            actor.user_id,
            message=f"pre-notifications of {subject}: {len(recipients)} e-mails",
        )
        stamp = clock_now()
        rows = [
            {
                "order": o.order_id,
                "collection_set": gathered.set_id,
                "debtor": n.debtor_id,
                "channel": PreNotificationChannel.EMAIL,
                "recipient": n.email,
                "collection_date": o.collection_date,
                "amount_cents": o.amount_cents,
                "created_at": stamp,
                "status": _PENDING,
                "job": job.id,
                "created_by": actor.user_id,
            }
            for n in recipients
            for o in n.orders
        ]
        for i in range(0, len(rows), 500):
            m.PreNotification.insert_many(rows[i : i + 500]).execute()
        for adm_id in sorted({n.administration_id for n in recipients}):
            count = sum(1 for n in recipients if n.administration_id == adm_id)
            audit.record(
                actor,
                "prenotification.email",
                object_type="collection_set" if gathered.set_id else "order",
                object_id=gathered.set_id or order_ids[0],
                administration_id=adm_id,
                summary=f"pre-notifications of {subject}: {count} e-mails queued as job {job.id}",
            )
    return job.id


def _crash_after(sent: int) -> None:
    point = os.environ.get("INCASSO_TEST_CRASH_AT", "")
    if point.startswith("mail_sent:") and point.partition(":")[2] == str(sent):
        os.kill(os.getpid(), signal.SIGKILL)


def _rows(job_id: int, status: str) -> list[m.PreNotification]:
    return list(
        m.PreNotification.select()
        .where((m.PreNotification.job == job_id) & (m.PreNotification.status == status))
        .order_by(m.PreNotification.id)
    )


def _open_orders(order_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for i in range(0, len(order_ids), 2000):
        found |= {
            oid
            for (oid,) in tuples(
                m.CollectionOrder.select(m.CollectionOrder.id).where(
                    m.CollectionOrder.id.in_(order_ids[i : i + 2000])
                    & (m.CollectionOrder.status == OrderStatus.OPEN)
                )
            )
        }
    return found


def _mark(ids: list[int], status: str, **values: Any) -> None:
    with database.atomic():
        m.PreNotification.update(status=status, **values).where(m.PreNotification.id.in_(ids)).execute()


def run_email_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    cfg = config_mod.loaded() or config_mod.load(None)
    smtp = cfg.smtp
    mail.require_configured(smtp)
    # A crash left these mid-transaction: maybe delivered, so never sent again.
    interrupted = _rows(ctx.job_id, _SENDING)
    if interrupted:
        _mark(
            [r.id for r in interrupted],
            PreNotificationStatus.UNKNOWN,
            error="the previous run stopped during the SMTP transaction: not sent again",
        )
    pending = _rows(ctx.job_id, _PENDING)
    still_open = _open_orders([r.order_id for r in pending])
    notices = notices_for(
        [(r.order_id, r.collection_date, r.amount_cents) for r in pending if r.order_id in still_open]
    )
    covered = {o.order_id for n in notices for o in n.orders}
    gone = [r.id for r in pending if r.order_id not in covered]
    if gone:  # cancelled, processed or without its mandate since: the notice would be untrue
        _mark(gone, PreNotificationStatus.FAILED, error="the order is no longer to be collected as notified")
    by_debtor: dict[int, list[m.PreNotification]] = defaultdict(list)
    for row in pending:
        if row.order_id in covered:
            by_debtor[row.debtor_id].append(row)
    total = len(notices)
    sent = failed = 0
    ctx.progress(0, total, f"{total} e-mails to send")
    if not notices:
        return _result(payload, ctx.job_id, 0, 0)
    client = mail.connect(smtp)
    try:
        for done, notice in enumerate(notices, 1):
            if ctx.cancelled():
                return {"cancelled": True}
            rows = by_debtor[notice.debtor_id]
            outcome = _send_one(client, smtp, notice, rows)
            sent += outcome == "sent"
            failed += outcome == "failed"
            _crash_after(sent)
            if outcome == "sent":
                _mark([r.id for r in rows], PreNotificationStatus.SENT, sent_at=clock_now())
            ctx.progress(done, total, f"{sent} of {total} e-mails sent")
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    return _result(payload, ctx.job_id, sent, failed)


def _send_one(
    client: smtplib.SMTP, smtp: config_mod.SmtpConfig, notice: DebtorNotice, rows: list[m.PreNotification]
) -> str:
    """One debtor's mail: 'sent' (the transaction completed; the caller records it) or
    'failed' (the server refused it; recorded here). A lost connection is recorded as
    'unknown' and raised: the job stops."""
    from incasso_tui.documents.prenotification import email_text

    subject, body = email_text(notice.letter)
    msg = mail.message(
        smtp,
        to=rows[0].recipient,
        to_name=notice.letter.debtor.name,
        sender_name=notice.letter.creditor.name,
        subject=subject,
        body=body,
        pdf=render_one(notice),
        pdf_name=f"prenotification-{notice.debtor_number}.pdf",
    )
    ids = [r.id for r in rows]
    _mark(ids, _SENDING)  # committed before the transaction: a crash from here is 'unknown'
    try:
        client.send_message(msg)
    except mail.REFUSED as exc:
        _mark(ids, PreNotificationStatus.FAILED, error=f"refused by the SMTP server: {exc}"[:2000])
        return "failed"
    except (OSError, smtplib.SMTPException) as exc:
        _mark(ids, PreNotificationStatus.UNKNOWN, error=f"connection lost while sending: {exc}"[:2000])
        raise Refused(
            "SMTP server {host}: connection lost while sending to {recipient}: {reason}",
            host=smtp.host,
            recipient=rows[0].recipient,
            reason=exc,
        ) from None
    return "sent"


def _result(payload: dict[str, Any], job_id: int, sent: int, failed: int) -> dict[str, Any]:
    counts: dict[str, int] = defaultdict(int)
    for (status,) in tuples(
        m.PreNotification.select(m.PreNotification.status).where(m.PreNotification.job == job_id)
    ):
        counts[status] += 1
    unknown = sorted(
        {
            r.recipient
            for r in m.PreNotification.select(m.PreNotification.recipient).where(
                (m.PreNotification.job == job_id)
                & (m.PreNotification.status == PreNotificationStatus.UNKNOWN)
            )
        }
    )
    subject = payload.get("subject", "")
    message = f"pre-notifications of {subject}: {sent} e-mails sent" + (
        f", {failed} refused" if failed else ""
    )
    if unknown:
        message += f"; {len(unknown)} maybe sent before a crash (not sent again)"
    return {
        "sent": sent,
        "failed": failed,
        "unknown_recipients": unknown,
        "orders_by_status": dict(counts),
        "message": message,
    }
