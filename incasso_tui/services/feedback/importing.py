"""Import of bank feedback files: pain.002 (rejects) and camt.053/054 (returns, refunds).

``import_feedback(actor, path, dry_run=...)`` reads the file (incasso_tui.sepa.feedback),
matches every item to our orders and plans the effect of each (reversals.plan_effect);
without ``dry_run`` it records all of it in one transaction.  The dry run is the preview
the screen shows before the user confirms.

* Idempotent: a file is known by its SHA-256; importing it again changes nothing and says
  when and by whom it was imported.  An order that already has its reject or return (the
  same one reported in a pain.002 and on the statement) is listed as skipped.
* pain.002: a group reject covers every order of that file, a block reject every order of
  that PmtInf (found through the set's file list); a transaction matches on original
  message id + EndToEndId, falling back to the EndToEndId alone.
* camt: by EndToEndId with the mandate reference as a check; without an EndToEndId, by
  mandate reference and amount when that finds exactly one collection.
* References that match nothing are recorded as unmatched feedback (listed, not dropped).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import peewee as pw

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import IncassoError, Refused
from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.db.statuses import OrderStatus
from incasso_tui.rules import reason_codes as rc
from incasso_tui.rules import reversals as rules
from incasso_tui.sepa.feedback import (
    BLOCK,
    GROUP,
    FeedbackFile,
    FeedbackFormatError,
    FeedbackItem,
    read_feedback,
)
from incasso_tui.services.auth import PROCESS, Actor
from incasso_tui.services.feedback.reversals import (
    REVERSIBLE,
    Effect,
    MandateState,
    apply_effect,
    plan_effect,
    scheme_of,
)

# Orders that already have their reject or return: feedback on them again is skipped.
_ALREADY_BACK = (OrderStatus.REJECTED, OrderStatus.REVERSED)


class FeedbackFileError(IncassoError):
    """The file cannot be read as bank feedback; nothing was changed."""


@dataclass
class Unmatched:
    reference: str
    reason_code: str
    amount_cents: int | None
    why: str
    line: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ImportReport:
    file: str
    sha256: str
    format: str
    version: str
    message_id: str
    dry_run: bool
    already_imported: str = ""  # "on 2026-11-24 10:00 by anna" when it was
    items: int = 0
    accepted: int = 0
    effects: list[Effect] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    feedback_file_id: int | None = None

    @property
    def needs_decision(self) -> int:
        return sum(1 for e in self.effects if e.action == rc.DECIDE)

    @property
    def mandates_changed(self) -> int:
        return len({e.mandate_id for e in self.effects if e.mandate_status})

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "format": self.format,
            "version": self.version,
            "message_id": self.message_id,
            "dry_run": self.dry_run,
            "already_imported": self.already_imported,
            "items": self.items,
            "accepted": self.accepted,
            "effects": [e.as_dict() for e in self.effects],
            "unmatched": [u.as_dict() for u in self.unmatched],
            "skipped": self.skipped,
            "notes": self.notes,
            "needs_decision": self.needs_decision,
            "mandates_changed": self.mandates_changed,
            "feedback_file_id": self.feedback_file_id,
        }

    def summary(self) -> str:
        if self.already_imported:
            return f"{self.file}: already imported {self.already_imported}; nothing changed"
        verb = "would change" if self.dry_run else "changed"
        return (
            f"{self.file} ({self.version}, {self.message_id}): {self.items} R-transaction(s), "
            f"{self.accepted} accepted; {verb} {len(self.effects)} order(s) and "
            f"{self.mandates_changed} mandate(s); {len(self.unmatched)} unmatched, "
            f"{len(self.skipped)} skipped, {self.needs_decision} to decide"
        )


def import_feedback(actor: Actor, path: str | Path, *, dry_run: bool = False) -> ImportReport:
    actor.require(PROCESS, what="bank feedback")
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FeedbackFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    try:
        parsed = read_feedback(data)
    except FeedbackFormatError as exc:
        raise FeedbackFileError(f"{path.name}: {exc}; nothing was imported") from None
    report = ImportReport(
        path.name,
        digest,
        parsed.format,
        parsed.version,
        parsed.message_id,
        dry_run,
        items=len(parsed.items),
        accepted=parsed.accepted,
    )
    known = m.FeedbackFile.get_or_none(m.FeedbackFile.sha256 == digest)
    if known is not None:
        who = m.User.select(m.User.login).where(m.User.id == known.imported_by_id).scalar()
        report.already_imported = f"on {known.imported_at:%Y-%m-%d %H:%M} by {who or '?'} (as {known.name})"
        report.feedback_file_id = known.id
        return report
    with database.atomic():
        matches = _match(parsed, report)
        _check_rights(actor, matches)
        pending: dict[int, MandateState] = {}
        planned = []
        rejected = frozenset(order.id for item, order in matches if item.pre_settlement)
        for item, order in matches:
            effect = plan_effect(
                order,
                item.kind,
                item.reason_code,
                pre_settlement=item.pre_settlement,
                pending=pending,
                also_rejected=rejected,
            )
            if item.kind == rules.REFUND and order.collection_date and item.date:
                verdict = rules.verdict(
                    rules.REFUND,
                    scheme=scheme_of(order),
                    collection_date=order.collection_date,
                    on=item.date,
                )
                effect.flag, effect.note = verdict.flag, verdict.reason
            report.effects.append(effect)
            planned.append((item, effect))
        if dry_run:
            return report
        record = m.FeedbackFile.create(
            name=path.name,
            sha256=digest,
            format=parsed.format,
            version=parsed.version,
            message_id=parsed.message_id,
            created_at_bank=parsed.created_at,
            imported_by=actor.user_id,
            items=len(parsed.items),
            accepted=parsed.accepted,
            matched=len(planned),
            unmatched=len(report.unmatched),
        )
        for item, effect in planned:
            apply_effect(
                actor,
                effect,
                date=item.date or clock_today(),
                source=parsed.format,
                feedback_file=record,
                source_ref=item.end_to_end_id or item.original_pmt_inf_id or item.original_msg_id,
                reason_text=item.reason_text,
                note=effect.note,
                user_id=actor.user_id,
            )
        for miss in report.unmatched:
            m.BankFeedback.create(
                order=None,
                kind=rules.REJECT if parsed.format == "pain.002" else rules.RETURN,
                reason_code=miss.reason_code[:35],
                reason_text=miss.why[:500],
                amount_cents=miss.amount_cents or 0,
                date=clock_today(),
                source=parsed.format,
                source_file=path.name,
                source_sha256=digest,
                feedback_file=record,
                source_ref=miss.reference[:100],
                action=rc.lookup(miss.reason_code).action,
                matched=False,
                needs_decision=True,
                created_by=actor.user_id,
            )
        report.feedback_file_id = record.id
    return report


# --------------------------------------------------------------------------- matching


def _match(parsed: FeedbackFile, report: ImportReport) -> list[tuple[FeedbackItem, m.CollectionOrder]]:
    seen: set[int] = set()
    found: list[tuple[FeedbackItem, m.CollectionOrder]] = []

    def take(item: FeedbackItem, order: m.CollectionOrder) -> None:
        if order.id in seen:
            report.skipped.append(f"order {order.id}: reported twice in this file")
            return
        seen.add(order.id)
        if order.status in _ALREADY_BACK:
            report.skipped.append(f"order {order.id} ({order.end_to_end_id}): already {order.status}")
            return
        if order.status not in REVERSIBLE:
            report.unmatched.append(
                _miss(item, f"order {order.id} is {order.status}, not in a file sent to the bank")
            )
            return
        found.append((item, order))

    for item in parsed.items:
        if item.scope in (GROUP, BLOCK):
            orders = _orders_of_file(item, report)
            if orders is None:
                continue
            for order in orders:
                take(item, order)
            continue
        single = _order_for_item(item, report)
        if single is not None:
            take(item, single)
    return found


def _miss(item: FeedbackItem, why: str) -> Unmatched:
    ref = (
        item.end_to_end_id
        or item.mandate_reference
        or item.original_pmt_inf_id
        or item.original_msg_id
        or "?"
    )
    return Unmatched(ref, item.reason_code, item.amount_cents, why, item.line)


def _file_of_msg(msg_id: str) -> tuple[m.CollectionSet, dict] | None:
    # files is JSON text: a LIKE narrows the sets (the raw value: no JSON encoding of the
    # pattern), the loop checks exactly.
    like = pw.Expression(m.CollectionSet.files, pw.OP.ILIKE, pw.Value(f"%{msg_id}%", converter=False))
    for cset in m.CollectionSet.select().where(like):
        for entry in cset.files or []:
            if entry.get("msg_id") == msg_id and not entry.get("superseded"):
                return cset, entry
    return None


def _orders_of_file(item: FeedbackItem, report: ImportReport) -> list[m.CollectionOrder] | None:
    located = _file_of_msg(item.original_msg_id or "")
    if located is None:
        report.unmatched.append(_miss(item, f"no file of ours has message id {item.original_msg_id}"))
        return None
    cset, entry = located
    query = m.CollectionOrder.select().where(
        (m.CollectionOrder.collection_set == cset.id) & (m.CollectionOrder.file_name == entry["name"])
    )
    if item.scope == BLOCK:
        block = next((b for b in entry.get("pmt_inf", []) if b["id"] == item.original_pmt_inf_id), None)
        if block is None:
            report.unmatched.append(
                _miss(item, f"file {entry['name']} has no PmtInf {item.original_pmt_inf_id}")
            )
            return None
        query = query.where(
            (m.CollectionOrder.bank_account == block["bank_account_id"])
            & (m.CollectionOrder.sequence_type == block["sequence_type"])
            & (m.CollectionOrder.collection_date == dt.date.fromisoformat(block["collection_date"]))
        )
        report.notes.append(f"PmtInf {item.original_pmt_inf_id} rejected as a whole ({item.reason_code})")
    else:
        report.notes.append(f"file {entry['name']} rejected as a whole ({item.reason_code})")
    return list(query.order_by(m.CollectionOrder.id))


def _order_for_item(item: FeedbackItem, report: ImportReport) -> m.CollectionOrder | None:
    if item.end_to_end_id:
        order = m.CollectionOrder.get_or_none(m.CollectionOrder.end_to_end_id == item.end_to_end_id)
        if order is None:
            report.unmatched.append(_miss(item, "no order has this EndToEndId"))
            return None
        mandate = order.mandate if order.mandate_id else None
        if item.mandate_reference and mandate is not None:
            ours = {mandate.reference.upper(), (mandate.external_reference or "").upper()}
            if item.mandate_reference.upper() not in ours:
                report.unmatched.append(
                    _miss(
                        item,
                        f"EndToEndId is order {order.id}, but its mandate is "
                        f"{mandate.reference}, not {item.mandate_reference}",
                    )
                )
                return None
        if item.original_msg_id:
            located = _file_of_msg(item.original_msg_id)
            if located is None or located[1]["name"] != order.file_name:
                report.notes.append(
                    f"{item.end_to_end_id}: matched on EndToEndId alone (the "
                    f"original message id {item.original_msg_id} differs)"
                )
        return order
    if item.mandate_reference:
        key = item.mandate_reference.upper()
        where = (
            (m.Mandate.reference_key == key) | (m.Mandate.external_key == key)
        ) & m.CollectionOrder.status.in_(sorted({*REVERSIBLE, *_ALREADY_BACK}))
        if item.amount_cents is not None:
            where &= m.CollectionOrder.amount_cents == item.amount_cents
        candidates = list(
            m.CollectionOrder.select()
            .join(m.Mandate, on=(m.CollectionOrder.mandate == m.Mandate.id))
            .where(where)
            .order_by(m.CollectionOrder.id.desc())
            .limit(3)
        )
        if len(candidates) == 1:
            return candidates[0]
        why = (
            "no collection under this mandate reference"
            if not candidates
            else "several collections under this mandate reference fit"
        )
        report.unmatched.append(_miss(item, why + " (no EndToEndId given)"))
        return None
    report.unmatched.append(_miss(item, "neither EndToEndId nor mandate reference given"))
    return None


def _check_rights(actor: Actor, matches: list[tuple[FeedbackItem, m.CollectionOrder]]) -> None:
    refused = sorted(
        {order.administration.code for _, order in matches if not actor.may(PROCESS, order.administration_id)}
    )
    if refused:
        raise Refused(
            f"user {actor.login} may not process administration(s) "
            f"{', '.join(refused)}, which this file concerns; nothing was imported"
        )
