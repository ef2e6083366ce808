"""`incasso check` as a user or a cron job runs it: a real process; exit 0 when nothing
blocks (warnings alone included), 1 when something does; --json for scripts."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from incasso_tui.db import models as m
from incasso_tui.services.demo import creditor_id

from .helpers import TODAY, debtor, mandate


def run(config, *args):
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "tester", "check", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_exit_codes_text_and_json(admin, config_file):
    cfg = config_file()
    result = run(cfg)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Ready: nothing blocks the next collection")
    data = json.loads(run(cfg, "--json").stdout)
    assert data["ready"] is True and data["blocking"] == 0 and data["warnings"] == 0
    assert len(data["groups"]) == 9 and all(g["count"] == 0 and g["objects"] == [] for g in data["groups"])

    # Warnings alone: still ready, exit 0.
    adm = m.Administration.create(code="ZON", name="Stichting Zon", creditor_id=creditor_id("30123456"))
    group = m.BankGroup.create(code="ABN", name="ABN AMRO", delivery_dir="/srv/abn")
    m.BankAccount.create(administration=adm, bank_group=group, iban="NL91ABNA0417164300")
    ending = mandate(debtor(adm), end_date=TODAY + dt.timedelta(days=3))
    result = run(cfg)
    assert result.returncode == 0, result.stderr
    assert "WARNING  Mandates expiring within 60 days: 1" in result.stdout
    assert ending.reference in result.stdout
    data = json.loads(run(cfg, "--json").stdout)
    assert data["ready"] is True and data["warnings"] == 1

    # Something blocks: exit 1, the group with its object, what to do.
    m.Administration.create(code="NEW", name="Stichting Nieuw", creditor_id=creditor_id("12345678"))
    result = run(cfg)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("Not ready: 1 blocking")
    assert "BLOCKING  Administrations without a bank account: 1" in result.stdout
    assert "incasso bank-account add" in result.stdout and "Stichting Nieuw" in result.stdout
    result = run(cfg, "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ready"] is False and data["date"] == TODAY.isoformat()
    blocked = next(g for g in data["groups"] if g["key"] == "administrations_without_bank_account")
    assert blocked["severity"] == "blocking" and blocked["count"] == 1
    assert blocked["objects"] == [
        {
            "kind": "administration",
            "id": m.Administration.get(m.Administration.code == "NEW").id,
            "code": "NEW",
            "name": "Stichting Nieuw",
            "administration": "NEW",
            "why": "no active bank account: its orders cannot be put in a file",
        }
    ]


def test_limit_lists_fewer_objects_but_counts_all(admin, config_file):
    cfg = config_file()
    for i in range(3):
        m.Administration.create(code=f"A{i}", name=f"Adm {i}", creditor_id=creditor_id(f"3012345{i}"))
    result = run(cfg, "--limit", "1")
    assert result.returncode == 1
    assert "Administrations without a bank account: 3" in result.stdout and "… and 2 more" in result.stdout
    data = json.loads(run(cfg, "--json", "--limit", "0").stdout)
    blocked = next(g for g in data["groups"] if g["key"] == "administrations_without_bank_account")
    assert blocked["count"] == 3 and blocked["objects"] == []
    result = run(cfg, "--limit", "-1")  # refused as bad input (the report is not made)
    assert result.stdout == "" and "limit -1: must be 0 or more" in result.stderr
