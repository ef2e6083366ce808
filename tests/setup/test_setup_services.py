"""The set-up services: what they store, the warnings, the rights, the audit trail, and what
they refuse (duplicates, deactivating what is in use)."""

from __future__ import annotations

import datetime as dt

import pytest

from incasso_tui.core.errors import NotFound, Refused, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.services import organisation as org
from incasso_tui.services.auth import actor_for

from .helpers import ABN_IBAN, CI, CI_2, ING_IBAN, RABO_IBAN, creditor_id


def _operator(login="olga", *adms):
    user = m.User.create(login=login, name=login, role="operator")
    for adm in adms:
        m.UserAdministration.create(user=user, administration=adm)
    return actor_for(user)


def _audit(action):
    return list(m.AuditEntry.select().where(m.AuditEntry.action == action).order_by(m.AuditEntry.id))


def _basics(admin, tmp_path):
    org.add_administration(admin, "zon", name="Stichting Zon", creditor_id=CI, town="Utrecht")
    org.add_bank_group(admin, "abn", name="ABN AMRO", profile="ABN", delivery_dir=str(tmp_path))
    org.add_bank_account(admin, administration="ZON", iban=ABN_IBAN, bank_group="ABN")


def test_first_administration_is_stored_audited_and_names_the_organisation(admin):
    assert org.organisation_name() == ""
    saved = org.add_administration(
        admin,
        "zon",
        name="Stichting Zonnebloem",
        creditor_id=CI.lower(),
        street="Oudegracht",
        building_number="112",
        postcode="3511 AX",
        town="Utrecht",
    )
    d = saved.detail
    assert (d.code, d.creditor_id, d.kvk, d.country, d.active) == ("ZON", CI, "12345678", "NL", True)
    assert saved.warnings == ()
    assert org.organisation_name() == "Stichting Zonnebloem"
    [entry] = _audit("administration.add")
    assert entry.user == "tester" and entry.changes["creditor_id"] == [None, CI]
    assert _audit("organisation.name")[0].changes == {"name": [None, "Stichting Zonnebloem"]}
    # The second administration leaves the organisation's name alone.
    org.add_administration(admin, "klim", name="De Klimop", creditor_id=CI_2)
    assert org.organisation_name() == "Stichting Zonnebloem"
    assert org.set_organisation_name(admin, "Beheer Utrecht") == "Beheer Utrecht"
    assert org.organisation_name() == "Beheer Utrecht"
    assert _audit("organisation.name")[-1].changes == {"name": ["Stichting Zonnebloem", "Beheer Utrecht"]}
    assert [r.code for r in org.list_administrations(admin)] == ["KLIM", "ZON"]
    assert org.show_administration(admin, "zon").name == "Stichting Zonnebloem"


def test_organisation_name_falls_back_to_the_only_administration(admin):
    m.Administration.create(code="X", name="Only One", creditor_id=CI)
    assert org.organisation_name() == "Only One"
    m.Administration.create(code="Y", name="Second", creditor_id=CI_2)
    assert org.organisation_name() == ""


def test_administration_errors_name_every_field_and_rule(admin):
    with pytest.raises(ValidationErrors) as caught:
        org.add_administration(
            admin, "z o n", name="", creditor_id="NL00ZZZ123456780000", kvk="123", street="Oudegracht"
        )
    fields = {e.field: e.rule for e in caught.value.errors}
    assert set(fields) == {"code", "name", "creditor identifier", "KvK number", "town"}
    assert "check digits" in fields["creditor identifier"] and "8 digits" in fields["KvK number"]
    with pytest.raises(ValidationErrors, match="does not match the KvK number 12345678 inside"):
        org.add_administration(admin, "zon", name="Zon", creditor_id=CI, kvk="30123456")
    org.add_administration(admin, "zon", name="Zon", creditor_id=CI)
    with pytest.raises(ValidationErrors, match="code 'ZON': is already used by another administration"):
        org.add_administration(admin, "Zon", name="Zon 2", creditor_id=CI_2)
    assert m.Administration.select().count() == 1


def test_a_non_zzz_business_code_is_stored_with_a_warning(admin):
    saved = org.add_administration(admin, "zon", name="Zon", creditor_id=creditor_id("12345678", "KLM"))
    assert saved.detail.creditor_id == "NL69KLM123456780000"
    assert [w.field for w in saved.warnings] == ["creditor identifier"]
    assert "business code KLM is not ZZZ" in saved.as_dict()["warnings"][0]


def test_only_an_admin_changes_the_set_up(admin, tmp_path):
    _basics(admin, tmp_path)
    adm = m.Administration.get(m.Administration.code == "ZON")
    olga = _operator("olga", adm)
    attempts = [
        lambda: org.add_administration(olga, "X", name="X", creditor_id=CI_2),
        lambda: org.edit_administration(olga, "ZON", name="Other"),
        lambda: org.deactivate_administration(olga, "ZON"),
        lambda: org.set_organisation_name(olga, "Mine"),
        lambda: org.add_bank_group(olga, "ING", name="ING", profile="ING"),
        lambda: org.edit_bank_group(olga, "ABN", lead_days=3),
        lambda: org.add_bank_account(olga, administration="ZON", iban=ING_IBAN, bank_group="ABN"),
        lambda: org.edit_bank_account(olga, ABN_IBAN, contact="me"),
        lambda: org.add_invoice_type(olga, "DON", administration="ZON", name="Donatie"),
    ]
    for attempt in attempts:
        with pytest.raises(Refused, match=r"olga \(operator\) may not administer"):
            attempt()
    # Looking is within her rights.
    assert org.show_administration(olga, "ZON").code == "ZON"
    assert [a.iban for a in org.list_bank_accounts(olga)] == [ABN_IBAN]
    assert org.show_bank_group(olga, "ABN").accounts == (ABN_IBAN,)
    # Another administration's group and account are not hers to see.
    org.add_administration(admin, "KLIM", name="Klimop", creditor_id=CI_2)
    org.add_bank_group(admin, "RABO", name="Rabobank", profile="RABO")
    org.add_bank_account(admin, administration="KLIM", iban=RABO_IBAN, bank_group="RABO")
    with pytest.raises(NotFound):
        org.show_bank_group(olga, "RABO")
    with pytest.raises(NotFound):
        org.show_bank_account(olga, RABO_IBAN)
    assert [a.iban for a in org.list_bank_accounts(olga)] == [ABN_IBAN]
    assert m.AuditEntry.select().where(m.AuditEntry.user == "olga").count() == 0


def test_edit_administration_audits_the_diff_and_keeps_what_is_not_given(admin):
    org.add_administration(admin, "zon", name="Zon", creditor_id=CI, town="Utrecht")
    saved = org.edit_administration(
        admin, "ZON", street="Oudegracht", building_number="1", postcode="3511 AX"
    )
    assert saved.changed == ("street", "building_number", "postcode")
    assert saved.detail.town == "Utrecht" and saved.detail.name == "Zon"
    [entry] = _audit("administration.edit")
    assert entry.changes == {
        "street": ["", "Oudegracht"],
        "building_number": ["", "1"],
        "postcode": ["", "3511 AX"],
    }
    assert org.edit_administration(admin, "ZON", town="Utrecht").changed == ()
    assert len(_audit("administration.edit")) == 1
    with pytest.raises(ValidationErrors, match="town: is required with a street"):
        org.edit_administration(admin, "ZON", town="")
    with pytest.raises(NotFound):
        org.edit_administration(admin, "NOPE", name="x")


def test_deactivating_an_administration_in_use_is_refused_with_what_uses_it(admin, tmp_path):
    _basics(admin, tmp_path)
    adm = m.Administration.get(m.Administration.code == "ZON")
    account = m.BankAccount.get()
    debtor = m.Debtor.create(administration=adm, number="1", name="Jan", name_key="jan", iban=ING_IBAN)
    mandate = m.Mandate.create(
        administration=adm,
        debtor=debtor,
        sequence_number=1,
        reference="1-1",
        reference_key="1-1",
        creditor_id=CI,
        status="active",
        signed_date=dt.date(2026, 11, 1),
    )
    order = m.CollectionOrder.create(
        administration=adm,
        debtor=debtor,
        mandate=mandate,
        bank_account=account,
        amount_cents=1250,
        requested_date=dt.date(2026, 12, 1),
    )
    with pytest.raises(Refused) as caught:
        org.deactivate_administration(admin, "ZON")
    assert str(caught.value) == (
        "administration ZON is still in use: mandates (active or inactive): 1; "
        "orders (open or underway): 1; unsent sets: 0"
    )
    usage = org.administration_usage(admin, "ZON")
    assert (usage.usable_mandates, usage.open_orders, usage.unsent_sets) == (1, 1, ())
    order.status = "cancelled"
    order.save()
    mandate.status = "ended"
    mandate.save()
    saved = org.deactivate_administration(admin, "ZON")
    assert saved.detail.active is False and saved.changed == ("active",)
    assert _audit("administration.deactivate")[0].changes == {"active": [True, False]}
    assert org.activate_administration(admin, "ZON").detail.active is True


def test_bank_group_takes_its_profile_defaults_and_overrides(admin, tmp_path):
    saved = org.add_bank_group(admin, "rabo", name="Rabobank", profile="rabo")
    d = saved.detail
    assert (d.code, d.profile, d.pain_version, d.lead_days, d.max_per_file, d.max_per_file_applied) == (
        "RABO",
        "RABO",
        "pain.008.001.02",
        2,
        None,
        1500,
    )
    assert d.delivery_dir is None and d.send_command is None and d.initiating_party == ""
    saved = org.edit_bank_group(
        admin,
        "RABO",
        max_per_file="1000",
        lead_days="3",
        delivery_dir=str(tmp_path),
        send_command=["cp", "{file}", str(tmp_path)],
        initiating_party="Beheer Utrecht",
    )
    d = saved.detail
    assert (d.max_per_file, d.max_per_file_applied, d.lead_days, d.delivery_dir) == (
        1000,
        1000,
        3,
        str(tmp_path),
    )
    assert d.send_command == ("cp", "{file}", str(tmp_path)) and d.initiating_party == "Beheer Utrecht"
    [entry] = _audit("bank_group.edit")
    assert entry.changes["max_per_file"] == [None, 1000] and entry.changes["lead_days"] == [2, 3]
    # A profile that does not accept the group's version needs one it does accept.
    org.edit_bank_group(admin, "RABO", profile="ING", pain="08")
    with pytest.raises(
        ValidationErrors, match=r"pain version 'pain\.008\.001\.08': Rabobank \(profile RABO\) accepts only"
    ):
        org.edit_bank_group(admin, "RABO", profile="RABO")
    # "" and 0 give the values back to the profile / remove the delivery.
    d = org.edit_bank_group(admin, "RABO", max_per_file=0, delivery_dir="", send_command="").detail
    assert (d.max_per_file, d.max_per_file_applied, d.delivery_dir, d.send_command) == (
        None,
        5000,
        None,
        None,
    )
    with pytest.raises(ValidationErrors, match="code 'RABO': is already used by another bank group"):
        org.add_bank_group(admin, "RABO", name="again", profile="RABO")
    with pytest.raises(ValidationErrors) as caught:
        org.add_bank_group(
            admin, "X", name="", profile="RABO", pain="08", lead_days="0", delivery_dir=str(tmp_path / "no")
        )
    assert {e.field for e in caught.value.errors} == {
        "name",
        "pain version",
        "lead days",
        "delivery directory",
    }


def test_bank_profiles_show_each_value_with_its_source():
    profiles = {p.code: p for p in org.bank_profiles()}
    assert list(profiles) == ["ABN", "ING", "RABO", "EQUENS", "OTHER"]
    maxima = {code: p.value("max_per_file") for code, p in profiles.items()}
    assert maxima == {"RABO": 1500, "ABN": 3000, "ING": 5000, "EQUENS": 100000, "OTHER": None}
    assert all(v.source for p in profiles.values() for v in p.values)
    assert "AFAS" in next(v.source for v in profiles["ING"].values if v.name == "max_per_file")
    assert org.bank_profile("ing").as_dict()["values"][0]["value"] == 5000


def test_bank_account_derives_bic_and_bank_and_warns_about_another_bank(admin):
    org.add_administration(admin, "ZON", name="Zon", creditor_id=CI)
    org.add_bank_group(admin, "ING", name="ING", profile="ING")
    org.add_bank_group(admin, "EQ", name="Equens", profile="EQUENS")
    saved = org.add_bank_account(
        admin,
        administration="zon",
        iban=ABN_IBAN.lower(),
        bank_group="ing",
        signatories=["A. de Vries", "B. Bakker"],
        max_per_transaction="2.500,00",
        max_per_month="100000.00",
    )
    d = saved.detail
    assert (d.iban, d.bic, d.bank_name, d.recognised_profile) == (ABN_IBAN, "ABNANL2A", "ABN AMRO", "ABN")
    assert (d.max_per_transaction_cents, d.max_per_month_cents) == (250000, 10000000)
    assert d.signatories == ("A. de Vries", "B. Bakker") and d.letter_template == "standard"
    assert [w.field for w in saved.warnings] == ["bank group"]
    assert "at ABN AMRO, but bank group ING has profile ING" in str(saved.warnings[0])
    # In an EQUENS group any bank is fine; moving there warns about nothing.
    saved = org.edit_bank_account(admin, ABN_IBAN, bank_group="EQ")
    assert saved.warnings == () and saved.changed == ("bank_group",)
    assert _audit("bank_account.edit")[0].changes["bank_group"] == [
        m.BankGroup.get(m.BankGroup.code == "ING").id,
        m.BankGroup.get(m.BankGroup.code == "EQ").id,
    ]
    with pytest.raises(
        ValidationErrors, match=r"IBAN '.*': is already a bank account \(administration ZON\)"
    ):
        org.add_bank_account(admin, administration="ZON", iban=ABN_IBAN, bank_group="EQ")
    with pytest.raises(ValidationErrors) as caught:
        org.add_bank_account(
            admin, administration="NOPE", iban="NL00ABNA0417164300", bank_group="X", max_per_month="veel"
        )
    assert {e.field for e in caught.value.errors} == {
        "administration",
        "bank group",
        "IBAN",
        "maximum per month",
    }
    # "" clears the limits.
    d = org.edit_bank_account(admin, ABN_IBAN, max_per_transaction="", max_per_month="").detail
    assert (d.max_per_transaction_cents, d.max_per_month_cents) == (None, None)


def test_an_account_with_orders_keeps_its_iban_and_leaves_no_unsent_set(admin, tmp_path):
    _basics(admin, tmp_path)
    adm = m.Administration.get(m.Administration.code == "ZON")
    account = m.BankAccount.get()
    debtor = m.Debtor.create(administration=adm, number="1", name="Jan", name_key="jan", iban=ING_IBAN)
    group = m.BankGroup.get()
    cset = m.CollectionSet.create(
        bank_group=group, created_by=admin.user_id, requested_date=dt.date(2026, 12, 1)
    )
    m.CollectionOrder.create(
        administration=adm,
        debtor=debtor,
        bank_account=account,
        amount_cents=100,
        requested_date=dt.date(2026, 12, 1),
        collection_set=cset,
    )
    with pytest.raises(Refused, match="has collection orders: its IBAN and administration stay"):
        org.edit_bank_account(admin, ABN_IBAN, new_iban=ING_IBAN)
    org.add_bank_group(admin, "ING", name="ING", profile="ING")
    with pytest.raises(Refused, match=f"orders in set.s. {cset.id} of bank group ABN, not sent yet"):
        org.edit_bank_account(admin, ABN_IBAN, bank_group="ING")
    assert m.BankAccount.get().bank_group_id == group.id


def test_invoice_types_are_unique_per_administration(admin):
    org.add_administration(admin, "ZON", name="Zon", creditor_id=CI)
    org.add_administration(admin, "KLIM", name="Klimop", creditor_id=CI_2)
    saved = org.add_invoice_type(admin, "don", administration="ZON", name="Donatie", collection_reason="Gift")
    assert saved.detail.as_dict() == {
        "id": saved.detail.id,
        "administration": "ZON",
        "code": "DON",
        "name": "Donatie",
        "collection_reason": "Gift",
    }
    org.add_invoice_type(admin, "DON", administration="KLIM", name="Donatie")
    with pytest.raises(
        ValidationErrors, match="code 'DON': is already an invoice type of administration ZON"
    ):
        org.add_invoice_type(admin, "DON", administration="ZON", name="Again")
    assert [(t.administration, t.code) for t in org.list_invoice_types(admin)] == [
        ("KLIM", "DON"),
        ("ZON", "DON"),
    ]
    assert len(org.list_invoice_types(admin, "zon")) == 1
    assert org.edit_invoice_type(admin, "don", administration="ZON", name="Gift").changed == ("name",)
    assert _audit("invoice_type.edit")[0].changes == {"name": ["Donatie", "Gift"]}
    assert org.show_administration(admin, "ZON").invoice_types == ("DON",)
