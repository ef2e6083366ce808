"""Collection sets (incassosets): create for a bank group, consult, modify, delete.

A set holds every eligible order of its bank group at creation: status not processed
(`open`), not in another set, creditor account in the bank group, administration the
creating user may process, mandate resolvable and collectable on the order's
collection date. Candidates that are held back are listed with their reason
(`held_back`), computed live so the list always shows the present state.

Orders of administrations the user may not process are silently absent (as AFAS does);
the set's `skipped_administrations` says how many administrations that were.

Rows are read as tuples; membership is changed with set-based UPDATE statements.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import peewee as pw

from incasso_tui.core.clock import now as clock_now
from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import NotFound, Refused, ValidationError
from incasso_tui.db import models as m
from incasso_tui.db.bound_list import ids_in
from incasso_tui.db.database import database
from incasso_tui.db.statuses import (
    JOB_ACTIVE,
    ORDER_IN_FILE,
    SET_ALLOWS,
    SET_EDITABLE,
    SET_HAS_FILES,
    MandateStatus,
    OrderStatus,
    SetAction,
    SetStatus,
    allows,
)
from incasso_tui.rules.mandates import Hold
from incasso_tui.sepa import (
    adjust_collection_date,
    earliest_collection_date,
    preview,
)
from incasso_tui.sepa.validate import NAME_MAX, REMITTANCE_MAX
from incasso_tui.services import audit
from incasso_tui.services.auth import PROCESS, VIEW, Actor
from incasso_tui.services.collection.planning import (
    CHUNK,
    MonthKey,
    PlannedOrder,
    Planner,
    add_to_months,
    chunks,
    iter_plan_rows,
    month_limit_problems,
    tuples,
)
from incasso_tui.services.input_rules import check_text, iso_date

log = logging.getLogger(__name__)

# Before the set's file is final (not processed yet, or being processed): the held-back list
# is computed and only the orders still to be collected are counted.
_BEFORE_FILE = SET_EDITABLE | {SetStatus.QUEUED}

# --------------------------------------------------------------------------- helpers


def get_bank_group(code_or_id: str | int) -> m.BankGroup:
    text = str(code_or_id)
    # An id only when it could be one: ASCII digits that fit a database integer.
    if isinstance(code_or_id, int) or (text.isascii() and text.isdigit() and len(text) <= 18):
        group = m.BankGroup.get_or_none(m.BankGroup.id == int(code_or_id))
        if group is not None:
            return group
    group = m.BankGroup.get_or_none(m.BankGroup.code == str(code_or_id).upper())
    if group is None:
        raise NotFound("bank group {code_or_id} does not exist", code_or_id=code_or_id)
    return group


def get_set(actor: Actor, set_id: int) -> m.CollectionSet:
    """The whole set: for acting on it (and for a user who sees every order in it)."""
    return _settled(_find_set(actor, set_id, whole=True))


def get_visible_set(actor: Actor, set_id: int) -> m.CollectionSet:
    """The set for looking at: a user with rights on some of its administrations sees that
    part (set_detail hides the rest and says how much is hidden)."""
    return _settled(_find_set(actor, set_id, whole=False))


def _find_set(actor: Actor, set_id: int, *, whole: bool) -> m.CollectionSet:
    cset = m.CollectionSet.get_or_none(m.CollectionSet.id == int(set_id))
    if cset is None or not _may_see_part(actor, cset):
        raise NotFound("collection set {set_id} does not exist or is not visible to you", set_id=set_id)
    if whole and not _may_see(actor, cset):
        raise Refused(
            "set {id} also holds orders of administrations you have no rights on: only a user "
            "with rights on all of them can act on the whole set",
            id=cset.id,
        )
    return cset


def _settled(cset: m.CollectionSet) -> m.CollectionSet:
    if cset.status == SetStatus.QUEUED:  # one query: is a job still coming for it?
        try:
            with database.atomic():  # a savepoint inside the caller's transaction
                cset = settle_orphaned(cset)
        except pw.DatabaseError as exc:  # a look at the set never fails for this: next time
            log.warning("set %s: queued without a job, not settled now: %s", cset.id, exc)
    return cset


# --------------------------------------------------------------------------- leaving the queue


def process_jobs_of(set_id: int, statuses: Iterable[str] | None = None, scan: int = 200) -> list[m.Job]:
    """The set's process_set jobs, newest first (of the last `scan` such jobs, in `statuses`)."""
    query = m.Job.select().where(m.Job.kind == "process_set")
    if statuses is not None:
        query = query.where(m.Job.status.in_(sorted(statuses)))
    return [job for job in query.order_by(m.Job.id.desc()).limit(scan) if _payload_set(job.payload) == set_id]


def leave_queue(
    set_id: int,
    previous: str | None,
    error: str,
    outbox: str | None = None,
    *,
    cancelled: bool = False,
    ending_job: int | None = None,
) -> None:
    """A queued set whose processing ended without a new file: failed with the reason (or,
    `cancelled`, back as it was before) — when it was re-processing a set that has files,
    back as it was, with the reason — and what the processing left staged in the outbox
    finished (committed) or removed. Only a set that is still queued changes status, and
    only when no other job (than `ending_job`, the one ending now) is coming for it."""
    previous = previous or SetStatus.OPEN
    cset = m.CollectionSet.get_or_none(m.CollectionSet.id == set_id)
    if cset is None or any(job.id != ending_job for job in process_jobs_of(set_id, JOB_ACTIVE)):
        return
    if previous in SET_HAS_FILES:  # processed or sent: its earlier files still stand
        status = previous if cset.files else SetStatus.FAILED
    elif cancelled and previous in SET_EDITABLE:
        status = previous
    else:
        status = SetStatus.FAILED
    (
        m.CollectionSet.update(status=status, error=error[:2000] or None)
        .where((m.CollectionSet.id == set_id) & (m.CollectionSet.status == SetStatus.QUEUED))
        .execute()
    )
    fresh = m.CollectionSet.get_by_id(set_id)
    if outbox and fresh.status != SetStatus.QUEUED:
        from incasso_tui.services.collection.outbox import group_dir, recover_set_files

        try:
            recover_set_files(fresh, group_dir(outbox, fresh.bank_group.code))
        except OSError as exc:  # the next worker start (recover_outbox) tries again
            log.warning("set %s: staged files not cleared: %s", set_id, exc)


def settle_orphaned(cset: m.CollectionSet) -> m.CollectionSet:
    """A set queued while no job is coming for it (its job ended without moving it, e.g. a
    crash between the two): it leaves the queue as `leave_queue` says, so the user can
    retry, process or delete it. A set with an active job is returned as it is."""
    if process_jobs_of(cset.id, JOB_ACTIVE):
        return cset
    jobs = process_jobs_of(cset.id)
    last = jobs[0] if jobs else None
    payload = (last.payload if last is not None else None) or {}
    if isinstance(payload, str):
        import json

        payload = json.loads(payload)
    error = (
        f"processing stopped: its job {last.id} is {last.status}; retry or delete the set"
        if last is not None
        else "processing stopped: no job is processing it; process or delete the set"
    )
    leave_queue(cset.id, payload.get("previous"), error, payload.get("outbox"))
    return m.CollectionSet.get_by_id(cset.id)


def _set_administrations(cset: m.CollectionSet) -> set[int]:
    return {
        r[0]
        for r in tuples(
            m.CollectionOrder.select(m.CollectionOrder.administration)
            .where(m.CollectionOrder.collection_set == cset.id)
            .distinct()
        )
    }


def _may_see(actor: Actor, cset: m.CollectionSet) -> bool:
    """Every order of the set is within the user's rights."""
    if actor.is_admin or cset.created_by_id == actor.user_id:
        return True
    adms = _set_administrations(cset)
    return bool(adms) and all(actor.may(VIEW, a) for a in adms)


def _may_see_part(actor: Actor, cset: m.CollectionSet) -> bool:
    """Some order of the set is within the user's rights (as the set list shows it)."""
    if actor.is_admin or actor.administration_ids is None or cset.created_by_id == actor.user_id:
        return True
    return any(actor.may(VIEW, a) for a in _set_administrations(cset))


def require_processable(actor: Actor, cset: m.CollectionSet, what: str = "this set") -> None:
    actor.require(PROCESS, None, what=what)
    adms = [
        r[0]
        for r in tuples(
            m.CollectionOrder.select(m.CollectionOrder.administration)
            .where(m.CollectionOrder.collection_set == cset.id)
            .distinct()
        )
    ]
    for adm in adms:
        actor.require(PROCESS, adm, what=f"set {cset.id}")


def _group_accounts(group: m.BankGroup) -> pw.ModelSelect[m.BankAccount]:
    return m.BankAccount.select(m.BankAccount.id).where(m.BankAccount.bank_group == group.id)


def _selection_where(group: m.BankGroup, selection: dict[str, Any]) -> pw.ColumnBase:
    where = (
        m.CollectionOrder.bank_account.in_(_group_accounts(group))
        & (m.CollectionOrder.status == OrderStatus.OPEN)
        & m.CollectionOrder.collection_set.is_null()
    )
    if selection.get("due_until"):
        where &= m.CollectionOrder.requested_date <= dt.date.fromisoformat(selection["due_until"])
    if selection.get("invoice_type"):
        types = m.InvoiceType.select(m.InvoiceType.id).where(m.InvoiceType.code == selection["invoice_type"])
        where &= m.CollectionOrder.invoice_type.in_(types)
    if selection.get("administrations"):
        adms = m.Administration.select(m.Administration.id).where(
            m.Administration.code.in_(selection["administrations"])
        )
        where &= m.CollectionOrder.administration.in_(adms)
    if selection.get("order_ids"):
        where &= m.CollectionOrder.id.in_(selection["order_ids"])
    return where


def _processable_where(actor: Actor) -> pw.Node:
    if actor.administration_ids is None:
        return pw.SQL("1 = 1")
    return actor.visible(m.CollectionOrder.administration)


def _resolve_missing_mandates(where: pw.ColumnBase) -> int:
    """Orders without a mandate get the debtor's live mandate when there is one now."""
    from incasso_tui.services.mandates.lookup import resolve_mandate

    fixed = 0
    rows = list(
        tuples(
            m.CollectionOrder.select(
                m.CollectionOrder.id, m.CollectionOrder.debtor, m.CollectionOrder.invoice_type
            ).where(where & m.CollectionOrder.mandate.is_null())
        )
    )
    for oid, debtor_id, itype in rows:
        mandate = resolve_mandate(debtor_id, itype)
        if mandate is not None and mandate.status in (MandateStatus.ACTIVE, MandateStatus.INACTIVE):
            m.CollectionOrder.update(mandate=mandate.id).where(m.CollectionOrder.id == oid).execute()
            fixed += 1
    return fixed


def earliest_date(group: m.BankGroup, today: dt.date | None = None) -> dt.date:
    return earliest_collection_date(today or clock_today(), group.lead_days).date


# --------------------------------------------------------------------------- create


@dataclass
class SetCreated:
    id: int
    bank_group: str
    requested_date: dt.date
    collection_date: dt.date
    date_note: str | None
    orders: int
    total_cents: int
    held_back: int
    skipped_administrations: int

    def as_dict(self) -> dict:
        return asdict(self)


def create_set(
    actor: Actor,
    bank_group: str | int,
    requested_date: dt.date | str | None = None,
    *,
    due_until: dt.date | str | None = None,
    invoice_type: str | None = None,
    administrations: Iterable[str] | None = None,
    order_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> SetCreated:
    """New set (status not processed) with every eligible order of the bank group."""
    today = today or clock_today()
    actor.require(PROCESS, None, what="collection sets")
    group = get_bank_group(bank_group)
    adm_ids = {
        r[0]
        for r in tuples(
            m.BankAccount.select(m.BankAccount.administration).where(m.BankAccount.bank_group == group.id)
        )
    }
    if not any(actor.may(PROCESS, a) for a in adm_ids):
        raise Refused(
            "user {login} may not process any administration of bank group {code}",
            login=actor.login,
            code=group.code,
        )
    requested = iso_date(requested_date, "collection date") or earliest_date(group, today)
    if requested < today:
        raise ValidationError("collection date", "may not be in the past", requested.isoformat())
    adjusted = adjust_collection_date(requested, today, group.lead_days)
    selection: dict[str, Any] = {}
    due = iso_date(due_until, "due until")
    if due:
        selection["due_until"] = due.isoformat()
    if invoice_type:
        selection["invoice_type"] = check_text(invoice_type.strip().upper(), "invoice type")
    if administrations:
        codes = {a.strip().upper() for a in administrations if a.strip()}
        selection["administrations"] = sorted(check_text(code, "administrations") for code in codes)
    if order_ids:
        selection["order_ids"] = sorted({int(i) for i in order_ids})
    base = _selection_where(group, selection)
    with database.atomic():
        skipped = {
            r[0]
            for r in tuples(m.CollectionOrder.select(m.CollectionOrder.administration).where(base).distinct())
            if not actor.may(PROCESS, r[0])
        }
        cset = m.CollectionSet.create(
            bank_group=group,
            created_by=actor.user_id,
            status=SetStatus.OPEN,
            requested_date=requested,
            collection_date=adjusted.date,
            selection=selection,
            skipped_administrations=len(skipped),
        )
        where = base & _processable_where(actor)
        _resolve_missing_mandates(where)
        planner = Planner(adjusted.date, keep_underway=False)
        eligible: list[int] = []
        total = held = 0
        months: dict[MonthKey, int] = {}
        for row in iter_plan_rows(where):
            plan = planner.plan(row)
            if plan.hold is None:
                eligible.append(plan.id)
                total += plan.amount_cents
                add_to_months(months, plan)
            else:
                held += 1
        _refuse_over_month_limit(cset.id, months)  # rolls the new set back
        for part in chunks(eligible):
            (
                m.CollectionOrder.update(collection_set=cset.id, updated_at=clock_now())
                .where(
                    ids_in(m.CollectionOrder.id, part)
                    & m.CollectionOrder.collection_set.is_null()
                    & (m.CollectionOrder.status == OrderStatus.OPEN)
                )
                .execute()
            )
        audit.record(
            actor,
            "set.create",
            cset,
            summary=f"set {cset.id} for {group.code}: {len(eligible)} orders, "
            f"{held} held back, {len(skipped)} administrations skipped (no rights)",
        )
    return SetCreated(
        cset.id,
        group.code,
        requested,
        adjusted.date,
        adjusted.reason,
        len(eligible),
        total,
        held,
        len(skipped),
    )


def _refuse_over_month_limit(set_id: int, months: dict[MonthKey, int]) -> None:
    problems = month_limit_problems(set_id, months)
    if problems:
        raise Refused(
            "set {set_id} refused: it would go over the collection contract's maximum per "
            "month (sepa-rules §7; the bank refuses such a file): {problems}",
            set_id=set_id,
            problems="; ".join(problems),
        )


def check_month_limits(cset: m.CollectionSet) -> None:
    """Refuse a set whose orders to collect would push a bank account's calendar month over
    its contract maximum, with the figures. Called when the set is created, when orders
    are added and when it is queued for processing (collections made meanwhile count)."""
    has_limit = (
        m.BankAccount.select()
        .where(
            (m.BankAccount.bank_group == cset.bank_group_id)
            & m.BankAccount.max_per_month_cents.is_null(False)
        )
        .exists()
    )
    if not has_limit:  # the common case: no planning pass over a large set
        return
    planner = Planner(cset.collection_date or cset.requested_date, keep_underway=True)
    months: dict[MonthKey, int] = {}
    for row in iter_plan_rows(
        (m.CollectionOrder.collection_set == cset.id) & m.CollectionOrder.status.in_(ORDER_IN_FILE)
    ):
        plan = planner.plan(row)
        if plan.hold is None:
            add_to_months(months, plan)
    _refuse_over_month_limit(cset.id, months)


# --------------------------------------------------------------------------- consult


@dataclass
class HeldBack:
    rows: list[dict]
    total: int
    by_reason: dict[str, int]


def held_back(actor: Actor, set_id: int, *, limit: int = 500, today: dt.date | None = None) -> HeldBack:
    """Candidates of the set's selection (open, in no set, in the bank group, within the user's
    rights) that are not in it, each with the reason — computed now."""
    cset = get_visible_set(actor, set_id)
    group = cset.bank_group
    selection = {k: v for k, v in (cset.selection or {}).items() if not k.startswith("_")}
    where = _selection_where(group, selection) & _processable_where(actor)
    # Simulate the set: its own orders first (they use up FRST/one-off), then the candidates.
    planner = Planner(cset.collection_date or cset.requested_date, keep_underway=True)
    for row in iter_plan_rows(
        (m.CollectionOrder.collection_set == cset.id) & m.CollectionOrder.status.in_(ORDER_IN_FILE)
    ):
        planner.plan(row)
    rows: list[dict] = []
    counts: Counter[str] = Counter()
    total = 0
    ids: list[int] = []
    for row in iter_plan_rows(where):
        plan = planner.plan(row)
        reason = plan.hold or Hold(
            "not_added",
            "eligible, not in the set (created or freed after the set was made): add it with modify",
        )
        total += 1
        counts[reason.code] += 1
        if len(rows) < limit:
            ids.append(plan.id)
            rows.append(
                {
                    "order_id": plan.id,
                    "code": reason.code,
                    "reason": str(reason),
                    "template": reason.text,
                    "values": dict(reason.values or {}),
                    "amount_cents": plan.amount_cents,
                    "requested_date": plan.requested_date.isoformat(),
                }
            )
    if ids:
        info = {
            r[0]: r[1:]
            for r in tuples(
                m.CollectionOrder.select(
                    m.CollectionOrder.id,
                    m.Administration.code,
                    m.Debtor.number,
                    m.Debtor.name,
                    m.CollectionOrder.invoice_number,
                    m.Mandate.status_reason,
                )
                .join(m.Debtor, on=m.CollectionOrder.debtor == m.Debtor.id)
                .switch(m.CollectionOrder)
                .join(m.Administration, on=m.CollectionOrder.administration == m.Administration.id)
                .switch(m.CollectionOrder)
                .join(m.Mandate, pw.JOIN.LEFT_OUTER, on=m.CollectionOrder.mandate == m.Mandate.id)
                .where(m.CollectionOrder.id.in_(ids))
            )
        }
        for r in rows:
            adm, number, name, invoice, why = info[r["order_id"]]
            r.update(administration=adm, debtor_number=number, debtor_name=name, invoice_number=invoice)
            if r["code"] in ("blocked", "revoked") and why:
                # e.g. "mandate blocked: AC04: Account closed" (set by bank feedback)
                r["template"] += ": {why}"
                r["values"]["why"] = why
                r["reason"] = r["template"].format(**r["values"])
    return HeldBack(rows, total, dict(counts))


@dataclass
class SetDetail:
    id: int
    bank_group: str
    bank_group_name: str
    pain_version: str
    status: str
    requested_date: dt.date
    collection_date: dt.date | None
    selection: dict
    skipped_administrations: int
    created_by: str | None
    created_at: dt.datetime
    processed_at: dt.datetime | None
    processed_by: str | None
    sent_at: dt.datetime | None
    sent_by: str | None
    error: str | None
    orders: int
    total_cents: int
    files: list[dict]
    totals: list[dict]  # per administration, account, scheme, sequence type
    moved: int  # orders whose collection date differs from the requested date
    order_rows: list[dict]
    held_back: list[dict]
    held_back_total: int
    held_back_by_reason: dict[str, int]
    preview: list[dict]
    jobs: list[dict] = field(default_factory=list)
    # Per administration: orders collected more than its notice margin after the date the
    # debtor was told (sepa-rules §4.3/§4.4): they need a new pre-notification.
    notice_warnings: list[dict] = field(default_factory=list)
    # Orders a (re-)processing would put in a file: not processed yet, or underway.
    orders_in_file: int = 0
    # Pre-notifications: orders told per channel, e-mails pending/unknown/refused
    # (services/prenotification/overview.set_summary); order_rows carry "notified".
    prenotification: dict = field(default_factory=dict)
    # Orders that would be pre-notified: in the set, not processed and not held back.
    notifiable: int = 0
    # A limited user sees the orders of their administrations; the rest is counted here, and
    # actions on the whole set (process, send, date, delete...) are not theirs to take.
    hidden_orders: int = 0
    hidden_cents: int = 0
    hidden_administrations: int = 0
    whole: bool = True

    def as_dict(self) -> dict:
        return asdict(self)


def _login(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    login: str | None = m.User.select(m.User.login).where(m.User.id == user_id).scalar()
    return login


def set_detail(
    actor: Actor, set_id: int, *, order_limit: int = 200, held_limit: int = 200, preview_limit: int = 50
) -> SetDetail:
    """Raadplegen: orders with sequence type and adjusted date, totals, held-back list,
    transliteration preview, generated files. A user with rights on part of the set sees that
    part; `hidden_*` say how much of it is not shown."""
    cset = get_visible_set(actor, set_id)
    from incasso_tui.services.collection.outbox import complete_if_needed

    complete_if_needed(cset)
    group = cset.bank_group
    set_date = cset.collection_date or cset.requested_date
    planner = Planner(set_date, keep_underway=True)
    accounts = {a.id: a for a in m.BankAccount.select()}
    adm_codes: dict[int, str] = dict(
        tuples(m.Administration.select(m.Administration.id, m.Administration.code))
    )
    margins: dict[int, int] = dict(
        tuples(m.Administration.select(m.Administration.id, m.Administration.notice_margin_days))
    )
    late: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # adm -> [orders, most days]
    totals: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    count = cents = moved = in_file = notifiable = 0
    processed: str = OrderStatus.PROCESSED  # compared once per order: a plain local
    still_open: str = OrderStatus.OPEN
    plans: dict[int, PlannedOrder] = {}
    statuses = ORDER_IN_FILE if cset.status in _BEFORE_FILE else (*ORDER_IN_FILE, OrderStatus.PROCESSED)
    in_set = (m.CollectionOrder.collection_set == cset.id) & m.CollectionOrder.status.in_(statuses)
    hidden_orders, hidden_cents, hidden_adms = _hidden_part(actor, in_set)
    for row in iter_plan_rows(in_set & actor.visible(m.CollectionOrder.administration)):
        plan = planner.plan(row)
        if row[8] == OrderStatus.PROCESSED:  # handled: shown with what the file said
            plan.sequence_type = row[9]
        if plan.collection_date != plan.requested_date:
            moved += 1
            shift = (plan.collection_date - plan.requested_date).days
            if shift > margins.get(plan.administration_id, 5) and plan.hold is None:
                entry = late[plan.administration_id]
                entry[0] += 1
                entry[1] = max(entry[1], shift)
        count += 1
        in_file += row[8] != processed
        notifiable += row[8] == still_open and plan.hold is None
        cents += plan.amount_cents
        key = (
            adm_codes.get(plan.administration_id, "?"),
            accounts[plan.bank_account_id].iban,
            plan.scheme or "-",
            plan.sequence_type or (plan.hold.code if plan.hold else "-"),
        )
        totals[key][0] += 1
        totals[key][1] += plan.amount_cents
        if len(plans) < order_limit:
            plans[plan.id] = plan
    order_rows = []
    from incasso_tui.services.prenotification import overview as prenotify_overview

    marks = prenotify_overview.order_marks(plans)
    if plans:
        q = (
            m.CollectionOrder.select(
                m.CollectionOrder.id,
                m.Administration.code,
                m.Debtor.number,
                m.Debtor.name,
                m.CollectionOrder.invoice_number,
                m.CollectionOrder.amount_cents,
                m.CollectionOrder.requested_date,
                m.CollectionOrder.status,
                m.CollectionOrder.end_to_end_id,
                m.CollectionOrder.remittance,
                m.CollectionOrder.collection_date,
            )
            .join(m.Debtor, on=m.CollectionOrder.debtor == m.Debtor.id)
            .switch(m.CollectionOrder)
            .join(m.Administration, on=m.CollectionOrder.administration == m.Administration.id)
            .where(m.CollectionOrder.id.in_(list(plans)))
            .order_by(m.CollectionOrder.id)
        )
        for (
            oid,
            adm,
            number,
            name,
            invoice,
            amount,
            requested,
            status,
            e2e,
            remittance,
            stored_date,
        ) in tuples(q):
            plan = plans[oid]
            order_rows.append(
                {
                    "id": oid,
                    "administration": adm,
                    "debtor_number": number,
                    "debtor_name": name,
                    "invoice_number": invoice,
                    "amount_cents": amount,
                    "requested_date": requested,
                    "collection_date": stored_date
                    if status != OrderStatus.OPEN and stored_date
                    else plan.collection_date,
                    "status": status,
                    "scheme": plan.scheme,
                    "sequence_type": plan.sequence_type,
                    "end_to_end_id": e2e,
                    "hold": str(plan.hold) if plan.hold else None,
                    "remittance": remittance,
                    "notified": marks.get(oid, ""),
                }
            )
    held = held_back(actor, set_id, limit=held_limit) if cset.status in _BEFORE_FILE else HeldBack([], 0, {})
    jobs = [
        {"id": j, "status": s, "message": msg, "error": err}
        for j, s, msg, err, payload in tuples(
            m.Job.select(m.Job.id, m.Job.status, m.Job.message, m.Job.error, m.Job.payload)
            .where(m.Job.kind == "process_set")
            .order_by(m.Job.id.desc())
            .limit(200)
        )
        if _payload_set(payload) == cset.id
    ][:10]
    return SetDetail(
        cset.id,
        group.code,
        group.name,
        group.pain_version,
        cset.status,
        cset.requested_date,
        cset.collection_date,
        {k: v for k, v in (cset.selection or {}).items() if not k.startswith("_")},
        cset.skipped_administrations,
        _login(cset.created_by_id),
        cset.created_at,
        cset.processed_at,
        _login(cset.processed_by_id),
        cset.sent_at,
        _login(cset.sent_by_id),
        cset.error,
        count,
        cents,
        list(cset.files or []),
        [
            {
                "administration": k[0],
                "iban": k[1],
                "scheme": k[2],
                "sequence_type": k[3],
                "count": v[0],
                "total_cents": v[1],
            }
            for k, v in sorted(totals.items())
        ],
        moved,
        order_rows,
        held.rows,
        held.total,
        held.by_reason,
        transliteration_preview(
            cset.id, preview_limit, visible=actor.visible(m.CollectionOrder.administration)
        ),
        jobs,
        [
            {
                "administration": adm_codes.get(adm, "?"),
                "orders": n,
                "most_days": most,
                "margin_days": margins.get(adm, 5),
            }
            for adm, (n, most) in sorted(late.items())
        ],
        orders_in_file=in_file,
        prenotification=prenotify_overview.set_summary(cset.id),
        notifiable=notifiable,
        hidden_orders=hidden_orders,
        hidden_cents=hidden_cents,
        hidden_administrations=hidden_adms,
        whole=_may_see(actor, cset),
    )


def _hidden_part(actor: Actor, in_set: pw.Node) -> tuple[int, int, int]:
    """Orders, cents and administrations of the set outside the user's rights."""
    if actor.administration_ids is None:
        return 0, 0, 0
    outside = m.CollectionOrder.administration.not_in(sorted(actor.administration_ids) or [0])
    for orders, cents, adms in tuples(
        m.CollectionOrder.select(
            pw.fn.COUNT(m.CollectionOrder.id),
            pw.fn.COALESCE(pw.fn.SUM(m.CollectionOrder.amount_cents), 0),
            pw.fn.COUNT(m.CollectionOrder.administration.distinct()),
        ).where(in_set & outside)
    ):
        return int(orders), int(cents), int(adms)
    return 0, 0, 0


def set_actions(actor: Actor, detail: SetDetail) -> frozenset[SetAction]:
    """What the user may do with the set as loaded in `detail`: what its status allows
    (SET_ALLOWS), for a user with the right to process, and only when there is something to
    act on (orders not processed or underway to process; order rows to remove or reverse).
    No database access."""
    if not actor.may(PROCESS) or not detail.whole:
        return frozenset()
    actions = set(allows(SET_ALLOWS, detail.status))
    if detail.orders_in_file <= 0:  # nothing left that a file would hold
        actions.discard(SetAction.PROCESS)
    if not detail.order_rows:
        actions -= {SetAction.REMOVE_ORDER, SetAction.REVERSE_ORDER}
    if detail.notifiable <= 0:  # no order would be collected: nobody to tell
        actions.discard(SetAction.PRENOTIFY)
    return frozenset(actions)


def _payload_set(payload: Any) -> int | None:
    if isinstance(payload, str):
        import json

        payload = json.loads(payload)
    set_id = (payload or {}).get("set_id")
    if set_id is None:
        return None
    try:
        return int(set_id)
    except (TypeError, ValueError):
        return None


def transliteration_preview(
    set_id: int, limit: int = 50, scan: int = 20000, visible: pw.Node | None = None
) -> list[dict]:
    """Names and texts that will look different in the file (after transliteration/cutting),
    of the orders `visible` (a where-clause on the user's administrations) lets through."""
    out: list[dict] = []
    where = m.CollectionOrder.collection_set == set_id
    if visible is not None:
        where &= visible
    q = (
        m.CollectionOrder.select(m.CollectionOrder.id, m.Debtor.name, m.CollectionOrder.remittance)
        .join(m.Debtor, on=m.CollectionOrder.debtor == m.Debtor.id)
        .where(where)
        .order_by(m.CollectionOrder.id)
        .limit(scan)
    )
    for oid, name, remittance in tuples(q):
        for what, text, max_len in (
            ("debtor name", name, NAME_MAX),
            ("remittance", remittance, REMITTANCE_MAX),
        ):
            if not text:
                continue
            p = preview(text, max_len)
            if p.changed:
                out.append(
                    {
                        "order_id": oid,
                        "field": what,
                        "original": text,
                        "in_file": p.text,
                        "truncated": p.truncated,
                    }
                )
        if len(out) >= limit:
            break
    return out[:limit]


# --------------------------------------------------------------------------- modify


def _editable_set(actor: Actor, set_id: int, action: SetAction) -> m.CollectionSet:
    """The set, when its status allows `action` (one of the changes before a file exists)."""
    cset = get_set(actor, set_id)
    if cset.status not in SET_ALLOWS[action]:
        raise Refused(
            "set {set_id} is {status}: only a set that is not processed can be changed",
            set_id=set_id,
            status=cset.status,
        )
    actor.require(PROCESS, None, what="collection sets")
    return cset


def remove_orders(actor: Actor, set_id: int, order_ids: Iterable[int]) -> int:
    cset = _editable_set(actor, set_id, SetAction.REMOVE_ORDER)
    ids = sorted({int(i) for i in order_ids})
    n = 0
    with database.atomic():
        for part in chunks(ids):
            n += (
                m.CollectionOrder.update(collection_set=None, updated_at=clock_now())
                .where(
                    (m.CollectionOrder.collection_set == cset.id)
                    & ids_in(m.CollectionOrder.id, part)
                    & (m.CollectionOrder.status == OrderStatus.OPEN)
                    & _processable_where(actor)
                )
                .execute()
            )
        audit.record(
            actor,
            "set.remove_orders",
            cset,
            summary=f"{n} orders removed from set {cset.id}",
            changes={"orders": (ids[:50], None)},
        )
    return n


def add_orders(actor: Actor, set_id: int, order_ids: Iterable[int] | None = None) -> tuple[int, list[dict]]:
    """Re-add orders (or, without ids, every eligible candidate). Returns (added, refused with reasons)."""
    cset = _editable_set(actor, set_id, SetAction.ADD_ORDERS)
    group = cset.bank_group
    selection = {k: v for k, v in (cset.selection or {}).items() if not k.startswith("_")}
    where = _selection_where(
        group, {k: v for k, v in selection.items() if k != "order_ids"}
    ) & _processable_where(actor)
    ids = sorted({int(i) for i in order_ids}) if order_ids is not None else None
    if ids is not None:
        where &= m.CollectionOrder.id.in_(ids) if len(ids) <= CHUNK else pw.SQL("1 = 1")
    planner = Planner(cset.collection_date or cset.requested_date, keep_underway=True)
    refused: list[dict] = []
    eligible: list[int] = []
    months: dict[MonthKey, int] = {}
    with database.atomic():
        _resolve_missing_mandates(where)
        for row in iter_plan_rows(
            (m.CollectionOrder.collection_set == cset.id) & m.CollectionOrder.status.in_(ORDER_IN_FILE)
        ):
            plan = planner.plan(row)
            if plan.hold is None:
                add_to_months(months, plan)
        for row in iter_plan_rows(where):
            if ids is not None and row[0] not in ids:
                continue
            plan = planner.plan(row)
            if plan.hold is None:
                eligible.append(plan.id)
                add_to_months(months, plan)
            else:
                refused.append({"order_id": plan.id, "code": plan.hold.code, "reason": str(plan.hold)})
        if ids is not None:
            found = set(eligible) | {r["order_id"] for r in refused}
            for oid in ids:
                if oid not in found:
                    refused.append(
                        {
                            "order_id": oid,
                            "code": "not_candidate",
                            "reason": "not a candidate: not visible, not open, already in "
                            "a set or not in this bank group/selection",
                        }
                    )
        if eligible:
            _refuse_over_month_limit(cset.id, months)
        for part in chunks(eligible):
            (
                m.CollectionOrder.update(collection_set=cset.id, updated_at=clock_now())
                .where(
                    ids_in(m.CollectionOrder.id, part)
                    & m.CollectionOrder.collection_set.is_null()
                    & (m.CollectionOrder.status == OrderStatus.OPEN)
                )
                .execute()
            )
        audit.record(actor, "set.add_orders", cset, summary=f"{len(eligible)} orders added to set {cset.id}")
    return len(eligible), refused


def change_date(
    actor: Actor, set_id: int, requested_date: dt.date | str, today: dt.date | None = None
) -> m.CollectionSet:
    cset = _editable_set(actor, set_id, SetAction.CHANGE_DATE)
    today = today or clock_today()
    requested = iso_date(requested_date, "collection date")
    if requested is None:
        raise ValidationError("collection date", "is required")
    if requested < today:
        raise ValidationError("collection date", "may not be in the past", requested.isoformat())
    adjusted = adjust_collection_date(requested, today, cset.bank_group.lead_days)
    with database.atomic():
        changes = {"collection date": (cset.collection_date, adjusted.date)}
        (
            m.CollectionSet.update(requested_date=requested, collection_date=adjusted.date)
            .where(m.CollectionSet.id == cset.id)
            .execute()
        )
        audit.record(
            actor,
            "set.date",
            cset,
            changes=changes,
            summary=adjusted.reason or f"collection date {adjusted.date.isoformat()}",
        )
    return m.CollectionSet.get_by_id(cset.id)


def delete_set(actor: Actor, set_id: int) -> None:
    cset = _editable_set(actor, set_id, SetAction.DELETE)
    with database.atomic():
        n = (
            m.CollectionOrder.update(collection_set=None, updated_at=clock_now())
            .where(m.CollectionOrder.collection_set == cset.id)
            .execute()
        )
        m.CollectionSet.delete().where(m.CollectionSet.id == cset.id).execute()
        audit.record(
            actor,
            "set.delete",
            object_type="collectionset",
            object_id=cset.id,
            summary=f"set {cset.id} deleted; {n} orders freed",
        )
