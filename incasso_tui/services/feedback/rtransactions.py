"""Reading R-transactions: the paged list with filters, the history of a mandate or debtor
(collections and what came back), the home screen's count, and deciding on the items a
person has to look at (unknown reason codes, references that matched nothing)."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import peewee as pw

from incasso_tui.db import models as m
from incasso_tui.rules import reason_codes as rc
from incasso_tui.core.clock import now as clock_now
from incasso_tui.core.clock import today as clock_today
from incasso_tui.db.database import as_date, database
from incasso_tui.core.errors import NotFound, Refused
from incasso_tui.services import audit
from incasso_tui.services.auth import PROCESS, Actor
from incasso_tui.services.paging import Page

FB = m.BankFeedback
O = m.CollectionOrder


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

    def as_dict(self) -> dict:
        return asdict(self)


def _visible(actor: Actor) -> pw.Node:
    # Unmatched feedback has no order: only who may process feedback sees it.
    unmatched = FB.order.is_null() & pw.SQL("1 = 1" if actor.may(PROCESS) else "1 = 0")
    if actor.administration_ids is None:
        return FB.order.is_null(False) | unmatched
    return (O.administration.in_(sorted(actor.administration_ids or [0]))) | unmatched


def search_feedback(actor: Actor, flt: FeedbackFilter, offset: int = 0, limit: int = 200
                    ) -> Page[FeedbackRow]:
    query = (FB.select(FB.id, FB.date, FB.kind, FB.reason_code, FB.action, FB.amount_cents,
                       FB.order, m.Administration.code, m.Debtor.number, m.Debtor.name,
                       FB.mandate_reference, FB.source, FB.source_ref, FB.matched,
                       FB.needs_decision, FB.flag)
             .join(O, pw.JOIN.LEFT_OUTER, on=(FB.order == O.id))
             .join(m.Administration, pw.JOIN.LEFT_OUTER, on=(O.administration == m.Administration.id))
             .switch(O).join(m.Debtor, pw.JOIN.LEFT_OUTER, on=(O.debtor == m.Debtor.id))
             .where(_visible(actor)))
    if flt.kind:
        query = query.where(FB.kind == flt.kind)
    if flt.reason_code:
        query = query.where(FB.reason_code == flt.reason_code.upper())
    if flt.administration_id:
        query = query.where(O.administration == flt.administration_id)
    if flt.date_from:
        query = query.where(FB.date >= flt.date_from)
    if flt.date_to:
        query = query.where(FB.date <= flt.date_to)
    if flt.open_only:
        query = query.where(FB.needs_decision)
    if flt.debtor_id:
        query = query.where(O.debtor == flt.debtor_id)
    text = flt.search.strip()
    if text:
        query = query.where(FB.source_ref.startswith(text) | FB.mandate_reference.startswith(text)
                            | m.Debtor.number.startswith(text)
                            | m.Debtor.name_key.contains(text.lower()))
    total = query.count()
    rows = query.order_by(FB.date.desc(), FB.id.desc()).offset(offset).limit(limit).tuples()
    return Page([FeedbackRow(*(r[:7]), r[7] or "", r[8] or "", r[9] or "", r[10] or "",
                             r[11], r[12] or "", bool(r[13]), bool(r[14]), r[15] or "")
                 for r in rows], total, offset)


def get_feedback(actor: Actor, feedback_id: int) -> m.BankFeedback:
    fb = FB.get_or_none(FB.id == int(feedback_id))
    if fb is None:
        raise NotFound(f"R-transaction {feedback_id} does not exist")
    adm = fb.order.administration_id if fb.order_id else None
    if (adm is None and not actor.may(PROCESS)) or (adm is not None and not actor.may("view", adm)):
        raise NotFound(f"R-transaction {feedback_id} does not exist or is not visible to you")
    return fb


def decide(actor: Actor, feedback_id: int, note: str) -> None:
    """A person looked at an item the app could not act on (unknown code, no match)."""
    fb = get_feedback(actor, feedback_id)
    actor.require(PROCESS, fb.order.administration_id if fb.order_id else None,
                  what=f"R-transaction {feedback_id}")
    if not fb.needs_decision:
        raise Refused(f"R-transaction {feedback_id} needs no decision (action {fb.action})")
    if not note.strip():
        raise Refused("say what was decided (a note is required)")
    with database.atomic():
        FB.update(needs_decision=False, decided_by=actor.user_id, decided_at=clock_now(),
                  note=(fb.note + " | " if fb.note else "") + note.strip()[:400]
                  ).where(FB.id == fb.id).execute()
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


def collection_history(actor: Actor, *, mandate_id: int | None = None,
                       debtor_id: int | None = None, limit: int = 500) -> list[HistoryLine]:
    """Collections (orders that went into a file) and their R-transactions, newest first."""
    where = actor.visible(O.administration) & O.end_to_end_id.is_null(False)
    if mandate_id is not None:
        where &= O.mandate == mandate_id
    if debtor_id is not None:
        where &= O.debtor == debtor_id
    lines: list[HistoryLine] = []
    orders = (O.select(O.id, O.collection_date, O.end_to_end_id, O.sequence_type,
                       O.amount_cents, O.status, m.Mandate.reference)
              .join(m.Mandate, pw.JOIN.LEFT_OUTER, on=(O.mandate == m.Mandate.id))
              .where(where).order_by(O.id.desc()).limit(limit).tuples())
    order_ids = []
    for oid, day, e2e, seq, cents, status, ref in orders:
        order_ids.append(oid)
        lines.append(HistoryLine(as_date(day), "collection", oid, e2e, seq or "", cents, status,
                                 ref or ""))
    if order_ids:
        for fid, oid, day, kind, code, action, cents, ref, e2e in (
                FB.select(FB.id, FB.order, FB.date, FB.kind, FB.reason_code, FB.action,
                          FB.amount_cents, FB.mandate_reference, FB.source_ref)
                .where(FB.order.in_(order_ids)).tuples()):
            lines.append(HistoryLine(as_date(day), kind, oid, e2e or "", "", cents,
                                     f"{code} {rc.lookup(code).name_en} ({action})", ref or ""))
    return _collections_first(lines)
    return lines


def _collections_first(lines: list[HistoryLine]) -> list[HistoryLine]:
    """Newest collection first, each followed by what came back on it (oldest first)."""
    out = sorted((x for x in lines if x.what == "collection"), key=lambda x: x.order_id,
                 reverse=True)
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
    query = (FB.select(pw.fn.COUNT(FB.mandate.distinct()))
             .join(m.Mandate, on=(FB.mandate == m.Mandate.id))
             .where(FB.action.in_(rc.MANDATE_ACTIONS) & (FB.date >= since)
                    & m.Mandate.status.in_(("blocked", "revoked"))
                    & actor.visible(m.Mandate.administration)))
    return query.scalar() or 0


def open_decisions(actor: Actor) -> int:
    return search_feedback(actor, FeedbackFilter(open_only=True), 0, 1).total


def reason_table(language: str = "en") -> list[dict]:
    """The reason-code action table, for administrators to read (screen and CLI)."""
    rows = []
    for code in rc.all_codes():
        label_en, label_nl, effect = rc.ACTIONS[code.action]
        rows.append({"code": code.code,
                     "name": code.name_nl if language == "nl" else code.name_en,
                     "action": code.action, "action_label": label_nl if language == "nl" else label_en,
                     "effect": effect,
                     "advice": code.advice_nl if language == "nl" else code.advice_en})
    return rows
