"""Versturen: deliver a processed set's file(s) to the bank.

Copy each file into the bank group's delivery directory (atomically: temp name, fsync,
rename) and/or run the bank group's send command — an argument list with a `{file}`
placeholder, run without a shell. Success → set sent with who/when, pending mandate
amendments carried by the file are cleared. Any failure → the set stays processed, the
error is stored on the set and raised as one clear message.

A set split over several files sends them in order, and records each file the bank got
(`delivered_at` on its entry) as soon as it got it: after a failure half-way, sending again
sends only the files the bank does not have yet — never one twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import peewee as pw

from incasso_tui.core.clock import now as clock_now
from incasso_tui.core.errors import IncassoError, Refused
from incasso_tui.core.files import atomic_write
from incasso_tui.db import models as m
from incasso_tui.db.database import database
from incasso_tui.db.statuses import SET_ALLOWS, OrderStatus, SetAction, SetStatus
from incasso_tui.services import audit
from incasso_tui.services.auth import Actor
from incasso_tui.services.collection.outbox import complete_if_needed, group_dir, recover_set_files
from incasso_tui.services.collection.outbox_identity import require_outbox
from incasso_tui.services.collection.planning import tuples
from incasso_tui.services.collection.sets import get_set, require_processable

SEND_TIMEOUT = 300


class SendError(IncassoError):
    pass


def _copy_atomic(source: Path, directory: Path) -> Path:
    if not directory.is_dir():
        raise SendError(f"delivery directory {directory} does not exist or is not reachable")
    target = directory / source.name
    with atomic_write(target) as staged, open(source, "rb") as src:
        shutil.copyfileobj(src, staged.file, 1 << 20)
    return target


def _run_command(command: list[str], path: Path) -> str:
    if not isinstance(command, list) or not command or not all(isinstance(a, str) for a in command):
        raise SendError("the bank group's send command must be a non-empty list of strings")
    argv = [a.replace("{file}", str(path)) for a in command]
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=SEND_TIMEOUT,
            shell=False,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError:
        raise SendError(f"send command {argv[0]!r} not found") from None
    except subprocess.TimeoutExpired:
        raise SendError(f"send command {argv[0]!r} did not finish within {SEND_TIMEOUT} s") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout or "").strip().splitlines()
        raise SendError(
            f"send command {argv[0]!r} failed (exit {done.returncode})"
            + (f": {detail[-1]}" if detail else "")
        )
    return (done.stdout or "").strip()[-200:]


def send_set(
    actor: Actor, set_id: int, *, outbox_dir: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    cset = get_set(actor, set_id)
    require_processable(actor, cset)
    if cset.status not in SET_ALLOWS[SetAction.SEND]:
        raise Refused(
            "set {set_id} is {status}: only a processed set can be sent", set_id=set_id, status=cset.status
        )
    group = cset.bank_group
    files = [f for f in (cset.files or []) if not f.get("superseded")]
    if outbox_dir is not None:
        require_outbox(outbox_dir)  # the files are where every host reaches them
        recover_set_files(cset, group_dir(outbox_dir, group.code))
    complete_if_needed(cset)
    if not group.delivery_dir and not group.send_command:
        raise Refused(
            "bank group {code} has neither a delivery directory nor a send command: configure one first",
            code=group.code,
        )
    delivered: list[str] = []
    done: list[str] = []  # files delivered by this attempt
    try:
        for f in files:
            if f.get("delivered_at"):  # an earlier attempt delivered it
                delivered.append(f"{f['name']} already delivered {f['delivered_at']}")
                continue
            path = Path(f["path"])
            if not path.is_file():
                raise SendError(f"file {path} is missing")
            from incasso_tui.services.collection.outbox import sha256_of

            if sha256_of(path) != f["sha256"]:
                raise SendError(f"file {path} was changed after processing (SHA-256 differs)")
            if group.delivery_dir:
                try:
                    delivered.append(str(_copy_atomic(path, Path(group.delivery_dir))))
                except OSError as exc:
                    raise SendError(
                        f"cannot copy {path.name} to {group.delivery_dir}: {exc.strerror or exc}"
                    ) from exc
            if group.send_command:
                out = _run_command(group.send_command, path)
                delivered.append(f"command ok{': ' + out if out else ''}")
            if len(files) > 1:
                _mark_delivered(cset.id, f["name"])
                done.append(f["name"])
    except IncassoError as exc:
        if done:
            exc = SendError(f"{exc} (delivered before it: {', '.join(done)}; sending again sends the rest)")
        m.CollectionSet.update(error=f"send failed: {exc}").where(m.CollectionSet.id == cset.id).execute()
        audit.record(actor, "set.send_failed", cset, summary=str(exc))
        raise exc from None
    now = clock_now()
    with database.atomic():
        n = (
            m.CollectionSet.update(status=SetStatus.SENT, sent_at=now, sent_by=actor.user_id, error=None)
            .where((m.CollectionSet.id == cset.id) & (m.CollectionSet.status == SetStatus.PROCESSED))
            .execute()
        )
        if n != 1:
            raise Refused("set {set_id} changed while sending", set_id=set_id)
        # The bank now has the amendments the file carried: clear them (sepa-rules §5.2),
        # keeping each on its mandate's orders in the file in case they are rejected.
        mandates = m.CollectionOrder.select(m.CollectionOrder.mandate).where(
            (m.CollectionOrder.collection_set == cset.id) & (m.CollectionOrder.status == OrderStatus.UNDERWAY)
        )
        _keep_sent_amendments(cset.id, mandates)
        (
            m.Mandate.update(
                amend_reference=None,
                amend_iban=None,
                amend_smnda=False,
                amend_creditor_id=None,
                amend_creditor_name=None,
            )
            .where(m.Mandate.id.in_(mandates))
            .execute()
        )
        audit.record(actor, "set.sent", cset, summary=f"set {cset.id} sent: " + "; ".join(delivered))
    return {"set_id": cset.id, "delivered": delivered, "sent_at": now}


def _mark_delivered(set_id: int, name: str) -> None:
    """The bank has this file of a set: a later attempt does not send it again."""
    stamp = clock_now().isoformat(timespec="seconds")
    with database.atomic():
        fresh = m.CollectionSet.get_by_id(set_id)
        files = [
            dict(f, delivered_at=stamp) if f["name"] == name and not f.get("superseded") else f
            for f in (fresh.files or [])
        ]
        (
            m.CollectionSet.update(files=files)
            .where((m.CollectionSet.id == set_id) & (m.CollectionSet.status == SetStatus.PROCESSED))
            .execute()
        )


AMENDMENT_FIELDS = (
    "amend_reference",
    "amend_iban",
    "amend_smnda",
    "amend_creditor_id",
    "amend_creditor_name",
)


def _keep_sent_amendments(set_id: int, mandates: pw.ModelSelect[m.CollectionOrder]) -> None:
    """Store the pending amendment of each mandate on its orders in this set (few rows:
    only mandates that have one)."""
    pending = m.Mandate.select(m.Mandate.id, *[getattr(m.Mandate, f) for f in AMENDMENT_FIELDS]).where(
        m.Mandate.id.in_(mandates)
        & (
            m.Mandate.amend_reference.is_null(False)
            | m.Mandate.amend_iban.is_null(False)
            | m.Mandate.amend_creditor_id.is_null(False)
            | m.Mandate.amend_creditor_name.is_null(False)
        )
    )
    for mandate_id, *values in tuples(pending):
        (
            m.CollectionOrder.update(amendment_sent=dict(zip(AMENDMENT_FIELDS, values, strict=False)))
            .where(
                (m.CollectionOrder.collection_set == set_id)
                & (m.CollectionOrder.mandate == mandate_id)
                & (m.CollectionOrder.status == OrderStatus.UNDERWAY)
            )
            .execute()
        )
