"""Reading R-transactions: the paged list with filters, the history of a mandate or debtor
(collections and what came back), the home screen's count, and deciding on the items a
person has to look at (unknown reason codes, references that matched nothing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, cast

import peewee as pw

from incasso_tui.core.clock import now as clock_now
from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import NotFound, Refused
from incasso_tui.db import models as m
from incasso_tui.db.database import as_date, database
from incasso_tui.db.statuses import MandateStatus
from incasso_tui.rules import reason_codes as rc
from incasso_tui.services import audit, search
from incasso_tui.services.auth import PROCESS, VIEW, Actor
from incasso_tui.services.feedback import codes
from incasso_tui.services.paging import Page


@dataclass(frozen=True)
class FeedbackFilter:
    kind: str | None = None
    reason_code: str | None = None
    administration_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    open_only: bool = False  # to decide: unknown codes and unmatched references
    debtor_id: int | None = None
    search: str = ""  # EndToEndId, mandate reference, debtor number or name


@dataclass(frozen=True)
class FeedbackRow:
    id: int
    date: dt.date
    kind: str
    reason_code: str
    action: str
    amount_cents: int
    order_id: int | None
    administration: str
    debtor_number: str
    debtor_name: str
    mandate_reference: str
    source: str
    source_ref: str
    matched: bool
    needs_decision: bool
    flag: str
    # The order's administration, or the one unmatched feedback belongs to (None: nothing
    # said whose it is, only admins see it).
    administration_id: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class FeedbackAction(StrEnum):
    IMPORT = "import"  # read a bank file
    DECIDE = "decide"  # close an item the app could not act on
    COLLECT_AGAIN = "collect_again"  # herincasso of the order the feedback is about


def feedback_actions(actor: Actor, row: FeedbackRow | None = None) -> frozenset[FeedbackAction]:
    """What the user may do in the bank feedback list: import a file, and with ``row`` decide
    on it (when it waits for a decision) or collect its order again (when the code's action
    leaves the claim standing)."""
    if not actor.may(PROCESS):
        return frozenset()
    allowed = {FeedbackAction.IMPORT}
    if row is not None and row.needs_decision and _may_decide(actor, row.administration_id, row.order_id):
        allowed.add(FeedbackAction.DECIDE)
    if row is not None and row.order_id and row.action in codes.AGAIN_ACTIONS:
        allowed.add(FeedbackAction.COLLECT_AGAIN)
    return frozenset(allowed)


def _may_decide(actor: Actor, administration_id: int | None, order_id: int | None) -> bool:
    if administration_id is None and order_id is None:
        return actor.is_admin  # nothing says whose it is: an admin decides
    return actor.may(PROCESS, administration_id)


def visible_feedback(actor: Actor) -> pw.Node:
    """Feedback on an order: the order's administration. Feedback that matched no order: the
    administration stored with it (the creditor account of the original file); with none,
    only admins see it."""
    if actor.administration_ids is None:
        return pw.SQL("1 = 1")
    ids = sorted(actor.administration_ids) or [0]
    on_order = m.BankFeedback.order.is_null(False) & m.CollectionOrder.administration.in_(ids)
    unmatched = m.BankFeedback.order.is_null() & m.BankFeedback.administration.in_(ids)
    return on_order | unmatched


def feedback_administration() -> pw.Node:
    return pw.fn.COALESCE(m.CollectionOrder.administration, m.BankFeedback.administration)


def search_feedback(
    actor: Actor, flt: FeedbackFilter, offset: int = 0, limit: int = 200
) -> Page[FeedbackRow]:
    query = feedback_query(actor, flt)
    total = query.order_by().count()
    rows = cast("Iterable[tuple[Any, ...]]", query.offset(offset).limit(limit).tuples())
    return Page([feedback_row(r) for r in rows], total, offset)


def feedback_query(actor: Actor, flt: FeedbackFilter) -> pw.Select:
    """The R-transactions of `flt` the user may see, newest first: the page and the export
    read this one query (rows as tuples; `feedback_row` maps them)."""
    query = (
        m.BankFeedback.select(
            m.BankFeedback.id,
            m.BankFeedback.date,
            m.BankFeedback.kind,
            m.BankFeedback.reason_code,
            m.BankFeedback.action,
            m.BankFeedback.amount_cents,
            m.BankFeedback.order,
            m.Administration.code,
            m.Debtor.number,
            m.Debtor.name,
            m.BankFeedback.mandate_reference,
            m.BankFeedback.source,
            m.BankFeedback.source_ref,
            m.BankFeedback.matched,
            m.BankFeedback.needs_decision,
            m.BankFeedback.flag,
            feedback_administration(),
        )
        .join(m.CollectionOrder, pw.JOIN.LEFT_OUTER, on=(m.BankFeedback.order == m.CollectionOrder.id))
        .join(m.Administration, pw.JOIN.LEFT_OUTER, on=(feedback_administration() == m.Administration.id))
        .switch(m.CollectionOrder)
        .join(m.Debtor, pw.JOIN.LEFT_OUTER, on=(m.CollectionOrder.debtor == m.Debtor.id))
        .where(visible_feedback(actor))
    )
    if flt.kind:
        query = query.where(m.BankFeedback.kind == flt.kind)
    if flt.reason_code:
        query = query.where(m.BankFeedback.reason_code == flt.reason_code.upper())
    if flt.administration_id:
        query = query.where(feedback_administration() == flt.administration_id)
    if flt.date_from:
        query = query.where(m.BankFeedback.date >= flt.date_from)
    if flt.date_to:
        query = query.where(m.BankFeedback.date <= flt.date_to)
    if flt.open_only:
        query = query.where(m.BankFeedback.needs_decision)
    if flt.debtor_id:
        query = query.where(m.CollectionOrder.debtor == flt.debtor_id)
    searched = search.typed(flt.search)
    if searched:
        query = query.where(
            m.BankFeedback.source_ref.startswith(searched.text)
            | m.BankFeedback.mandate_reference.startswith(searched.text)
            | search.debtor_match(actor, searched, m.CollectionOrder.debtor)
        )
    return query.order_by(m.BankFeedback.date.desc(), m.BankFeedback.id.desc())


def feedback_row(r: tuple[Any, ...]) -> FeedbackRow:
    return FeedbackRow(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        r[7] or "",
        r[8] or "",
        r[9] or "",
        r[10] or "",
        r[11],
        r[12] or "",
        bool(r[13]),
        bool(r[14]),
        r[15] or "",
        r[16],
    )


def _administration_of(fb: m.BankFeedback) -> int | None:
    """The administration of the feedback's order, or the one feedback that matched no
    order belongs to; None when nothing says whose it is."""
    order = fb.order if fb.order_id else None
    return order.administration_id if order is not None else fb.administration_id


def get_feedback(actor: Actor, feedback_id: int) -> m.BankFeedback:
    fb = m.BankFeedback.get_or_none(m.BankFeedback.id == int(feedback_id))
    if fb is None:
        raise NotFound("R-transaction {feedback_id} does not exist", feedback_id=feedback_id)
    adm = _administration_of(fb)
    if (adm is None and not actor.is_admin) or (adm is not None and not actor.may(VIEW, adm)):
        raise NotFound(
            "R-transaction {feedback_id} does not exist or is not visible to you", feedback_id=feedback_id
        )
    return fb


def decide(actor: Actor, feedback_id: int, note: str) -> None:
    """A person looked at an item the app could not act on (unknown code, no match)."""
    fb = get_feedback(actor, feedback_id)
    adm = _administration_of(fb)
    if not _may_decide(actor, adm, fb.order_id):
        actor.require(PROCESS, adm, what=f"R-transaction {feedback_id}")
        raise Refused(
            "user {login} may not decide R-transaction {feedback_id}: only an admin may",
            login=actor.login,
            feedback_id=feedback_id,
        )
    if not fb.needs_decision:
        raise Refused(
            "R-transaction {feedback_id} needs no decision (action {action})",
            feedback_id=feedback_id,
            action=fb.action,
        )
    if not note.strip():
        raise Refused("say what was decided (a note is required)")
    from incasso_tui.services.input_rules import check_text  # not at import: see home counts

    check_text(note.strip(), "note")
    with database.atomic():
        m.BankFeedback.update(
            needs_decision=False,
            decided_by=actor.user_id,
            decided_at=clock_now(),
            note=(fb.note + " | " if fb.note else "") + note.strip()[:400],
        ).where(m.BankFeedback.id == fb.id).execute()
        audit.record(actor, "feedback.decide", fb, summary=f"R-transaction {fb.id}: {note[:150]}")


@dataclass(frozen=True)
class HistoryLine:
    """One collection, or one R-transaction on it, for a mandate's or debtor's history."""

    date: dt.date | None
    what: str  # "collection" or the R-transaction kind
    order_id: int
    end_to_end_id: str
    sequence_type: str
    amount_cents: int
    status: str  # the order's status, or the reason code and action
    mandate_reference: str

    def as_dict(self) -> dict:
        return asdict(self)


def collection_history(
    actor: Actor, *, mandate_id: int | None = None, debtor_id: int | None = None, limit: int = 500
) -> list[HistoryLine]:
    """Collections (orders that went into a file) and their R-transactions, newest first."""
    where = actor.visible(m.CollectionOrder.administration) & m.CollectionOrder.end_to_end_id.is_null(False)
    if mandate_id is not None:
        where &= m.CollectionOrder.mandate == mandate_id
    if debtor_id is not None:
        where &= m.CollectionOrder.debtor == debtor_id
    lines: list[HistoryLine] = []
    orders = cast(
        "Iterable[tuple[int, Any, str, str | None, int, str, str | None]]",
        m.CollectionOrder.select(
            m.CollectionOrder.id,
            m.CollectionOrder.collection_date,
            m.CollectionOrder.end_to_end_id,
            m.CollectionOrder.sequence_type,
            m.CollectionOrder.amount_cents,
            m.CollectionOrder.status,
            m.Mandate.reference,
        )
        .join(m.Mandate, pw.JOIN.LEFT_OUTER, on=(m.CollectionOrder.mandate == m.Mandate.id))
        .where(where)
        .order_by(m.CollectionOrder.id.desc())
        .limit(limit)
        .tuples(),
    )
    order_ids = []
    for oid, day, e2e, seq, cents, status, ref in orders:
        order_ids.append(oid)
        lines.append(HistoryLine(as_date(day), "collection", oid, e2e, seq or "", cents, status, ref or ""))
    if order_ids:
        feedback = cast(
            "Iterable[tuple[int, int, Any, str, str, str, int, str | None, str | None]]",
            m.BankFeedback.select(
                m.BankFeedback.id,
                m.BankFeedback.order,
                m.BankFeedback.date,
                m.BankFeedback.kind,
                m.BankFeedback.reason_code,
                m.BankFeedback.action,
                m.BankFeedback.amount_cents,
                m.BankFeedback.mandate_reference,
                m.BankFeedback.source_ref,
            )
            .where(m.BankFeedback.order.in_(order_ids))
            .tuples(),
        )
        for _fid, oid, day, kind, code, action, cents, ref, source_ref in feedback:
            lines.append(
                HistoryLine(
                    as_date(day),
                    kind,
                    oid,
                    source_ref or "",
                    "",
                    cents,
                    f"{code} {rc.lookup(code).name_en} ({action})",
                    ref or "",
                )
            )
    return _collections_first(lines)


def _collections_first(lines: list[HistoryLine]) -> list[HistoryLine]:
    """Newest collection first, each followed by what came back on it (oldest first)."""
    out = sorted((x for x in lines if x.what == "collection"), key=lambda x: x.order_id, reverse=True)
    by_order: dict[int, list[HistoryLine]] = {}
    for line in lines:
        if line.what != "collection":
            by_order.setdefault(line.order_id, []).append(line)
    result = []
    for line in out:
        result.append(line)
        result.extend(sorted(by_order.get(line.order_id, []), key=lambda x: x.date or dt.date.min))
    return result


def blocked_by_feedback(actor: Actor, days: int = 30) -> int:
    """Mandates blocked, cancelled or invalidated by bank feedback in the last ``days`` days."""
    since = clock_today() - dt.timedelta(days=days)
    query = (
        m.BankFeedback.select(pw.fn.COUNT(m.BankFeedback.mandate.distinct()))
        .join(m.Mandate, on=(m.BankFeedback.mandate == m.Mandate.id))
        .where(
            m.BankFeedback.action.in_(rc.MANDATE_ACTIONS)
            & (m.BankFeedback.date >= since)
            & m.Mandate.status.in_((MandateStatus.BLOCKED, MandateStatus.REVOKED))
            & actor.visible(m.Mandate.administration)
        )
    )
    return query.scalar() or 0


def open_decisions(actor: Actor) -> int:
    return search_feedback(actor, FeedbackFilter(open_only=True), 0, 1).total


@dataclass(frozen=True)
class FeedbackDetail:
    """One R-transaction as the detail screen shows it: what the bank said, what the app did
    (texts in the user's language where the table has them), and its mandate's history."""

    id: int
    kind: str
    reason_code: str
    reason_name: str
    advice: str
    action: str
    action_label: str
    action_effect: str  # in English
    date: dt.date
    amount_cents: int
    source: str
    source_file: str
    source_ref: str
    mandate_reference: str
    order_id: int | None
    reason_text: str  # the bank's own words
    flag: str
    note: str
    matched: bool
    needs_decision: bool
    history: list[HistoryLine]


def feedback_detail(actor: Actor, feedback_id: int, language: str = "en") -> FeedbackDetail:
    fb = get_feedback(actor, feedback_id)
    history = collection_history(actor, mandate_id=fb.mandate_id) if fb.mandate_id else []
    return FeedbackDetail(
        fb.id,
        fb.kind,
        fb.reason_code or "",
        codes.reason_name(fb.reason_code, language),
        codes.reason_advice(fb.reason_code, language),
        fb.action,
        codes.action_label(fb.action, language),
        codes.action_effect(fb.action),
        fb.date,
        fb.amount_cents,
        fb.source,
        fb.source_file or "",
        fb.source_ref or "",
        fb.mandate_reference or "",
        fb.order_id,
        fb.reason_text or "",
        fb.flag or "",
        fb.note or "",
        bool(fb.matched),
        bool(fb.needs_decision),
        history,
    )
