"""The instruction letter (opdrachtbrief) of a processed set: one letter per creditor bank
account per file, using the layout and texts set on that bank account. Made from what the
set recorded at processing (PmtInf ids, counts, totals, SHA-256), never from a re-count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import Refused
from incasso_tui.core.files import make_private_dir
from incasso_tui.db import models as m
from incasso_tui.db.statuses import SET_ALLOWS, SetAction
from incasso_tui.documents import LAYOUTS, LetterBatch, LetterData, Party, render_letter, write_pdf
from incasso_tui.services.auth import VIEW, Actor
from incasso_tui.services.collection.planning import tuples
from incasso_tui.services.collection.sets import get_set


def letter_data(
    cset: m.CollectionSet, *, language: str = "nl", letter_date: dt.date | None = None
) -> list[LetterData]:
    files = [f for f in (cset.files or []) if not f.get("superseded")]
    if cset.status not in SET_ALLOWS[SetAction.LETTER] or not files:
        raise Refused(f"set {cset.id} is {cset.status}: a letter exists only for a processed set")
    language = language if language in ("nl", "en") else "nl"
    letters = []
    for f in files:
        per_account: dict[int, list[dict]] = {}
        for p in f["pmt_inf"]:
            per_account.setdefault(p["bank_account_id"], []).append(p)
        for account_id, pmts in sorted(per_account.items()):
            acc = m.BankAccount.get_by_id(account_id)
            adm = acc.administration
            batches = [
                LetterBatch(
                    p["id"],
                    p["scheme"],
                    p["sequence_type"],
                    dt.date.fromisoformat(p["collection_date"]),
                    p["count"],
                    p["total_cents"],
                )
                for p in pmts
            ]
            letters.append(
                LetterData(
                    language=language,
                    layout=acc.letter_layout if acc.letter_layout in LAYOUTS else "standard",
                    creditor=Party(
                        adm.name, adm.street, adm.building_number, adm.postcode, adm.town, adm.country
                    ),
                    creditor_id=adm.creditor_id,
                    account_iban=acc.iban,
                    account_bic=acc.bic or "",
                    bank_name=acc.bank_name or cset.bank_group.name,
                    file_name=f["name"],
                    msg_id=f["msg_id"],
                    created_at=dt.datetime.fromisoformat(f["created_at"]),
                    pain_version=f["version"],
                    batches=batches,
                    total_count=sum(b.count for b in batches),
                    total_cents=sum(b.total_cents for b in batches),
                    sha256=f["sha256"],
                    letter_date=letter_date or clock_today(),
                    place=adm.town,
                    contact=acc.letter_contact or "",
                    signatories=[s.strip() for s in (acc.letter_signatories or "").splitlines() if s.strip()],
                )
            )
    return letters


def default_letter_path(cset: m.CollectionSet) -> Path:
    files = [f for f in (cset.files or []) if not f.get("superseded")]
    first = Path(files[0]["path"])
    return first.with_name(f"{first.stem}-opdrachtbrief.pdf")


def write_set_letter(cset: m.CollectionSet, out: str | Path | None = None, *, language: str = "nl") -> Path:
    data = render_letter(letter_data(cset, language=language))
    path = Path(out) if out else default_letter_path(cset)
    make_private_dir(path.parent)
    return write_pdf(path, data)


def set_letter(actor: Actor, set_id: int, out: str | Path | None = None, *, language: str = "nl") -> Path:
    """Opdrachtbrief on demand (the CLI `set letter`, the set screen's action)."""
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
    return write_set_letter(cset, out, language=language)
