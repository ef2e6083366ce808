"""`incasso set prenotify` and `incasso order prenotify` as a user runs them (a real process)."""

from __future__ import annotations

import json
import subprocess
import sys

import pypdf

from incasso_tui.db import database as db
from incasso_tui.db import migrations
from incasso_tui.db import models as m
from incasso_tui.services.collection import sets

from .helpers import notice_world


def run(config, *args):
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "tester", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_usage_errors_name_the_three_outputs(admin, config_file, tmp_path):
    notice_world(1)
    created = sets.create_set(admin, "ABN")
    cfg = config_file()
    db.close()
    result = run(cfg, "set", "prenotify", str(created.id))
    assert result.returncode == 2
    assert "give at least one of --email, --out FILE.pdf, --letters DIR, --csv FILE.csv" in result.stderr
    assert "Traceback" not in result.stderr
    result = run(cfg, "set", "prenotify", str(created.id), "--out", str(tmp_path / "x.pdf"), "--wait")
    assert result.returncode == 2 and "--wait only goes with --email" in result.stderr
    result = run(cfg, "set", "prenotify", str(created.id), "--out", str(tmp_path / "x.txt"))
    assert result.returncode == 1 and "--out" in result.stderr and "must name a .pdf file" in result.stderr
    result = run(cfg, "set", "prenotify", str(created.id), "--email")
    assert result.returncode == 1 and "e-mail is not configured" in result.stderr
    result = run(cfg, "order", "prenotify", "999", "--csv", str(tmp_path / "x.csv"))
    assert result.returncode == 1 and "order 999" in result.stderr
    assert m.PreNotification.select().count() == 0


def test_set_prenotify_writes_the_pdf_and_csv_and_set_show_tells(admin, config_file, tmp_path):
    _, _, _, orders = notice_world(3)
    created = sets.create_set(admin, "ABN")
    cfg = config_file()
    db.close()
    pdf, csv_path = tmp_path / "print" / "letters.pdf", tmp_path / "merge.csv"
    result = run(cfg, "set", "prenotify", str(created.id), "--out", str(pdf), "--csv", str(csv_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(pdf), str(csv_path)]
    assert f"set {created.id}: 3 debtors, 3 orders" in result.stderr
    assert len(pypdf.PdfReader(pdf).pages) == 3
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    show = run(cfg, "set", "show", str(created.id))
    assert "pre-notified: 3 of 3 orders (csv 3, print 3)" in show.stdout
    data = json.loads(run(cfg, "set", "show", str(created.id), "--json").stdout)
    assert data["prenotification"]["orders_notified"] == 3
    assert {o["notified"][:5] for o in data["order_rows"]} == {"csv 2"}
    one = json.loads(
        run(cfg, "order", "prenotify", str(orders[2].id), "--out", str(tmp_path / "o.pdf"), "--json").stdout
    )
    assert (one["subject"], one["debtors"], one["pdf"]) == (
        f"order {orders[2].id}",
        1,
        str(tmp_path / "o.pdf"),
    )


def test_letters_writes_one_pdf_per_debtor_in_their_language(admin, config_file, tmp_path):
    _, _, _, orders = notice_world(3)
    created = sets.create_set(admin, "ABN")
    cfg = config_file()
    db.close()
    (tmp_path / "taken.pdf").write_text("x")
    refused = run(cfg, "set", "prenotify", str(created.id), "--letters", str(tmp_path / "taken.pdf"))
    assert (
        refused.returncode == 1
        and "--letters" in refused.stderr
        and "must name a directory" in refused.stderr
    )
    letters = tmp_path / "letters"
    result = run(cfg, "set", "prenotify", str(created.id), "--letters", str(letters), "--json")
    assert result.returncode == 0, result.stderr
    written = sorted(json.loads(result.stdout)["letters"])
    assert len(written) == 3 and sorted(str(p) for p in letters.iterdir()) == written
    for order in orders:
        db.bind(cfg_url(cfg))
        number, name = order.debtor.number, order.debtor.name
        db.close()
        path = next(p for p in letters.iterdir() if p.name.endswith(f"-{number}.pdf"))
        text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        assert name in text
        assert len(pypdf.PdfReader(path).pages) == 1
        assert path.stat().st_mode & 0o777 == 0o600


def cfg_url(cfg) -> str:
    import tomllib

    return tomllib.loads(cfg.read_text())["database"]["url"]


def test_set_prenotify_email_wait_sends_and_lists_who_to_print(admin, config_file, smtp_server, smtp_toml):
    inbox, _ = smtp_server
    _, _, _, orders = notice_world(3)  # the third debtor has no address
    created = sets.create_set(admin, "ABN")
    cfg = config_file(smtp_toml)
    db.close()
    result = run(cfg, "set", "prenotify", str(created.id), "--email", "--wait")
    assert result.returncode == 0, result.stderr
    assert "2 e-mails queued as job" in result.stderr
    assert "to print (no e-mail address): 1 debtors" in result.stderr
    assert f"{orders[2].debtor.number} {orders[2].debtor.name}" in result.stderr
    assert "2 e-mails sent" in result.stderr
    assert sorted(inbox.recipients()) == ["debtor0@example.org", "debtor1@example.org"]


def test_schema_7_round_trip(database):
    migrations.downgrade(database, 6)
    assert not database.table_exists("pre_notification")
    assert [x.version for x in migrations.upgrade(database, 7)] == [7]
    assert database.table_exists("pre_notification")
    columns = {c.name for c in database.get_columns("pre_notification")}
    assert {
        "order_id",
        "collection_set_id",
        "debtor_id",
        "channel",
        "collection_date",
        "amount_cents",
        "created_at",
        "sent_at",
        "status",
        "error",
        "job_id",
        "created_by_id",
        "recipient",
    } <= columns
