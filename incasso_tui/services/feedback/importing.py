"""Import of bank feedback files: pain.002 (rejects) and camt.053/054 (returns, refunds).

``import_feedback(actor, path, dry_run=...)`` streams the file (incasso_tui.sepa.feedback),
matches every item to our orders and plans the effect of each (reversals.plan_effect);
without ``dry_run`` it records all of it in one transaction.  The dry run is the preview
the screen shows before the user confirms.

* Idempotent: a file is known by its SHA-256, and the message in it by its identity
  (format, message id, sender), so the same message re-encoded (UTF-16, another layout)
  is known too; importing it again changes nothing and says when and by whom it was
  imported.  An order that already has its reject or return (the same one reported in a
  pain.002 and on the statement) is listed as skipped.
* pain.002: a group reject covers every order of that file, a block reject every order of
  that PmtInf (found through the set's file list); a transaction matches on original
  message id + EndToEndId, falling back to the EndToEndId alone.
* camt: by EndToEndId with the mandate reference as a check; without an EndToEndId, by
  mandate reference and amount when that finds exactly one collection.
* References that match nothing are recorded as unmatched feedback (listed, not dropped),
  belonging to the administration of the creditor account of the original file (found by
  its message id and PmtInfId, else by the creditor IBAN in the message, else by the order
  the reference names); when nothing says whose it is, only admins see and decide it.
* Memory does not grow with the file: items are read one by one, unmatched ones wait in an
  anonymous temporary file until they are stored in batches, and a report keeps at most
  DETAIL_LIMIT lines of each kind (its counts are complete).  The file is read before the
  write transaction begins, so a large one does not hold the database's lock meanwhile.
* Speed (bench/feedback_import.py): items are matched _BATCH at a time by one query that
  brings each order's mandate, debtor and administration along; what matched nothing is
  stored through one prepared INSERT run with executemany.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, cast

import peewee as pw

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import IncassoError, Refused
from incasso_tui.db import models as m
from incasso_tui.db.bound_list import texts_in
from incasso_tui.db.database import database
from incasso_tui.db.statuses import OrderStatus
from incasso_tui.rules import reason_codes as rc
from incasso_tui.rules import reversals as rules
from incasso_tui.sepa.feedback import (
    BLOCK,
    GROUP,
    PAIN_002,
    FeedbackFormatError,
    FeedbackHead,
    FeedbackItem,
    FeedbackReader,
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
# Lines of each kind (unmatched, skipped, notes) a report keeps; its counts are complete.
DETAIL_LIMIT = 1000
_BATCH = 200  # items matched per query
_ROWS = 1000  # unmatched ones stored per executemany


class FeedbackFileError(IncassoError):
    """The file cannot be read as bank feedback; nothing was changed."""


@dataclass
class Unmatched:
    reference: str
    reason_code: str
    amount_cents: int | None
    why: str
    line: int = 0
    administration: str = ""  # its code; "" when nothing says whose it is (admins decide)
    administration_id: int | None = None

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
    unmatched: list[Unmatched] = field(default_factory=list)  # the first DETAIL_LIMIT
    skipped: list[str] = field(default_factory=list)  # the first DETAIL_LIMIT
    notes: list[str] = field(default_factory=list)  # the first DETAIL_LIMIT
    feedback_file_id: int | None = None
    sender: str = ""
    unmatched_count: int = 0
    skipped_count: int = 0
    notes_count: int = 0

    def add_unmatched(self, miss: Unmatched) -> None:
        self.unmatched_count += 1
        if len(self.unmatched) < DETAIL_LIMIT:
            self.unmatched.append(miss)

    def add_skipped(self, line: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < DETAIL_LIMIT:
            self.skipped.append(line)

    def add_note(self, line: str) -> None:
        self.notes_count += 1
        if len(self.notes) < DETAIL_LIMIT:
            self.notes.append(line)

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
            "sender": self.sender,
            "dry_run": self.dry_run,
            "already_imported": self.already_imported,
            "items": self.items,
            "accepted": self.accepted,
            "effects": [e.as_dict() for e in self.effects],
            "unmatched": [u.as_dict() for u in self.unmatched],
            "unmatched_count": self.unmatched_count,
            "skipped": self.skipped,
            "skipped_count": self.skipped_count,
            "notes": self.notes,
            "notes_count": self.notes_count,
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
            f"{self.mandates_changed} mandate(s); {self.unmatched_count} unmatched, "
            f"{self.skipped_count} skipped, {self.needs_decision} to decide"
        )


def import_feedback(actor: Actor, path: str | Path, *, dry_run: bool = False) -> ImportReport:
    actor.require(PROCESS, what="bank feedback")
    path = Path(path)
    digest = _sha256(path)
    known = m.FeedbackFile.get_or_none(m.FeedbackFile.sha256 == digest)
    if known is not None:
        return _already(path, digest, dry_run, known)
    try:
        reader = FeedbackReader(path)
    except OSError as exc:
        raise FeedbackFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except FeedbackFormatError as exc:
        raise FeedbackFileError(f"{path.name}: {exc}; nothing was imported") from None
    with reader, tempfile.TemporaryFile() as spool:
        head = reader.head
        known = _same_message(head)
        if known is not None:
            return _already(path, digest, dry_run, known)
        report = ImportReport(
            path.name, digest, head.format, head.version, head.message_id, dry_run, sender=head.sender
        )
        try:
            _import(actor, path, reader, report, spool)
        except FeedbackFormatError as exc:
            raise FeedbackFileError(f"{path.name}: {exc}; nothing was imported") from None
        except pw.IntegrityError:
            # The same file or message, imported by someone else meanwhile (the unique
            # indexes on the SHA-256 and the identity): nothing of this one was stored.
            known = m.FeedbackFile.get_or_none(m.FeedbackFile.sha256 == digest) or _same_message(head)
            if known is None:
                raise
            return _already(path, digest, dry_run, known)
    return report


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise FeedbackFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest()


def _same_message(head: FeedbackHead) -> m.FeedbackFile | None:
    """An imported file holding this message: same format, message id and sender (files
    imported before the sender was kept match on format and message id)."""
    return m.FeedbackFile.get_or_none(
        (m.FeedbackFile.format == head.format)
        & (m.FeedbackFile.message_id == head.message_id)
        & ((m.FeedbackFile.sender == head.sender) | m.FeedbackFile.sender.is_null())
    )


def _already(path: Path, digest: str, dry_run: bool, known: m.FeedbackFile) -> ImportReport:
    who = m.User.select(m.User.login).where(m.User.id == known.imported_by_id).scalar()
    return ImportReport(
        path.name,
        digest,
        known.format,
        known.version,
        known.message_id,
        dry_run,
        already_imported=f"on {known.imported_at:%Y-%m-%d %H:%M} by {who or '?'} (as {known.name})",
        items=known.items,
        accepted=known.accepted,
        feedback_file_id=known.id,
        sender=known.sender or "",
    )


def _import(actor: Actor, path: Path, reader: FeedbackReader, report: ImportReport, spool: IO[bytes]) -> None:
    """Read and match every item (no write yet: what matches nothing waits in ``spool``),
    check the rights on everything the file concerns, then in one transaction record the
    file and what matched nothing, and plan and apply the effects (a dry run plans only).
    Reading a large file takes a while: the database is not locked meanwhile."""
    head = reader.head
    matcher = _Matcher(actor, report, head, None if report.dry_run else spool)
    for item in reader.items():
        report.items += 1
        matcher.match(item)
    matcher.finish()
    report.accepted = reader.accepted
    _check_rights(actor, matcher.found, matcher.refused)
    with database.atomic():
        record = None
        if not report.dry_run:
            record = m.FeedbackFile.create(
                name=path.name[:200],
                sha256=report.sha256,
                format=head.format,
                version=head.version,
                message_id=head.message_id,
                sender=head.sender,
                created_at_bank=head.created_at,
                imported_by=actor.user_id,
                items=report.items,
                accepted=report.accepted,
                unmatched=report.unmatched_count,
            )
            matcher.store_unmatched(record)
        _plan_and_apply(actor, matcher.found, report, record)


def _plan_and_apply(
    actor: Actor,
    matches: list[tuple[FeedbackItem, m.CollectionOrder]],
    report: ImportReport,
    record: m.FeedbackFile | None,
) -> None:
    pending: dict[int, MandateState] = {}
    planned = []
    rejected = frozenset(order.id for item, order in matches if item.pre_settlement)
    # Each order is let go once planned (taken from the end of the reversed list, so in file
    # order): the orders and the effects planned from them are not all held at once.
    matches.reverse()
    while matches:
        item, order = matches.pop()
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
    if record is None:
        return
    for item, effect in planned:
        apply_effect(
            actor,
            effect,
            date=item.date or clock_today(),
            source=record.format,
            feedback_file=record,
            source_ref=item.end_to_end_id or item.original_pmt_inf_id or item.original_msg_id,
            reason_text=item.reason_text,
            note=effect.note,
            user_id=actor.user_id,
        )
    m.FeedbackFile.update(matched=len(planned)).where(m.FeedbackFile.id == record.id).execute()
    report.feedback_file_id = record.id


# --------------------------------------------------------------------------- matching


class _Matcher:
    """Matches the items of one file as they are read: ``found`` holds (item, order) to
    act on; what matches nothing goes to the report and, with the administration it belongs
    to, to the ``spool`` (one JSON line each: memory does not grow with the file) until
    ``store_unmatched`` records it; an administration the actor may not process is noted in
    ``refused``."""

    def __init__(
        self, actor: Actor, report: ImportReport, head: FeedbackHead, spool: IO[bytes] | None
    ) -> None:
        self.actor = actor
        self.report = report
        self.head = head
        self.spool = spool
        self.found: list[tuple[FeedbackItem, m.CollectionOrder]] = []
        self.refused: set[int] = set()
        self._seen: set[int] = set()
        self._batch: list[FeedbackItem] = []
        self._files: dict[str, tuple[m.CollectionSet, dict] | None] = {}
        self._accounts: tuple[dict[int, int], dict[str, int]] | None = None
        self._codes: dict[int, str] | None = None

    # ------------------------------------------------------------ items

    def match(self, item: FeedbackItem) -> None:
        """Items are matched _BATCH at a time (their orders found by one query)."""
        self._batch.append(item)
        if len(self._batch) >= _BATCH:
            self.finish()

    def finish(self) -> None:
        """Match the items not matched yet."""
        batch, self._batch = self._batch, []
        ids = sorted({i.end_to_end_id for i in batch if i.scope not in (GROUP, BLOCK) and i.end_to_end_id})
        by_e2e = (
            {
                o.end_to_end_id: o
                for o in _with_relations().where(texts_in(m.CollectionOrder.end_to_end_id, ids))
            }
            if ids
            else {}
        )
        for item in batch:
            if item.scope in (GROUP, BLOCK):
                for order in self._orders_of_file(item) or []:
                    self._take(item, order)
                continue
            single = self._order_for_item(item, by_e2e)
            if single is not None:
                self._take(item, single)

    def _take(self, item: FeedbackItem, order: m.CollectionOrder) -> None:
        if order.id in self._seen:
            self.report.add_skipped(f"order {order.id}: reported twice in this file")
            return
        self._seen.add(order.id)
        if order.status in _ALREADY_BACK:
            self.report.add_skipped(f"order {order.id} ({order.end_to_end_id}): already {order.status}")
            return
        if order.status not in REVERSIBLE:
            self.miss(item, f"order {order.id} is {order.status}, not in a file sent to the bank", order)
            return
        self.found.append((item, order))

    def miss(self, item: FeedbackItem, why: str, order: m.CollectionOrder | None = None) -> None:
        """An item that matches nothing: reported, and stored for a person to decide."""
        ref = (
            item.end_to_end_id
            or item.mandate_reference
            or item.original_pmt_inf_id
            or item.original_msg_id
            or "?"
        )
        adm = self._administration(item, order)
        code = self._code(adm) if adm is not None else ""
        miss = Unmatched(ref, item.reason_code, item.amount_cents, why, item.line, code, adm)
        self.report.add_unmatched(miss)
        if adm is not None and not self.actor.may(PROCESS, adm):
            self.refused.add(adm)
        if self.spool is not None:
            line = [miss.reference, miss.reason_code, miss.amount_cents, miss.why, adm]
            self.spool.write(json.dumps(line).encode() + b"\n")

    def store_unmatched(self, record: m.FeedbackFile) -> None:
        """Record what matched nothing, for a person to decide (in the write transaction)."""
        if self.spool is None:
            return
        self.spool.seek(0)
        kind = rules.REJECT if self.head.format == PAIN_002 else rules.RETURN
        insert = _RowInsert(
            m.BankFeedback,
            {
                "order": None,
                "kind": kind,
                "date": clock_today(),
                "source": self.head.format,
                "source_file": record.name,
                "source_sha256": record.sha256,
                "feedback_file": record.id,
                "matched": False,
                "needs_decision": True,
                "created_by": self.actor.user_id,
            },
            ("reason_code", "reason_text", "amount_cents", "source_ref", "action", "administration"),
        )
        rows: list[tuple] = []
        for line in self.spool:
            reference, code, amount, why, adm = json.loads(line)
            rows.append((code[:35], why[:500], amount or 0, reference[:100], rc.lookup(code).action, adm))
            if len(rows) >= _ROWS:
                insert.execute(rows)
                rows = []
        if rows:
            insert.execute(rows)

    # ------------------------------------------------------------ whose it is

    def _administration(self, item: FeedbackItem, order: m.CollectionOrder | None) -> int | None:
        """The administration of the creditor account of the original file: by its message
        id (and PmtInfId), else by the creditor IBAN the bank gives, else the order's."""
        by_id, by_iban = self._account_map()
        if item.original_msg_id:
            located = self._file_of_msg(item.original_msg_id)
            if located is not None:
                blocks = located[1].get("pmt_inf", [])
                chosen = [b for b in blocks if b.get("id") == item.original_pmt_inf_id] or blocks
                owners = {by_id.get(b.get("bank_account_id")) for b in chosen}
                if len(owners) == 1 and None not in owners:
                    return owners.pop()
        if item.creditor_iban and item.creditor_iban in by_iban:
            return by_iban[item.creditor_iban]
        return order.administration_id if order is not None else None

    def _account_map(self) -> tuple[dict[int, int], dict[str, int]]:
        """Bank account id -> administration id, IBAN -> administration id."""
        if self._accounts is None:
            rows = list(
                cast(
                    "Iterable[tuple[int, str, int]]",
                    m.BankAccount.select(
                        m.BankAccount.id, m.BankAccount.iban, m.BankAccount.administration
                    ).tuples(),
                )
            )
            self._accounts = (
                {account: adm for account, _iban, adm in rows},
                {"".join(iban.split()).upper(): adm for _account, iban, adm in rows},
            )
        return self._accounts

    def _code(self, adm: int) -> str:
        if self._codes is None:
            self._codes = dict(
                cast(
                    "Iterable[tuple[int, str]]",
                    m.Administration.select(m.Administration.id, m.Administration.code).tuples(),
                )
            )
        return self._codes.get(adm, "")

    # ------------------------------------------------------------ our files and orders

    def _file_of_msg(self, msg_id: str) -> tuple[m.CollectionSet, dict] | None:
        if msg_id not in self._files:
            self._files[msg_id] = _file_of_msg(msg_id)
        return self._files[msg_id]

    def _orders_of_file(self, item: FeedbackItem) -> list[m.CollectionOrder] | None:
        located = self._file_of_msg(item.original_msg_id or "")
        if located is None:
            self.miss(item, f"no file of ours has message id {item.original_msg_id}")
            return None
        cset, entry = located
        query = _with_relations().where(
            (m.CollectionOrder.collection_set == cset.id) & (m.CollectionOrder.file_name == entry["name"])
        )
        if item.scope == BLOCK:
            block = next((b for b in entry.get("pmt_inf", []) if b["id"] == item.original_pmt_inf_id), None)
            if block is None:
                self.miss(item, f"file {entry['name']} has no PmtInf {item.original_pmt_inf_id}")
                return None
            query = query.where(
                (m.CollectionOrder.bank_account == block["bank_account_id"])
                & (m.CollectionOrder.sequence_type == block["sequence_type"])
                & (m.CollectionOrder.collection_date == dt.date.fromisoformat(block["collection_date"]))
            )
            self.report.add_note(
                f"PmtInf {item.original_pmt_inf_id} rejected as a whole ({item.reason_code})"
            )
        else:
            self.report.add_note(f"file {entry['name']} rejected as a whole ({item.reason_code})")
        return list(query.order_by(m.CollectionOrder.id))

    def _order_for_item(
        self, item: FeedbackItem, by_e2e: dict[str | None, m.CollectionOrder]
    ) -> m.CollectionOrder | None:
        if item.end_to_end_id:
            order = by_e2e.get(item.end_to_end_id)
            if order is None:
                self.miss(item, "no order has this EndToEndId")
                return None
            mandate = order.mandate if order.mandate_id else None
            if item.mandate_reference and mandate is not None:
                ours = {mandate.reference.upper(), (mandate.external_reference or "").upper()}
                if item.mandate_reference.upper() not in ours:
                    self.miss(
                        item,
                        f"EndToEndId is order {order.id}, but its mandate is "
                        f"{mandate.reference}, not {item.mandate_reference}",
                        order,
                    )
                    return None
            if item.original_msg_id:
                located = self._file_of_msg(item.original_msg_id)
                if located is None or located[1]["name"] != order.file_name:
                    self.report.add_note(
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
            self.miss(item, why + " (no EndToEndId given)")
            return None
        self.miss(item, "neither EndToEndId nor mandate reference given")
        return None


def _with_relations() -> pw.ModelSelect[m.CollectionOrder]:
    """Orders with what planning an effect reads of their mandate, debtor and administration
    in the same row (else three queries per order), and only that: a file that matches tens
    of thousands of orders holds them all until they are applied. Planning (reversals.
    plan_effect) reads the columns listed here; add one here when it reads another."""
    order, mandate = m.CollectionOrder, m.Mandate
    return (
        order.select(
            order,
            mandate.id,
            mandate.status,
            mandate.last_collection_date,
            mandate.scheme,
            mandate.reference,
            mandate.external_reference,
            m.Debtor.id,
            m.Debtor.number,
            m.Debtor.name,
            m.Administration.id,
            m.Administration.code,
        )
        .join(mandate, pw.JOIN.LEFT_OUTER, on=(order.mandate == mandate.id))
        .switch(order)
        .join(m.Debtor, on=(order.debtor == m.Debtor.id))
        .switch(order)
        .join(m.Administration, on=(order.administration == m.Administration.id))
    )


class _RowInsert:
    """One INSERT statement, prepared once and run with executemany for many rows:
    ``fixed`` values are the same in every row (the model's defaults fill the fields
    neither names, as insert_many would), ``varying`` are the columns of each row's tuple.
    Generating SQL per row through the ORM cost more than the database's own work."""

    def __init__(self, model: type[pw.Model], fixed: dict, varying: tuple[str, ...]) -> None:
        fields = model._meta.fields
        self._varying = [fields[name] for name in varying]
        self._fixed = [(fields[name], value) for name, value in fixed.items()]
        named = {*fixed, *varying}
        self._defaults = [
            f for name, f in fields.items() if name not in named and f is not model._meta.primary_key
        ]
        self._defaults = [f for f in self._defaults if f.default is not None]
        columns = [f.column_name for f in (*self._varying, *(f for f, _ in self._fixed), *self._defaults)]
        marks = database.quote  # the quote characters of the back-end

        def quote(name: str) -> str:
            return f"{marks[0]}{name}{marks[1]}"

        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.table_name),
            ", ".join(quote(c) for c in columns),
            ", ".join([database.param] * len(columns)),
        )
        self._fixed_values = tuple(f.db_value(v) for f, v in self._fixed)

    def execute(self, rows: list[tuple]) -> None:
        varying = self._varying
        params = []
        for row in rows:
            defaults = tuple(
                f.db_value(f.default() if callable(f.default) else f.default) for f in self._defaults
            )
            params.append(
                tuple(f.db_value(v) for f, v in zip(varying, row, strict=True))
                + self._fixed_values
                + defaults
            )
        cursor = database.cursor()
        try:
            cursor.executemany(self.sql, params)
        finally:
            cursor.close()


def _file_of_msg(msg_id: str) -> tuple[m.CollectionSet, dict] | None:
    # files is JSON text: a LIKE narrows the sets (the raw value: no JSON encoding of the
    # pattern), the loop checks exactly.
    like = pw.Expression(m.CollectionSet.files, pw.OP.ILIKE, pw.Value(f"%{msg_id}%", converter=False))
    for cset in m.CollectionSet.select().where(like):
        for entry in cset.files or []:
            if entry.get("msg_id") == msg_id and not entry.get("superseded"):
                return cset, entry
    return None


def _check_rights(
    actor: Actor, matches: list[tuple[FeedbackItem, m.CollectionOrder]], unmatched: set[int]
) -> None:
    """Every administration the file concerns (its matched orders, and the owners of what
    matched nothing) must be one the actor may process."""
    refused = {
        order.administration_id for _, order in matches if not actor.may(PROCESS, order.administration_id)
    }
    refused |= unmatched
    if refused:
        codes = sorted(
            cast(
                "Iterable[tuple[str]]",
                m.Administration.select(m.Administration.code)
                .where(m.Administration.id.in_(sorted(refused)))
                .tuples(),
            )
        )
        raise Refused(
            "user {login} may not process administration(s) {given}, which this file "
            "concerns; nothing was imported",
            login=actor.login,
            given=", ".join(code for (code,) in codes),
        )
