"""The debtor and mandate imports: columns, and each row checked with the same rules as the
forms (services.debtors, services.mandates). Column reference: docs/csv-import.md."""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import Refused, ValidationError
from incasso_tui.db import models as m
from incasso_tui.services import audit
from incasso_tui.services.auth import EDIT, VIEW, Actor
from incasso_tui.services.debtors import DebtorInput, validate_fields
from incasso_tui.services.imports.csv_file import Column, Row, RowError, RowErrors, register_kind
from incasso_tui.services.input_rules import parse_bool, parse_date
from incasso_tui.services.mandates.lifecycle import MandateInput, insert_mandate, validate_input

DEBTOR_COLUMNS: tuple[Column, ...] = (
    Column("administration", True, "code of the administration, e.g. ZON"),
    Column("number", True, "debtor number, unique per administration"),
    Column("name", True, "name (up to 140; 70 go into SEPA files)"),
    Column("street"),
    Column("building_number"),
    Column("postcode"),
    Column("town"),
    Column("country", help="ISO code, default NL"),
    Column("language", help="nl, en or de (default nl)"),
    Column("business", help="yes/no (default no)"),
    Column("iban"),
    Column("bic", help="empty: derived from a Dutch IBAN"),
    Column("email"),
)
MANDATE_COLUMNS: tuple[Column, ...] = (
    Column("administration", True, "code of the administration"),
    Column("debtor", True, "debtor number (the debtor must exist)"),
    Column("scheme", help="CORE (default) or B2B"),
    Column("kind", help="recurrent (default) or one-off"),
    Column("invoice_type", help="invoice type code; only with scope per invoice type"),
    Column("reference", help="empty: assigned from the administration's format"),
    Column("external_reference"),
    Column("signed", help="date signed"),
    Column("effective", help="effective date"),
    Column("end", help="end date"),
    Column("last_collection", help="date of the last collection in the previous system"),
    Column("reason", help="reason for the collection (incassoreden)"),
    Column("b2b_registered", help="yes/no: registered at the debtor's bank (B2B)"),
)
# Field names of the services' errors -> CSV columns.
_DEBTOR_FIELDS = {"building number": "building_number", "IBAN": "iban", "BIC": "bic"}
_MANDATE_FIELDS = {
    "date signed": "signed",
    "effective date": "effective",
    "end date": "end",
    "invoice type": "invoice_type",
    "external reference": "external_reference",
}
_KINDS = {
    "recurrent": True,
    "doorlopend": True,
    "rcur": True,
    "": True,
    "one-off": False,
    "oneoff": False,
    "one_off": False,
    "eenmalig": False,
    "ooff": False,
}


def _administration(actor: Actor, row: Row, context: dict, what: str) -> m.Administration:
    code = row.values.get("administration", "")
    cache = context.setdefault("administrations", {})
    if code not in cache:
        adm = m.Administration.get_or_none(m.Administration.code == code)
        cache[code] = adm if adm is not None and actor.may(VIEW, adm.id) else None
    adm = cache[code]
    if adm is None:
        raise RowErrors(
            [RowError(row.line, "administration", "unknown administration, or not visible to you", code)]
        )
    if not actor.may(EDIT, adm.id):
        raise RowErrors(
            [RowError(row.line, "administration", f"you may not add {what} to this administration", code)]
        )
    return adm


@dataclass
class _Prepared:
    line: int
    administration: m.Administration
    values: dict


@dataclass
class _PreparedMandate(_Prepared):
    debtor: m.Debtor
    extra: dict


class DebtorImport:
    name = "debtors"
    columns = DEBTOR_COLUMNS

    def check(self, actor: Actor, row: Row, context: dict) -> _Prepared:
        adm = _administration(actor, row, context, "debtors")
        v = row.values
        errors: list[ValidationError] = []
        try:
            business = parse_bool(v.get("business"), "business")
        except ValidationError as exc:
            errors.append(exc)
            business = False
        data = DebtorInput(
            number=v.get("number", ""),
            name=v.get("name", ""),
            street=v.get("street", ""),
            building_number=v.get("building_number", ""),
            postcode=v.get("postcode", ""),
            town=v.get("town", ""),
            country=v.get("country") or "NL",
            language=v.get("language") or "nl",
            is_business=business,
            iban=v.get("iban", ""),
            bic=v.get("bic", ""),
            email=v.get("email", ""),
        )
        values, field_errors = validate_fields(data)
        errors.extend(field_errors)
        number = values["number"]
        seen = context.setdefault("numbers", {})
        if number and (adm.id, number) in seen:
            errors.append(
                ValidationError(
                    "number", f"duplicate in this file (first on line {seen[(adm.id, number)]})", number
                )
            )
        elif (
            number
            and m.Debtor.select()
            .where((m.Debtor.administration == adm) & (m.Debtor.number == number))
            .exists()
        ):
            errors.append(ValidationError("number", f"already exists in administration {adm.code}", number))
        seen.setdefault((adm.id, number), row.line)
        if errors:
            raise RowErrors.from_validation(row.line, errors, _DEBTOR_FIELDS)
        return _Prepared(row.line, adm, values)

    def store(self, actor: Actor, item: _Prepared, context: dict) -> None:
        try:
            with m.Debtor._meta.database.atomic():
                debtor = m.Debtor.create(
                    administration=item.administration, name_key=item.values["name"].lower(), **item.values
                )
        except pw.IntegrityError:
            raise Refused(
                f"line {item.line}: debtor {item.values['number']} was added by another "
                f"user meanwhile; nothing was stored, import again"
            ) from None
        audit.record(
            actor, "debtor.create", debtor, summary=f"debtor {debtor.number} imported (line {item.line})"
        )


class MandateImport:
    name = "mandates"
    columns = MANDATE_COLUMNS

    def check(self, actor: Actor, row: Row, context: dict) -> _PreparedMandate:
        adm = _administration(actor, row, context, "mandates")
        v = row.values
        today = context.setdefault("today", clock_today())
        debtor = self._debtor(adm, v.get("debtor", ""), context)
        if debtor is None:
            raise RowErrors(
                [
                    RowError(
                        row.line,
                        "debtor",
                        f"no debtor with this number in {adm.code} (import the debtors first)",
                        v.get("debtor"),
                    )
                ]
            )
        errors: list[ValidationError] = []
        kind = v.get("kind", "").strip().lower()
        if kind not in _KINDS:
            errors.append(ValidationError("kind", "must be recurrent or one-off", kind))
        extra: dict = {}
        for column, fn, field in (
            ("b2b_registered", parse_bool, "b2b_registered"),
            ("last_collection", parse_date, "last_collection"),
        ):
            try:
                extra[field] = fn(v.get(column), column)
            except ValidationError as exc:
                errors.append(exc)
        last = extra.get("last_collection")
        if last and last > today:
            errors.append(ValidationError("last_collection", "must not be in the future", last.isoformat()))
        extra = {
            "b2b_registered": bool(extra.get("b2b_registered")),
            "last_collection_date": last,
            "collected": last is not None,
        }
        data = MandateInput(
            scheme=v.get("scheme") or "CORE",
            recurrent=_KINDS.get(kind, True),
            invoice_type=v.get("invoice_type", ""),
            signed_date=v.get("signed"),
            effective_date=v.get("effective"),
            end_date=v.get("end"),
            reason=v.get("reason", ""),
            reference=v.get("reference", ""),
            external_reference=v.get("external_reference", ""),
        )
        taken = context.setdefault("references", {}).setdefault(adm.creditor_id, set())
        values, field_errors = validate_input(data, debtor, adm, today, taken=taken)
        errors.extend(field_errors)
        if errors:
            raise RowErrors.from_validation(row.line, errors, _MANDATE_FIELDS)
        taken.update(x.upper() for x in (values.get("reference"), values["external_reference"]) if x)
        return _PreparedMandate(row.line, adm, values, debtor, extra)

    @staticmethod
    def _debtor(adm: m.Administration, number: str, context: dict) -> m.Debtor | None:
        cache = context.setdefault("debtors", {})
        key = (adm.id, number.strip())
        if key not in cache:
            cache[key] = m.Debtor.get_or_none(
                (m.Debtor.administration == adm) & (m.Debtor.number == number.strip())
            )
        return cache[key]

    def store(self, actor: Actor, item: _PreparedMandate, context: dict) -> None:
        taken = context["references"][item.administration.creditor_id]
        insert_mandate(
            actor,
            item.administration,
            item.debtor,
            item.values,
            context["today"],
            summary=f"mandate imported for debtor {item.debtor.number} (line {item.line})",
            taken=taken,
            extra=item.extra,
        )


register_kind("debtors", DebtorImport)
register_kind("mandates", MandateImport)
