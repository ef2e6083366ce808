"""Processing warns (and lists who) when an order is collected without a notice in time, or
on another date or for another amount than the notice said; it never refuses."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.services import prenotification as pn
from incasso_tui.services.collection import sets

from .helpers import notice_world


def _problems(set_id: int) -> dict[str, str]:
    """debtor number -> problem."""
    return {r["debtor_number"]: r["problem"] for r in pn.check_set(set_id).rows}


def test_no_notice_late_notice_moved_date_changed_amount(admin, tmp_path):
    _, adm, _, orders = notice_world(4, days=5)  # collected 30 Nov; told 24 Nov: in time for 5 days
    created = sets.create_set(admin, "ABN")
    numbers = [o.debtor.number for o in orders]
    assert set(_problems(created.id).values()) == {"none"} and len(_problems(created.id)) == 4
    pn.prenotify_order(admin, orders[0].id, pdf=tmp_path / "0.pdf")
    pn.prenotify_order(admin, orders[1].id, pdf=tmp_path / "1.pdf")
    pn.prenotify_order(admin, orders[2].id, pdf=tmp_path / "2.pdf")
    problems = _problems(created.id)
    assert problems == {numbers[3]: "none"}
    # The order's amount changes after the notice.
    m.CollectionOrder.update(amount_cents=9999).where(m.CollectionOrder.id == orders[1].id).execute()
    # An earlier notice, told too late for the 14 days another agreement would need.
    adm.pre_notification_days = 14
    adm.save()
    problems = _problems(created.id)
    assert problems == {
        numbers[0]: "late",
        numbers[1]: "amount_changed",
        numbers[2]: "late",
        numbers[3]: "none",
    }
    check = pn.check_set(created.id)
    assert (check.orders, check.problems) == (4, 4)
    row = next(r for r in check.rows if r["debtor_number"] == numbers[1])
    assert (row["stated_amount_cents"], row["amount_cents"], row["debtor_name"]) == (
        1001,
        9999,
        orders[1].debtor.name,
    )
    line = next(x for x in check.lines() if numbers[0] in x)
    assert "less than 14 days before the collection" in line and orders[0].debtor.name in line


def test_a_date_moved_after_the_notice(admin, tmp_path):
    _, _, _, orders = notice_world(2, days=5)
    created = sets.create_set(admin, "ABN")
    pn.prenotify_set(admin, created.id, pdf=tmp_path / "p.pdf")
    assert pn.check_set(created.id).problems == 0
    sets.change_date(admin, created.id, dt.date(2026, 12, 8))  # the set moves on: so do its orders
    problems = _problems(created.id)
    assert problems == {o.debtor.number: "date_moved" for o in orders}
    row = pn.check_set(created.id).rows[0]
    assert (row["stated_date"], row["collection_date"]) == (dt.date(2026, 11, 30), dt.date(2026, 12, 8))
    # A new notice for the new date settles it.
    pn.prenotify_set(admin, created.id, pdf=tmp_path / "p2.pdf")
    assert pn.check_set(created.id).problems == 0


def test_an_email_not_sent_does_not_count(admin, tmp_path):
    _, _, _, orders = notice_world(1, days=5)
    created = sets.create_set(admin, "ABN")
    m.PreNotification.create(
        order=orders[0],
        collection_set=created.id,
        debtor=orders[0].debtor,
        channel="email",
        collection_date=dt.date(2026, 11, 30),
        amount_cents=1000,
        status="unknown",
    )
    assert _problems(created.id) == {orders[0].debtor.number: "none"}


def test_cli_set_process_warns_and_lists_who_but_processes(admin, config_file, tmp_path):
    _, _, _, orders = notice_world(3, days=5)
    created = sets.create_set(admin, "ABN")
    pn.prenotify_order(admin, orders[0].id, pdf=tmp_path / "0.pdf")
    cfg = config_file(f'\n[paths]\noutbox_dir = "{tmp_path / "outbox"}"\n')
    db.close()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "incasso_tui",
            "--config",
            str(cfg),
            "--user",
            "tester",
            "set",
            "process",
            str(created.id),
            "--wait",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "warning: 2 of 3 order(s) collected without a pre-notification in time" in result.stderr
    for order in orders[1:]:
        assert f"{order.debtor.number} {order.debtor.name}: no pre-notification" in result.stderr
    assert orders[0].debtor.name not in result.stderr
    assert m.CollectionSet.get_by_id(created.id).status == "processed"
    # After processing the check reads the dates in the file.
    assert pn.check_set(created.id).problems == 2
