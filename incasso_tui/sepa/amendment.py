"""Amendment details for the first collection after a mandate change (sepa-rules.md §5.2).

| change                               | element                             |
|--------------------------------------|-------------------------------------|
| mandate reference                    | OrgnlMndtId = old reference         |
| creditor identifier and/or name      | OrgnlCdtrSchmeId (old Id / old Nm)  |
| debtor IBAN, same bank               | OrgnlDbtrAcct/Id/IBAN = old IBAN    |
| debtor IBAN, another bank            | OrgnlDbtrAcct/Id/Othr/Id = SMNDA    |

Send them once, with the first collection after the change; clear the pending
amendment when that collection is accepted.
"""

from __future__ import annotations

from incasso_tui.sepa.errors import SepaError
from incasso_tui.sepa.model import Amendment
from incasso_tui.sepa.validate import (
    iban_is_valid,
    same_bank,
    validate_creditor_id,
    validate_iban,
    validate_mandate_ref,
)


def amendment_for_change(
    *,
    mandate_id: str,
    creditor_id: str,
    creditor_name: str,
    debtor_iban: str,
    old_mandate_id: str | None = None,
    old_creditor_id: str | None = None,
    old_creditor_name: str | None = None,
    old_debtor_iban: str | None = None,
) -> Amendment | None:
    """The Amendment for what differs between old and new, or None when nothing did.

    ``old_*`` values that are None or equal to the new ones mean "unchanged".
    Comparisons ignore case and spaces for identifiers and IBANs.
    """
    orig_mandate = orig_ci = orig_name = orig_iban = None
    new_account = False
    if old_mandate_id and old_mandate_id.strip() != mandate_id.strip():
        orig_mandate = validate_mandate_ref(old_mandate_id, "original mandate reference")
    if old_creditor_id and _norm(old_creditor_id) != _norm(creditor_id):
        orig_ci = validate_creditor_id(old_creditor_id, "original creditor identifier")
    if old_creditor_name and old_creditor_name.strip() != creditor_name.strip():
        orig_name = old_creditor_name.strip()
    if old_debtor_iban and _norm(old_debtor_iban) != _norm(debtor_iban):
        old = validate_iban(old_debtor_iban, "original debtor IBAN")
        new = validate_iban(debtor_iban, "debtor IBAN")
        if same_bank(old, new):
            orig_iban = old
        else:
            new_account = True
    amendment = Amendment(orig_mandate, orig_ci, orig_name, orig_iban, new_account)
    return None if amendment.is_empty else amendment


def check_amendment(amendment: Amendment, *, mandate_id: str, debtor_iban: str) -> None:
    """Raise SepaError when the amendment contradicts itself or the transaction."""
    if amendment.original_debtor_iban and amendment.new_debtor_account:
        raise SepaError(
            "amendment",
            "has both an original debtor IBAN and SMNDA; use the old "
            "IBAN for a change at the same bank, SMNDA for another bank",
        )
    if amendment.original_mandate_id is not None:
        validate_mandate_ref(amendment.original_mandate_id, "original mandate reference")
        if amendment.original_mandate_id == mandate_id:
            raise SepaError(
                "original mandate reference",
                "equals the current mandate reference; nothing changed",
                amendment.original_mandate_id,
            )
    if amendment.original_creditor_id is not None:
        validate_creditor_id(amendment.original_creditor_id, "original creditor identifier")
    if amendment.original_debtor_iban is not None:
        iban = amendment.original_debtor_iban
        if not iban_is_valid(iban):
            validate_iban(iban, "original debtor IBAN")  # raises with the precise rule
            raise SepaError("original debtor IBAN", "must be upper case without spaces", iban)
        if iban == debtor_iban:
            raise SepaError("original debtor IBAN", "equals the current debtor IBAN; nothing changed", iban)


def _norm(value: str) -> str:
    return "".join(value.split()).upper()
