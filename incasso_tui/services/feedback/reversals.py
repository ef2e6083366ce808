"""Reversals (storneren): one collection rejected, returned, refunded or reversed.

The same two steps serve the manual reversal and the bank-file import:
``plan_effect`` works out what a piece of feedback does to an order and its mandate
(without writing: the import's preview shows it), ``apply_effect`` records it.

* The order becomes ``rejected`` (before settlement) or ``reversed`` (after).
* The reason code's action (incasso_tui.rules.reason_codes) may block, cancel or invalidate the
  mandate; the reason is kept in its status reason, so the set's why-not-collected list
  says why.
* A reject before settlement did not use the mandate (sepa-rules §3.3): a rejected FRST or
  OOFF makes the next collection FRST/OOFF again, a rejected FNAL leaves the final
  collection pending, and the mandate's last collection date goes back to what it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, TypedDict, cast

from incasso_tui.core.clock import now as clock_now
from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import Refused, ValidationError
from incasso_tui.db import models as m
from incasso_tui.db.database import as_date, database
from incasso_tui.db.statuses import (
    ORDER_ALLOWS,
    SET_ALLOWS,
    MandateStatus,
    OrderAction,
    OrderStatus,
    SetAction,
)
from incasso_tui.rules import reason_codes as rc
from incasso_tui.rules import reversals as rules
from incasso_tui.sepa.calendar import is_target_day, next_target_day
from incasso_tui.services import audit
from incasso_tui.services.auth import PROCESS, Actor
from incasso_tui.services.collection.orders import get_order
from incasso_tui.services.feedback import codes
from incasso_tui.services.input_rules import check_text, iso_date

# In a file that went to the bank (underway, processed).
REVERSIBLE = ORDER_ALLOWS[OrderAction.REVERSE]
# Mandate status and reason per action; the reason names the code so a person sees why.
MANDATE_STATUS = {
    rc.BLOCK_MANDATE: MandateStatus.BLOCKED,
    rc.NEEDS_NEW_IBAN: MandateStatus.BLOCKED,
    rc.CANCEL_MANDATE: MandateStatus.REVOKED,
    rc.MANDATE_INVALID: MandateStatus.REVOKED,
}
# Blocks a corrected IBAN lifts (the account was wrong, closed or not for direct debit).
# rc.MANDATE_ACTIONS names the same actions (tests/feedback/test_reason_codes.py checks it).


@dataclass
class Effect:
    """What one piece of feedback does (or did) to one order and its mandate."""

    order_id: int
    end_to_end_id: str | None
    administration: str
    debtor_number: str
    debtor_name: str
    amount_cents: int
    collection_date: dt.date | None
    sequence_type: str | None
    kind: str
    reason_code: str
    reason_name: str
    action: str
    order_status: tuple[str, str]  # (old, new)
    mandate_id: int | None
    mandate_reference: str | None
    mandate_status: tuple[str, str] | None  # (old, new) when it changes
    next_sequence: str | None  # "FRST again", "OOFF again", "final collection pending again"
    restore_last_collection: tuple[dt.date | None, dt.date | None] | None
    flag: str | None = None
    # The amendment the rejected collection carried: pending again (the bank never saw it).
    restore_amendment: dict | None = None
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        parts = [f"order {self.order_id} {self.order_status[0]} -> {self.order_status[1]}"]
        if self.mandate_status:
            parts.append(
                f"mandate {self.mandate_reference} {self.mandate_status[0]} -> {self.mandate_status[1]}"
            )
        if self.next_sequence:
            parts.append(f"next collection {self.next_sequence}")
        if self.restore_last_collection:
            old, new = self.restore_last_collection
            parts.append(f"last collection date {_iso(old)} -> {_iso(new)}")
        if self.restore_amendment:
            parts.append("amendment pending again")
        return "; ".join(parts)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "none"


class MandateState(TypedDict):
    """A mandate as the effects planned so far leave it (one import plans several)."""

    status: str
    last: dt.date | None


def scheme_of(order: m.CollectionOrder) -> str:
    """CORE or B2B: the scheme of the order's mandate (CORE without a mandate)."""
    mandate = order.mandate if order.mandate_id else None
    return mandate.scheme if mandate is not None else "CORE"


def plan_effect(
    order: m.CollectionOrder,
    kind: str,
    reason_code: str,
    *,
    pre_settlement: bool | None = None,
    pending: dict[int, MandateState] | None = None,
    also_rejected: frozenset[int] = frozenset(),
) -> Effect:
    """What recording this feedback would do; nothing is written.

    ``pending``: mandate id -> state already changed by earlier effects of the same import,
    so two rejects of one mandate in one file are planned as they will be applied.
    ``also_rejected``: orders the same import rejects before settlement; they do not count
    as collections that used the mandate.
    """
    code = (reason_code or "").strip().upper()
    found = rc.lookup(code)
    pre = (kind in rules.PRE_SETTLEMENT) if pre_settlement is None else pre_settlement
    new_status = OrderStatus.REJECTED if pre else OrderStatus.REVERSED
    mandate = order.mandate if order.mandate_id else None
    state: MandateState | None = None
    mandate_status: tuple[str, str] | None = None
    next_sequence: str | None = None
    restore: tuple[dt.date | None, dt.date | None] | None = None
    if mandate is not None:
        state = (pending or {}).get(mandate.id) or _state(mandate)
        target = MANDATE_STATUS.get(found.action)
        if target and state["status"] != target and state["status"] != MandateStatus.REVOKED:
            mandate_status = (state["status"], target)
        if pre:
            next_sequence = _next_sequence_again(order, also_rejected)
            if order.collection_date and state["last"] == order.collection_date:
                before = _last_before(order, also_rejected)
                if before != state["last"]:
                    restore = (state["last"], before)
    amendment = None
    if (
        pre
        and mandate is not None
        and order.amendment_sent
        and not _file_has_other_success(order, also_rejected)
    ):
        amendment = order.amendment_sent
    effect = Effect(
        order.id,
        order.end_to_end_id,
        order.administration.code,
        order.debtor.number,
        order.debtor.name,
        order.amount_cents,
        order.collection_date,
        order.sequence_type,
        kind,
        code,
        found.name_en,
        found.action,
        (order.status, new_status),
        order.mandate_id,
        (mandate.external_reference or mandate.reference) if mandate else None,
        mandate_status,
        next_sequence,
        restore,
        restore_amendment=amendment,
    )
    if pending is not None and mandate is not None and state is not None:
        pending[mandate.id] = {
            "status": mandate_status[1] if mandate_status else state["status"],
            "last": restore[1] if restore else state["last"],
        }
    return effect


def _state(mandate: m.Mandate) -> MandateState:
    return {"status": mandate.status, "last": mandate.last_collection_date}


# Collections that reached the debtor's bank (a return or refund after settlement still counts).
_USED_MANDATE = (OrderStatus.UNDERWAY, OrderStatus.PROCESSED, OrderStatus.REVERSED)


def _successful_others(
    order: m.CollectionOrder, also_rejected: frozenset[int]
) -> list[tuple[str | None, dt.date | None]]:
    """(file name, collection date) of the other collections of the order's mandate that
    reached the debtor's bank (a return or refund after settlement still counts as use).
    ``also_rejected`` is left out here, not in SQL: an import of thousands of rejects would
    otherwise send all their ids with every query (a mandate has a few collections)."""
    rows = cast(
        "Iterable[tuple[int, str | None, Any]]",
        m.CollectionOrder.select(
            m.CollectionOrder.id, m.CollectionOrder.file_name, m.CollectionOrder.collection_date
        )
        .where(
            (m.CollectionOrder.mandate == order.mandate_id)
            & (m.CollectionOrder.id != order.id)
            & m.CollectionOrder.status.in_(_USED_MANDATE)
        )
        .tuples(),
    )
    return [(name, as_date(day)) for oid, name, day in rows if oid not in also_rejected]


def _file_has_other_success(order: m.CollectionOrder, also_rejected: frozenset[int]) -> bool:
    """Another collection of the mandate in the same file got through: the bank has the
    amendment that file carried."""
    return any(name == order.file_name for name, _day in _successful_others(order, also_rejected))


def _next_sequence_again(order: m.CollectionOrder, also_rejected: frozenset[int]) -> str | None:
    if order.sequence_type == "FNAL":
        return "final collection pending again"
    if order.sequence_type in ("FRST", "OOFF") and not _successful_others(order, also_rejected):
        return f"{order.sequence_type} again"
    return None


def _last_before(order: m.CollectionOrder, also_rejected: frozenset[int]) -> dt.date | None:
    """The mandate's last collection date without this order: the latest other successful
    collection, or what it was before this order was processed."""
    others = max((day for _name, day in _successful_others(order, also_rejected) if day), default=None)
    candidates = [d for d in (others, order.mandate_last_before) if d]
    return max(candidates) if candidates else None


def apply_effect(
    actor: Actor | str,
    effect: Effect,
    *,
    date: dt.date,
    source: str = "manual",
    feedback_file: m.FeedbackFile | None = None,
    source_ref: str | None = None,
    reason_text: str = "",
    note: str = "",
    user_id: int | None = None,
) -> m.BankFeedback:
    """Record the feedback and make the changes ``effect`` describes (call inside a
    transaction). The order update is conditional: an order that changed meanwhile is
    refused, never overwritten."""
    now = clock_now()
    old, new = effect.order_status
    n = (
        m.CollectionOrder.update(status=new, updated_at=now)
        .where((m.CollectionOrder.id == effect.order_id) & (m.CollectionOrder.status == old))
        .execute()
    )
    if n != 1:
        raise Refused(
            "order {order_id} changed meanwhile (no longer {old}): nothing recorded; look at it again",
            order_id=effect.order_id,
            old=old,
        )
    feedback = m.BankFeedback.create(
        order=effect.order_id,
        mandate=effect.mandate_id,
        kind=effect.kind,
        reason_code=effect.reason_code,
        reason_text=reason_text[:500],
        amount_cents=effect.amount_cents,
        date=date,
        source=source,
        source_file=feedback_file.name if feedback_file else None,
        source_sha256=feedback_file.sha256 if feedback_file else None,
        feedback_file=feedback_file,
        source_ref=source_ref or effect.end_to_end_id,
        mandate_reference=effect.mandate_reference,
        action=effect.action,
        matched=True,
        needs_decision=effect.action == rc.DECIDE,
        flag=effect.flag,
        note=note[:500],
        pre_settlement=effect.order_status[1] == OrderStatus.REJECTED,
        created_by=user_id,
    )
    if effect.mandate_id is not None:
        _apply_to_mandate(effect)
    login = actor if isinstance(actor, str) else actor.login
    audit.record(
        login,
        f"order.{effect.kind}",
        object_type="collectionorder",
        object_id=effect.order_id,
        summary=f"{effect.kind} {effect.reason_code or '-'}: " + effect.summary(),
    )
    return feedback


def _apply_to_mandate(effect: Effect) -> None:
    mandate = m.Mandate.get_by_id(effect.mandate_id)
    values: dict = {}
    if effect.mandate_status:
        values["status"] = effect.mandate_status[1]
        values["status_reason"] = f"{effect.reason_code}: {effect.reason_name}"[:140]
    if effect.next_sequence == "final collection pending again":
        values.update(final_collected=False, final_pending=True)
    elif effect.next_sequence:
        values["collected"] = False
    if effect.restore_last_collection:
        values["last_collection_date"] = effect.restore_last_collection[1]
    if effect.restore_amendment and not any(
        getattr(mandate, f) for f in effect.restore_amendment if f != "amend_smnda"
    ):
        values.update(effect.restore_amendment)  # unless a newer change is pending already
    if not values:
        return
    changes = audit.diff(mandate, values)
    for key, value in values.items():
        setattr(mandate, key, value)
    mandate.updated_at = clock_now()
    mandate.save()
    audit.record(
        "bank feedback" if effect.mandate_status else "system",
        "mandate.feedback",
        mandate,
        changes=changes,
        summary=f"{effect.kind} {effect.reason_code} of order {effect.order_id}",
    )


# --------------------------------------------------------------------------- manual


@dataclass
class ReversalResult:
    feedback_id: int
    effect: Effect
    new_order_id: int | None
    warning: str

    def as_dict(self) -> dict:
        return {
            "feedback_id": self.feedback_id,
            "new_order_id": self.new_order_id,
            "warning": self.warning,
            **self.effect.as_dict(),
        }


def check_reversible(order: m.CollectionOrder) -> None:
    """Refuse a reversal of an order that never went to the bank."""
    if order.status in (OrderStatus.REJECTED, OrderStatus.REVERSED):
        raise Refused("order {id} is already {status}", id=order.id, status=order.status)
    if order.status not in REVERSIBLE:
        raise Refused(
            "order {id} is {status}: only a collection in a sent file can be reversed",
            id=order.id,
            status=order.status,
        )
    cset = order.collection_set
    if cset is not None and cset.status not in SET_ALLOWS[SetAction.REVERSE_ORDER]:
        raise Refused(
            "order {id}: set {id2} has not been sent to the bank, so there is nothing to "
            "reverse; remove the order from the set and re-process the set instead",
            id=order.id,
            id2=cset.id,
        )


class KindOption(TypedDict):
    """Whether a kind of reversal may be entered today, and why (not)."""

    allowed: bool
    reason: str  # why not, or what the flag means
    flag: str | None
    label: str  # in English ("creditor reversal"); the screens translate it


class ReversalOptions(TypedDict):
    order_id: int
    refused: str  # why the order cannot be reversed at all ("" when it can)
    kinds: dict[str, KindOption]  # every kind, in the rules' order
    scheme: str
    collection_date: dt.date | None
    amount_cents: int
    # The reason codes offered per kind as (code, meaning), and the code each starts with;
    # `all_codes` and `default_code` when no kind is chosen.
    codes: dict[str, list[tuple[str, str]]]
    default_codes: dict[str, str]
    all_codes: list[tuple[str, str]]
    default_code: str


def reversal_options(
    actor: Actor, order_id: int, on: dt.date | None = None, *, language: str = "en"
) -> ReversalOptions:
    """For the form: per kind whether it is allowed today and why (not), and the codes."""
    order = get_order(actor, order_id)
    on = on or clock_today()
    try:
        check_reversible(order)
        refused = ""
    except Refused as exc:
        refused = str(exc)
    scheme = scheme_of(order)
    kinds: dict[str, KindOption] = {}
    for kind in rules.KINDS:
        label = codes.kind_label(kind)
        if refused or order.collection_date is None:
            reason = refused or "no collection date"
            kinds[kind] = {"allowed": False, "reason": reason, "flag": None, "label": label}
            continue
        v = rules.verdict(kind, scheme=scheme, collection_date=order.collection_date, on=on)
        kinds[kind] = {"allowed": v.allowed, "reason": v.reason, "flag": v.flag, "label": label}
    return {
        "order_id": order.id,
        "refused": refused,
        "kinds": kinds,
        "scheme": scheme,
        "collection_date": order.collection_date,
        "amount_cents": order.amount_cents,
        "codes": {kind: codes.reason_choices(kind, language) for kind in rules.KINDS},
        "default_codes": {kind: codes.default_reason(kind) for kind in rules.KINDS},
        "all_codes": codes.reason_choices(None, language),
        "default_code": codes.default_reason(None),
    }


def reverse_order(
    actor: Actor,
    order_id: int,
    kind: str,
    reason_code: str,
    *,
    on: dt.date | str | None = None,
    collect_again: bool = False,
    new_date: dt.date | str | None = None,
    note: str = "",
) -> ReversalResult:
    """Storneren by hand: the full original amount, a reason code, a date (default today)."""
    check_text(note.strip(), "note")
    order = get_order(actor, order_id)
    actor.require(PROCESS, order.administration_id, what=f"order {order.id}")
    if kind not in rules.KINDS:
        raise ValidationError("kind", "must be one of {kinds}", kind, kinds=", ".join(rules.KINDS))
    code = (reason_code or "").strip().upper()
    if not code:
        raise ValidationError("reason code", "is required (an ISO code such as AM04 or MD06)")
    if len(code) != 4 or not code.isalnum():
        raise ValidationError("reason code", "is four letters or digits, e.g. AM04", reason_code)
    day = iso_date(on, "date") or clock_today()
    check_reversible(order)
    scheme = scheme_of(order)
    verdict = rules.verdict(
        kind, scheme=scheme, collection_date=order.collection_date or day, on=day, reason_code=code
    )
    if not verdict.allowed:
        raise Refused("order {id}: {reason}", id=order.id, reason=verdict.reason)
    with database.atomic():
        effect = plan_effect(order, kind, code)
        effect.flag, effect.note = verdict.flag, verdict.reason
        feedback = apply_effect(
            actor,
            effect,
            date=day,
            user_id=actor.user_id,
            note=" | ".join(x for x in (note.strip(), verdict.reason) if x),
        )
        new_id = None
        if collect_again:
            new_id = _collect_again(actor, m.CollectionOrder.get_by_id(order.id), new_date)
    return ReversalResult(feedback.id, effect, new_id, verdict.reason)


def collect_again(actor: Actor, order_id: int, requested_date: dt.date | str | None = None) -> int:
    """Herincasso: a new order for the same claim (new EndToEndId when it is processed),
    dated after the administration's pre-notification period. Returns the new order's id."""
    order = get_order(actor, order_id)
    actor.require(PROCESS, order.administration_id, what=f"order {order.id}")
    with database.atomic():
        return _collect_again(actor, order, requested_date)


def earliest_again(order: m.CollectionOrder, today: dt.date | None = None) -> dt.date:
    today = today or clock_today()
    day = today + dt.timedelta(days=order.administration.pre_notification_days)
    return day if is_target_day(day) else next_target_day(day)


def _collect_again(actor: Actor, order: m.CollectionOrder, requested: dt.date | str | None) -> int:
    if order.status not in ORDER_ALLOWS[OrderAction.COLLECT_AGAIN]:
        raise Refused(
            "order {id} is {status}: only a rejected or reversed collection can be collected again",
            id=order.id,
            status=order.status,
        )
    again = m.CollectionOrder.get_or_none(
        (m.CollectionOrder.reopened_from == order.id) & (m.CollectionOrder.status != OrderStatus.CANCELLED)
    )
    if again is not None:
        raise Refused("order {id} is already collected again as order {id2}", id=order.id, id2=again.id)
    mandate = order.mandate if order.mandate_id else None
    if mandate is not None and mandate.status == MandateStatus.REVOKED:
        raise Refused(
            "order {id}: mandate {reference} is revoked ({status_reason}); a new mandate is needed first",
            id=order.id,
            reference=mandate.reference,
            status_reason=mandate.status_reason,
        )
    earliest = earliest_again(order)
    day = iso_date(requested, "requested date") or earliest
    if day < earliest:
        raise ValidationError(
            "requested date",
            "must be on or after {earliest}: the debtor is told {pre_notification_days} days "
            "ahead (pre-notification)",
            day.isoformat(),
            earliest=earliest,
            pre_notification_days=order.administration.pre_notification_days,
        )
    new = m.CollectionOrder.create(
        administration=order.administration_id,
        debtor=order.debtor_id,
        mandate=order.mandate_id,
        bank_account=order.bank_account_id,
        invoice_type=order.invoice_type_id,
        invoice_number=order.invoice_number,
        amount_cents=order.amount_cents,
        requested_date=day,
        remittance=order.remittance,
        reopened_from=order.id,
        created_by=actor.user_id,
    )
    audit.record(
        actor,
        "order.collect_again",
        new,
        summary=f"order {new.id}: collect order {order.id} again on {day.isoformat()}",
    )
    return new.id
