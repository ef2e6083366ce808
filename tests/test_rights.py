"""Rights are enforced in the services: roles, and rows of other administrations never listed."""

from __future__ import annotations

import pytest

from incasso_tui.core.errors import NotFound, Refused, UsageError, ValidationError
from incasso_tui.db import models as m
from incasso_tui.services import auth, browse, home, organisation, users


def _adm_ids(codes):
    return {a.id for a in m.Administration.select().where(m.Administration.code.in_(codes))}


def test_user_without_rights_sees_none_of_an_administrations_rows(demo):
    bram = demo("bram")  # support, ZON only
    zon = _adm_ids(["ZON"])
    assert [r.code for r in organisation.list_administrations(bram)] == ["ZON"]
    page = browse.search_mandates(bram, browse.MandateFilter(), limit=1000)
    assert page.total > 0 and page.total == len(page.rows)
    assert {r.administration for r in page.rows} == {"ZON"}
    assert page.total == m.Mandate.select().where(m.Mandate.administration.in_(zon)).count()
    debtors = browse.search_debtors(bram, limit=1000)
    assert {r.administration for r in debtors.rows} == {"ZON"}
    orders = browse.search_orders(bram, browse.OrderFilter(), limit=1000)
    assert {r.administration for r in orders.rows} == {"ZON"}
    # Even asking explicitly for another administration yields nothing.
    rijn = _adm_ids(["RIJN"]).pop()
    assert browse.search_mandates(bram, browse.MandateFilter(administration_id=rijn)).total == 0
    with pytest.raises(NotFound):
        organisation.get_administration(bram, "RIJN")
    counts = home.home_counts(bram)
    assert sum(counts.mandates_by_status.values()) == page.total


def test_bank_groups_only_with_visible_accounts(demo):
    chris = demo("chris")  # operator, RIJN: accounts at ING and RABO
    groups = organisation.list_bank_groups(chris, processable_only=True)
    assert [g.code for g in groups] == ["ING", "RABO"]
    assert all(iban.startswith("NL") for g in groups for iban in g.accounts)
    assert len(groups[0].accounts) == 1  # ZON's ING account is not shown
    assert organisation.list_bank_groups(demo("bram"), processable_only=True) == []


def test_support_cannot_change_anything(demo):
    bram = demo("bram")
    zon = _adm_ids(["ZON"]).pop()
    assert bram.may("view", zon)
    for action in ("edit", "process", "admin"):
        assert not bram.may(action, zon)
        with pytest.raises(Refused, match="the role does not allow it"):
            bram.require(action, zon)
    with pytest.raises(Refused):
        users.add_user(bram, "eve", "operator")
    with pytest.raises(Refused):
        users.grant(bram, "bram", ["RIJN"])


def test_operator_limited_to_own_administrations(demo):
    anna = demo("anna")
    assert anna.may("process", _adm_ids(["ZON"]).pop())
    with pytest.raises(Refused, match="no rights for this administration"):
        anna.require("edit", _adm_ids(["RIJN"]).pop(), what="mandates")


def test_user_management_and_audit(demo):
    admin = demo()
    users.add_user(admin, "eve", "operator", "Eve")
    assert users.grant(admin, "eve", ["ZON", "KLIM"]) == ["ZON", "KLIM"]
    assert users.grant(admin, "eve", ["ZON"]) == []
    eve = demo("eve")
    assert eve.administration_ids == _adm_ids(["ZON", "KLIM"])
    assert users.revoke(admin, "eve", ["KLIM"]) == ["KLIM"]
    users.set_role(admin, "eve", "support")
    assert demo("eve").role == "support"
    actions = [
        e.action for e in m.AuditEntry.select().where(m.AuditEntry.user == "tester").order_by(m.AuditEntry.id)
    ]
    assert actions[-5:] == ["user.add", "user.grant", "user.grant", "user.revoke", "user.role"]
    role_change = m.AuditEntry.select().where(m.AuditEntry.action == "user.role").get()
    assert role_change.changes == {"role": ["operator", "support"]}
    with pytest.raises(Refused, match="already exists"):
        users.add_user(admin, "eve", "operator")
    with pytest.raises(ValidationError, match="role"):
        users.add_user(admin, "frank", "boss")
    with pytest.raises(NotFound, match="administration NOPE"):
        users.grant(admin, "eve", ["NOPE"])
    with pytest.raises(Refused, match="yourself"):
        users.set_role(admin, "tester", "support")
    # A non-admin lists only itself.
    assert [u.login for u in users.list_users(demo("anna"))] == ["anna"]


def test_resolve_actor(demo):
    import os
    import pwd

    # The OS login is the real uid's, never $LOGNAME/$USER (conftest sets both to tester).
    real = pwd.getpwuid(os.getuid()).pw_name
    if real != "tester":
        with pytest.raises(Refused, match=f"user {real} is not known to incasso"):
            auth.resolve_actor(None, False)
        m.User.get_or_create(login=real, defaults={"name": "", "role": "support"})
    assert auth.resolve_actor(None, False).login == real
    assert auth.resolve_actor("anna", True).login == "anna"
    with pytest.raises(UsageError, match="allow_user_flag"):
        auth.resolve_actor("anna", False)
    with pytest.raises(Refused, match="incasso user add zed --role operator"):
        auth.resolve_actor("zed", True)
    users.set_active(demo(), "anna", False)
    with pytest.raises(Refused, match="deactivated"):
        auth.resolve_actor("anna", True)
