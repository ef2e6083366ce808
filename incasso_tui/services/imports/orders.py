"""The orders import (`incasso import orders`): each row checked with the rules of a new order
(services.collection.orders.check_order, the same errors), a batch at a time: debtors
looked up in one query per batch, mandates resolved for the whole batch, orders inserted and
audited in one statement each. Column reference: docs/csv-import.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from incasso_tui.core.clock import today as clock_today
from incasso_tui.core.errors import ValidationError
from incasso_tui.db import models as m
from incasso_tui.services.auth import EDIT, VIEW, Actor
from incasso_tui.services.collection.orders import OrderInput, OrderScope, check_order, order_scope
from incasso_tui.services.imports.bulk import audit_created, debtor_ids, insert_returning_ids, select_in
from incasso_tui.services.imports.csv_file import Column, Row, RowError, register_kind
from incasso_tui.services.mandates.lookup import ensure_mandate_for_order, is_live, preference

ORDER_COLUMNS = (
    Column("administration", True, "code of the administration"),
    Column("debtor", True, "debtor number (the debtor must exist)"),
    Column("amount", True, "amount in euros, e.g. 12,50 or 12.50"),
    Column("requested_date", help="YYYY-MM-DD; empty = today"),
    Column("invoice_type"),
    Column("invoice_number"),
    Column("remittance"),
    Column("bank_account", help="creditor IBAN; empty = the administration's first account"),
)
_FIELD_TO_COLUMN = {
    "requested date": "requested_date",
    "invoice type": "invoice_type",
    "invoice number": "invoice_number",
    "bank account": "bank_account",
}


@dataclass
class _Administration:
    """What the rows of one administration need, looked up once per import."""

    scope: OrderScope | None
    error: ValidationError | None


@dataclass
class _Order:
    line: int
    administration_id: int
    values: dict[str, Any]  # the order's columns, ids for its references


class OrderImport:
    name: str = "orders"
    columns: tuple[Column, ...] = ORDER_COLUMNS

    def check(self, actor: Actor, rows: list[Row], context: dict) -> tuple[list[_Order], list[RowError]]:
        today = context.setdefault("today", clock_today())
        administrations = context.setdefault("administrations", {})
        codes = [row.values.get("administration", "").strip().upper() for row in rows]
        for code in set(codes) - administrations.keys():
            administrations[code] = _administration(actor, code)
        wanted = {
            (adm.scope.administration.id, row.values.get("debtor", "").strip())
            for row, code in zip(rows, codes, strict=True)
            if (adm := administrations[code]).scope is not None
        }
        debtors = debtor_ids(wanted)
        prepared: list[_Order] = []
        errors: list[RowError] = []
        for row, code in zip(rows, codes, strict=True):
            adm = administrations[code]
            if adm.scope is None:
                assert adm.error is not None
                errors.append(_row_error(row.line, adm.error))
                continue
            order, row_errors = _check_row(row, adm.scope, debtors, today)
            if row_errors:
                errors.extend(_row_error(row.line, e) for e in row_errors)
            else:
                prepared.append(order)
        return prepared, errors

    def store(self, actor: Actor, prepared: list[_Order], context: dict) -> None:
        mandates = _resolve_mandates(actor, prepared, context)
        rows = [
            {**item.values, "mandate": mandate, "created_by": actor.user_id}
            for item, mandate in zip(prepared, mandates, strict=True)
        ]
        ids = insert_returning_ids(m.CollectionOrder, rows)
        audit_created(
            actor,
            "order.create",
            "collectionorder",
            (
                (order_id, item.administration_id, f"order imported (line {item.line})")
                for order_id, item in zip(ids, prepared, strict=True)
            ),
        )


def _administration(actor: Actor, code: str) -> _Administration:
    adm = m.Administration.get_or_none(m.Administration.code == code)
    if adm is None or not actor.may(VIEW, adm.id):
        return _Administration(
            None, ValidationError("administration", "unknown, or not visible to you", code)
        )
    if not actor.may(EDIT, adm.id):
        return _Administration(None, ValidationError("administration", "you may not add orders here", code))
    return _Administration(order_scope(adm), None)


def _check_row(
    row: Row, scope: OrderScope, debtors: dict[tuple[int, str], int], today: dt.date
) -> tuple[_Order, list[ValidationError]]:
    """The rules of a new order (collection.orders.check_order), with what was looked up
    for the batch."""
    v = row.values
    data = OrderInput(
        administration=scope.administration.code,
        debtor=v.get("debtor", ""),
        amount=v.get("amount", ""),
        requested_date=v.get("requested_date") or None,
        invoice_type=v.get("invoice_type", ""),
        invoice_number=v.get("invoice_number", ""),
        remittance=v.get("remittance", ""),
        bank_account=v.get("bank_account", ""),
    )
    debtor_id = debtors.get((scope.administration.id, data.debtor.strip()))
    values, errors = check_order(scope, data, debtor_id, today)
    return _Order(row.line, scope.administration.id, values), errors


def _row_error(line: int, e: ValidationError) -> RowError:
    return RowError(
        line, _FIELD_TO_COLUMN.get(e.field, e.field), e.rule, None if e.value is None else str(e.value)
    )


# (id, invoice type id, status, sequence number) of a debtor's mandates
_Candidate = tuple[int, int | None, str, int]


def _resolve_mandates(actor: Actor, prepared: list[_Order], context: dict) -> list[int | None]:
    """The mandate of each order, as services.mandates.lookup.resolve_mandate and
    ensure_mandate_for_order choose it, with the mandates of the batch's debtors read in one
    query; a mandate is created (one at a time: rare) where the administration wants that."""
    debtor_set = sorted({item.values["debtor"] for item in prepared})
    candidates: dict[int, list[_Candidate]] = {}
    rows = select_in(
        'SELECT "debtor_id", "id", "invoice_type_id", "status", "sequence_number" FROM "mandate" WHERE "debtor_id"',
        debtor_set,
    )
    for debtor_id, mandate_id, type_id, status, sequence in rows:
        candidates.setdefault(debtor_id, []).append((mandate_id, type_id, status, sequence))
    administrations = context.setdefault("administration_rows", {})
    chosen: list[int | None] = []
    for item in prepared:
        debtor_id, type_id = item.values["debtor"], item.values["invoice_type"]
        best = _best(candidates.get(debtor_id, []), type_id)
        if best is not None and is_live(best[2]):
            chosen.append(best[0])
            continue
        adm = administrations.get(item.administration_id)
        if adm is None:
            adm = administrations[item.administration_id] = m.Administration.get_by_id(item.administration_id)
        if not adm.auto_create_mandates:
            chosen.append(best[0] if best else None)
            continue
        debtor = m.Debtor.get_by_id(debtor_id)
        itype = m.InvoiceType.get_by_id(type_id) if type_id else None
        created = ensure_mandate_for_order(actor, debtor, itype, today=context.get("today")).mandate
        assert created is not None
        candidates.setdefault(debtor_id, []).append(
            (created.id, created.invoice_type_id, created.status, created.sequence_number)
        )
        chosen.append(created.id)
    return chosen


def _best(candidates: list[_Candidate], type_id: int | None) -> _Candidate | None:
    in_scope = [c for c in candidates if c[1] is None or (type_id and c[1] == type_id)]
    if not in_scope:
        return None
    return min(in_scope, key=lambda c: preference(c[2], c[1] is not None, c[3]))


register_kind("orders", OrderImport)
