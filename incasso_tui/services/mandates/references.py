"""Mandate references (machtigingskenmerk): assigned from the administration's format, unique
per creditor identifier, case-insensitively, across references and external references
alike (a bank sees only the one written into the file; sepa-rules §2.4)."""

from __future__ import annotations

import peewee as pw

from incasso_tui.core.errors import ValidationError
from incasso_tui.db import models as m
from incasso_tui.rules.mandates import REFERENCE_FIELDS, format_reference
from incasso_tui.sepa import SepaError, validate_mandate_ref

MAX_TRIES = 100  # sequence numbers skipped when a generated reference is already taken


def reference_owner(creditor_id: str, value: str, except_id: int | None = None) -> m.Mandate | None:
    """The mandate of this creditor whose reference or external reference is `value`."""
    key = value.upper()
    query = m.Mandate.select().where(
        (m.Mandate.creditor_id == creditor_id)
        & ((m.Mandate.reference_key == key) | (m.Mandate.external_key == key))
    )
    if except_id:
        query = query.where(m.Mandate.id != except_id)
    return query.first()


def check_reference(
    creditor_id: str, value: str, field: str, *, except_id: int | None = None, taken: set[str] | None = None
) -> str:
    """A valid reference no other mandate of the creditor uses (nor a row of the same import)."""
    try:
        reference = validate_mandate_ref(value, field)
    except SepaError as exc:
        raise ValidationError.forward(field, exc.rule, exc.value) from None
    if taken is not None and reference.upper() in taken:
        raise ValidationError(field, "is used twice in this file", reference)
    owner = reference_owner(creditor_id, reference, except_id)
    if owner is not None:
        raise ValidationError(
            field,
            "is already used by mandate {reference} of this creditor identifier (references "
            "are unique, ignoring case)",
            reference,
            reference=owner.reference,
        )
    return reference


def next_sequence(debtor_id: int) -> int:
    highest = (
        m.Mandate.select(pw.fn.MAX(m.Mandate.sequence_number)).where(m.Mandate.debtor == debtor_id).scalar()
    )
    return (highest or 0) + 1


def assign_reference(
    adm: m.Administration, debtor: m.Debtor, seq: int, invoice_type: str = "", taken: set[str] | None = None
) -> tuple[int, str]:
    """(sequence number, reference) for a new mandate: the format filled with the debtor
    number and the next free sequence number."""
    for candidate in range(seq, seq + MAX_TRIES):
        reference = _formatted(adm, debtor.number, candidate, invoice_type)
        if (taken is None or reference.upper() not in taken) and reference_owner(
            adm.creditor_id, reference
        ) is None:
            return candidate, reference
    raise ValidationError(
        "reference",
        "no free reference found after {MAX_TRIES} sequence numbers; enter one by hand",
        MAX_TRIES=MAX_TRIES,
    )


def _formatted(adm: m.Administration, number: str, seq: int, invoice_type: str) -> str:
    reference = format_reference(
        adm.reference_format, debtor=number, seq=seq, admin=adm.code, invoice_type=invoice_type
    )
    try:
        return validate_mandate_ref(reference, "reference")
    except SepaError as exc:
        raise ValidationError(
            "reference",
            "the reference format {reference_format!r} of {code} gives an invalid reference: {given}",
            reference,
            reference_format=adm.reference_format,
            code=adm.code,
            given=exc.rule,
        ) from None


def check_reference_format(fmt: str, admin_code: str) -> str:
    """A format that always gives a valid reference: known fields only, and valid and at
    most 35 characters long for the longest debtor number, sequence and invoice type."""
    value = (fmt or "").strip()
    if not value or "{seq" not in value:
        raise ValidationError(
            "reference format",
            "must contain {seq} (the mandate sequence "
            "number), so each mandate of a debtor gets its own reference",
            fmt,
        )
    try:
        samples = [
            format_reference(value, debtor="D" * 20, seq=999, admin=admin_code, invoice_type="T" * 20),
            format_reference(value, debtor="1", seq=1, admin=admin_code, invoice_type=""),
        ]
    except KeyError as exc:
        fields = ", ".join("{" + f + "}" for f in REFERENCE_FIELDS)
        raise ValidationError(
            "reference format",
            "unknown field {{{args}}}; known: {fields}",
            fmt,
            args=exc.args[0],
            fields=fields,
        ) from None
    for sample in samples:
        try:
            validate_mandate_ref(sample, "reference format")
        except SepaError as exc:
            raise ValidationError(
                "reference format",
                "gives {sample!r} for a long debtor number or an empty invoice type: {given}",
                fmt,
                sample=sample,
                given=exc.rule,
            ) from None
    return value
