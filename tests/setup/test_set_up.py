"""set_up_organisation: the first-run wizard's parts stored in one transaction — the
organisation's name, an administration, a bank group and its bank account all stored, or,
when any part is refused, nothing at all (not even an audit entry), with the refusal naming
its part and field."""

from __future__ import annotations

import pytest

from incasso_tui.core.errors import Refused
from incasso_tui.db import models as m
from incasso_tui.services import organisation as org
from incasso_tui.services.auth import actor_for

from .helpers import ABN_IBAN, CI, CI_2, ING_IBAN


def _parts(tmp_path, *, iban=ABN_IBAN, group_code="ABN", adm_code="SZN", name="Stichting Zon Noord"):
    return {
        "organisation_name": name,
        "administration": {"code": adm_code, "name": name, "creditor_id": CI, "town": "Zwolle"},
        "bank_group": {
            "code": group_code,
            "name": "ABN AMRO",
            "profile": "ABN",
            "delivery_dir": str(tmp_path),
        },
        "bank_account": {"iban": iban},
    }


def _state():
    """Everything a set-up writes, counted (the audit trail too) and the organisation's name."""
    return (
        m.Administration.select().count(),
        m.BankGroup.select().count(),
        m.BankAccount.select().count(),
        m.AuditEntry.select().count(),
        org.organisation_name(),
    )


def _someone_else_set_up(admin, iban=ABN_IBAN, group_code="ELS"):
    """Another admin, meanwhile: an administration with a bank account in a bank group."""
    org.add_administration(admin, "ELS", name="Elders", creditor_id=CI_2)
    org.add_bank_group(admin, group_code, name="Elders bank", profile="ING")
    org.add_bank_account(admin, administration="ELS", iban=iban, bank_group=group_code)


def test_set_up_stores_every_part_together(admin, tmp_path):
    result = org.set_up_organisation(admin, **_parts(tmp_path, iban=ING_IBAN))
    assert result.organisation_name == "Stichting Zon Noord" == org.organisation_name()
    assert (result.administration.code, result.administration.kvk) == ("SZN", "12345678")
    assert result.administration.bank_accounts == (ING_IBAN,)  # as stored now, with its account
    assert (result.bank_group.code, result.bank_group.pain_version) == ("ABN", "pain.008.001.02")
    assert result.bank_group.accounts == (ING_IBAN,)
    assert (result.bank_account.bic, result.bank_account.administration) == ("INGBNL2A", "SZN")
    # An ING account in an ABN group: stored, with the bank group part's warning.
    assert [w.field for w in result.warnings] == ["bank group"]
    assert "has profile ABN" in result.warnings[0].rule
    account = m.BankAccount.get(m.BankAccount.iban == ING_IBAN)
    assert (account.administration.code, account.bank_group.code) == ("SZN", "ABN")
    actions = [a.action for a in m.AuditEntry.select().order_by(m.AuditEntry.id)]
    # The name first: the first administration leaves it as it is (no second entry).
    assert actions == ["organisation.name", "administration.add", "bank_group.add", "bank_account.add"]
    assert result.as_dict()["bank_account"]["iban"] == ING_IBAN


def test_a_refusal_in_the_last_part_stores_nothing_at_all(admin, tmp_path):
    _someone_else_set_up(admin)  # takes the IBAN the set-up gives
    before = _state()
    assert before[-1] == "Elders"  # named by its first administration
    with pytest.raises(org.SetUpFailed) as refused:
        org.set_up_organisation(admin, **_parts(tmp_path))
    error = refused.value
    assert error.part == "bank_account"
    [field_error] = error.errors
    assert (field_error.field, field_error.rule) == ("IBAN", "is already a bank account (administration ELS)")
    assert str(error).startswith("bank account: IBAN") and "nothing was stored" in str(error)
    # The name, the administration and the bank group stored before it are gone with it.
    assert _state() == before
    assert not m.Administration.select().where(m.Administration.code == "SZN").exists()
    assert not m.BankGroup.select().where(m.BankGroup.code == "ABN").exists()


def test_a_refused_bank_group_names_its_part_and_stores_nothing(admin, tmp_path):
    _someone_else_set_up(admin, iban=ING_IBAN, group_code="ABN")  # takes the group's code
    before = _state()
    with pytest.raises(org.SetUpFailed) as refused:
        org.set_up_organisation(admin, **_parts(tmp_path))
    assert refused.value.part == "bank_group"
    assert [(e.field, e.rule) for e in refused.value.errors] == [
        ("code", "is already used by another bank group")
    ]
    assert _state() == before
    # Corrected, the same call stores it all.
    org.set_up_organisation(admin, **_parts(tmp_path, group_code="ABNZON"))
    assert _state()[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_bad_values_name_the_part_and_every_field(admin, tmp_path):
    parts = _parts(tmp_path)
    parts["administration"] = {**parts["administration"], "creditor_id": "NL00ZZZ123456780000", "kvk": "1"}
    with pytest.raises(org.SetUpFailed) as refused:
        org.set_up_organisation(admin, **parts)
    assert refused.value.part == "administration"
    assert {e.field for e in refused.value.errors} == {"creditor identifier", "KvK number"}
    assert _state() == (0, 0, 0, 0, "")
    parts = _parts(tmp_path, name="   ")
    with pytest.raises(org.SetUpFailed) as refused:
        org.set_up_organisation(admin, **parts)
    assert refused.value.part == "organisation" and refused.value.errors[0].rule == "is required"


def test_only_an_admin_sets_up(admin, tmp_path):
    operator = actor_for(m.User.create(login="olga", name="Olga", role="operator"))
    with pytest.raises(Refused):
        org.set_up_organisation(operator, **_parts(tmp_path))
    assert _state() == (0, 0, 0, 0, "")


def test_the_account_belongs_to_the_set_up_s_own_administration_and_group(admin, tmp_path):
    parts = _parts(tmp_path)
    parts["bank_account"] = {"iban": ABN_IBAN, "administration": "ELS"}
    with pytest.raises(ValueError, match="administration"):
        org.set_up_organisation(admin, **parts)
    assert _state() == (0, 0, 0, 0, "")
