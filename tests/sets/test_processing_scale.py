"""What set processing does to stay fast and flat at scale, checked for its behaviour: ids bound
as one parameter (one reusable statement per chunk), the mandates' collection dates found by
the database per date, and a PmtInf's total without keeping each order's amount."""

from __future__ import annotations

import datetime as dt
from array import array
from pathlib import Path

import pytest

from incasso_tui.db import bound_list
from incasso_tui.db import models as m
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.sepa import check_file, read_pain008
from incasso_tui.services.collection import planning, processing, sets

from .helpers import TODAY, world


def _process(actor, set_id: int, outbox: Path) -> m.CollectionSet:
    job_id = processing.process_set(actor, set_id, outbox_dir=outbox)
    status = JobRunner().run_one(job_id)
    assert status == "done", m.Job.get_by_id(job_id).error
    return m.CollectionSet.get_by_id(set_id)


def test_ids_in_binds_one_parameter_and_finds_exactly_the_ids(admin):
    _group, _adm, _account, orders = world(3)
    wanted = [orders[0].id, orders[2].id]
    # More ids than a chunk, most of them absent, in an array as the plan keeps them.
    ids = array("q", [*wanted, *range(10_000_000, 10_000_000 + planning.CHUNK + 7)])
    query = m.CollectionOrder.select(m.CollectionOrder.id).where(bound_list.ids_in(m.CollectionOrder.id, ids))
    _sql, params = query.sql()
    assert len(params) == 1  # one parameter: the statement text is the same for every chunk
    assert sorted(planning.raw_rows(query.order_by(m.CollectionOrder.id))) == [(i,) for i in sorted(wanted)]
    changed = (
        m.CollectionOrder.update(invoice_number="X")
        .where(bound_list.ids_in(m.CollectionOrder.id, ids[:1]))
        .execute()
    )
    assert changed == 1
    assert [o.invoice_number for o in m.CollectionOrder.select().order_by(m.CollectionOrder.id)] == [
        "X",
        orders[1].invoice_number,
        orders[2].invoice_number,
    ]


def test_mandate_dates_take_the_latest_collection_and_never_move_back(admin, tmp_path):
    _group, _adm, account, orders = world(3)
    later = TODAY + dt.timedelta(days=60)
    # A second order under the first mandate, due a week after its first: FRST then RCUR, and
    # the mandate's last collection date is the later one.
    second = m.CollectionOrder.create(
        administration=orders[0].administration_id,
        debtor=orders[0].debtor_id,
        mandate=orders[0].mandate_id,
        bank_account=account,
        invoice_number="F-2",
        amount_cents=777,
        requested_date=TODAY + dt.timedelta(days=12),
    )
    # The third mandate was (somehow) collected later already: processing never moves it back.
    m.Mandate.update(last_collection_date=later, collected=True).where(
        m.Mandate.id == orders[2].mandate_id
    ).execute()
    created = sets.create_set(admin, "ABN")
    assert created.orders == 4
    cset = _process(admin, created.id, tmp_path)
    dates = {
        o.id: o.collection_date
        for o in m.CollectionOrder.select().where(m.CollectionOrder.collection_set == cset.id)
    }
    first, last = dates[orders[0].id], dates[second.id]
    assert first < last
    by_id = {md.id: md for md in m.Mandate.select()}
    assert by_id[orders[0].mandate_id].last_collection_date == last
    assert by_id[orders[1].mandate_id].last_collection_date == dates[orders[1].id]
    assert by_id[orders[2].mandate_id].last_collection_date == later
    assert all(md.collected for md in by_id.values())
    seq = {o.id: o.sequence_type for o in m.CollectionOrder.select()}
    assert (seq[orders[0].id], seq[second.id], seq[orders[2].id]) == ("FRST", "RCUR", "RCUR")


def test_pmtinf_totals_without_a_maximum_per_file_match_the_file(admin, tmp_path):
    _group, _adm, _account, orders = world(6)
    created = sets.create_set(admin, "ABN")
    cset = _process(admin, created.id, tmp_path)
    (entry,) = cset.files
    assert entry["total_cents"] == sum(o.amount_cents for o in orders)
    assert sum(p["total_cents"] for p in entry["pmt_inf"]) == entry["total_cents"]
    read = read_pain008(entry["path"])
    assert read.ctrl_sum_cents == entry["total_cents"] and read.nb_of_txs == 6
    assert check_file(entry["path"], today=TODAY).ok


def test_id_set_holds_exactly_the_ids_added():
    import random

    ids = planning.IdSet()
    rng = random.Random(15)
    added = {rng.randrange(0, 3_000_000) for _ in range(5000)} | {0, 7, 8, 2_999_999}
    for i in added:
        ids.add(i)
    probes = added | {rng.randrange(0, 4_000_000) for _ in range(20000)} | {-1, 10**12}
    assert {i for i in probes if i in ids} == added
    assert None not in ids
    with pytest.raises(ValueError):
        ids.add(-3)
