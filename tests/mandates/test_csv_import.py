"""CSV import of debtors and mandates: all or nothing, every error with line, column and rule."""

from __future__ import annotations

import pytest

from incasso_tui.core.errors import NotFound
from incasso_tui.db import models as m
from incasso_tui.services.imports.run import run_import

from .conftest import IBAN_ABN, IBAN_ING, TODAY

HEADER = "administration;number;name;street;building_number;postcode;town;language;business;iban\n"


def write(tmp_path, text: str | bytes, name: str = "file.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def errors(result) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in result.errors]


def test_good_file_with_bom_semicolons_and_quotes(world, tmp_path):
    text = (
        "\ufeff"
        + HEADER
        + 'ZON;1100;"Jansen; Piet";Kerkstraat;1;1012 AB;Amsterdam;nl;nee;nl91 abna 0417 1643 00\n'
        + "\n"  # a blank line is allowed
        + "RIJN;2100;Bakkerij Ærø B.V.;;;;Rotterdam;en;ja;"
        + IBAN_ING
        + "\n"
    )
    result = run_import(world.actor(), "debtors", write(tmp_path, text))
    assert result.ok and (result.rows, result.stored) == (2, 2)
    jansen = m.Debtor.get(m.Debtor.number == "1100")
    assert (jansen.name, jansen.iban, jansen.bic, jansen.is_business) == (
        "Jansen; Piet",
        IBAN_ABN,
        "ABNANL2A",
        False,
    )
    assert m.Debtor.get(m.Debtor.number == "2100").is_business
    assert m.AuditEntry.select().where(m.AuditEntry.action == "import.debtors").count() == 1


def test_comma_separated_with_columns_in_any_order(world, tmp_path):
    path = write(tmp_path, "Name,Number,Administration\nPiet,1200,ZON\n")
    assert run_import(world.actor(), "debtors", path).stored == 1


def test_broken_debtor_file_stores_nothing_and_names_every_row(world, tmp_path):
    before = m.Debtor.select().count()
    text = (
        HEADER
        + "ZON;1300;Goed;;;;;nl;nee;"
        + IBAN_ABN
        + "\n"  # line 2: fine
        + "ZON;1301;Foute IBAN;;;;;nl;nee;NL91ABNA0417164301\n"  # 3: checksum
        + "ZON;1300;Dubbel;;;;;nl;nee;\n"  # 4: duplicate in file
        + "ZON;1001;Bestaat al;;;;;nl;nee;\n"  # 5: exists already
        + "ZON;1302;Te weinig;;\n"  # 6: column count
        + "ZON;1303;Taal;;;;;fr;misschien;\n"  # 7: two errors
        + "XYZ;1304;Onbekend;;;;;nl;nee;\n"  # 8: administration
        + "RIJN;1305;Geen rechten;;;;;nl;nee;\n"
    )  # 9: anna may not
    result = run_import(world.actor("anna"), "debtors", write(tmp_path, text))
    assert result.stored == 0 and m.Debtor.select().count() == before
    assert errors(result) == [
        (3, "iban"),
        (4, "number"),
        (5, "number"),
        (6, ""),
        (7, "business"),
        (7, "language"),
        (8, "administration"),
        (9, "administration"),
    ]
    by_line = {e.line: e for e in result.errors}
    assert "MOD 97-10" in by_line[3].rule
    assert by_line[4].rule == "duplicate in this file (first on line 2)"
    assert by_line[5].rule == "already exists in administration ZON"
    assert by_line[6].rule.startswith("has 5 fields; the header has 10")
    assert "line 3, column iban:" in str(result.errors[0])
    # --skip-invalid stores the valid row and lists the others.
    partial = run_import(world.actor("anna"), "debtors", write(tmp_path, text), skip_invalid=True)
    assert (partial.stored, partial.skipped) == (1, 7)
    assert m.Debtor.get(m.Debtor.number == "1300").name == "Goed"


def test_wrong_encoding_is_named_per_row_and_column(world, tmp_path):
    text = HEADER + "ZON;1400;Jos\xe9;;;;;nl;nee;\n" + "ZON;1401;Ren\xe9e;Caf\xe9straat;;;;nl;nee;\n"
    result = run_import(world.actor(), "debtors", write(tmp_path, text.encode("cp1252")))
    assert errors(result) == [(2, "name"), (3, "name"), (3, "street")]
    assert "byte 0xE9" in result.errors[0].rule and "UTF-8" in result.errors[0].rule
    assert result.stored == 0
    utf16 = run_import(world.actor(), "debtors", write(tmp_path, HEADER.encode("utf-16")))
    assert "UTF-16" in utf16.errors[0].rule


def test_header_problems(world, tmp_path):
    result = run_import(world.actor(), "debtors", write(tmp_path, "administration;naam;iban\nZON;x;y\n"))
    assert [(e.line, e.column, e.rule.split(";")[0]) for e in result.errors] == [
        (1, "naam", "unknown column"),
        (1, "name", "required column is missing"),
        (1, "number", "required column is missing"),
    ]
    assert (
        run_import(world.actor(), "debtors", write(tmp_path, ""))
        .errors[0]
        .rule.startswith("the file is empty")
    )
    with pytest.raises(NotFound, match="file not found"):
        run_import(world.actor(), "debtors", tmp_path / "missing.csv")


def test_mandates_import(world, tmp_path):
    text = (
        "administration;debtor;scheme;kind;invoice_type;reference;external_reference;signed;"
        "effective;end;last_collection;reason;b2b_registered\n"
        f"ZON;1001;CORE;recurrent;;;;01-03-2024;01-03-2024;;{TODAY.replace(month=10).isoformat()};;\n"
        "ZON;1001;;eenmalig;;;ABC-9;;;;;Eenmalige gift;\n"
        "RIJN;2001;B2B;;HUUR;R-2001;;2026-01-05;2026-01-05;;;;ja\n"
    )
    result = run_import(world.actor(), "mandates", write(tmp_path, text))
    assert result.ok and result.stored == 3
    first, second = m.Mandate.select().where(m.Mandate.debtor == world.private.id).order_by(m.Mandate.id)
    assert (first.reference, first.status, first.collected) == ("1001-1", "active", True)
    assert first.last_collection_date == TODAY.replace(month=10)
    assert (second.reference, second.external_reference, second.recurrent) == ("1001-2", "ABC-9", False)
    b2b = m.Mandate.get(m.Mandate.reference == "R-2001")
    assert (b2b.scheme, b2b.b2b_registered, b2b.invoice_type_id) == ("B2B", True, world.huur.id)


def test_broken_mandate_file(world, tmp_path):
    text = (
        "administration,debtor,scheme,reference,signed,effective,last_collection\n"
        "ZON,1001,CORE,REF-1,2026-13-01,,\n"  # 2: bad date
        "ZON,1001,B2B,REF-2,,,\n"  # 3: B2B for a private debtor
        "ZON,9999,CORE,,,,\n"  # 4: no such debtor
        "ZON,1001,CORE,ref-2,,,\n"  # 5: fine (ref-2 is free: line 3 failed)
        "ZON,1001,CORE,REF-2,,,\n"  # 6: used twice in the file
        "ZON,1001,CORE,REF 3,2099-01-01,,\n"  # 7: space, future signature
        "RIJN,2001,CORE,,,,soon\n"
    )  # 8: bad date
    result = run_import(world.actor(), "mandates", write(tmp_path, text))
    assert result.stored == 0 and m.Mandate.select().count() == 0
    assert errors(result) == [
        (2, "signed"),
        (3, "scheme"),
        (4, "debtor"),
        (6, "reference"),
        (7, "reference"),
        (7, "signed"),
        (8, "last_collection"),
    ]
    assert {e.line: e.rule for e in result.errors}[6] == "is used twice in this file"
