"""Processing a collection set into pain.008 file(s) through the job queue.

`process_set` queues the job (one conditional UPDATE: of two users processing one set at
once, one gets the job and the other is told). `run_process_job` is the handler:

1. recovery of this set's staged files (a crash earlier: complete or roll back);
2. plan: per order the sequence type (computed now, §3.3) and collection date; orders that
   can no longer be collected leave the set (they show up in the held-back list);
   the plan columns are stored (status unchanged) — a retry recomputes the same values;
3. one file per scheme (CORE and B2B never mixed) — several when the bank group allows
   fewer transactions per file than the set holds (`splitting`: a PmtInf is split only
   when it alone exceeds the maximum; extra files get MsgId `…-2`, `…-3`) — written by the
   SEPA engine (streaming, XSD-validated, fsynced) under a *staged* hidden name
   `.NAME.staged`; transactions are read from keyset chunks;
4. one transaction: orders → underway with their own file's name, mandates' last collection date,
   FRST/FNAL/one-off use, set → processed with file names, message ids, SHA-256, who/when;
5. after the commit the staged files are renamed to their final names.

So a file under its final name is always known to the database, and an order is never
underway without its file except between 4 and 5 — which recovery completes (the staged
file with the recorded SHA-256 is renamed). A staged file the database does not know is
deleted. Message id and creation time are fixed at the first processing of a set
(`selection._created_at`), so regenerating an unchanged set gives a byte-identical file;
re-processing a sent set is explicit, logged, and starts a new message id.

Test hook: INCASSO_TEST_CRASH_AT=after_plan|mid_file|after_file|after_commit kills the
process (SIGKILL) at that point.
"""

from __future__ import annotations

import datetime as dt
import glob
import logging
import os
import signal
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import peewee as pw

from incasso_tui.core.clock import now as clock_now
from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import IncassoError, NotFound, Refused
from incasso_tui.core.files import fsync_dir, make_private_dir
from incasso_tui.db import models as m
from incasso_tui.db.bound_list import ids_in
from incasso_tui.db.database import as_date, database
from incasso_tui.db.statuses import (
    JOB_ACTIVE,
    ORDER_ALLOWS,
    ORDER_IN_FILE,
    SET_ALLOWS,
    SET_HAS_FILES,
    OrderAction,
    OrderStatus,
    SetAction,
    SetStatus,
)
from incasso_tui.rules.addresses import has_usable_address, needs_address
from incasso_tui.rules.bank_profiles import max_per_file
from incasso_tui.sepa import (
    Address,
    BatchInfo,
    BatchKey,
    Creditor,
    FileHeader,
    SepaError,
    Transaction,
    WrittenFile,
    amendment_for_change,
    earliest_collection_date,
    make_msg_id,
    write_pain008,
)
from incasso_tui.sepa.writer import TransactionSource, Validation
from incasso_tui.services import audit
from incasso_tui.services.auth import PROCESS, Actor
from incasso_tui.services.collection.orders import get_order
from incasso_tui.services.collection.outbox import (
    complete_if_needed,
    file_name,
    group_dir,
    recover_set_files,
    staged_path,
)
from incasso_tui.services.collection.outbox_identity import require_outbox
from incasso_tui.services.collection.planning import (
    PLAN_LAST,
    UPDATE_CHUNK,
    Planner,
    chunks,
    iter_plan_rows,
    raw_rows,
)
from incasso_tui.services.collection.sets import (
    SetCreated,
    check_month_limits,
    create_set,
    delete_set,
    get_set,
    held_back,
    leave_queue,
    process_jobs_of,
    require_processable,
)
from incasso_tui.services.collection.splitting import Piece, pack

if TYPE_CHECKING:
    from incasso_tui.jobs.registry import JobContext

log = logging.getLogger(__name__)

# Compared once per order in the hot loops: a plain module constant, not an enum look-up.
_OPEN: str = OrderStatus.OPEN


class ProcessingError(IncassoError):
    pass


class _Cancelled(Exception):
    pass


def _crash(point: str) -> None:
    if os.environ.get("INCASSO_TEST_CRASH_AT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


# --------------------------------------------------------------------------- queueing


def process_set(
    actor: Actor,
    set_id: int,
    *,
    outbox_dir: str | os.PathLike,
    confirm_sent: bool = False,
    language: str = "nl",
) -> int:
    """Queue the processing of a set; returns the job id."""
    from incasso_tui.jobs import queue

    cset = get_set(actor, set_id)
    require_processable(actor, cset)
    require_outbox(outbox_dir)  # the files go where every host reaches them
    old = cset.status
    if old in SET_HAS_FILES:  # a rename a dead worker left undone: finish it before anything else
        complete_if_needed(cset)
    if old not in SET_ALLOWS[SetAction.PROCESS]:  # queued: the only status that does not allow it
        job = _job_of(cset.id, JOB_ACTIVE)
        if job is None:
            raise Refused("set {id} is already queued for processing", id=cset.id)
        raise Refused(
            "set {id} is already queued for processing (job {job} by {login})",
            id=cset.id,
            job=job.id,
            login=job.user.login if job.user else "?",
        )
    if old == SetStatus.SENT and not confirm_sent:
        raise Refused(
            "set {id} was already sent on {sent_at:%Y-%m-%d %H:%M}: re-processing makes a new "
            "file for the bank; confirm explicitly (--confirm-sent)",
            id=cset.id,
            sent_at=cset.sent_at,
        )
    if (
        not m.CollectionOrder.select()
        .where((m.CollectionOrder.collection_set == cset.id) & m.CollectionOrder.status.in_(ORDER_IN_FILE))
        .exists()
    ):
        raise Refused("set {id} has no orders that are not processed or underway", id=cset.id)
    check_month_limits(cset)  # the contracts' maximum per month, with what was collected meanwhile
    selection = dict(cset.selection or {})
    if "_created_at" not in selection or old == SetStatus.SENT:
        stamp = clock_now()
        if "_created_at" in selection:  # a new message id for the bank: never the same second
            before = dt.datetime.fromisoformat(selection["_created_at"])
            stamp = max(stamp, before + dt.timedelta(seconds=1))
        selection["_created_at"] = stamp.isoformat(timespec="seconds")
    with database.atomic():
        n = (
            m.CollectionSet.update(status=SetStatus.QUEUED, selection=selection, error=None)
            .where((m.CollectionSet.id == cset.id) & (m.CollectionSet.status == old))
            .execute()
        )
        if n != 1:
            raise Refused(
                "set {id} was changed by someone else meanwhile (now {status}); try again",
                id=cset.id,
                status=m.CollectionSet.get_by_id(cset.id).status,
            )
        job = queue.enqueue(
            "process_set",
            {"set_id": cset.id, "outbox": str(outbox_dir), "previous": old, "language": language},
            actor.user_id,
            message=f"set {cset.id}",
        )
        action = "set.reprocess" if old in SET_HAS_FILES else "set.process"
        audit.record(
            actor,
            action,
            cset,
            summary=f"set {cset.id} queued as job {job.id}"
            + (f" (re-processing a {old} set)" if old in SET_HAS_FILES else ""),
        )
    return job.id


def set_of_job(actor: Actor, job_id: int) -> int | None:
    """The collection set a process_set job works on (for the queue screen's "open set")."""
    job = m.Job.get_or_none(m.Job.id == int(job_id))
    if job is None or not (actor.is_admin or job.user_id == actor.user_id):
        raise NotFound("job {job_id} does not exist or is not yours", job_id=job_id)
    if job.kind != "process_set":
        return None
    return int((job.payload or {}).get("set_id") or 0) or None


def _job_of(set_id: int, statuses: Iterable[str]) -> m.Job | None:
    jobs = process_jobs_of(set_id, statuses)
    return jobs[0] if jobs else None


def run_process_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    set_id = int(payload["set_id"])
    cset = m.CollectionSet.get_or_none(m.CollectionSet.id == set_id)
    if cset is None:
        raise ProcessingError(f"set {set_id} no longer exists")
    files = cset.files or []
    if cset.status in SET_HAS_FILES and any(f.get("job_id") == ctx.job_id for f in files):
        # This job committed before its worker died: recovery finishes the rename.
        recovered = recover_set_files(cset, group_dir(payload["outbox"], cset.bank_group.code))
        return _result(cset, recovered, note="completed after a restart")
    # An old job back from a dead worker while a newer one waits for the set, or after a
    # newer one processed it: nothing to do (the set is not this job's any more).
    newer = [job.id for job in process_jobs_of(set_id, JOB_ACTIVE) if job.id > ctx.job_id]
    if cset.status != SetStatus.QUEUED and not newer:
        newer = [job.id for job in process_jobs_of(set_id) if job.id > ctx.job_id]
        if not newer:
            raise ProcessingError(f"set {set_id} is {cset.status}, not queued for processing")
    if newer:
        return {"set_id": set_id, "message": f"set {set_id}: superseded by job {newer[-1]}; nothing done"}
    # From here on whatever stops the processing puts the set back (failed, or as it was)
    # and clears what it staged: the runner's after_fail / after_cancel hooks below.
    try:
        require_outbox(payload["outbox"])  # still this database's (a share can be unmounted)
        directory = group_dir(payload["outbox"], cset.bank_group.code)
        recovered = recover_set_files(cset, directory)
        return _process(ctx, cset, directory, payload, recovered)
    except _Cancelled:
        requested = m.Job.select(m.Job.cancel_requested).where(m.Job.id == ctx.job_id).scalar()
        if requested:
            _after_cancel(payload, job_id=ctx.job_id)
        else:  # the worker stops, nobody cancelled: the job goes back to the queue as it is
            _cleanup_staged(cset, group_dir(payload["outbox"], cset.bank_group.code))
        return {"cancelled": True}
    except Exception as exc:
        _after_fail(payload, str(exc), 0, job_id=ctx.job_id)
        raise


def _cleanup_staged(cset: m.CollectionSet, directory: Path) -> None:
    try:
        fresh = m.CollectionSet.get_by_id(cset.id)
        if fresh.status == SetStatus.QUEUED:
            for prefix in ("INC", "INCB"):
                for staged in glob.glob(
                    str(directory / f".{cset.bank_group.code}_{prefix}-{cset.id}-*.xml.staged")
                ):
                    Path(staged).unlink(missing_ok=True)
    except Exception:  # noqa: BLE001, S110 - best effort; recovery handles the rest
        pass


def _before_retry(actor: Actor, payload: dict[str, Any]) -> None:
    cset = get_set(actor, int(payload["set_id"]))  # a queued set no job is coming for leaves the queue
    require_processable(actor, cset)
    allowed = [SetStatus.FAILED, SetStatus.OPEN] + (
        [SetStatus.PROCESSED, SetStatus.SENT] if payload.get("previous") in SET_HAS_FILES else []
    )
    n = (
        m.CollectionSet.update(status=SetStatus.QUEUED, error=None)
        .where((m.CollectionSet.id == cset.id) & m.CollectionSet.status.in_(allowed))
        .execute()
    )
    if n != 1:
        raise Refused(
            "set {id} is {status}: its processing cannot be retried now", id=cset.id, status=cset.status
        )


def _after_cancel(payload: dict[str, Any], job_id: int | None = None) -> None:
    leave_queue(
        int(payload["set_id"]),
        payload.get("previous"),
        "processing cancelled",
        payload.get("outbox"),
        cancelled=True,
        ending_job=job_id,
    )


def _after_fail(
    payload: dict[str, Any], error: str, gave_up_after: int = 0, job_id: int | None = None
) -> None:
    """The job failed (its handler raised, or its worker died MAX_ATTEMPTS times): the set
    leaves the queue with the reason, its staged files removed (unless a newer job is
    coming for it). `job_id`: the job, when it is still running (its handler calls this)."""
    previous = payload.get("previous")
    if gave_up_after:
        error = f"processing stopped {gave_up_after} times (the worker died or hung); " + (
            "the set keeps its earlier file(s): retry the job or process the set again"
            if previous in SET_HAS_FILES
            else "retry or delete the set"
        )
    leave_queue(int(payload["set_id"]), previous, error, payload.get("outbox"), ending_job=job_id)


run_process_job.before_retry = _before_retry  # type: ignore[attr-defined]
run_process_job.after_cancel = _after_cancel  # type: ignore[attr-defined]
run_process_job.after_fail = _after_fail  # type: ignore[attr-defined]


def _result(cset: m.CollectionSet, recovered: list[str], note: str = "") -> dict[str, Any]:
    files = [f for f in (cset.files or []) if not f.get("superseded")]
    count = sum(f["count"] for f in files)
    total = sum(f["total_cents"] for f in files)
    msg = f"set {cset.id}: {count} orders in {len(files)} file(s)" + (f"; {note}" if note else "")
    return {
        "set_id": cset.id,
        "files": [f["name"] for f in files],
        "orders": count,
        "total_cents": total,
        "recovered": recovered,
        "message": msg,
    }


# The plan's groupings. A PmtInf: (bank account id, scheme, sequence type, collection date);
# scheme and sequence type are set for every order that is not held back.
_PmtKey = tuple[int, str | None, str | None, dt.date]
# Open orders that become underway with one UPDATE: (scheme, sequence type, date, the
# mandate's last collection date before this set).
_UnderwayKey = tuple[str | None, str | None, dt.date, dt.date | None]


def _ids() -> array[int]:
    return array("q")


@dataclass(slots=True)
class _Plan:
    """What planning decided for the set's orders (step 2), grouped the way the files
    (step 3) and the commit (step 4) read them; order ids are kept in compact arrays."""

    held: list[int]  # can no longer be collected: they leave the set
    # Open orders per (scheme, sequence type, date): the commit writes their sequence type,
    # date and EndToEndId together with the status, in one pass over the rows.
    by_plan: dict[_UnderwayKey, array[int]]
    kept: dict[str | None, array[int]]  # already underway, per scheme
    by_date: dict[dt.date, bool]  # the collection dates of the open orders
    final_mandates: list[int]  # given their final (FNAL) collection
    # The orders of each PmtInf, in id order: the writer fetches them by primary key.
    batch_ids: dict[_PmtKey, array[int]]
    batch_totals: dict[_PmtKey, int]  # each PmtInf's sum in cents
    # Their amounts beside them, in the same order, only when the bank group may split a
    # PmtInf over files (the pieces' totals); else None: 8 bytes an order less.
    batch_cents: dict[_PmtKey, array[int]] | None
    new_orders: int  # open orders going into the file (not underway already)


@dataclass(slots=True)
class _Files:
    """The files of step 3, staged and not yet validated: what the commit records."""

    written: list[dict[str, Any]]
    unchecked: list[tuple[str, WrittenFile]]  # (file name, the file): written, not yet checked
    total_orders: int
    names: dict[str, list[str]]  # scheme -> its files' names, in order
    checks: _XsdChecks | None = None  # the XSD checks, running in the background
    # The pieces in a scheme's second and later files, with their file's name (empty: one
    # file per scheme). The commit names every order's file from these: no dict per order.
    later_pieces: list[tuple[str, Piece[tuple[int, str, str, dt.date]]]] = field(default_factory=list)


def _process(
    ctx: JobContext, cset: m.CollectionSet, directory: Path, payload: dict[str, Any], recovered: list[str]
) -> dict[str, Any]:
    """Steps 2-5 of the module doc for a set the caller found queued. A step that fails
    raises before the commit (step 4), so the caller can put the set back as it was."""
    group = cset.bank_group
    today = clock_today()
    created_at = dt.datetime.fromisoformat((cset.selection or {})["_created_at"])
    set_date = cset.collection_date or cset.requested_date
    ctx.progress(0, 1, "planning")

    # ---- 2. plan
    plan = _plan_orders(
        cset.id, set_date, may_split=max_per_file(group.profile, group.max_per_file) is not None
    )
    if plan.new_orders:
        _check_collection_date(plan, group, today)
    _release_held(cset.id, plan.held)
    if ctx.cancelled():
        raise _Cancelled()
    _crash("after_plan")

    # ---- 3. files, staged
    files = _write_files(ctx, cset, directory, plan, created_at)
    _crash("after_file")

    # ---- 4. one transaction
    _commit(ctx, cset, plan, files, payload)
    _crash("after_commit")

    # ---- 5. final names
    for f in files.written:
        try:
            os.replace(staged_path(Path(f["path"])), f["path"])
        except FileNotFoundError:  # a recovery that saw the commit renamed it already
            if not Path(f["path"]).is_file():
                raise
    fsync_dir(directory)
    ctx.progress(files.total_orders, files.total_orders, "files written")
    return _finish(cset.id, recovered, plan.held, payload)


def _plan_orders(set_id: int, set_date: dt.date, *, may_split: bool) -> _Plan:
    """Step 2: per order its sequence type and date, or why it is held back; grouped per
    PmtInf and per UPDATE. The hot loop of a large set: it works on local names only.
    `may_split`: the bank group has a maximum per file (the pieces need each order's amount)."""
    planner = Planner(set_date, keep_underway=True)
    held: list[int] = []
    by_plan: dict[_UnderwayKey, array[int]] = defaultdict(_ids)
    kept: dict[str | None, array[int]] = defaultdict(_ids)
    by_date: dict[dt.date, bool] = {}
    final_mandates: list[int] = []
    batch_ids: dict[_PmtKey, array[int]] = defaultdict(_ids)
    batch_totals: dict[_PmtKey, int] = defaultdict(int)
    batch_cents: dict[_PmtKey, array[int]] | None = defaultdict(_ids) if may_split else None
    new_orders = 0
    for row in iter_plan_rows(
        (m.CollectionOrder.collection_set == set_id) & m.CollectionOrder.status.in_(ORDER_IN_FILE)
    ):
        plan = planner.plan(row)
        if plan.hold is not None:
            held.append(plan.id)
            continue
        key = (plan.bank_account_id, plan.scheme, plan.sequence_type, plan.collection_date)
        batch_ids[key].append(plan.id)
        batch_totals[key] += plan.amount_cents
        if batch_cents is not None:
            batch_cents[key].append(plan.amount_cents)
        if plan.status == _OPEN:
            new_orders += 1
            # With the mandate's last collection date as it is now: a reject restores it.
            # (Few distinct dates: grouping costs less than a subquery per row.)
            by_plan[(plan.scheme, plan.sequence_type, plan.collection_date, row[PLAN_LAST])].append(plan.id)
            by_date[plan.collection_date] = True
            if plan.sequence_type == "FNAL" and plan.mandate_id is not None:
                final_mandates.append(plan.mandate_id)
        else:
            kept[plan.scheme].append(plan.id)
    return _Plan(
        held, by_plan, kept, by_date, final_mandates, batch_ids, batch_totals, batch_cents, new_orders
    )


def _check_collection_date(plan: _Plan, group: m.BankGroup, today: dt.date) -> None:
    """The set's date may have become too early since it was made: the bank would refuse
    the file, so stop before writing it."""
    earliest = earliest_collection_date(today, group.lead_days).date
    too_early = min(plan.by_date) if plan.by_date else None
    if too_early is not None and too_early < earliest:
        raise ProcessingError(
            f"collection date {too_early.isoformat()} is no longer possible (earliest "
            f"{earliest.isoformat()} with {group.lead_days} TARGET2 days lead): change the "
            f"set's collection date"
        )


def _release_held(set_id: int, held: list[int]) -> None:
    """Orders that can no longer be collected leave the set (they show up in its held-back
    list); their planned values are cleared."""
    now = clock_now()
    with database.atomic():
        for part in chunks(held, UPDATE_CHUNK):
            (
                m.CollectionOrder.update(
                    collection_set=None,
                    sequence_type=None,
                    collection_date=None,
                    end_to_end_id=None,
                    updated_at=now,
                )
                .where(
                    ids_in(m.CollectionOrder.id, part)
                    & (m.CollectionOrder.collection_set == set_id)
                    & (m.CollectionOrder.status == OrderStatus.OPEN)
                )
                .execute()
            )


def _write_files(
    ctx: JobContext, cset: m.CollectionSet, directory: Path, plan: _Plan, created_at: dt.datetime
) -> _Files:
    """Step 3: the staged files, one per scheme (CORE and B2B never mixed) or several when
    the bank group's maximum per file asks for it. The XSD checks run in the background
    while the next file is written; `_commit` waits for their verdicts."""
    make_private_dir(directory)
    if not os.access(directory, os.W_OK):
        raise ProcessingError(f"outbox {directory} is not writable")
    # The PmtInfs in their sorted order: (account id, scheme, sequence type, date). Only
    # orders that are not held back are in the plan's batches: their scheme and sequence
    # type are set.
    keys = cast("list[tuple[int, str, str, dt.date]]", sorted(plan.batch_ids))
    if not keys:
        raise ProcessingError(
            f"set {cset.id} has no collectable orders left"
            + (f" ({len(plan.held)} held back)" if plan.held else "")
        )
    accounts = {
        a.id: a for a in m.BankAccount.select().where(m.BankAccount.id.in_(sorted({k[0] for k in keys})))
    }
    adms = {
        a.id: a
        for a in m.Administration.select().where(
            m.Administration.id.in_(sorted({a.administration_id for a in accounts.values()}))
        )
    }
    group = cset.bank_group
    total_orders = sum(len(ids) for ids in plan.batch_ids.values())
    files = _Files([], [], total_orders, {})
    writing = _Writing(ctx, cset, plan, accounts, adms, _submitter(group), files, {"done": 0})
    limit = max_per_file(group.profile, group.max_per_file)
    for scheme in sorted({k[1] for k in keys}):
        prefix = "INC" if scheme == "CORE" else "INCB"
        layout = pack([(k, len(plan.batch_ids[k])) for k in keys if k[1] == scheme], limit)
        names = files.names[scheme] = []
        for part, pieces in enumerate(layout, 1):
            msg_id = make_msg_id(cset.id, created_at, prefix=prefix, part=part)
            name = file_name(group.code, msg_id)
            names.append(name)
            if part > 1:  # the commit gives these orders their own file's name
                files.later_pieces += [(name, piece) for piece in pieces]
            writing.file(directory / name, msg_id, created_at, scheme, pieces)
            if ctx.cancelled():
                raise _Cancelled()
    files.checks = _XsdChecks(files.unchecked)
    return files


class _XsdChecks:
    """The written files' XSD checks, one file after the other in one background thread,
    started once every file is written: they run while the commit's SQL runs (which leaves
    the GIL free). Checks running beside the writing of the next file — twenty of them for
    a set split into twenty files — fought it for the GIL and slowed both down."""

    def __init__(self, written: list[tuple[str, WrittenFile]]) -> None:
        self._failed: tuple[str, BaseException] | None = None
        self._thread = threading.Thread(target=self._run, args=(written,), daemon=True)
        self._thread.start()

    def _run(self, written: list[tuple[str, WrittenFile]]) -> None:
        for name, wf in written:
            try:
                Validation(wf).result()
            except BaseException as exc:  # noqa: BLE001 - handed to the commit by result()
                self._failed = (name, exc)
                return

    def result(self) -> None:
        """Wait for the verdicts; raise the first failure."""
        self._thread.join()
        if self._failed is not None:
            name, exc = self._failed
            if isinstance(exc, SepaError):
                raise ProcessingError(f"{name} not written: {exc}") from exc
            raise exc


@dataclass(slots=True)
class _Writing:
    """What writing each file of a set needs (step 3)."""

    ctx: JobContext
    cset: m.CollectionSet
    plan: _Plan
    accounts: dict[int, m.BankAccount]
    adms: dict[int, m.Administration]
    submitter: str | None  # the file's InitgPty when not one of its administrations
    files: _Files
    progress: dict[str, int]

    def file(
        self,
        final: Path,
        msg_id: str,
        created_at: dt.datetime,
        scheme: str,
        pieces: list[Piece[tuple[int, str, str, dt.date]]],
    ) -> None:
        """One staged file of `pieces`: whole PmtInfs, or parts of one that alone exceeds
        the maximum per file, each part a PmtInf with its own count and total."""
        group = self.cset.bank_group
        batches: list[tuple[BatchInfo, TransactionSource]] = []
        account_of: dict[tuple[str, str, dt.date], int] = {}  # PmtInf -> bank account id
        amended: set[int] = set()  # mandates whose amendment went into this file already
        for piece in pieces:
            account_id, _, seq, day = piece.key
            ids: Sequence[int] = self.plan.batch_ids[piece.key]
            total = self.plan.batch_totals[piece.key]
            if piece.start or piece.stop != len(ids):  # only with a maximum per file: cents kept
                cents = cast("dict[_PmtKey, array[int]]", self.plan.batch_cents)[piece.key]
                ids, total = ids[piece.start : piece.stop], sum(cents[piece.start : piece.stop])
            acc = self.accounts[account_id]
            adm = self.adms[acc.administration_id]
            creditor = Creditor(
                name=adm.name, iban=acc.iban, creditor_id=adm.creditor_id, bic=acc.bic or None
            )
            key = BatchKey(creditor, scheme, seq, day, bool(group.batch_booking))
            account_of[(acc.iban, seq, day)] = account_id
            source = _source(
                self.ctx, self.cset.id, ids, adm, amended, self.progress, self.files.total_orders
            )
            batches.append((BatchInfo(key, len(ids), total), source))
        # InitgPty: who submits the file, never the bank group (often a bank's name): the
        # group's initiating party, the organisation, else the file's (first) administration.
        party = self.submitter or sorted({info.key.creditor.name for info, _ in batches})[0]
        header = FileHeader(msg_id, created_at, party)
        name = final.name
        try:
            # XSD-checked in the background once every file is written (`_XsdChecks`): the
            # database updates go on meanwhile; nothing commits before every check passed.
            wf = write_pain008(
                staged_path(final), header, batches, group.pain_version, overwrite=True, validate=False
            )
            self.files.unchecked.append((name, wf))
        except _Cancelled:
            raise
        except SepaError as exc:
            raise ProcessingError(f"{name} not written: {exc}") from exc
        except OSError as exc:
            raise ProcessingError(f"cannot write {final}: {exc.strerror or exc}") from exc
        self.files.written.append(_file_record(self.ctx.job_id, name, final, scheme, wf, header, account_of))


def _submitter(group: m.BankGroup) -> str | None:
    """The file's initiating party when it is not an administration in the file: the bank
    group's own, else the organisation's name (the set-up stores it in AppMeta)."""
    if (group.initiating_party or "").strip():
        return str(group.initiating_party).strip()
    row = m.AppMeta.get_or_none(m.AppMeta.key == "organisation.name")
    return row.value.strip() if row is not None and (row.value or "").strip() else None


def _file_record(
    job_id: int,
    name: str,
    final: Path,
    scheme: str,
    wf: WrittenFile,
    header: FileHeader,
    account_of: dict[tuple[str, str, dt.date], int],
) -> dict[str, Any]:
    """What the set records of a file: the letter and the bank feedback are made from this,
    never from a re-count."""
    return {
        "name": name,
        "path": str(final),
        "scheme": scheme,
        "msg_id": header.msg_id,
        "created_at": header.created_at.isoformat(),
        "initiating_party": header.initiating_party_name,
        "sha256": wf.sha256,
        "size": wf.size,
        "version": wf.version,
        "count": wf.nb_of_txs,
        "total_cents": wf.ctrl_sum_cents,
        "job_id": job_id,
        "pmt_inf": [
            {
                "id": b.pmt_inf_id,
                "scheme": b.key.instrument,
                "sequence_type": b.key.sequence_type,
                "collection_date": b.key.collection_date.isoformat(),
                "iban": b.key.creditor.iban,
                "bic": b.key.creditor.bic,
                "creditor_id": b.key.creditor.creditor_id,
                "bank_account_id": account_of[
                    (b.key.creditor.iban, b.key.sequence_type, b.key.collection_date)
                ],
                "count": b.nb_of_txs,
                "total_cents": b.ctrl_sum_cents,
            }
            for b in wf.batches
        ],
    }


def _commit(
    ctx: JobContext, cset: m.CollectionSet, plan: _Plan, files: _Files, payload: dict[str, Any]
) -> None:
    """Step 4, one transaction: orders underway with their file, the mandates' collection
    state, then — once every file passed its XSD check — the set processed with its files."""
    now = clock_now()
    with database.atomic():
        fresh = m.CollectionSet.get_by_id(cset.id)
        if fresh.status != SetStatus.QUEUED:
            raise ProcessingError(f"set {cset.id} became {fresh.status} during processing")
        _mark_underway(cset.id, plan, files, now)
        _mark_mandates_collected(cset.id, plan)
        old_files = [
            dict(f, superseded=True)
            for f in (fresh.files or [])
            if f["name"] not in {w["name"] for w in files.written}
        ]
        if files.checks is not None:  # the XSD verdicts, before anything commits
            files.checks.result()
        resent = payload.get("previous") == SetStatus.SENT  # the bank gets a new file
        (
            m.CollectionSet.update(
                status=SetStatus.PROCESSED,
                files=old_files + files.written,
                error=None,
                processed_at=now,
                processed_by=ctx.user_id,
                sent_at=None if resent else fresh.sent_at,
                sent_by=None if resent else fresh.sent_by_id,
            )
            .where(m.CollectionSet.id == cset.id)
            .execute()
        )
        login = m.User.select(m.User.login).where(m.User.id == ctx.user_id).scalar() or "worker"
        audit.record(
            login,
            "set.processed",
            fresh,
            summary=f"set {cset.id}: "
            + ", ".join(
                f"{f['name']} ({f['count']} orders, sha256 {f['sha256'][:12]}…)" for f in files.written
            ),
        )


def _mark_underway(set_id: int, plan: _Plan, files: _Files, now: dt.datetime) -> None:
    """Open orders → underway with their file, sequence type, date and EndToEndId; orders
    already underway get the new file name. Each order first gets its scheme's first file;
    a scheme split over files then names the orders of the later files' pieces (a second
    rewrite of those rows only, instead of a dict of every order's file in memory)."""
    e2e = pw.SQL(f"'{int(set_id)}-' || CAST(id AS VARCHAR(20))")
    # Before the mandates' dates move: a reject restores the date from here.
    for (scheme, seq, day, last_before), ids in plan.by_plan.items():  # one rewrite per row
        _set_underway(set_id, files.names[cast("str", scheme)][0], ids, seq, day, last_before, e2e, now)
    for scheme, ids in plan.kept.items():
        _set_file_name(set_id, files.names[cast("str", scheme)][0], ids, now)
    for name, piece in files.later_pieces:
        _set_file_name(set_id, name, plan.batch_ids[piece.key][piece.start : piece.stop], now)


def _set_file_name(set_id: int, name: str, ids: Sequence[int], now: dt.datetime) -> None:
    for part in chunks(ids, UPDATE_CHUNK):
        (
            m.CollectionOrder.update(file_name=name, updated_at=now)
            .where(
                ids_in(m.CollectionOrder.id, part)
                & (m.CollectionOrder.collection_set == set_id)
                & (m.CollectionOrder.status == OrderStatus.UNDERWAY)
            )
            .execute()
        )


def _set_underway(
    set_id: int,
    name: str,
    ids: Sequence[int],
    seq: str | None,
    day: dt.date,
    last_before: dt.date | None,
    e2e: pw.SQL,
    now: dt.datetime,
) -> None:
    for part in chunks(ids, UPDATE_CHUNK):
        (
            m.CollectionOrder.update(
                status=OrderStatus.UNDERWAY,
                file_name=name,
                sequence_type=seq,
                collection_date=day,
                end_to_end_id=e2e,
                updated_at=now,
                mandate_last_before=last_before,
            )
            .where(
                ids_in(m.CollectionOrder.id, part)
                & (m.CollectionOrder.collection_set == set_id)
                & (m.CollectionOrder.status == OrderStatus.OPEN)
            )
            .execute()
        )


def _mark_mandates_collected(set_id: int, plan: _Plan) -> None:
    """The mandates' last collection date (never moved back), collected, and a final
    (FNAL) collection made: what the next set's sequence types are computed from. After
    `_mark_underway`: every order of the plan is underway with its collection date, so the
    database finds the mandates per date (no list of mandate ids in memory)."""
    in_set = m.CollectionOrder.select(m.CollectionOrder.mandate).where(
        (m.CollectionOrder.collection_set == set_id) & (m.CollectionOrder.status == OrderStatus.UNDERWAY)
    )
    for day in sorted({key[3] for key in plan.batch_ids}):  # ascending: the latest date stays
        (
            m.Mandate.update(last_collection_date=day, collected=True)
            .where(
                m.Mandate.id.in_(in_set.where(m.CollectionOrder.collection_date == day))
                & (m.Mandate.last_collection_date.is_null() | (m.Mandate.last_collection_date < day))
            )
            .execute()
        )
    m.Mandate.update(collected=True).where(m.Mandate.id.in_(in_set) & ~m.Mandate.collected).execute()
    for part in chunks(plan.final_mandates, UPDATE_CHUNK):
        m.Mandate.update(final_collected=True, final_pending=False).where(
            ids_in(m.Mandate.id, part)
        ).execute()


def _finish(set_id: int, recovered: list[str], held: list[int], payload: dict[str, Any]) -> dict[str, Any]:
    """After the files are final: the instruction letters, one per file beside it (a failure
    there does not undo the valid files: the letters can be made later) and the job's result."""
    cset = m.CollectionSet.get_by_id(set_id)
    note = f"{len(held)} orders held back and removed from the set" if held else ""
    try:
        from incasso_tui.services.collection.letters import write_set_letters

        made = write_set_letters(cset, language=payload.get("language", "nl"))
        note = (note + "; " if note else "") + (
            f"letter {made[0].name}" if len(made) == 1 else f"{len(made)} letters beside the files"
        )
    except Exception as exc:  # noqa: BLE001 - the files are valid; the letters can be made later
        note = (note + "; " if note else "") + f"letter not made: {exc}"
    return _result(cset, recovered, note)


def _source(
    ctx: JobContext,
    set_id: int,
    ids: Sequence[int],
    adm: m.Administration,
    amended: set[int],
    progress: dict[str, int],
    total_orders: int,
) -> Callable[[], Iterator[Transaction]]:
    """A callable giving the transactions of one PmtInf, read by primary key in chunks of
    plain tuples (no cursor stays open while the writer works or progress is written)."""

    def transactions() -> Iterator[Transaction]:
        crash_mid = os.environ.get("INCASSO_TEST_CRASH_AT") == "mid_file"
        # A collectable mandate has a signature or an effective date: the planner held back
        # the others. (A local name: looked up once, not per transaction.)
        mandate_date = cast("Callable[[object], dt.date]", as_date)
        # Without a signature date the effective date stands in; one still ahead would put
        # a signature after the file's own date (DtOfSgntr later than CreDtTm): today then.
        today = clock_today()
        needs: dict[tuple[str, str], bool] = {}  # (IBAN country, address country): few pairs
        for part in chunks(ids):
            rows = raw_rows(
                m.CollectionOrder.select(
                    m.CollectionOrder.id,
                    m.CollectionOrder.status,
                    m.CollectionOrder.end_to_end_id,
                    m.CollectionOrder.amount_cents,
                    m.CollectionOrder.remittance,
                    m.CollectionOrder.mandate,
                    m.Mandate.reference,
                    m.Mandate.external_reference,
                    m.Mandate.signed_date,
                    m.Mandate.effective_date,
                    m.Mandate.amend_reference,
                    m.Mandate.amend_iban,
                    m.Mandate.amend_creditor_id,
                    m.Mandate.amend_creditor_name,
                    m.Debtor.name,
                    m.Debtor.iban,
                    m.Debtor.bic,
                    m.Debtor.country,
                    m.Debtor.town,
                    m.Debtor.street,
                    m.Debtor.building_number,
                    m.Debtor.postcode,
                )
                .join(m.Mandate, on=(m.CollectionOrder.mandate == m.Mandate.id))
                .switch(m.CollectionOrder)
                .join(m.Debtor, on=(m.CollectionOrder.debtor == m.Debtor.id))
                .where(
                    ids_in(m.CollectionOrder.id, part)
                    & (m.CollectionOrder.collection_set == set_id)
                    & m.CollectionOrder.status.in_(ORDER_IN_FILE)
                )
                .order_by(m.CollectionOrder.id)
            )
            for (
                oid,
                status,
                e2e,
                cents,
                remittance,
                mandate_id,
                ref,
                ext_ref,
                signed,
                effective,
                a_ref,
                a_iban,
                a_ci,
                a_name,
                name,
                iban,
                bic,
                country,
                town,
                street,
                number,
                postcode,
            ) in rows:
                if status == _OPEN:  # the commit stores the same id (see _mark_underway)
                    e2e = f"{set_id}-{oid}"
                mandate_ref = ext_ref or ref
                amendment = None
                if (a_ref or a_iban or a_ci or a_name) and mandate_id not in amended:
                    amended.add(mandate_id)  # once, with the first collection in the file
                    amendment = amendment_for_change(
                        mandate_id=mandate_ref,
                        creditor_id=adm.creditor_id,
                        creditor_name=adm.name,
                        debtor_iban=iban,
                        old_mandate_id=a_ref,
                        old_creditor_id=a_ci,
                        old_creditor_name=a_name,
                        old_debtor_iban=a_iban,
                    )
                address = None
                pair = (iban[:2], country)
                need = needs.get(pair)
                if need is None:
                    need = needs[pair] = needs_address(iban, country)
                if need and has_usable_address(town, country):
                    address = Address(
                        country=country,
                        town=town,
                        street=street or None,
                        building_number=number or None,
                        postcode=postcode or None,
                    )
                signature = mandate_date(signed or effective)
                if signature > today:
                    signature = today
                yield Transaction(
                    e2e,
                    cents,
                    mandate_ref,
                    signature,
                    name,
                    iban,
                    bic or None,
                    remittance or None,
                    amendment,
                    address,
                )
            progress["done"] += len(rows)
            del rows
            if crash_mid:
                os.kill(os.getpid(), signal.SIGKILL)
            if ctx.cancelled():
                raise _Cancelled()
            ctx.progress(min(progress["done"], total_orders), total_orders, "writing file")

    return transactions


def process_single_order(
    actor: Actor,
    order_id: int,
    requested_date: dt.date | str | None = None,
    *,
    outbox_dir: str | os.PathLike[str],
    today: dt.date | None = None,
) -> tuple[SetCreated, int]:
    """Enkelvoudige incasso: a set of one, then processed like any set. Returns (set, job id)."""
    order = get_order(actor, order_id)
    actor.require(PROCESS, order.administration_id, what=f"order {order_id}")
    if order.status not in ORDER_ALLOWS[OrderAction.PROCESS] or order.collection_set_id is not None:
        if order.collection_set_id:
            raise Refused(
                "order {order_id} is {status} and in set {set}: only an order not processed and not "
                "in a set can be processed alone",
                order_id=order_id,
                status=order.status,
                set=order.collection_set_id,
            )
        raise Refused(
            "order {order_id} is {status}: only an order not processed and not in a set can be "
            "processed alone",
            order_id=order_id,
            status=order.status,
        )
    created = create_set(
        actor, order.bank_account.bank_group_id, requested_date, order_ids=[order.id], today=today
    )
    if created.orders == 0:
        reasons = held_back(actor, created.id, limit=1)
        why = reasons.rows[0]["reason"] if reasons.rows else "not eligible"
        delete_set(actor, created.id)
        raise Refused("order {order_id} cannot be collected: {why}", order_id=order_id, why=why)
    job = process_set(actor, created.id, outbox_dir=outbox_dir)
    return created, job
