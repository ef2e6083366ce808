"""Mandates that stop or endanger the next collection: B2B ones not confirmed as registered at
the debtor's bank, ones about to expire (36 months without a collection, rules/mandates.py) or
end, and ones whose form the debtor still has to sign."""

from __future__ import annotations

import datetime as dt

import peewee as pw

from incasso_tui.db import models as m
from incasso_tui.db.statuses import MandateStatus
from incasso_tui.rules.mandates import expiring_since_range, expiry_date
from incasso_tui.services.readiness.model import BLOCKING, WARNING, Group, Item
from incasso_tui.services.readiness.scope import Scope

EXPIRY_HORIZON_DAYS = 60
# Mandates for which a form can still be signed and used (services/mandates/forms.PRINTABLE).
LIVE = (MandateStatus.INACTIVE, MandateStatus.ACTIVE)


def _mandates(where: pw.Node, *extra: pw.Field) -> pw.Select:
    reference = pw.fn.COALESCE(m.Mandate.external_reference, m.Mandate.reference)
    return (
        m.Mandate.select(m.Mandate.id, reference, m.Debtor.name, m.Administration.code, m.Debtor.id, *extra)
        .join(m.Debtor)
        .switch(m.Mandate)
        .join(m.Administration)
        .where(where)
        .order_by(m.Administration.code, m.Mandate.reference_key)
    )


def _item(row: tuple, why: str, values: dict[str, object] | None = None) -> Item:
    mandate_id, reference, debtor_name, adm, debtor_id = row[:5]
    return Item("mandate", mandate_id, reference, debtor_name, adm, why, values or {}, debtor_id)


def b2b_not_registered(scope: Scope) -> Group:
    where = (
        scope.within(m.Mandate.administration)
        & (m.Mandate.status == MandateStatus.ACTIVE)
        & (m.Mandate.scheme == "B2B")
        & ~m.Mandate.b2b_registered
    )
    return scope.group(
        "b2b_not_registered",
        "B2B mandates not confirmed as registered at the debtor's bank",
        BLOCKING,
        "Once the debtor has registered the mandate at their bank: incasso mandate confirm-b2b REF "
        "(in the TUI: r on the mandate); until then its orders are held back",
        _mandates(where),
        # The hold's own text (rules/mandates.hold_reason), as the set screens show it.
        lambda row: _item(row, "B2B mandate not yet registered at the debtor's bank"),
    )


def mandates_expiring(scope: Scope) -> Group:
    first, last = expiring_since_range(scope.today, EXPIRY_HORIZON_DAYS)
    # Two index-friendly halves instead of COALESCE(last collection, effective).
    collected = m.Mandate.last_collection_date.is_null(False) & m.Mandate.last_collection_date.between(
        first, last
    )
    never = m.Mandate.last_collection_date.is_null() & m.Mandate.effective_date.between(first, last)
    ending = m.Mandate.end_date.between(scope.today, scope.today + dt.timedelta(days=EXPIRY_HORIZON_DAYS))
    where = (
        scope.within(m.Mandate.administration)
        & (m.Mandate.status == MandateStatus.ACTIVE)
        & (collected | never | ending)
    )

    def item(row: tuple) -> Item:
        effective, last_collection, end = row[5:]
        expires = expiry_date(effective, last_collection)
        if end is not None and (expires is None or end < expires):
            return _item(row, "ends on {date} (its end date)", {"date": end.isoformat()})
        assert expires is not None  # the query found one of the two
        return _item(
            row,
            "expires on {date}: 36 months without a collection (since {since})",
            {"date": expires.isoformat(), "since": (last_collection or effective).isoformat()},
        )

    return scope.group(
        "mandates_expiring",
        "Mandates expiring within 60 days",
        WARNING,
        "Collect before that date (each collection starts the 36 months again), or have a new mandate signed",
        _mandates(where, m.Mandate.effective_date, m.Mandate.last_collection_date, m.Mandate.end_date),
        item,
    )


def forms_not_printed(scope: Scope) -> Group:
    """Live mandates not signed yet whose form was never printed: nothing to sign, so no
    effective date and no collection."""
    where = (
        scope.within(m.Mandate.administration)
        & m.Mandate.status.in_(LIVE)
        & m.Mandate.signed_date.is_null()
        & m.Mandate.form_printed_at.is_null()
    )
    return scope.group(
        "mandate_forms_not_printed",
        "Mandate forms not printed",
        WARNING,
        "Print them and send them to the debtors to sign: incasso mandates forms --unprinted --out FILE.pdf "
        "(in the TUI: the mandates list)",
        _mandates(where),
        lambda row: _item(row, "no signed form yet, and its form was never printed"),
    )
