"""Pending amendments: what the next collection under a mandate must tell the debtor's bank.

A debtor's new IBAN on a mandate that was already collected is sent once, with the next
collection (sepa-rules §5.2): `amend_iban` keeps the IBAN the bank last saw, and
`amend_smnda` says the new account is at another bank (then the file carries SMNDA
instead of the old IBAN). The processing of a set reads these through
`sepa.amendment_for_change` and clears them once the collection is accepted.
"""

from __future__ import annotations

from typing import Any

from incasso_tui.db import models as m
from incasso_tui.db.statuses import MandateStatus
from incasso_tui.sepa import same_bank
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
