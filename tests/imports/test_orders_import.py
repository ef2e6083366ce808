"""The orders import, a batch at a time: what it stores for 5,000 rows (every value written out
as the row-by-row import stored it), all or nothing, --skip-invalid, and rows naming what
does not exist."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

from incasso_tui.db import database as db
from incasso_tui.db import models as m
from incasso_tui.services.imports.run import BATCH, run_import

from .conftest import DEBTORS, TODAY, number

HEADER = "administration;debtor;amount;requested_date;invoice_type;invoice_number;remittance;bank_account\n"
ROWS = 5000


def row(i: int) -> str:
    """Row i of the big file: both administrations, every kind of mandate, invoice types in
    either case, amounts in both notations, dates empty or given, own remittances (also
    non-ASCII) or the default, the first account or a named one."""
    zon = i % 2 == 0
    k = (i // 2) % DEBTORS
    amount = f"{1 + i % 900},{i % 100:02d}" if i % 3 else f"{1 + i % 900}.{i % 100:02d}"
    date = "" if i % 7 == 0 else (TODAY + dt.timedelta(days=i % 5)).isoformat()
    itype = ("huur" if i % 8 == 0 else "HUUR") if zon and i % 4 == 0 else ""
    remittance = f"Contributie Zoë € {i}" if i % 11 == 0 else ""
    account = "nl44 rabo 0123 4567 89" if zon and i % 6 == 0 else ""
    return f"{'ZON' if zon else 'RIJN'};{number(k)};{amount};{date};{itype};F{i:05d};{remittance};{account}\n"


def expected(world, i: int) -> dict:
    """What the row-by-row import (validate_order + insert_order) stored for row i."""
    zon = i % 2 == 0
    adm = world.zon if zon else world.rijn
    debtor = world.debtors[(adm.code, number((i // 2) % DEBTORS))]
    itype = world.huur.id if zon and i % 4 == 0 else None
    if zon:
        mandate = world.specific.get(debtor) if itype else None
        mandate = mandate or world.general[debtor]  # a revoked one too: ZON creates none
    else:
        mandate = m.Mandate.get(m.Mandate.debtor == debtor).id  # the one created for the first order
    if zon and i % 6 == 0:
        account = world.account_2.id
    else:
        account = world.account_1.id if zon else world.account_rijn.id
    return {
        "administration": adm.id,
        "debtor": debtor,
        "mandate": mandate,
        "bank_account": account,
        "invoice_type": itype,
        "invoice_number": f"F{i:05d}",
        "amount_cents": (1 + i % 900) * 100 + i % 100,
        "requested_date": TODAY if i % 7 == 0 else TODAY + dt.timedelta(days=i % 5),
        "remittance": f"Contributie Zoë € {i}" if i % 11 == 0 else f"Factuur F{i:05d}",
        "status": "open",
        "final": False,
        "collection_set": None,
        "created_by": 1,
    }


def stored(order: m.CollectionOrder) -> dict:
    return {
        "administration": order.administration_id,
        "debtor": order.debtor_id,
        "mandate": order.mandate_id,
        "bank_account": order.bank_account_id,
        "invoice_type": order.invoice_type_id,
        "invoice_number": order.invoice_number,
        "amount_cents": order.amount_cents,
        "requested_date": order.requested_date,
        "remittance": order.remittance,
        "status": order.status,
        "final": order.final,
        "collection_set": order.collection_set_id,
        "created_by": order.created_by_id,
    }


def test_five_thousand_rows_store_what_the_row_by_row_import_stored(world, admin, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "".join(row(i) for i in range(ROWS)), encoding="utf-8")
    result = run_import(admin, "orders", path)
    assert result.errors == []
    assert (result.rows, result.stored, result.skipped) == (ROWS, ROWS, 0)
    orders = list(m.CollectionOrder.select().order_by(m.CollectionOrder.id))
    assert len(orders) == ROWS
    # RIJN created one mandate per debtor, active at once, for its first order only.
    created = m.Mandate.select().where(m.Mandate.administration == world.rijn)
    assert sorted((x.debtor_id, x.status, x.sequence_number) for x in created) == sorted(
        (world.debtors[("RIJN", number(k))], "active", 1) for k in range(DEBTORS)
    )
    for i, order in enumerate(orders):
        assert stored(order) == expected(world, i), f"row {i} (line {i + 2})"
        assert order.created_at is not None and order.updated_at is not None
    # Audited as before: one entry per order naming its line, one per created mandate, one
    # for the import.
    entries = {e.object_id: e for e in m.AuditEntry.select().where(m.AuditEntry.action == "order.create")}
    assert len(entries) == ROWS
    for i, order in enumerate(orders):
        entry = entries[str(order.id)]
        assert (entry.object_type, entry.administration_id, entry.user, entry.summary) == (
            "collectionorder",
            order.administration_id,
            "tester",
            f"order imported (line {i + 2})",
        )
    assert m.AuditEntry.select().where(m.AuditEntry.action == "mandate.create").count() == DEBTORS
    summary = m.AuditEntry.get(m.AuditEntry.action == "import.orders").summary
    assert summary == f"{ROWS} orders imported from orders.csv"


def test_a_bad_row_at_the_end_stores_nothing(world, admin, tmp_path):
    """The bad row comes after several batches were checked (and stored in the transaction)."""
    rows = 3 * BATCH + 10
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "".join(row(i) for i in range(rows)) + "ZON;D001;12,5x;;;;;\n")
    result = run_import(admin, "orders", path)
    assert [(e.line, e.column, e.rule) for e in result.errors] == [
        (rows + 2, "amount", result.errors[0].rule)
    ]
    assert "amount" in str(result.errors[0]) and f"line {rows + 2}" in str(result.errors[0])
    assert (result.rows, result.stored) == (rows + 1, 0)
    assert m.CollectionOrder.select().count() == 0
    assert m.Mandate.select().where(m.Mandate.administration == world.rijn).count() == 0
    assert m.AuditEntry.select().where(m.AuditEntry.action.startswith("order")).count() == 0
    assert not m.AuditEntry.select().where(m.AuditEntry.action == "import.orders").exists()


def test_skip_invalid_stores_the_good_rows_and_names_the_bad(world, admin, tmp_path):
    lines = [row(i) for i in range(1200)]
    lines[5] = "ZON;NOPE;10,00;;;;;\n"  # line 7: unknown debtor
    lines[1100] = "RIJN;D001;10,00;2020-01-01;;;;\n"  # line 1102: in the past
    lines[1101] = "XYZ;D001;10,00;;;;;\n"  # line 1103: unknown administration
    lines[1102] = "ZON;D002;10,00;;BOGUS;;;NL00BANK\n"  # line 1104: two errors
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "".join(lines))
    result = run_import(admin, "orders", path, skip_invalid=True)
    assert [(e.line, e.column) for e in result.errors] == [
        (7, "debtor"),
        (1102, "requested_date"),
        (1103, "administration"),
        (1104, "bank_account"),
        (1104, "invoice_type"),
    ]
    by_line = {e.line: e for e in result.errors}
    assert by_line[7].rule == "no debtor with this number in ZON" and by_line[7].value == "NOPE"
    assert by_line[1102].rule == "may not be in the past"
    assert by_line[1103].rule == "unknown, or not visible to you"
    assert (result.rows, result.stored, result.skipped) == (1200, 1196, 4)
    assert m.CollectionOrder.select().count() == 1196
    numbers = {o.invoice_number for o in m.CollectionOrder.select()}
    assert "F00004" in numbers and "F00005" not in numbers and "F01199" in numbers
    summary = m.AuditEntry.get(m.AuditEntry.action == "import.orders").summary
    assert summary == "1196 orders imported from orders.csv; 4 invalid lines skipped"


def test_cli_import_orders_all_or_nothing_and_skip_invalid(world, config_file, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "".join(row(i) for i in range(20)) + "RIJN;D999;1,00;;;;;\n")
    cfg = config_file()
    db.close()
    env = {**os.environ, "USER": "tester", "LOGNAME": "tester"}
    cmd = [sys.executable, "-m", "incasso_tui", "--config", str(cfg), "--user", "tester", "import", "orders"]
    failed = subprocess.run([*cmd, str(path)], capture_output=True, text=True, env=env, timeout=120)
    assert failed.returncode == 1
    assert "line 22, column debtor: no debtor with this number in RIJN ('D999')" in failed.stderr
    assert "nothing was stored" in failed.stderr
    ok = subprocess.run(
        [*cmd, str(path), "--skip-invalid", "--json"], capture_output=True, text=True, env=env, timeout=120
    )
    assert ok.returncode == 0, ok.stderr
    answer = json.loads(ok.stdout)
    assert (answer["rows"], answer["stored"], answer["skipped"]) == (21, 20, 1)
    assert answer["errors"] == [
        {"line": 22, "column": "debtor", "rule": "no debtor with this number in RIJN", "value": "D999"}
    ]
