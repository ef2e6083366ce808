"""What the orders and collection-set work calls: which mandate covers an order, why one
cannot be collected, and automatic creation (inactive, or activated at once)."""

from __future__ import annotations

import datetime as dt

import pytest

from incasso_tui.core.errors import Refused
from incasso_tui.db import models as m
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates import lookup as mandate_lookup
from incasso_tui.services.mandates.lifecycle import MandateInput
from incasso_tui.services.mandates.lookup import collectability, ensure_mandate_for_order, resolve_mandate

from .conftest import TODAY


def test_invoice_type_mandate_first_then_the_general_one(world):
    admin = world.actor()
    general = mandates.create_mandate(admin, world.company.id, MandateInput(effective_date=TODAY))
    assert resolve_mandate(world.company, world.huur) == general
    huur = mandates.create_mandate(admin, world.company.id, MandateInput(invoice_type="HUUR"))
    # The invoice type's own mandate wins even while it is still inactive…
    assert resolve_mandate(world.company, world.huur) == huur
    assert resolve_mandate(world.company, world.serv) == general
    assert resolve_mandate(world.company, None) == general
    # …but once it has ended, the live general mandate covers the order.
    mandates.end_mandate(admin, huur.id)
    assert resolve_mandate(world.company, world.huur) == general
    mandates.end_mandate(admin, general.id)
    # Nothing live: the best dead one comes back so the caller can say why.
    found = resolve_mandate(world.company, world.huur)
    assert found == huur and collectability(found).code == "ended"
    assert resolve_mandate(world.private, None) is None
    assert collectability(None).code == "no_mandate"


def test_within_a_scope_active_before_inactive_and_newest_first(world):
    admin = world.actor()
    old = mandates.create_mandate(admin, world.private.id, MandateInput(effective_date=TODAY))
    new = mandates.create_mandate(admin, world.private.id, MandateInput())
    assert resolve_mandate(world.private) == old  # the new one is not active yet
    mandates.activate_mandate(admin, new.id)
    assert resolve_mandate(world.private) == new


@pytest.mark.parametrize(
    "change, code",
    [
        ({"effective_date": None}, "inactive"),
        ({"effective_date": TODAY + dt.timedelta(days=3)}, "not_yet_effective"),
        ({"end_date": TODAY - dt.timedelta(days=1)}, "ended"),
        ({"last_collection_date": TODAY - dt.timedelta(days=1095), "collected": True}, "expired"),
        ({"status": "blocked"}, "blocked"),
        ({"status": "revoked"}, "revoked"),
        ({"recurrent": False, "collected": True}, "one_off_used"),
        ({"final_collected": True}, "final_collected"),
        ({"scheme": "B2B"}, "b2b_not_registered"),
    ],
)
def test_collectability_names_the_reason(world, change, code):
    mandate = mandates.create_mandate(
        world.actor(), world.company.id, MandateInput(effective_date=TODAY - dt.timedelta(days=1100))
    )
    mandate.last_collection_date, mandate.collected = TODAY - dt.timedelta(days=10), True
    assert collectability(mandate) is None
    for key, value in change.items():
        setattr(mandate, key, value)
    hold = collectability(mandate)
    assert hold is not None and hold.code == code and str(hold)


def test_collectability_on_a_future_collection_date(world):
    mandate = mandates.create_mandate(
        world.actor(), world.private.id, MandateInput(effective_date=TODAY + dt.timedelta(days=5))
    )
    assert collectability(mandate, TODAY).code == "not_yet_effective"
    assert collectability(mandate, TODAY + dt.timedelta(days=5)) is None
    world.private.iban = ""
    world.private.save()
    assert collectability(m.Mandate.get_by_id(mandate.id), TODAY + dt.timedelta(days=5)).code == "no_iban"


def test_automatic_creation_inactive_or_activated(world):
    admin = world.actor()
    # Without the setting nothing is created.
    result = ensure_mandate_for_order(admin, world.company, world.huur)
    assert result.mandate is None and not result.created
    world.rijn.auto_create_mandates = True
    world.rijn.save()
    result = ensure_mandate_for_order(admin, m.Debtor.get_by_id(world.company.id), world.huur)
    assert result.created and result.mandate.status == "inactive"
    assert result.mandate.invoice_type_id == world.huur.id  # scope per invoice type
    assert result.mandate.reason == "Huur woning"
    assert "created inactive" in result.reminder
    # A second order finds the (still inactive) mandate instead of creating another.
    again = ensure_mandate_for_order(admin, m.Debtor.get_by_id(world.company.id), world.huur)
    assert again.mandate.id == result.mandate.id and not again.created
    # With "activate immediately" the effective date is today, and the UI is reminded.
    world.zon.auto_create_mandates = world.zon.activate_immediately = True
    world.zon.save()
    made = ensure_mandate_for_order(admin, m.Debtor.get_by_id(world.private.id), None)
    assert made.mandate.status == "active" and made.mandate.effective_date == TODAY
    assert "signed mandate form exists" in made.reminder
    history = mandate_lookup.mandate_detail(admin, made.mandate.id).history
    assert history[0]["summary"] == "created automatically for an order (activated at once)"
    # Support staff cannot cause a mandate to be made.
    world.zon.activate_immediately = False
    world.zon.save()
    mandates.end_mandate(admin, made.mandate.id)
    with pytest.raises(Refused):
        ensure_mandate_for_order(world.actor("bram"), m.Debtor.get_by_id(world.private.id), None)
