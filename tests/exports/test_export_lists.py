"""Every exportable list, to CSV and XLSX, read back and compared with what the list's own page
service returns for the same filter: same rows, same order, same columns, typed cells."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest

from incasso_tui.core import files
from incasso_tui.core.errors import ValidationError
from incasso_tui.i18n import set_language
from incasso_tui.services import browse, users
from incasso_tui.services.audit_trail import AuditFilter, audit_trail
from incasso_tui.services.exports import sources
from incasso_tui.services.exports.run import export_list
from incasso_tui.services.feedback.rtransactions import FeedbackFilter, collection_history, search_feedback
from incasso_tui.services.organisation import (
    list_administrations,
    list_bank_accounts,
    list_bank_groups,
    list_invoice_types,
)

from .helpers import build_world, expected_text, read_csv, read_xlsx

BIG = 10**6


@pytest.fixture
def world(demo):
    set_language("nl")
    admin = demo()
    return admin, build_world(admin)


def _cases(ids: dict):
    """list name, filter, and the page service's rows for that filter (the reference)."""
    held = sources.HeldFilter(ids["set_id"])
    history = sources.HistoryFilter("mandate", ids["mandate_id"])
    return [
        ("mandates", browse.MandateFilter(), lambda a, f: browse.search_mandates(a, f, 0, BIG).rows),
        (
            "mandates",
            browse.MandateFilter(search="jan", view="effective"),
            lambda a, f: browse.search_mandates(a, f, 0, BIG).rows,
        ),
        (
            "debtors",
            sources.DebtorFilter(search="van"),
            lambda a, f: browse.search_debtors(a, f.search, f.administration_id, 0, BIG).rows,
        ),
        ("orders", browse.OrderFilter(), lambda a, f: browse.search_orders(a, f, 0, BIG).rows),
        (
            "orders",
            browse.OrderFilter(set_id=ids["set_id"]),
            lambda a, f: browse.search_orders(a, f, 0, BIG).rows,
        ),
        ("sets", sources.StatusFilter(), lambda a, f: browse.list_sets(a, f.status, 0, BIG).rows),
        ("jobs", sources.StatusFilter(), lambda a, f: browse.list_jobs(a, f.status, 0, BIG).rows),
        ("feedback", FeedbackFilter(), lambda a, f: search_feedback(a, f, 0, BIG).rows),
        ("set_held", held, _held_rows),
        ("history", history, lambda a, f: list(sources.history_lines(_audit(a, f)))),
        ("audit", AuditFilter(), _trail_lines),
        (
            "collection_history",
            sources.CollectionHistoryFilter(debtor_id=ids["debtor_id"]),
            lambda a, f: collection_history(a, debtor_id=f.debtor_id),
        ),
        ("administrations", None, lambda a, f: list_administrations(a)),
        ("bank_groups", None, lambda a, f: list_bank_groups(a)),
        ("bank_accounts", sources.AdministrationCode(), lambda a, f: list_bank_accounts(a)),
        ("invoice_types", sources.AdministrationCode("ZON"), lambda a, f: list_invoice_types(a, "ZON")),
        ("users", None, lambda a, f: users.list_users(a)),
    ]


def _held_rows(actor, flt):
    from incasso_tui.services.collection.sets import held_back

    return held_back(actor, flt.set_id, limit=BIG).rows


def _trail_lines(actor, flt):
    page = audit_trail(actor, flt, 0, BIG)
    return [{**line, "object": e.object_text} for e in page.rows for line in sources.history_lines([e])]


def _audit(actor, flt):
    from incasso_tui.services import audit

    return audit.history(actor, flt.object_type, flt.object_id)


def test_every_list_exports_what_its_page_shows_to_csv_and_xlsx(world, tmp_path):
    admin, ids = world
    seen = set()
    for number, (name, flt, reference) in enumerate(_cases(ids)):
        seen.add(name)
        columns = sources.source(name).columns
        expected_rows = list(reference(admin, flt))
        assert expected_rows, f"{name}: the test needs rows to compare"
        expected = [[expected_text(c.kind, c.value(row)) for c in columns] for row in expected_rows]

        result = export_list(admin, name, flt, tmp_path / f"{number}.csv", "csv")
        header, rows = read_csv(result.path)
        assert result.rows == len(expected_rows)
        assert header == [c.label for c in columns]
        assert rows == expected, name

        result = export_list(admin, name, flt, tmp_path / f"{number}.xlsx", "xlsx")
        header, cells = read_xlsx(result.path)
        assert header == [c.label for c in columns]
        assert len(cells) == len(expected_rows) == result.rows
        for row, source_row in zip(cells, expected_rows, strict=True):
            for cell, column in zip(row, columns, strict=True):
                _check_typed(cell, column.kind, column.value(source_row), name)
    assert seen == set(sources.SOURCES)  # no exportable list left untested


def _check_typed(cell, kind: str, value, name: str) -> None:
    where = f"{name} {cell.coordinate}"
    if value is None or (kind == "text" and value == ""):
        assert cell.value in (None, ""), where
    elif kind == "date":
        assert isinstance(cell.value, dt.datetime) and cell.value.date() == value, where
        assert cell.number_format == "dd-mm-yyyy", where
    elif kind == "datetime":
        assert isinstance(cell.value, dt.datetime), where
        assert abs((cell.value - value).total_seconds()) < 0.01, where
        assert "hh:mm" in cell.number_format, where
    elif kind == "money_cents":
        # a number (openpyxl reads 75.00 back as the int 75), never text
        assert isinstance(cell.value, (int, float)) and round(cell.value * 100) == value, where
        assert cell.number_format == "#,##0.00", where
    elif kind == "int":
        assert isinstance(cell.value, int) and cell.value == value, where
    elif kind == "bool":
        assert cell.value == ("ja" if value else "nee"), where
    else:
        assert cell.value == str(value) and cell.data_type == "s", where


def test_an_amount_and_a_date_are_written_in_the_language(world, tmp_path):
    admin, _ids = world
    order = browse.search_orders(admin, browse.OrderFilter(), 0, 1).rows[0]
    one = browse.OrderFilter(search=order.invoice_number)
    try:
        set_language("en")
        header, rows = read_csv(export_list(admin, "orders", one, tmp_path / "en.csv", "csv").path)
        assert (
            header[5] == "Amount"
            and rows[0][5] == f"{order.amount_cents // 100}.{order.amount_cents % 100:02d}"
        )
        _header, cells = read_xlsx(export_list(admin, "orders", one, tmp_path / "en.xlsx", "xlsx").path)
        assert cells[0][6].number_format == "yyyy-mm-dd"
    finally:
        set_language("nl")
    header, rows = read_csv(export_list(admin, "orders", one, tmp_path / "nl.csv", "csv").path)
    assert (
        header[5] == "Bedrag" and rows[0][5] == f"{order.amount_cents // 100},{order.amount_cents % 100:02d}"
    )
    assert rows[0][6] == order.requested_date.isoformat()  # ISO in every language
    raw = (tmp_path / "nl.csv").read_bytes()
    assert raw.count(b";") >= 9 and b"\r\n" in raw


def test_a_limited_user_exports_only_their_administrations(world, tmp_path):
    for login, allowed in (("anna", {"ZON", "KLIM"}), ("chris", {"RIJN"})):
        actor = world[0] if login == "tester" else _actor(login)
        _header, rows = read_csv(
            export_list(actor, "mandates", browse.MandateFilter(), tmp_path / "m.csv", "csv").path
        )
        assert rows and {r[4] for r in rows} == allowed
        _header, rows = read_csv(
            export_list(actor, "debtors", sources.DebtorFilter(), tmp_path / "d.csv", "csv").path
        )
        assert rows and {r[2] for r in rows} == allowed
        _header, cells = read_xlsx(
            export_list(actor, "orders", browse.OrderFilter(), tmp_path / "o.xlsx", "xlsx").path
        )
        assert cells and {r[1].value for r in cells} <= allowed


def _actor(login):
    from incasso_tui.db import models as m
    from incasso_tui.services.auth import actor_for

    return actor_for(m.User.get(m.User.login == login))


def test_the_search_and_filters_are_applied(world, tmp_path):
    admin, _ids = world
    flt = browse.MandateFilter(search="jan", status="active")
    _header, rows = read_csv(export_list(admin, "mandates", flt, tmp_path / "m.csv", "csv").path)
    everything = browse.search_mandates(admin, browse.MandateFilter(), 0, BIG).total
    assert 0 < len(rows) < everything
    assert [r[0] for r in rows] == [r.reference for r in browse.search_mandates(admin, flt, 0, BIG).rows]
    assert {r[1] for r in rows} == {"actief"}
    # an explicit limit bounds the export (the CLI's --limit)
    assert (
        export_list(admin, "mandates", browse.MandateFilter(), tmp_path / "m5.csv", "csv", limit=5).rows == 5
    )


def test_a_bad_file_name_is_refused_naming_the_field_and_leaves_nothing(world, tmp_path):
    admin, _ids = world
    for path, rule in (
        (tmp_path / "missing" / "x.csv", "does not exist"),
        (tmp_path, "is a directory"),
        ("", "give a file name"),
    ):
        with pytest.raises(ValidationError) as caught:
            export_list(admin, "mandates", browse.MandateFilter(), path, "csv")
        assert caught.value.field == "file" and rule in caught.value.rule
    with pytest.raises(ValidationError) as caught:
        export_list(admin, "mandates", browse.MandateFilter(), tmp_path / "x.pdf", "pdf")
    assert caught.value.field == "format"
    assert not (tmp_path / "missing").exists() and not list(tmp_path.glob("x*"))


def test_an_export_that_fails_halfway_leaves_no_file_and_keeps_an_old_one(world, tmp_path, monkeypatch):
    admin, _ids = world
    out = tmp_path / "out"
    out.mkdir()
    target = out / "m.csv"
    target.write_text("the previous export")

    def failing(*_args):
        yield from browse.search_mandates(admin, browse.MandateFilter(), 0, 3).rows
        raise RuntimeError("disk on fire")

    source = sources.SOURCES["mandates"]
    monkeypatch.setitem(sources.SOURCES, "mandates", source.__class__(**{**source.__dict__, "rows": failing}))
    with pytest.raises(RuntimeError):
        export_list(admin, "mandates", browse.MandateFilter(), target, "csv")
    assert target.read_text() == "the previous export"
    assert sorted(p.name for p in out.iterdir()) == ["m.csv"]  # no temporary file left


def test_the_file_is_private_or_group_readable_as_configured(world, tmp_path):
    admin, _ids = world
    for fmt in ("csv", "xlsx"):
        path = export_list(admin, "debtors", sources.DebtorFilter(), tmp_path / f"d.{fmt}", fmt).path
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    files.set_group_readable(True)
    try:
        path = export_list(admin, "debtors", sources.DebtorFilter(), tmp_path / "g.csv", "csv").path
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    finally:
        files.set_group_readable(False)


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text(world, tmp_path):
    from incasso_tui.db import models as m

    admin, _ids = world
    debtor = m.Debtor.select().order_by(m.Debtor.id).first()
    name = '=HYPERLINK("http://evil.example","klik")\x07'
    m.Debtor.update(name=name, name_key=name.lower()).where(m.Debtor.id == debtor.id).execute()
    flt = sources.DebtorFilter(search=debtor.number)
    _header, rows = read_csv(export_list(admin, "debtors", flt, tmp_path / "d.csv", "csv").path)
    assert rows[0][1] == "'" + name.replace("\x07", "\\u0007")
    _header, cells = read_xlsx(export_list(admin, "debtors", flt, tmp_path / "d.xlsx", "xlsx").path)
    assert cells[0][1].data_type == "s" and cells[0][1].value.startswith("=HYPERLINK")


def test_the_export_streams_rows_instead_of_loading_the_list(world):
    """The export reads the page's query to its end through a cursor: the first row is there
    before the last has been read (a generator, not a list)."""
    admin, _ids = world
    rows = browse.mandate_listing(admin, browse.MandateFilter()).iterate()
    first = next(rows)
    assert first == browse.search_mandates(admin, browse.MandateFilter(), 0, 1).rows[0]
    assert sum(1 for _ in rows) + 1 == browse.search_mandates(admin, browse.MandateFilter(), 0, 1).total
