"""Mandates through the services, on SQLite and PostgreSQL: references, uniqueness, the rules
of the fields, status at the date boundaries, the actions, rights and the history."""

from __future__ import annotations

import datetime as dt

import pytest

from incasso_tui.core.errors import NotFound, Refused, ValidationErrors
from incasso_tui.db import models as m
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates import lookup as mandate_lookup
from incasso_tui.services.mandates import settings as mandate_settings
from incasso_tui.services.mandates.lifecycle import MandateInput

from .conftest import TODAY


def _fields(exc: ValidationErrors) -> dict[str, str]:
    return {e.field: e.rule for e in exc.errors}


def test_reference_is_debtor_number_and_sequence_and_unique_ignoring_case(world):
    admin = world.actor()
    first = mandates.create_mandate(admin, world.private.id, MandateInput(signed_date="2026-11-01"))
    second = mandates.create_mandate(admin, world.private.id, MandateInput(recurrent=False))
    assert (first.reference, first.sequence_number) == ("1001-1", 1)
    assert (second.reference, second.sequence_number) == ("1001-2", 2)
    assert first.creditor_id == world.zon.creditor_id and first.reference_key == "1001-1"
    # The next generated reference is taken, in another case, as someone's external reference:
    # the sequence skips it rather than produce a duplicate for the bank.
    other = m.Debtor.create(administration=world.zon, number="1002", name="Other", name_key="other")
    mandates.create_mandate(admin, other.id, MandateInput(external_reference="1001-3".lower()))
    third = mandates.create_mandate(admin, world.private.id, MandateInput())
    assert third.reference == "1001-4"
    # A typed reference that differs only in case from an existing one is refused.
    with pytest.raises(ValidationErrors) as exc:
        mandates.create_mandate(admin, other.id, MandateInput(reference="1001-1".lower()))
    assert "already used by mandate 1001-1" in _fields(exc.value)["reference"]
    with pytest.raises(ValidationErrors) as exc:
        mandates.create_mandate(admin, other.id, MandateInput(external_reference="1001-2"))
    assert "already used" in _fields(exc.value)["external reference"]


def test_same_reference_allowed_under_another_creditor_id(world):
    admin = world.actor()
    a = mandates.create_mandate(admin, world.private.id, MandateInput(reference="SHARED-1"))
    b = mandates.create_mandate(admin, world.company.id, MandateInput(reference="shared-1"))
    assert a.creditor_id != b.creditor_id and a.reference_key == b.reference_key


def test_reference_format_of_the_administration(world):
    admin = world.actor()
    mandate_settings.set_mandate_settings(admin, "RIJN", reference_format="{admin}{debtor}M{seq:3}")
    mandate = mandates.create_mandate(admin, world.company.id, MandateInput(invoice_type="HUUR"))
    assert mandate.reference == "RIJN2001M001"
    with pytest.raises(ValidationErrors) as exc:
        mandate_settings.set_mandate_settings(admin, "RIJN", reference_format="{debtor} {seq}")
    assert "space" in _fields(exc.value)["reference format"]
    with pytest.raises(ValidationErrors) as exc:
        mandate_settings.set_mandate_settings(admin, "RIJN", reference_format="{debtor}-{nr}-{seq}")
    assert "unknown field {nr}" in _fields(exc.value)["reference format"]
    with pytest.raises(ValidationErrors):  # 20-character numbers would make it longer than 35
        mandate_settings.set_mandate_settings(admin, "RIJN", reference_format="{admin}-{debtor}-{type}-{seq}")
    with pytest.raises(Refused):
        mandate_settings.set_mandate_settings(world.actor("chris"), "RIJN", auto_create=True)


def test_field_rules_name_field_and_rule(world):
    admin = world.actor()
    with pytest.raises(ValidationErrors) as exc:
        mandates.create_mandate(
            admin,
            world.private.id,
            MandateInput(
                scheme="B2B",
                invoice_type="DON",
                signed_date=TODAY + dt.timedelta(days=1),
                effective_date="31-02-2026",
                reference="A B",
            ),
        )
    fields = _fields(exc.value)
    assert "only for business debtors" in fields["scheme"]
    assert "one mandate per debtor" in fields["invoice type"]
    assert fields["date signed"] == "must not be in the future"
    assert fields["effective date"] == "is not a date in the calendar"
    assert "space" in fields["reference"]
    with pytest.raises(ValidationErrors) as exc:
        mandates.create_mandate(
            admin, world.private.id, MandateInput(signed_date="2026-11-20", effective_date="2026-11-19")
        )
    assert _fields(exc.value) == {"effective date": "must not be before the date signed"}
    # Signed today is fine (never in the future), and a business debtor may have B2B.
    ok = mandates.create_mandate(
        admin, world.company.id, MandateInput(scheme="B2B", signed_date=TODAY, invoice_type="SERV")
    )
    assert ok.scheme == "B2B" and ok.invoice_type_id == world.serv.id
    with pytest.raises(ValidationErrors) as exc:
        mandates.create_mandate(admin, world.company.id, MandateInput(invoice_type="XYZ"))
    assert "known: HUUR, SERV" in _fields(exc.value)["invoice type"]


@pytest.mark.parametrize(
    "effective, end, last, status",
    [
        (TODAY, None, None, "active"),  # effective today
        (TODAY + dt.timedelta(days=1), None, None, "inactive"),  # from tomorrow
        (TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=1), None, "ended"),  # end yesterday
        (TODAY - dt.timedelta(days=30), TODAY, None, "active"),  # ends after today
        (TODAY - dt.timedelta(days=1095), None, None, "expired"),  # exactly 1095 days, never used
        (TODAY - dt.timedelta(days=1094), None, None, "active"),  # one day short
        (TODAY - dt.timedelta(days=2000), None, TODAY - dt.timedelta(days=1095), "expired"),
        (TODAY - dt.timedelta(days=2000), None, TODAY - dt.timedelta(days=1094), "active"),
    ],
)
def test_status_at_the_boundaries(world, effective, end, last, status):
    admin = world.actor()
    mandate = mandates.create_mandate(
        admin, world.private.id, MandateInput(effective_date=effective, end_date=end)
    )
    if last:  # as processing records it; the status follows on the next recompute
        mandate.last_collection_date, mandate.collected = last, True
        mandates.refresh_status(mandate, TODAY)
        mandate.save()
    assert mandate.status == status
    assert m.Mandate.get_by_id(mandate.id).status == status  # stored for filtering


def test_activate_end_and_confirm_b2b(world):
    admin = world.actor()
    mandate = mandates.create_mandate(admin, world.company.id, MandateInput(scheme="B2B"))
    assert mandate.status == "inactive"
    assert mandate_lookup.collectability(mandate).code == "inactive"
    mandate = mandates.activate_mandate(admin, mandate.id)
    assert (mandate.status, mandate.effective_date) == ("active", TODAY)
    assert mandate_lookup.collectability(mandate).code == "b2b_not_registered"
    with pytest.raises(Refused, match="only an inactive mandate"):
        mandates.activate_mandate(admin, mandate.id)
    mandate = mandates.confirm_b2b_registration(admin, mandate.id)
    assert mandate.b2b_registered and mandate_lookup.collectability(mandate) is None
    with pytest.raises(Refused, match="already confirmed"):
        mandates.confirm_b2b_registration(admin, mandate.id)
    # An end date in the future keeps it active; yesterday ends it now.
    mandate = mandates.end_mandate(admin, mandate.id, TODAY + dt.timedelta(days=10))
    assert mandate.status == "active"
    assert mandate_lookup.collectability(mandate, TODAY + dt.timedelta(days=11)).code == "ended"
    mandate = mandates.end_mandate(admin, mandate.id)
    assert (mandate.status, mandate.end_date) == ("ended", TODAY - dt.timedelta(days=1))
    assert mandate_lookup.collectability(mandate).code == "ended"
    core = mandates.create_mandate(admin, world.private.id, MandateInput())
    with pytest.raises(Refused, match="only B2B mandates"):
        mandates.confirm_b2b_registration(admin, core.id)
    core = mandates.revoke_mandate(admin, core.id, "rode kaart")
    assert (core.status, core.status_reason) == ("revoked", "rode kaart")
    core = mandates.update_mandate(
        admin, core.id, MandateInput(effective_date=TODAY, reference=core.reference)
    )
    assert core.status == "revoked"  # dates never lift a revocation
    with pytest.raises(Refused):
        mandates.activate_mandate(admin, core.id)


def test_collected_reference_can_no_longer_change(world):
    admin = world.actor()
    mandate = mandates.create_mandate(admin, world.private.id, MandateInput(effective_date=TODAY))
    renamed = mandates.update_mandate(
        admin,
        mandate.id,
        MandateInput(effective_date=TODAY, reference="ZON-1001-A", external_reference="EXT-9"),
    )
    assert (renamed.reference, renamed.external_reference) == ("ZON-1001-A", "EXT-9")
    m.Mandate.update(collected=True, last_collection_date=TODAY).where(m.Mandate.id == mandate.id).execute()
    current = MandateInput.from_mandate(m.Mandate.get_by_id(mandate.id))
    for change in (
        {"reference": "ZON-1001-B"},
        {"external_reference": ""},
        {"external_reference": "EXT-10"},
        {"scheme": "B2B"},
        {"recurrent": False},
    ):
        with pytest.raises(Refused, match="has been collected under"):
            mandates.update_mandate(admin, mandate.id, MandateInput(**{**current.__dict__, **change}))
    # Other fields may still change.
    later = mandates.update_mandate(admin, mandate.id, MandateInput(**{**current.__dict__, "reason": "Gift"}))
    assert later.reason == "Gift" and later.reference == "ZON-1001-A"


def test_rights_support_reads_operator_within_own_administrations(world):
    admin = world.actor()
    mandate = mandates.create_mandate(admin, world.private.id, MandateInput())
    bram, anna, chris = world.actor("bram"), world.actor("anna"), world.actor("chris")
    assert mandates.get_mandate(bram, mandate.id).id == mandate.id
    with pytest.raises(Refused, match="role does not allow"):
        mandates.activate_mandate(bram, mandate.id)
    with pytest.raises(Refused):
        mandates.create_mandate(bram, world.private.id, MandateInput())
    with pytest.raises(NotFound):
        mandates.get_mandate(chris, mandate.id)
    with pytest.raises(NotFound):
        mandates.create_mandate(anna, world.company.id, MandateInput())
    assert mandates.activate_mandate(anna, mandate.id).status == "active"


def test_every_change_is_history_with_old_and_new(world):
    admin = world.actor()
    mandate = mandates.create_mandate(admin, world.private.id, MandateInput(signed_date="01-11-2026"))
    mandates.activate_mandate(admin, mandate.id)
    mandates.end_mandate(admin, mandate.id, "2027-01-31")
    detail = mandate_lookup.mandate_detail(world.actor("anna"), mandate.id)
    actions = [h["action"] for h in detail.history]
    assert actions == ["mandate.end", "mandate.activate", "mandate.create"]
    assert detail.history[0]["changes"] == {"end_date": [None, "2027-01-31"]}
    assert detail.history[1]["changes"]["status"] == ["inactive", "active"]
    assert detail.history[2]["changes"]["signed_date"] == [None, "2026-11-01"]
    assert all(h["user"] == "tester" for h in detail.history)
    # Activation offers the date signed as the effective date (#12), so the 36 months run from it.
    assert detail.expires_on == dt.date(2026, 11, 1) + dt.timedelta(days=1095)
    assert mandates.find_mandate(admin, "1001-1".lower()).id == mandate.id


def test_ending_with_an_empty_date_names_the_field(world):
    from incasso_tui.core.errors import ValidationError

    admin = world.actor()
    mandate = mandates.create_mandate(admin, world.private.id, MandateInput())
    with pytest.raises(ValidationError) as raised:
        mandates.end_mandate(admin, mandate.id, "")
    assert (raised.value.field, raised.value.rule) == ("end date", "is required")
    assert m.Mandate.get_by_id(mandate.id).end_date is None  # nothing stored
