"""Pending amendments: what the next collection under a mandate must tell the debtor's bank.

A debtor's new IBAN on a mandate that was already collected is sent once, with the next
collection (sepa-rules §5.2): `amend_iban` keeps the IBAN the bank last saw, and
`amend_smnda` says the new account is at another bank (then the file carries SMNDA
instead of the old IBAN). A new creditor identifier or name of the administration is sent
the same way (`amend_creditor_id`, `amend_creditor_name`: OrgnlCdtrSchmeId). The processing
of a set reads these through `sepa.amendment_for_change` and clears them once the
collection is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, cast

from incasso_tui.core.clock import now
from incasso_tui.db import models as m
from incasso_tui.db.statuses import MandateStatus
from incasso_tui.sepa import same_bank, transliterate
from incasso_tui.services import audit
from incasso_tui.services.auth import Actor

# Mandates that can still be collected; an ended or revoked one needs no amendment.
_OPEN_STATUSES = (
    MandateStatus.ACTIVE,
    MandateStatus.INACTIVE,
    MandateStatus.EXPIRED,
    MandateStatus.BLOCKED,
)


def record_iban_change(actor: Actor, debtor: m.Debtor, old_iban: str, new_iban: str) -> list[m.Mandate]:
    """Update the pending amendment of each collected mandate of `debtor`; returns those changed."""
    changed = []
    query = m.Mandate.select().where(
        (m.Mandate.debtor == debtor) & m.Mandate.collected & m.Mandate.status.in_(_OPEN_STATUSES)
    )
    for mandate in query:
        # The bank knows the IBAN of the last collection: keep the first old one while an
        # amendment is still pending, and drop the amendment if the IBAN goes back to it.
        known = mandate.amend_iban or old_iban
        values: dict[str, Any]
        if known == new_iban:
            values = {"amend_iban": None, "amend_smnda": False}
        elif not new_iban:
            continue  # no account to collect from; the amendment waits for the next IBAN
        else:
            values = {"amend_iban": known, "amend_smnda": not same_bank(known, new_iban)}
        changes = audit.diff(mandate, values)
        if not changes:
            continue
        for key, value in values.items():
            setattr(mandate, key, value)
        mandate.save(only=[m.Mandate.amend_iban, m.Mandate.amend_smnda])
        changes["debtor IBAN"] = (old_iban, new_iban)
        if values["amend_iban"] is None:
            summary = "debtor IBAN back to the one last collected from: amendment withdrawn"
        elif values["amend_smnda"]:
            summary = "debtor IBAN changed to another bank: next collection carries SMNDA"
        else:
            summary = "debtor IBAN changed at the same bank: next collection carries the old IBAN"
        audit.record(actor, "mandate.amendment", mandate, changes=changes, summary=summary)
        changed.append(mandate)
    return changed


def pending_amendment(mandate: m.Mandate) -> dict | None:
    """The amendment the next collection carries, as plain data (None when there is none)."""
    data = {
        "original_reference": mandate.amend_reference,
        "original_iban": mandate.amend_iban if mandate.amend_iban and not mandate.amend_smnda else None,
        "new_bank_smnda": bool(mandate.amend_iban and mandate.amend_smnda),
        "previous_iban": mandate.amend_iban,
        "original_creditor_id": mandate.amend_creditor_id,
        "original_creditor_name": mandate.amend_creditor_name,
    }
    if not any(data.values()):
        return None
    return data


# ------------------------------------------------------------------ creditor identifier / name

# The name as the file writes it (Cdtr/Nm, OrgnlCdtrSchmeId/Nm): what the bank knows.
_NAME_MAX = 70


def name_in_file(name: str) -> str:
    return transliterate(name.strip(), _NAME_MAX)


def reference_clashes(administration_id: int, new_creditor_id: str, limit: int = 10) -> list[str]:
    """The references of this administration's mandates that a mandate of another
    administration already uses under `new_creditor_id` (references are unique per creditor
    identifier, across references and external references, ignoring case): "REF (CODE)"."""
    own = m.Mandate.administration == administration_id
    refs = m.Mandate.select(m.Mandate.reference_key).where(own)
    exts = m.Mandate.select(m.Mandate.external_key).where(own & m.Mandate.external_key.is_null(False))
    query = (
        m.Mandate.select(m.Mandate.reference, m.Administration.code)
        .join(m.Administration)
        .where(
            (m.Mandate.creditor_id == new_creditor_id)
            & (m.Mandate.administration != administration_id)
            & (
                m.Mandate.reference_key.in_(refs)
                | m.Mandate.reference_key.in_(exts)
                | m.Mandate.external_key.in_(refs)
                | m.Mandate.external_key.in_(exts)
            )
        )
        .order_by(m.Mandate.reference_key)
        .limit(limit)
    )
    rows = cast("Iterable[tuple[str, str]]", query.tuples())
    return [f"{reference} ({code})" for reference, code in rows]


@dataclass(frozen=True)
class CreditorChange:
    """What a change of an administration's creditor identifier or name did to its mandates."""

    moved: int  # mandates now under the new identifier
    amended: int  # collected mandates whose next collection carries OrgnlCdtrSchmeId
    withdrawn: int  # pending amendments dropped: the bank knows the new value already

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def record_creditor_change(
    actor: Actor, adm: m.Administration, old_creditor_id: str, old_name: str
) -> CreditorChange:
    """After `adm` got a new creditor identifier and/or name (sepa-rules §5.2): every mandate
    of the administration moves to the new identifier; each collected mandate that can still
    be collected keeps the identifier and name the bank knows (the first old one while an
    amendment is pending) for its next collection, and drops it when the value goes back to
    it. A name that is written the same in the file (transliterated) is no change. Run it
    inside the transaction that saves `adm`; call `reference_clashes` first."""
    usable = (m.Mandate.administration == adm.id) & m.Mandate.collected & m.Mandate.status.in_(_OPEN_STATUSES)
    changes: dict[int, dict[str, tuple[Any, Any]]] = {}
    moved = withdrawn = 0

    def apply(
        column: Any, where: Any, before: str | None, after: str | None, label: str, old: str, new: str
    ) -> int:
        ids = [
            i for (i,) in cast("Iterable[tuple[int]]", m.Mandate.select(m.Mandate.id).where(where).tuples())
        ]
        if ids:
            m.Mandate.update({column: after, m.Mandate.updated_at: now()}).where(where).execute()
            for mandate_id in ids:
                entry = changes.setdefault(mandate_id, {})
                entry[column.name] = (before, after)
                entry[label] = (old, new)
        return len(ids)

    if old_creditor_id != adm.creditor_id:
        moved = (
            m.Mandate.update(creditor_id=adm.creditor_id)
            .where((m.Mandate.administration == adm.id) & (m.Mandate.creditor_id != adm.creditor_id))
            .execute()
        )
        col = m.Mandate.amend_creditor_id
        new_id = adm.creditor_id
        label = "creditor identifier"
        apply(col, usable & col.is_null(), None, old_creditor_id, label, old_creditor_id, new_id)
        withdrawn += apply(col, usable & (col == new_id), new_id, None, label, old_creditor_id, new_id)
    old_in_file, new_in_file = name_in_file(old_name), name_in_file(adm.name)
    if old_in_file != new_in_file:
        col = m.Mandate.amend_creditor_name
        label = "creditor name"
        apply(col, usable & col.is_null(), None, old_in_file, label, old_name, adm.name)
        withdrawn += apply(col, usable & (col == new_in_file), new_in_file, None, label, old_name, adm.name)
    amended = (
        m.Mandate.select()
        .where(
            usable
            & (m.Mandate.amend_creditor_id.is_null(False) | m.Mandate.amend_creditor_name.is_null(False))
        )
        .count()
    )
    _audit_mandates(actor, adm.id, changes)
    return CreditorChange(moved, amended, withdrawn)


def _audit_mandates(
    actor: Actor, administration_id: int, changes: dict[int, dict[str, tuple[Any, Any]]]
) -> None:
    """One history entry per mandate, written in batches (an administration may have many)."""
    at = now()
    rows = []
    for mandate_id, change in sorted(changes.items()):
        pending = (
            change.get("amend_creditor_id", (None, None))[1]
            or change.get("amend_creditor_name", (None, None))[1]
        )
        summary = (
            "creditor changed: next collection carries the old identifier/name (OrgnlCdtrSchmeId)"
            if pending
            else "creditor changed back to what the bank knows: amendment withdrawn"
        )
        rows.append(
            {
                "at": at,
                "user": actor.login,
                "action": "mandate.amendment",
                "object_type": "mandate",
                "object_id": str(mandate_id),
                "administration_id": administration_id,
                "summary": summary,
                "changes": {k: [a, b] for k, (a, b) in change.items()},
            }
        )
    for start in range(0, len(rows), 500):
        m.AuditEntry.insert_many(rows[start : start + 500]).execute()
