"""The instruction letters (opdrachtbrieven) of a processed set: one per file, named after it
(`<file stem>-opdrachtbrief.pdf`) and written beside it unless asked elsewhere. Made from what
the set recorded at processing (PmtInf ids, counts, totals, SHA-256), never from a re-count.

A file of one creditor bank account gets that account's letter, with its layout and texts. A
file of several (two administrations in one bank group) gets one letter: the file's grand
count and total — its group header — and a section per account with its subtotal; layout,
contact and signatories are those of the file's first account.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import Refused
from incasso_tui.core.files import make_private_dir
from incasso_tui.db import models as m
from incasso_tui.db.statuses import SET_ALLOWS, SetAction
from incasso_tui.documents import (
    LAYOUTS,
    LetterAccount,
    LetterBatch,
    LetterData,
    Party,
    render_letter,
    write_pdf,
)
from incasso_tui.services.auth import VIEW, Actor
from incasso_tui.services.collection.planning import tuples
from incasso_tui.services.collection.sets import get_set

LETTER_SUFFIX = "-opdrachtbrief.pdf"


def _live_files(cset: m.CollectionSet) -> list[dict[str, Any]]:
    files = [f for f in (cset.files or []) if not f.get("superseded")]
    if cset.status not in SET_ALLOWS[SetAction.LETTER] or not files:
        raise Refused(
            "set {id} is {status}: a letter exists only for a processed set", id=cset.id, status=cset.status
        )
    return files


def letter_name(file: dict[str, Any]) -> str:
    """The letter of a file is named after it: ABN_INC-7-20261124101500-opdrachtbrief.pdf."""
    return Path(file["name"]).stem + LETTER_SUFFIX


def _party(adm: m.Administration) -> Party:
    return Party(adm.name, adm.street, adm.building_number, adm.postcode, adm.town, adm.country)


def _batch(p: dict[str, Any]) -> LetterBatch:
    return LetterBatch(
        p["id"],
        p["scheme"],
        p["sequence_type"],
        dt.date.fromisoformat(p["collection_date"]),
        p["count"],
        p["total_cents"],
    )


def letter_data(
    cset: m.CollectionSet, *, language: str = "nl", letter_date: dt.date | None = None
) -> list[LetterData]:
    """One letter per live file of the set, in the set's file order."""
    files = _live_files(cset)
    language = language if language in ("nl", "en") else "nl"
    ids = sorted({p["bank_account_id"] for f in files for p in f["pmt_inf"]})
    accounts = {a.id: a for a in m.BankAccount.select().where(m.BankAccount.id.in_(ids))}
    adms = {
        a.id: a
        for a in m.Administration.select().where(
            m.Administration.id.in_(sorted({a.administration_id for a in accounts.values()}))
        )
    }
    letters = []
    for f in files:
        per_account: dict[int, list[LetterBatch]] = {}
        for p in f["pmt_inf"]:
            per_account.setdefault(p["bank_account_id"], []).append(_batch(p))
        in_file = [(accounts[a], batches) for a, batches in sorted(per_account.items())]
        acc = in_file[0][0]  # the letter's settings: the (first) account's
        adm = adms[acc.administration_id]
        common = {
            "language": language,
            "layout": acc.letter_layout if acc.letter_layout in LAYOUTS else "standard",
            "bank_name": acc.bank_name or cset.bank_group.name,
            "file_name": f["name"],
            "msg_id": f["msg_id"],
            "created_at": dt.datetime.fromisoformat(f["created_at"]),
            "pain_version": f["version"],
            "batches": [b for p_batches in per_account.values() for b in p_batches],
            "total_count": f["count"],  # the group header: render_letter checks the batches add up
            "total_cents": f["total_cents"],
            "sha256": f["sha256"],
            "letter_date": letter_date or clock_today(),
            "contact": acc.letter_contact or "",
            "signatories": [s.strip() for s in (acc.letter_signatories or "").splitlines() if s.strip()],
        }
        if len(in_file) == 1:
            letters.append(
                LetterData(
                    creditor=_party(adm),
                    creditor_id=adm.creditor_id,
                    account_iban=acc.iban,
                    account_bic=acc.bic or "",
                    place=adm.town,
                    **common,
                )
            )
            continue
        # Several accounts: the letter comes from who submits the file (its InitgPty).
        names = {adms[a.administration_id].name: adms[a.administration_id] for a, _ in in_file}
        submitter = f.get("initiating_party") or sorted(names)[0]
        own = names.get(submitter)  # the submitter's address only when it is known to be theirs
        letters.append(
            LetterData(
                creditor=_party(own) if own else Party(submitter),
                creditor_id="",
                account_iban="",
                account_bic="",
                place=(own or adm).town,
                accounts=[
                    LetterAccount(
                        _party(adms[a.administration_id]),
                        adms[a.administration_id].creditor_id,
                        a.iban,
                        a.bic or "",
                        batches,
                        sum(b.count for b in batches),
                        sum(b.total_cents for b in batches),
                    )
                    for a, batches in in_file
                ],
                **common,
            )
        )
    return letters


def write_set_letters(
    cset: m.CollectionSet, out: str | Path | None = None, *, language: str = "nl"
) -> list[Path]:
    """Write the set's letters, one per file. `out`: None → a PDF beside each file; a set
    of one file → that PDF (or a directory to put it in); of several → a directory (created
    when missing) for a PDF per file, whatever its name: scripts rely on one rule. Everything
    is rendered before anything is written."""
    files = _live_files(cset)
    letters = letter_data(cset, language=language)
    target = Path(out) if out is not None else None
    data = [render_letter([letter]) for letter in letters]
    if target is None:
        targets = [Path(f["path"]).with_name(letter_name(f)) for f in files]
    elif len(files) == 1:
        targets = [target / letter_name(files[0]) if target.is_dir() else target]
    else:
        if target.exists() and not target.is_dir():
            raise Refused(
                "set {id} has {count} files, so its {count} letters go into a directory: {target} is a file",
                id=cset.id,
                count=len(files),
                target=target,
            )
        targets = [target / letter_name(f) for f in files]
    return [_write(path, pdf) for path, pdf in zip(targets, data, strict=True)]


def _write(path: Path, pdf: bytes) -> Path:
    make_private_dir(path.parent)
    return write_pdf(path, pdf)


def set_letters(
    actor: Actor, set_id: int, out: str | Path | None = None, *, language: str = "nl"
) -> list[Path]:
    """The letters on demand (the CLI `set letter`, the set screen's action): one PDF per
    file, see `write_set_letters` for where they go. Returns their paths."""
    cset = get_set(actor, set_id)
    adms = {
        r[0]
        for r in tuples(
            m.CollectionOrder.select(m.CollectionOrder.administration)
            .where(m.CollectionOrder.collection_set == cset.id)
            .distinct()
        )
    }
    for adm in adms:
        actor.require(VIEW, adm, what=f"set {set_id}")
    from incasso_tui.services.collection.outbox import complete_if_needed

    complete_if_needed(cset)
    return write_set_letters(cset, out, language=language)


def set_letter(actor: Actor, set_id: int, out: str | Path | None = None, *, language: str = "nl") -> Path:
    """`set_letters`, answering where the letters went: the one PDF, else the directory
    holding them."""
    paths = set_letters(actor, set_id, out, language=language)
    return paths[0] if len(paths) == 1 else paths[0].parent
