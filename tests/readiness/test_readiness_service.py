"""The readiness report as a service: on an empty database, and on the demo data with one
constructed problem per group (the group's count grows by exactly what was made, the object is
listed with the reason), within the user's rights."""

from __future__ import annotations

import datetime as dt

import pytest

from incasso_tui.core.errors import Refused
from incasso_tui.db import models as m
from incasso_tui.services.auth import Actor
from incasso_tui.services.demo import creditor_id
from incasso_tui.services.readiness import BLOCKING, WARNING, readiness_report

from .helpers import CH_IBAN, GB_IBAN, TODAY, counts, debtor, group, mandate, order

ALL_KEYS = [
    "administrations_without_bank_account",
    "bank_groups_without_delivery",
    "debtors_without_required_address",
    "b2b_not_registered",
    "orders_without_usable_mandate",
    "orders_over_transaction_limit",
    "debtors_incomplete_address",
    "mandates_expiring",
    "mandate_forms_not_printed",
]


def test_empty_database_is_ready_until_an_administration_has_no_bank_account(admin):
    report = readiness_report(admin)
    assert [g.key for g in report.groups] == ALL_KEYS
    assert report.ready and report.blocking == 0 and report.warnings == 0
    assert all(g.count == 0 and g.items == () for g in report.groups)

    adm = m.Administration.create(code="NEW", name="Stichting Nieuw", creditor_id=creditor_id("12345678"))
    m.Administration.create(code="OLD", name="Opgeheven", creditor_id=creditor_id("87654321"), active=False)
    report = readiness_report(admin)
    assert not report.ready and report.blocking == 1
    found = group(report, "administrations_without_bank_account")
    assert found.severity == BLOCKING and found.count == 1  # the inactive one is not counted
    assert [(i.kind, i.id, i.code, i.name) for i in found.items] == [
        ("administration", adm.id, "NEW", "Stichting Nieuw")
    ]
    assert "bank account" in found.items[0].reason and "bank-account add" in found.fix

    # A bank account in a group without delivery: the administration is fine, the group is not.
    bank_group = m.BankGroup.create(code="ABN", name="ABN AMRO")
    account = m.BankAccount.create(administration=adm, bank_group=bank_group, iban="NL91ABNA0417164300")
    report = readiness_report(admin)
    assert counts(report)["administrations_without_bank_account"] == 0
    assert [i.code for i in group(report, "bank_groups_without_delivery").items] == ["ABN"]
    bank_group.delivery_dir = "/srv/bank"
    bank_group.save()
    assert readiness_report(admin).ready
    account.active = False  # an inactive account counts as none
    account.save()
    assert counts(readiness_report(admin))["administrations_without_bank_account"] == 1


def test_demo_data_as_it_is(demo):
    report = readiness_report(demo(), limit=5)
    c = counts(report)
    # The demo has no delivery configured and mandates in every state.
    assert c["bank_groups_without_delivery"] == 3
    assert c["b2b_not_registered"] > 0 and c["orders_without_usable_mandate"] > 0
    assert c["mandates_expiring"] > 0
    assert not report.ready
    for g in report.groups:
        assert len(g.items) == min(g.count, 5)
        assert g.severity in (BLOCKING, WARNING) and g.fix
    assert report.as_dict()["ready"] is False
    assert [g["key"] for g in report.as_dict()["groups"]] == ALL_KEYS


def test_bank_groups_without_delivery(demo):
    actor = demo()
    m.BankGroup.update(delivery_dir="/srv/abn").where(m.BankGroup.code == "ABN").execute()
    m.BankGroup.update(send_command=["sftp-put", "{file}"]).where(m.BankGroup.code == "ING").execute()
    m.BankGroup.update(send_command=[]).where(m.BankGroup.code == "RABO").execute()  # empty: none
    m.BankGroup.create(code="EMPTY", name="No accounts")  # nothing collects through it
    found = group(readiness_report(actor), "bank_groups_without_delivery")
    assert [(i.kind, i.code) for i in found.items] == [("bank_group", "RABO")] and found.count == 1


def test_debtors_whose_file_needs_an_address(demo):
    actor = demo()
    before = counts(readiness_report(actor))["debtors_without_required_address"]
    zon = m.Administration.get(m.Administration.code == "ZON")
    foreign_bank = debtor(zon, iban=GB_IBAN, town="")
    mandate(foreign_bank)
    foreign_home = debtor(zon, iban="NL91ABNA0417164300", country="CH", town=" ")
    order(foreign_home, None)  # no mandate at all, but an order the next set would hold back
    debtor(zon, iban=CH_IBAN, town="")  # no active mandate, no order: not collected
    with_address = debtor(zon, iban=GB_IBAN, town="London", country="GB")
    mandate(with_address)
    found = group(readiness_report(actor, limit=500), "debtors_without_required_address")
    assert found.severity == BLOCKING and found.count == before + 2
    listed = {i.id: i for i in found.items}
    assert listed[foreign_bank.id].reason.startswith("bank outside the EEA (GB)")
    assert listed[foreign_home.id].reason.startswith("address outside the EEA (CH)")
    assert listed[foreign_bank.id].debtor_id == foreign_bank.id
    assert with_address.id not in listed


def test_incomplete_address_for_pain_08_files_is_a_warning(demo):
    actor = demo()
    before = counts(readiness_report(actor))["debtors_incomplete_address"]
    zon = m.Administration.get(m.Administration.code == "ZON")  # collects through ING: .08
    klim = m.Administration.get(m.Administration.code == "KLIM")  # only Rabobank: .02
    partial = debtor(zon, street="Kerkstraat", building_number="1", town="")
    mandate(partial)
    mandate(debtor(klim, street="Kerkstraat", town=""))  # a .02 file leaves the address out
    mandate(debtor(zon, street="", building_number="", postcode="", town=""))  # no address: fine
    found = group(readiness_report(actor, limit=500), "debtors_incomplete_address")
    assert found.severity == WARNING and found.count == before + 1
    assert partial.id in {i.id for i in found.items}


def test_b2b_mandates_not_registered(demo):
    actor = demo()
    before = group(readiness_report(actor, limit=500), "b2b_not_registered")
    confirmed = m.Mandate.get_by_id(before.items[0].id)
    confirmed.b2b_registered = True
    confirmed.save()
    zon = m.Administration.get(m.Administration.code == "ZON")
    new = mandate(debtor(zon, is_business=True), scheme="B2B", b2b_registered=False)
    mandate(debtor(zon, is_business=True), scheme="B2B", status="inactive", effective_date=None)
    after = group(readiness_report(actor, limit=500), "b2b_not_registered")
    assert after.count == before.count  # one confirmed, one added; the inactive one waits
    assert new.id in {i.id for i in after.items} and confirmed.id not in {i.id for i in after.items}
    item = next(i for i in after.items if i.id == new.id)
    assert (item.kind, item.code, item.administration) == ("mandate", new.reference, "ZON")


def test_orders_without_a_usable_mandate_say_why(demo):
    actor = demo()
    before = counts(readiness_report(actor))["orders_without_usable_mandate"]
    zon = m.Administration.get(m.Administration.code == "ZON")
    d = debtor(zon)
    requested = TODAY + dt.timedelta(days=10)
    made = {
        "no mandate": order(d, None, requested_date=requested),
        "mandate revoked": order(d, mandate(d, status="revoked"), requested_date=requested),
        f"mandate ended on {(requested - dt.timedelta(days=1)).isoformat()}": order(
            d, mandate(d, end_date=requested - dt.timedelta(days=1)), requested_date=requested
        ),
        # 36 months run out between today and the requested date: the set would hold it.
        "mandate expired: no collection for 36 months": order(
            d,
            mandate(d, last_collection_date=requested - dt.timedelta(days=1095), collected=True),
            requested_date=requested,
        ),
    }
    order(d, mandate(d), requested_date=requested)  # usable
    order(d, None, status="cancelled")  # not open
    found = group(readiness_report(actor, limit=1000), "orders_without_usable_mandate")
    assert found.count == before + len(made)
    reasons = {i.id: i.reason for i in found.items}
    for why, o in made.items():
        assert reasons[o.id].startswith(why), (why, reasons[o.id])
        item = next(i for i in found.items if i.id == o.id)
        assert item.debtor_id == d.id and item.kind == "order"


def test_orders_over_the_accounts_maximum_per_transaction(demo):
    actor = demo()
    zon = m.Administration.get(m.Administration.code == "ZON")
    d = debtor(zon)
    big = order(d, mandate(d), amount_cents=999_999)
    account = m.BankAccount.get_by_id(big.bank_account_id)
    account.max_per_transaction_cents = 500_000  # above every demo order
    account.save()
    found = group(readiness_report(actor), "orders_over_transaction_limit")
    assert found.count == 1 and found.items[0].id == big.id
    assert "9.999,99" in found.items[0].reason and "5.000,00" in found.items[0].reason


def test_mandates_expiring_within_60_days(demo):
    actor = demo()
    before = counts(readiness_report(actor))["mandates_expiring"]
    zon = m.Administration.get(m.Administration.code == "ZON")
    ending = mandate(debtor(zon), end_date=TODAY + dt.timedelta(days=30))
    expiring = mandate(debtor(zon), last_collection_date=TODAY - dt.timedelta(days=1095 - 60), collected=True)
    mandate(debtor(zon), last_collection_date=TODAY - dt.timedelta(days=1095 - 61), collected=True)
    mandate(debtor(zon), end_date=TODAY + dt.timedelta(days=61))
    found = group(readiness_report(actor, limit=500), "mandates_expiring")
    assert found.severity == WARNING and found.count == before + 2
    reasons = {i.id: i.reason for i in found.items}
    assert reasons[ending.id] == f"ends on {(TODAY + dt.timedelta(days=30)).isoformat()} (its end date)"
    assert reasons[expiring.id].startswith(f"expires on {(TODAY + dt.timedelta(days=60)).isoformat()}")


def test_mandate_forms_not_printed(demo):
    actor = demo()
    before = counts(readiness_report(actor))["mandate_forms_not_printed"]
    zon = m.Administration.get(m.Administration.code == "ZON")
    unsigned = mandate(debtor(zon), signed_date=None, effective_date=None, status="inactive")
    mandate(debtor(zon), signed_date=None, form_printed_at=dt.datetime(2026, 11, 1, 9, 0))
    mandate(debtor(zon), signed_date=None, status="revoked")  # never collected again
    found = group(readiness_report(actor, limit=500), "mandate_forms_not_printed")
    assert found.severity == WARNING and found.count == before + 1
    assert unsigned.id in {i.id for i in found.items}


def test_warnings_alone_leave_the_report_ready(admin):
    adm = m.Administration.create(code="ZON", name="Zon", creditor_id=creditor_id("30123456"))
    bank_group = m.BankGroup.create(code="ABN", name="ABN AMRO", delivery_dir="/srv/abn")
    m.BankAccount.create(administration=adm, bank_group=bank_group, iban="NL91ABNA0417164300")
    mandate(debtor(adm), end_date=TODAY + dt.timedelta(days=5))
    report = readiness_report(admin)
    assert report.ready and report.blocking == 0 and report.warnings == 1
    assert [g.key for g in report.problems] == ["mandates_expiring"]


def test_within_the_users_rights(demo):
    """bram (support) sees ZON only: no object of another administration, counts of his own."""
    everyone = readiness_report(demo(), limit=1000)
    bram = demo("bram")
    mine = readiness_report(bram, limit=1000)
    for g_all, g_mine in zip(everyone.groups, mine.groups, strict=True):
        assert g_mine.count <= g_all.count
        assert {i.administration for i in g_mine.items} <= {"ZON", ""}
        zon_items = {i.id for i in g_all.items if i.administration == "ZON"}
        if g_all.key != "bank_groups_without_delivery":
            assert {i.id for i in g_mine.items} == zon_items
    # ZON collects through ABN and ING only: RABO is not bram's concern.
    assert {i.code for i in group(mine, "bank_groups_without_delivery").items} == {"ABN", "ING"}


def test_a_user_without_a_role_is_refused():
    nobody = Actor(user_id=0, login="nobody", role="none", administration_ids=frozenset())
    with pytest.raises(Refused, match="readiness report"):
        readiness_report(nobody)


def test_counts_only(demo):
    full = readiness_report(demo())
    counted = readiness_report(demo(), limit=0)
    assert counts(full) == counts(counted)
    assert all(g.items == () for g in counted.groups)
