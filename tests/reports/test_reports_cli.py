"""`incasso report …` as a user runs it: whole processes; --json, --csv and --xlsx read back;
rights and bad input as one-line errors."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal

from openpyxl import load_workbook
from sets.helpers import operator
from sets.test_cli_sets import run

from incasso_tui.db import database as db
from reports import seed


def test_json_table_and_rights(admin, config_file):
    known = seed.collections()
    operator("zonly", known["zon"])
    cfg = config_file()
    db.close()

    data = json.loads(run(cfg, "report", "collected", "--json").stdout)
    assert data["from"] == "2025-12-01" and data["to"] == "2026-11-30" and data["administration"] is None
    assert data["rows"][1] == {
        "month": "2026-10",
        "administration": "ZON",
        "bank_account": known["iban_a"],
        "collections": 3,
        "amount_cents": 6000,
        "rejected": 1,
        "rejected_cents": 2000,
        "reversed": 1,
        "reversed_cents": 3000,
        "net_cents": 1000,
    }
    rejects = json.loads(run(cfg, "report", "rejects", "--from", "01-10-2026", "--json").stdout)
    assert [m["month"] for m in rejects["summary"]] == ["2026-10", "2026-11", "total"]
    assert rejects["summary"][-1] == {
        "month": "total",
        "collections": 6,
        "r_transactions": 5,
        "amount_cents": 13600,
        "reject_rate": 0.8333,
    }

    shown = run(cfg, "report", "rejects")
    assert shown.returncode == 0, shown.stderr
    assert "R-transactions and reject rate, 2025-12-01 to 2026-11-30" in shown.stdout
    assert "Closed account number" in shown.stdout and "83.33 %" in shown.stdout
    mandates = run(cfg, "report", "mandates", "--administration", "zon")
    assert mandates.returncode == 0 and "administration ZON" in mandates.stdout

    mine = json.loads(run(cfg, "report", "collected", "--json", user="zonly").stdout)
    assert {r["administration"] for r in mine["rows"]} == {"ZON"}
    refused = run(cfg, "report", "collected", "--administration", "KLIM", user="zonly")
    assert refused.returncode == 1
    assert refused.stderr.strip() == "incasso: administration KLIM does not exist or is not visible to you"
    bad = run(cfg, "report", "rejects", "--from", "2026-13-01")
    assert bad.returncode == 1 and "from '2026-13-01': is not a date in the calendar" in bad.stderr
    both = run(cfg, "report", "rejects", "--json", "--csv", "x.csv")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_csv_and_xlsx_read_back(admin, config_file, tmp_path):
    from incasso_tui.i18n import set_language, t

    set_language("nl")  # the configuration's language (the default): headers as the screen shows them
    seed.collections()
    cfg = config_file()
    db.close()
    path = tmp_path / "collected.csv"
    done = run(cfg, "report", "collected", "--csv", str(path))
    assert done.returncode == 0 and "4 row(s) written to" in done.stdout
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read it as UTF-8
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert lines[0][:5] == [
        t(x) for x in ("Month", "Administration", "Bank account", "Collections", "Amount")
    ]
    assert lines[2][0:2] == ["2026-10", "ZON"] and lines[2][3:] == [
        "3",
        "60,00",
        "1",
        "20,00",
        "1",
        "30,00",
        "10,00",
    ]
    assert lines[5] == []  # then the summary
    assert lines[6][0] == t("Month") and lines[-1] == [
        "total",
        "6",
        "250,00",
        "2",
        "100,00",
        "1",
        "30,00",
        "120,00",
    ]

    rates = tmp_path / "rejects.csv"
    assert run(cfg, "report", "rejects", "--csv", str(rates)).returncode == 0
    rows = list(csv.reader(rates.read_text("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][-1] == t("Of collections") and rows[1][-1] == "25,00%"
    assert rows[-1] == ["total", "6", "5", "136,00", "83,33%"]

    book_path = tmp_path / "rejects.xlsx"
    assert run(cfg, "report", "rejects", "--xlsx", str(book_path)).returncode == 0
    book = load_workbook(book_path)
    assert book.sheetnames == [t("Report"), t("Summary")]
    first = [c.value for c in next(book[t("Report")].iter_rows(min_row=2, max_row=2))]
    assert first[0] == dt.datetime(2026, 10, 1) and first[1] == "AC04" and first[3] == 1
    assert Decimal(str(first[4])) == Decimal("20.00") and first[5] == 0.25
    cells = next(book[t("Report")].iter_rows(min_row=2, max_row=2))
    assert cells[4].number_format == "#,##0.00" and cells[5].number_format == "0.00%"
    total = [c.value for c in list(book[t("Summary")].iter_rows())[-1]]
    assert total == ["total", 6, 5, 136, 0.8333]

    nowhere = run(cfg, "report", "mandates", "--xlsx", str(tmp_path / "missing" / "m.xlsx"))
    assert nowhere.returncode == 1 and "file" in nowhere.stderr and "does not exist" in nowhere.stderr
