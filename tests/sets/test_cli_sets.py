"""The CLI flow: bank-group list, set new/list/show/process --wait/letter/send, order add/list/
handle/cancel, import orders (all or nothing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from incasso_tui.db import database as db


def run(config, *args, user="tester"):
    env = {**os.environ, "USER": user, "LOGNAME": user}
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", user, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def test_set_flow_on_the_command_line(demo, config_file, tmp_path):
    demo()
    cfg = config_file(f'\n[paths]\noutbox_dir = "{tmp_path / "outbox"}"\n')
    db.close()
    out = run(cfg, "bank-group", "list", "--json")
    assert out.returncode == 0 and "ING" in out.stdout
    new = run(cfg, "set", "new", "--bank-group", "ING", "--json", user="anna")
    assert new.returncode == 0, new.stderr
    created = json.loads(new.stdout)
    assert created["orders"] > 0 and created["skipped_administrations"] == 1  # RIJN: no rights
    shown = run(cfg, "set", "show", str(created["id"]), "--json", user="anna")
    detail = json.loads(shown.stdout)
    assert detail["held_back_total"] == len(detail["held_back"]) and detail["held_back"]
    assert all(h["administration"] in ("ZON", "KLIM") for h in detail["held_back"])
    done = run(cfg, "set", "process", str(created["id"]), "--wait", user="anna")
    assert done.returncode == 0, done.stderr
    names = done.stdout.split()
    assert names and all((tmp_path / "outbox" / "ING" / n).is_file() for n in names)
    again = run(cfg, "set", "process", str(created["id"]), user="bram")  # support: no rights
    assert again.returncode == 1 and "may not" in again.stderr
    shown = json.loads(run(cfg, "set", "show", str(created["id"]), "--json").stdout)
    assert shown["status"] == "processed" and {f["name"] for f in shown["files"]} == set(names)
    assert all(f["path"].startswith(str(tmp_path)) for f in shown["files"])
    letter = run(cfg, "set", "letter", str(created["id"]), "--out", str(tmp_path / "letters"))
    assert letter.returncode == 0 and len(letter.stdout.split()) == len(names)  # one per file
    assert all(Path(p).parent == tmp_path / "letters" for p in letter.stdout.split())
    assert all(Path(p).read_bytes()[:5] == b"%PDF-" for p in letter.stdout.split())
    sent = run(cfg, "set", "send", str(created["id"]))
    assert sent.returncode == 1 and "neither a delivery directory" in sent.stderr
    listed = run(cfg, "set", "list")
    assert "processed" in listed.stdout
    orders = json.loads(
        run(cfg, "order", "list", "--set", str(created["id"]), "--json", "--limit", "500").stdout
    )
    assert {o["status"] for o in orders} == {"underway"}
    handled = run(cfg, "order", "handle", str(orders[0]["id"]))
    assert handled.returncode == 0 and "1 orders handled" in handled.stdout


def test_order_add_cancel_and_import(demo, config_file, tmp_path):
    demo()
    cfg = config_file()
    db.close()
    added = run(
        cfg,
        "order",
        "add",
        "--administration",
        "ZON",
        "--debtor",
        "10000",
        "--amount",
        "12,50",
        "--date",
        "2026-12-10",
        "--invoice",
        "F-1",
    )
    assert added.returncode == 0, added.stderr
    order_id = int(added.stdout.split()[0])
    assert run(cfg, "order", "cancel", str(order_id)).returncode == 0
    bad = run(cfg, "order", "add", "--administration", "ZON", "--debtor", "nope", "--amount", "x")
    assert bad.returncode == 1 and "debtor" in bad.stderr and "amount" in bad.stderr
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text(
        "administration;debtor;amount;requested_date;invoice_number\n"
        "ZON;10000;10,00;2026-12-10;A1\nZON;99999;5;2026-12-10;A2\n"
        "ZON;10003;1.234,56;2026-12-11;A3\n",
        encoding="utf-8",
    )
    before = json.loads(run(cfg, "order", "list", "--json", "--limit", "2000").stdout)
    failed = run(cfg, "import", "orders", str(csv_file))
    assert failed.returncode == 1 and "line 3" in failed.stderr and "nothing was stored" in failed.stderr
    assert len(json.loads(run(cfg, "order", "list", "--json", "--limit", "2000").stdout)) == len(before)
    csv_file.write_text(
        "administration;debtor;amount;requested_date;invoice_number\n"
        "ZON;10000;10,00;2026-12-10;A1\nZON;10003;1.234,56;2026-12-11;A3\n",
        encoding="utf-8",
    )
    ok = run(cfg, "import", "orders", str(csv_file))
    assert ok.returncode == 0, ok.stderr
    after = json.loads(run(cfg, "order", "list", "--json", "--limit", "2000", "--search", "A3").stdout)
    assert [o["amount_cents"] for o in after] == [123456]


def test_order_list_names_a_bad_date(demo, config_file):
    demo()
    cfg = config_file()
    db.close()
    out = run(cfg, "order", "list", "--from", "2026-13-01")
    assert out.returncode != 0
    assert "internal error" not in out.stderr
    assert "--from" in out.stderr and "date" in out.stderr
