"""The reports' figures on data where each one is known (tests/reports/seed.py), on both
databases: collected per month, R-transactions and the reject rate, mandates over time,
the rights of a limited user, the period and administration filters."""

from __future__ import annotations

import datetime as dt

import pytest
from sets.helpers import operator

from incasso_tui.core.errors import NotFound, ValidationError
from incasso_tui.services.feedback.codes import reason_name
from incasso_tui.services.reports import collected_report, collected_trend, mandates_report, rejects_report
from incasso_tui.services.reports.months import months, period
from reports import seed


def test_period_defaults_to_twelve_months_and_reads_both_date_notations():
    assert period() == (dt.date(2025, 12, 1), dt.date(2026, 11, 30))  # twelve whole months
    assert period("01-03-2026", "2026-04-30") == (dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    assert months(dt.date(2025, 11, 30), dt.date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    with pytest.raises(ValidationError, match="from '2026-05-01': must be on or before"):
        period("2026-05-01", "2026-04-30")
    with pytest.raises(ValidationError, match="to '31-02-2026': is not a date in the calendar"):
        period(None, "31-02-2026")


def test_collected_per_month_account_with_rejected_and_reversed(admin):
    known = seed.collections()
    report = collected_report(admin)
    assert (report.date_from, report.date_to) == (dt.date(2025, 12, 1), dt.date(2026, 11, 30))
    a, k = known["iban_a"], known["iban_k"]
    assert report.table.rows == [
        # month, administration, account, n, amount, rejected n/amount, reversed n/amount, net
        ("2026-10", "KLIM", k, 1, 7000, 0, 0, 0, 0, 7000),
        ("2026-10", "ZON", a, 3, 6000, 1, 2000, 1, 3000, 1000),
        ("2026-11", "KLIM", k, 1, 8000, 1, 8000, 0, 0, 0),
        ("2026-11", "ZON", a, 1, 4000, 0, 0, 0, 0, 4000),
    ]
    summary = {row[0]: row[1:] for row in report.summary.rows}
    assert len(summary) == 13  # twelve months and the total
    assert summary["2025-12"] == (0, 0, 0, 0, 0, 0, 0)
    assert summary["2026-10"] == (4, 13000, 1, 2000, 1, 3000, 8000)
    assert summary["2026-11"] == (2, 12000, 1, 8000, 0, 0, 4000)
    assert summary["total"] == (6, 25000, 2, 10000, 1, 3000, 12000)
    assert report.chart.months[-2:] == ["2026-10", "2026-11"]
    assert [s.values[-2:] for s in report.chart.series] == [[8000, 4000], [2000, 8000], [3000, 0]]
    assert collected_trend(admin)[-3:] == [("2026-09", 0), ("2026-10", 13000), ("2026-11", 12000)]


def test_collected_period_administration_filter_and_rights(admin):
    known = seed.collections()
    older = collected_report(admin, "2025-06-01", "30-06-2025")
    assert [r[:5] for r in older.table.rows] == [("2025-06", "ZON", known["iban_a"], 1, 6000)]
    november = collected_report(admin, date_from="2026-11-01")
    assert [r[:2] for r in november.table.rows] == [("2026-11", "KLIM"), ("2026-11", "ZON")]
    only_klim = collected_report(admin, administration="klim")
    assert only_klim.administration == "KLIM"
    assert {r[1] for r in only_klim.table.rows} == {"KLIM"}
    zon_user = operator("zonly", known["zon"])
    mine = collected_report(zon_user)
    assert {r[1] for r in mine.table.rows} == {"ZON"}
    assert mine.summary.rows[-1][1:3] == (4, 10000)
    with pytest.raises(NotFound, match="administration KLIM does not exist or is not visible"):
        collected_report(zon_user, administration="KLIM")


def test_rejects_by_reason_code_with_the_reject_rate(admin):
    known = seed.collections()
    report = rejects_report(admin)
    assert report.table.rows == [
        # month, code, reason, R-transactions, amount, share of the month's collections
        ("2026-10", "AC04", report.table.rows[0][2], 1, 2000, 0.25),
        ("2026-10", "MD06", report.table.rows[1][2], 1, 3000, 0.25),
        ("2026-11", "AC04", report.table.rows[2][2], 1, 500, 0.5),
        ("2026-11", "AM04", report.table.rows[3][2], 1, 8000, 0.5),
        ("2026-11", "MS02", report.table.rows[4][2], 1, 100, 0.5),
    ]
    assert report.table.rows[0][2] == "Closed account number" == reason_name("AC04")
    summary = {row[0]: row[1:] for row in report.summary.rows}
    assert summary["2026-09"] == (0, 0, 0, None)  # no collections: no rate
    assert summary["2026-10"] == (4, 2, 5000, 0.5)
    assert summary["2026-11"] == (2, 3, 8600, 1.5)
    assert summary["total"] == (6, 5, 13600, 0.8333)
    assert report.chart.kind == "line" and report.chart.series[0].values[-2:] == [0.5, 1.5]
    dutch = rejects_report(admin, language="nl")
    assert dutch.table.rows[0][2] == reason_name("AC04", "nl") != reason_name("AC04")

    # A limited user: only ZON's orders, and neither KLIM's nor nobody's unmatched feedback.
    zon_user = operator("zonly", known["zon"])
    mine = {row[0]: row[1:] for row in rejects_report(zon_user).summary.rows}
    assert mine["2026-10"] == (3, 2, 5000, 0.6667)
    assert mine["2026-11"] == (1, 0, 0, 0.0)
    klim = rejects_report(admin, administration="KLIM")
    assert [r[1] for r in klim.table.rows] == ["AC04", "AM04"]  # the unmatched one stored as KLIM's
    assert {row[0]: row[1:] for row in klim.summary.rows}["2026-11"] == (1, 2, 8500, 2.0)


def test_mandates_new_ended_live_expiring_and_by_status(admin):
    seed.mandates()
    report = mandates_report(admin, administration="MAN")
    rows = {row[0]: row[1:] for row in report.table.rows}
    # new, ended, live at month end, expiring, reaching end date
    assert rows["2025-12"] == (0, 0, 1, None, None)  # M8 live; M4 expired in 2025-05
    assert rows["2026-01"] == (1, 0, 2, None, None)
    assert rows["2026-04"] == (1, 0, 5, None, None)
    assert rows["2026-05"] == (0, 0, 5, None, None)  # end date 05-31: still live that day
    assert rows["2026-06"] == (0, 1, 4, None, None)
    assert rows["2026-07"] == (0, 1, 3, None, None)  # revoked
    assert rows["2026-10"] == (0, 1, 2, None, None)  # final collection on 09-30
    assert rows["2026-11"] == (1, 0, 3, 0, 0)
    assert rows["2026-12"] == (None, None, None, 1, 0)  # 36 months after 2023-12-15
    assert rows["2027-01"] == (None, None, None, 0, 1)
    assert list(rows)[-1] == "2027-04"  # six coming months
    assert dict(report.summary.rows) == {
        "inactive": 1,
        "active": 3,
        "ended": 2,
        "expired": 1,
        "blocked": 0,
        "revoked": 1,
    }
    assert [s.name for s in report.chart.series] == ["New", "Ended"]
    assert report.chart.series[1].values[6:8] == [1, 1]  # June, July


def test_a_processed_sent_and_refunded_set_as_the_services_leave_it(admin, tmp_path):
    """Not seeded: a real set processed into a file and sent, one order refunded by hand."""
    from feedback.test_feedback_service import sent_set

    from incasso_tui.services.feedback import reversals

    _cset, orders, _core = sent_set(admin, tmp_path, n=3)
    day = orders[0].collection_date
    reversals.reverse_order(admin, orders[0].id, "refund", "MD06", on=day + dt.timedelta(days=10))
    until = day + dt.timedelta(days=40)
    collected = collected_report(admin, day, until)
    amounts = sum(o.amount_cents for o in orders)
    assert [r[3:] for r in collected.table.rows] == [
        (3, amounts, 0, 0, 1, orders[0].amount_cents, amounts - orders[0].amount_cents)
    ]
    rejects = rejects_report(admin, day, until)
    assert [(r[1], r[3], r[4]) for r in rejects.table.rows] == [("MD06", 1, orders[0].amount_cents)]
    assert rejects.summary.rows[-1][1:] == (3, 1, orders[0].amount_cents, 0.3333)
