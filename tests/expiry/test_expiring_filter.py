"""The expiring filter returns exactly the mandates the 36-month rule (rules/mandates.py)
says expire within N days, sorted by that date; the Home card counts the same; rights apply."""

from __future__ import annotations

import pytest

from incasso_tui.core.errors import ValidationError
from incasso_tui.db import models as m
from incasso_tui.rules.mandates import EXPIRY_DAYS, expiry_date
from incasso_tui.services.auth import actor_for
from incasso_tui.services.browse import MandateFilter, search_mandates
from incasso_tui.services.home import home_counts

from .helpers import TODAY, days, mandate


@pytest.fixture
def seeded(admin):
    return {
        "tomorrow": mandate("101", last=days(1 - EXPIRY_DAYS)),  # expires tomorrow: first day in
        "day60": mandate("102", last=days(60 - EXPIRY_DAYS)),  # the 60th day: last day in
        "day61": mandate("103", last=days(61 - EXPIRY_DAYS)),  # one day too late
        "today": mandate("104", last=days(-EXPIRY_DAYS)),  # expired today: no longer "expiring"
        "never": mandate("105", last=None, effective=days(30 - EXPIRY_DAYS)),  # by its effective date
        "never95": mandate("106", last=None, effective=days(95 - EXPIRY_DAYS)),
        "ended": mandate("107", last=days(10 - EXPIRY_DAYS), status="ended"),
        "rijn": mandate("108", adm="RIJN", last=days(20 - EXPIRY_DAYS)),
        "fresh": mandate("109", last=days(-3)),
    }


def _expected(within: int) -> list[int]:
    """What the rule says, mandate by mandate, soonest first."""
    found = []
    for x in m.Mandate.select():
        expires = expiry_date(x.effective_date, x.last_collection_date)
        if x.status == "active" and expires is not None and TODAY < expires <= days(within):
            found.append((expires, x.id))
    return [i for _e, i in sorted(found)]


@pytest.mark.parametrize("within", [1, 60, 100, 2000])
def test_the_filter_returns_exactly_what_the_rule_says_soonest_first(admin, seeded, within):
    page = search_mandates(admin, MandateFilter(expiring_within=within))
    assert [r.id for r in page.rows] == _expected(within)
    assert page.total == len(_expected(within))
    assert all(r.expires == expiry_date(r.effective, r.last_collection) for r in page.rows)


def test_sixty_days_is_the_boundary_and_the_home_card_counts_the_same(admin, seeded):
    ids = [r.id for r in search_mandates(admin, MandateFilter(expiring_within=60)).rows]
    assert ids == [seeded[k].id for k in ("tomorrow", "rijn", "never", "day60")]
    assert home_counts(admin).mandates_expiring_60d == len(ids)


def test_rights_limit_the_view_and_the_count(admin, seeded):
    user = m.User.create(login="anna", name="Anna", role="operator")
    m.UserAdministration.create(user=user, administration=seeded["tomorrow"].administration)
    anna = actor_for(user)
    ids = [r.id for r in search_mandates(anna, MandateFilter(expiring_within=60)).rows]
    assert seeded["rijn"].id not in ids and ids == [seeded[k].id for k in ("tomorrow", "never", "day60")]
    assert home_counts(anna).mandates_expiring_60d == 3


def test_it_combines_with_the_search(admin, seeded):
    page = search_mandates(admin, MandateFilter(search="105", expiring_within=60))
    assert [r.id for r in page.rows] == [seeded["never"].id]


def test_a_window_under_one_day_is_refused_naming_the_field(admin, seeded):
    with pytest.raises(ValidationError, match="expiring"):
        search_mandates(admin, MandateFilter(expiring_within=0))


def test_expires_is_only_shown_for_active_mandates(admin, seeded):
    rows = {r.id: r for r in search_mandates(admin, MandateFilter()).rows}
    assert rows[seeded["ended"].id].expires is None
    assert rows[seeded["fresh"].id].expires == days(-3 + EXPIRY_DAYS)
