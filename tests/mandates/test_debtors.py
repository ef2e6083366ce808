"""Debtors: the IBAN checked and the BIC derived, numbers unique per administration, the
structured address, and a new IBAN recorded as an amendment on collected mandates."""

from __future__ import annotations

import pytest

from incasso_tui.core.errors import NotFound, Refused, UsageError, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.services import debtors
from incasso_tui.services.debtors import DebtorInput, check_iban
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates import lookup as mandate_lookup
from incasso_tui.services.mandates.lifecycle import MandateInput

from .conftest import IBAN_ABN, IBAN_ABN_2, IBAN_ING, TODAY


def _fields(exc) -> dict[str, str]:
    return {e.field: e.rule for e in exc.value.errors}


def test_check_iban_as_typed():
    assert check_iban("nl91 abna 0417 1643 00") == debtors.IbanCheck(IBAN_ABN, "ABNANL2A")
    assert check_iban("").error is None and check_iban("").iban == ""
    bad = check_iban("NL91ABNA0417164301")
    assert bad.error.field == "IBAN" and "MOD 97-10" in bad.error.rule
    assert "18" in check_iban("NL91ABNA041716430").error.rule  # length rule names the length
    assert check_iban("DE89370400440532013000").bic == ""  # not derived outside NL


def test_create_derives_bic_and_keeps_number_unique(world):
    admin = world.actor()
    debtor = debtors.create_debtor(
        admin,
        world.zon.id,
        DebtorInput(
            number="1002",
            name="Zoë Groß",
            iban="nl20 ingb 0001 2345 67",
            street="Dorpsstraat",
            building_number="3a",
            postcode="3811 LK",
            town="Amersfoort",
            language="en",
            email="z@example.nl",
        ),
    )
    assert (debtor.iban, debtor.bic, debtor.name_key) == (IBAN_ING, "INGBNL2A", "zoë groß")
    with pytest.raises(ValidationErrors) as exc:
        debtors.create_debtor(admin, world.zon.id, DebtorInput(number="1002", name="Twin"))
    assert _fields(exc) == {"number": "already used in administration ZON"}
    # The same number in another administration is a different debtor.
    assert debtors.create_debtor(admin, world.rijn.id, DebtorInput(number="1002", name="Other")).id
    with pytest.raises(UsageError, match="exists in RIJN, ZON"):
        debtors.find_debtor(admin, "1002")
    assert debtors.find_debtor(admin, "1002", "ZON").id == debtor.id
    assert debtors.next_number(admin, world.zon.id) == "1003"


def test_field_rules(world):
    with pytest.raises(ValidationErrors) as exc:
        debtors.create_debtor(
            world.actor(),
            world.zon.id,
            DebtorInput(
                number="10 01",
                name="",
                street="Kerkstraat",
                country="Nederland",
                language="fr",
                iban="NL00ABNA0417164300",
                bic="XYZ",
                email="no-at-sign",
            ),
        )
    fields = _fields(exc)
    assert set(fields) == {"number", "name", "town", "country", "language", "IBAN", "BIC", "email"}
    assert fields["name"] == "is required" and "structured address" in fields["town"]
    assert "mandate references" in fields["number"]


def test_rights(world):
    with pytest.raises(Refused, match="role does not allow"):
        debtors.create_debtor(world.actor("bram"), world.zon.id, DebtorInput(number="9", name="X"))
    with pytest.raises(NotFound):
        debtors.update_debtor(world.actor("anna"), world.company.id, DebtorInput.from_debtor(world.company))
    assert [a[1] for a in debtors.editable_administrations(world.actor("anna"))] == ["ZON"]
    assert debtors.editable_administrations(world.actor("bram")) == []


def test_private_debtor_cannot_keep_b2b_mandates(world):
    admin = world.actor()
    mandates.create_mandate(admin, world.company.id, MandateInput(scheme="B2B"))
    data = DebtorInput.from_debtor(world.company)
    data.is_business = False
    with pytest.raises(ValidationErrors) as exc:
        debtors.update_debtor(admin, world.company.id, data)
    assert "B2B mandates (2001-1)" in _fields(exc)["business"]


def test_new_iban_on_a_collected_mandate_is_an_amendment(world):
    admin = world.actor()
    collected = mandates.create_mandate(admin, world.private.id, MandateInput(effective_date=TODAY))
    fresh = mandates.create_mandate(admin, world.private.id, MandateInput(effective_date=TODAY))
    m.Mandate.update(collected=True, last_collection_date=TODAY).where(m.Mandate.id == collected.id).execute()

    def set_iban(iban: str) -> m.Mandate:
        data = DebtorInput.from_debtor(m.Debtor.get_by_id(world.private.id))
        data.iban, data.bic = iban, ""
        debtor = debtors.update_debtor(admin, world.private.id, data)
        assert debtor.iban == iban
        return m.Mandate.get_by_id(collected.id)

    same_bank = set_iban(IBAN_ABN_2)
    assert (same_bank.amend_iban, same_bank.amend_smnda) == (IBAN_ABN, False)
    assert m.Debtor.get_by_id(world.private.id).bic == "ABNANL2A"
    other_bank = set_iban(IBAN_ING)  # still pending: the bank last saw the first IBAN
    assert (other_bank.amend_iban, other_bank.amend_smnda) == (IBAN_ABN, True)
    assert m.Debtor.get_by_id(world.private.id).bic == "INGBNL2A"  # derived again
    detail = mandate_lookup.mandate_detail(admin, collected.id)
    assert detail.amendment["new_bank_smnda"] and detail.amendment["previous_iban"] == IBAN_ABN
    assert detail.history[0]["action"] == "mandate.amendment"
    assert detail.history[0]["changes"]["debtor IBAN"] == [IBAN_ABN_2, IBAN_ING]
    back = set_iban(IBAN_ABN)  # back to the account the bank knows: nothing to tell
    assert (back.amend_iban, back.amend_smnda) == (None, False)
    assert mandate_lookup.mandate_detail(admin, collected.id).amendment is None
    # A mandate never collected needs no amendment: its first collection has the new IBAN.
    assert m.Mandate.get_by_id(fresh.id).amend_iban is None
    debtor_history = [
        e.action
        for e in m.AuditEntry.select().where(
            (m.AuditEntry.object_type == "debtor") & (m.AuditEntry.object_id == str(world.private.id))
        )
    ]
    assert debtor_history == ["debtor.update"] * 3


def test_debtor_detail_lists_mandates(world):
    admin = world.actor()
    mandates.create_mandate(admin, world.company.id, MandateInput(invoice_type="HUUR"))
    detail = debtors.debtor_detail(world.actor("chris"), world.company.id)
    assert detail.administration == "RIJN" and detail.is_business
    assert [(x["reference"], x["invoice_type"], x["status"]) for x in detail.mandates] == [
        ("2001-1", "HUUR", "inactive")
    ]
    assert detail.address_lines == ["Köln", "DE"]
    with pytest.raises(NotFound):
        debtors.debtor_detail(world.actor("bram"), world.company.id)
