"""Last collection (its day has come) vs the next one planned in a file; why an inactive
mandate sits in a file; from an order to the mandate and debtor that hold it."""

from __future__ import annotations

import pytest

from incasso_tui.core.errors import NotFound
from incasso_tui.db import models as m
from incasso_tui.services.auth import actor_for
from incasso_tui.services.browse import mandate_collection_dates, order_links

from .helpers import days, mandate, order


def test_a_future_collection_date_is_the_next_collection_not_the_last(admin):
    x = mandate("201", last=days(12))  # processing moved it to the file's (future) date
    order(x, status="processed", collection=days(-20), n=1)
    order(x, status="rejected", collection=days(-5), n=2)  # never collected
    order(x, status="underway", collection=days(12), n=3)
    order(x, status="underway", collection=days(40), n=4)
    dates = mandate_collection_dates(admin, x.id)
    assert (dates.last, dates.next, dates.active_from) == (days(-20), days(12), None)


def test_a_recorded_past_last_collection_counts_without_its_orders(admin):
    x = mandate("202", last=days(-100))
    dates = mandate_collection_dates(admin, x.id)
    assert (dates.last, dates.next) == (days(-100), None)


def test_an_inactive_mandate_in_a_file_says_it_is_active_before_the_collection_date(admin):
    x = mandate("203", last=None, effective=days(7), status="inactive")
    order(x, status="underway", collection=days(10))
    assert mandate_collection_dates(admin, x.id).active_from == days(7)
    y = mandate("204", last=None, effective=days(7), status="inactive")  # in no file: nothing to explain
    assert mandate_collection_dates(admin, y.id).active_from is None


def test_order_links_give_the_mandate_and_the_debtor_within_rights(admin):
    x = mandate("205", last=None)
    o = order(x)
    links = order_links(admin, o.id)
    assert links.mandate_id == x.id and links.debtor.number == "205"
    stranger = actor_for(m.User.create(login="chris", name="Chris", role="operator"))
    with pytest.raises(NotFound):
        order_links(stranger, o.id)
    assert mandate_collection_dates(stranger, x.id).last is None
