"""Where a set's files live, and finishing what a crash left there.

Processing writes a file under a staged name (".NAME.staged"), commits the database, then
renames it. A worker killed in between leaves a staged file: ``recover_set_files`` renames it
when the database knows it (committed) and removes it otherwise. ``recover_outbox`` runs when a
worker starts; it only lists the bank groups' directories, so it is cheap when nothing is left
(and importing this module does not load the SEPA engine: the TUI's start stays fast).
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import re
from pathlib import Path

from incasso_tui.core.files import fsync_dir
from incasso_tui.db import models as m
from incasso_tui.db.statuses import SET_HAS_FILES, SetStatus

log = logging.getLogger(__name__)


def group_dir(outbox_dir: str | os.PathLike, group_code: str) -> Path:
    return Path(outbox_dir) / group_code


def file_name(group_code: str, msg_id: str) -> str:
    return f"{group_code}_{msg_id}.xml"


def staged_path(final: Path) -> Path:
    return final.with_name(f".{final.name}.staged")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def recover_set_files(cset: m.CollectionSet, directory: Path) -> list[str]:
    """Complete or roll back what a crash left of this set's processing. Returns actions."""
    if not directory.is_dir():
        return []
    code = cset.bank_group.code
    known = {f["name"]: f for f in (cset.files or []) if not f.get("superseded")}
    committed = cset.status in SET_HAS_FILES
    actions = []
    for prefix in ("INC", "INCB"):
        for name in glob.glob(str(directory / f".{code}_{prefix}-{cset.id}-*.xml.staged")):
            staged = Path(name)
            final = directory / staged.name[1 : -len(".staged")]
            entry = known.get(final.name)
            if committed and entry and sha256_of(staged) == entry["sha256"]:
                os.replace(staged, final)
                actions.append(f"completed {final.name}")
            else:
                staged.unlink(missing_ok=True)
                actions.append(f"removed unrecorded {staged.name}")
        for part in glob.glob(str(directory / f"..{code}_{prefix}-{cset.id}-*.part")):
            Path(part).unlink(missing_ok=True)
    if actions:
        fsync_dir(directory)
    return actions


def complete_if_needed(cset: m.CollectionSet) -> list[str]:
    """A processed set whose file still waits under its staged name (the worker died between
    the commit and the rename, and its job was not run again): finish the rename now."""
    files = [f for f in (cset.files or []) if not f.get("superseded")]
    if cset.status not in SET_HAS_FILES or not files:
        return []
    if all(Path(f["path"]).exists() for f in files):
        return []
    return recover_set_files(cset, Path(files[0]["path"]).parent)


_LEFTOVER = re.compile(r"^\.\.?[^\n]*?_INCB?-(\d+)-[^\n]*\.(?:staged|part)$", re.M)


def recover_outbox(outbox_dir: str | os.PathLike) -> list[str]:
    """Start-up recovery for every set that is not being processed right now: a worker that
    died between the commit and the rename left a staged file to finish, one that died
    before the commit left one to remove; a set left queued without a job leaves the queue.
    Called when a worker (TUI or `incasso worker`) starts; each action is logged."""
    actions: list[str] = []
    # A set queued while no job is coming for it (a crash between its job's end and the
    # set's): it leaves the queue, failed with the reason, its staged files cleared. The sets
    # service (and the SEPA engine behind it) is loaded only then: not on every TUI start.
    queued = list(m.CollectionSet.select().where(m.CollectionSet.status == SetStatus.QUEUED))
    if queued:
        from incasso_tui.services.collection.sets import settle_orphaned
    for cset in queued:
        settled = settle_orphaned(cset)
        if settled.status != SetStatus.QUEUED:
            actions.append(f"set {cset.id} was queued without a job: now {settled.status}")
    for group in m.BankGroup.select().order_by(m.BankGroup.id):
        directory = group_dir(outbox_dir, group.code)
        if not directory.is_dir():
            continue
        # Only sets with a leftover are looked at: ".ABN_INC-<set>-<time>.xml.staged".
        leftovers = _LEFTOVER.findall("\n".join(n for n in os.listdir(directory) if n.startswith(".")))
        set_ids = sorted({int(i) for i in leftovers})
        for cset in (
            m.CollectionSet.select()
            .where(
                m.CollectionSet.id.in_(set_ids)
                & (m.CollectionSet.status != SetStatus.QUEUED)
                & (m.CollectionSet.bank_group == group.id)
            )
            .order_by(m.CollectionSet.id)
        ):
            actions += recover_set_files(cset, directory)
    for action in actions:
        log.warning("outbox recovery: %s", action)
    return actions


# --------------------------------------------------------------------------- the job
