"""The report counts in SQL what two rules decide in Python: when a debtor's file needs an
address it lacks (rules/addresses.py) and when an order's mandate cannot be used
(rules/mandates.hold_reason, as the planner and lookup.collectability apply it). These tests
keep the SQL equal to the rules on every combination around their edges, on both back-ends."""

from __future__ import annotations

import datetime as dt
import itertools

from incasso_tui.db import models as m
from incasso_tui.rules.addresses import has_usable_address, needs_address
from incasso_tui.services.demo import creditor_id
from incasso_tui.services.mandates.lookup import collectability
from incasso_tui.services.readiness import readiness_report
from incasso_tui.services.readiness.address_checks import has_usable_address as usable_sql
from incasso_tui.services.readiness.address_checks import needs_address as needs_sql
from incasso_tui.services.readiness.order_checks import held_orders
from incasso_tui.services.readiness.scope import Scope

from .helpers import CH_IBAN, GB_IBAN, TODAY, debtor, group, mandate, order


def _world():
    adm = m.Administration.create(code="ZON", name="Zon", creditor_id=creditor_id("30123456"))
    bank_group = m.BankGroup.create(code="ABN", name="ABN AMRO", delivery_dir="/srv/abn")
    m.BankAccount.create(administration=adm, bank_group=bank_group, iban="NL91ABNA0417164300")
    return adm


def test_address_rule_in_sql_equals_the_rule(admin):
    adm = _world()
    ibans = ["NL91ABNA0417164300", GB_IBAN, CH_IBAN, "DE89370400440532013000", "", "gb33bukb20201555555555"]
    countries = ["NL", "GB", "ch", "", " ", "DE", "XK", "N"]
    towns = ["", " ", "Basel", "\tx"]
    for iban, country, town in itertools.product(ibans, countries, towns):
        mandate(debtor(adm, iban=iban, country=country, town=town))
    rows = list(m.Debtor.select(m.Debtor.id, m.Debtor.iban, m.Debtor.country, m.Debtor.town).tuples())
    assert len(rows) == len(ibans) * len(countries) * len(towns)
    needs = {r[0] for r in m.Debtor.select(m.Debtor.id).where(needs_sql()).tuples()}
    usable = {r[0] for r in m.Debtor.select(m.Debtor.id).where(usable_sql()).tuples()}
    assert needs == {i for i, iban, country, _ in rows if needs_address(iban, country)}
    assert usable == {i for i, _, country, town in rows if has_usable_address(town, country)}
    missing = group(readiness_report(admin, limit=1000), "debtors_without_required_address")
    expected = {i for i, iban, c, town in rows if needs_address(iban, c) and not has_usable_address(town, c)}
    assert {i.id for i in missing.items} == expected and missing.count == len(expected) > 0


def test_usable_mandate_in_sql_equals_the_planners_rule(admin):
    """Orders due before, on and after today, against mandates on each edge of each rule: the
    orders the report counts are exactly those collectability() refuses on max(requested, today)."""
    adm = _world()
    d = debtor(adm)
    no_iban = debtor(adm, iban="")
    day = dt.timedelta(days=1)
    requested_dates = [TODAY - 5 * day, TODAY, TODAY + 12 * day]
    for requested in requested_dates:
        edges = [
            {},
            {"status": "revoked"},
            {"status": "blocked"},
            {"final_collected": True},
            {"recurrent": False, "collected": True},
            {"recurrent": False, "collected": False},
            {"effective_date": None, "status": "inactive"},
            {"effective_date": requested, "signed_date": requested - 30 * day},
            {"effective_date": requested + day, "signed_date": requested - 30 * day},
            {"effective_date": TODAY + day, "signed_date": TODAY - day},
            {"end_date": requested},
            {"end_date": requested - day},
            {"end_date": TODAY - day},
            {"end_date": TODAY},
            {"scheme": "B2B", "b2b_registered": False},
            {"scheme": "B2B", "b2b_registered": True},
        ]
        for since in (requested, TODAY):  # the 36 months, counted to either date
            for days in (1094, 1095, 1096):
                edges.append({"last_collection_date": since - days * day, "collected": True})
                edges.append({"effective_date": since - days * day, "signed_date": since - days * day})
        for fields in edges:
            order(d, mandate(d, **fields), requested_date=requested)
        order(d, None, requested_date=requested)
        order(no_iban, mandate(no_iban), requested_date=requested)
    orders = list(m.CollectionOrder.select())
    expected = {o.id for o in orders if collectability(o.mandate, max(o.requested_date, TODAY)) is not None}
    found = {row[0] for row in held_orders(Scope(admin, TODAY, 0)).tuples()}
    assert 0 < len(expected) < len(orders)
    assert found == expected
    # and the report lists them with the rule's own words
    listed = group(readiness_report(admin, limit=1000), "orders_without_usable_mandate")
    assert {i.id for i in listed.items} == expected
    for item in listed.items:
        o = next(x for x in orders if x.id == item.id)
        assert item.reason == str(collectability(o.mandate, max(o.requested_date, TODAY)))
