"""The debtor and mandate imports: columns, and each row checked with the same rules as the
forms (services.debtors, services.mandates). Column reference: docs/csv-import.md."""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import Refused, ValidationError
from incasso_tui.db import models as m
from incasso_tui.rules.search_keys import debtor_keys
from incasso_tui.services.auth import EDIT, VIEW, Actor
from incasso_tui.services.debtors import DebtorInput, validate_fields
from incasso_tui.services.imports.bulk import audit_created, debtor_ids, insert_returning_ids
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


def _administrations(
    actor: Actor, rows: list[Row], context: dict, what: str
) -> list[m.Administration | RowErrors]:
    """Each row's administration, or the error that it is unknown or not open to the user."""
    found: list[m.Administration | RowErrors] = []
    for row in rows:
        try:
            found.append(_administration(actor, row, context, what))
        except RowErrors as exc:
            found.append(exc)
    return found


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

    def check(self, actor: Actor, rows: list[Row], context: dict) -> tuple[list[_Prepared], list[RowError]]:
        administrations = _administrations(actor, rows, context, "debtors")
        existing = debtor_ids(
            (adm.id, row.values.get("number", "").strip())
            for row, adm in zip(rows, administrations, strict=True)
            if isinstance(adm, m.Administration)
        )
        prepared: list[_Prepared] = []
        errors: list[RowError] = []
        for row, adm in zip(rows, administrations, strict=True):
            if isinstance(adm, RowErrors):
                errors.extend(adm.errors)
                continue
            try:
                prepared.append(self._check_row(row, adm, existing, context))
            except RowErrors as exc:
                errors.extend(exc.errors)
        return prepared, errors

    @staticmethod
    def _check_row(
        row: Row, adm: m.Administration, existing: dict[tuple[int, str], int], context: dict
    ) -> _Prepared:
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
        # Every number of the file so far (also of invalid rows): a duplicate is named as one.
        seen = context.setdefault("numbers", {})
        if number and (adm.id, number) in seen:
            errors.append(
                ValidationError(
                    "number",
                    "duplicate in this file (first on line {seen})",
                    number,
                    seen=seen[adm.id, number],
                )
            )
        elif number and (adm.id, number) in existing:
            errors.append(
                ValidationError("number", "already exists in administration {code}", number, code=adm.code)
            )
        seen.setdefault((adm.id, number), row.line)
        if errors:
            raise RowErrors.from_validation(row.line, errors, _DEBTOR_FIELDS)
        return _Prepared(row.line, adm, values)

    def store(self, actor: Actor, prepared: list[_Prepared], context: dict) -> None:
        rows = [
            {
                "administration": item.administration.id,
                **item.values,
                **debtor_keys(item.values["name"], item.values.get("town", "")),
            }
            for item in prepared
        ]
        try:
            with m.Debtor._meta.database.atomic():
                ids = insert_returning_ids(m.Debtor, rows)
        except pw.IntegrityError:
            raise Refused(
                "lines {line}-{line2}: one of these debtors was added by another user meanwhile; "
                "nothing was stored, import again",
                line=prepared[0].line,
                line2=prepared[-1].line,
            ) from None
        audit_created(
            actor,
            "debtor.create",
            "debtor",
            (
                (
                    debtor_id,
                    item.administration.id,
                    f"debtor {item.values['number']} imported (line {item.line})",
                )
                for debtor_id, item in zip(ids, prepared, strict=True)
            ),
        )


class MandateImport:
    name = "mandates"
    columns = MANDATE_COLUMNS

    def check(
        self, actor: Actor, rows: list[Row], context: dict
    ) -> tuple[list[_PreparedMandate], list[RowError]]:
        administrations = _administrations(actor, rows, context, "mandates")
        debtors = self._debtors(rows, administrations)
        prepared: list[_PreparedMandate] = []
        errors: list[RowError] = []
        for row, adm in zip(rows, administrations, strict=True):
            try:
                if isinstance(adm, RowErrors):
                    raise adm
                prepared.append(self._check_row(row, adm, debtors, context))
            except RowErrors as exc:
                errors.extend(exc.errors)
        return prepared, errors

    @staticmethod
    def _debtors(
        rows: list[Row], administrations: list[m.Administration | RowErrors]
    ) -> dict[tuple[int, str], m.Debtor]:
        """The debtors the batch names, one query per administration."""
        wanted: dict[int, set[str]] = {}
        for row, adm in zip(rows, administrations, strict=True):
            if isinstance(adm, m.Administration):
                wanted.setdefault(adm.id, set()).add(row.values.get("debtor", "").strip())
        found: dict[tuple[int, str], m.Debtor] = {}
        for administration_id, numbers in wanted.items():
            query = m.Debtor.select().where(
                (m.Debtor.administration == administration_id) & m.Debtor.number.in_(sorted(numbers))
            )
            found.update(((administration_id, d.number), d) for d in query)
        return found

    def _check_row(
        self, row: Row, adm: m.Administration, debtors: dict[tuple[int, str], m.Debtor], context: dict
    ) -> _PreparedMandate:
        v = row.values
        today = context.setdefault("today", clock_today())
        debtor = debtors.get((adm.id, v.get("debtor", "").strip()))
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

    def store(self, actor: Actor, prepared: list[_PreparedMandate], context: dict) -> None:
        # One at a time: each takes the debtor's next sequence number and reference.
        for item in prepared:
            insert_mandate(
                actor,
                item.administration,
                item.debtor,
                item.values,
                context["today"],
                summary=f"mandate imported for debtor {item.debtor.number} (line {item.line})",
                taken=context["references"][item.administration.creditor_id],
                extra=item.extra,
            )


register_kind("debtors", DebtorImport)
register_kind("mandates", MandateImport)
