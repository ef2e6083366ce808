"""The debtor and mandate imports across batches: duplicates found however far apart, debtors
stored with their derived search columns, unknown debtors named by line."""

from __future__ import annotations

from incasso_tui.db import models as m
from incasso_tui.rules.search_keys import debtor_keys
from incasso_tui.services.imports.run import BATCH, run_import

from .conftest import number

DEBTOR_HEADER = "administration;number;name;town;iban\n"
FAR = 2 * BATCH + 300  # a row some batches after the first


def debtor_row(k: int) -> str:
    return f"ZON;N{k:05d};Jürgen Müller {k};Den Haag;NL91ABNA0417164300\n"


def test_debtors_in_batches_with_their_search_keys(world, admin, tmp_path):
    path = tmp_path / "debtors.csv"
    path.write_text(DEBTOR_HEADER + "".join(debtor_row(k) for k in range(FAR)), encoding="utf-8")
    result = run_import(admin, "debtors", path)
    assert (result.errors, result.stored) == ([], FAR)
    imported = m.Debtor.select().where(m.Debtor.number.startswith("N")).order_by(m.Debtor.id)
    assert [d.number for d in imported] == [f"N{k:05d}" for k in range(FAR)]
    keys = debtor_keys("Jürgen Müller 7", "Den Haag")
    last = m.Debtor.get(m.Debtor.number == "N00007")
    assert {name: getattr(last, name) for name in keys} == keys
    assert (last.name, last.town, last.iban, last.administration_id) == (
        "Jürgen Müller 7",
        "Den Haag",
        "NL91ABNA0417164300",
        world.zon.id,
    )
    audit = m.AuditEntry.get(
        (m.AuditEntry.object_type == "debtor") & (m.AuditEntry.object_id == str(last.id))
    )
    assert (audit.action, audit.summary, audit.administration_id) == (
        "debtor.create",
        "debtor N00007 imported (line 9)",
        world.zon.id,
    )


def test_duplicate_numbers_batches_apart_are_reported_and_nothing_stored(world, admin, tmp_path):
    rows = [debtor_row(k) for k in range(FAR)]
    rows.append(debtor_row(3))  # line FAR + 2 repeats line 5
    rows.append(f"ZON;{number(4)};Bestaat al;;\n")  # exists in the database already
    path = tmp_path / "debtors.csv"
    path.write_text(DEBTOR_HEADER + "".join(rows), encoding="utf-8")
    before = m.Debtor.select().count()
    result = run_import(admin, "debtors", path)
    assert [(e.line, e.column, e.rule) for e in result.errors] == [
        (FAR + 2, "number", "duplicate in this file (first on line 5)"),
        (FAR + 3, "number", "already exists in administration ZON"),
    ]
    assert result.stored == 0 and m.Debtor.select().count() == before
    assert not m.AuditEntry.select().where(m.AuditEntry.action == "debtor.create").exists()
    partial = run_import(admin, "debtors", path, skip_invalid=True)
    assert (partial.stored, partial.skipped) == (FAR, 2)
    assert m.Debtor.select().count() == before + FAR


def test_mandates_name_unknown_debtors_and_duplicate_references_by_line(world, admin, tmp_path):
    header = "administration;debtor;reference;signed;effective\n"
    rows = [f"RIJN;{number(k % 50)};R-{k:05d};2026-01-05;2026-01-05\n" for k in range(BATCH + 100)]
    rows[10] = "RIJN;D999;R-X;2026-01-05;2026-01-05\n"  # line 12: no such debtor
    rows.append(f"RIJN;{number(1)};R-00002;2026-01-05;2026-01-05\n")  # repeats line 4's reference
    path = tmp_path / "mandates.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    result = run_import(admin, "mandates", path)
    assert [(e.line, e.column) for e in result.errors] == [(12, "debtor"), (BATCH + 102, "reference")]
    assert result.errors[0].rule == "no debtor with this number in RIJN (import the debtors first)"
    assert result.errors[0].value == "D999"
    assert result.errors[1].rule == "is used twice in this file"
    assert result.stored == 0
    assert not m.Mandate.select().where(m.Mandate.administration == world.rijn).exists()
    partial = run_import(admin, "mandates", path, skip_invalid=True)
    assert (partial.stored, partial.skipped) == (BATCH + 99, 2)
    stored = m.Mandate.select().where(m.Mandate.administration == world.rijn)
    assert sorted(x.reference for x in stored) == sorted(f"R-{k:05d}" for k in range(BATCH + 100) if k != 10)
