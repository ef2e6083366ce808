"""`incasso mandate list --expiring DAYS` and `incasso mandate show` (last vs next collection),
as a user's shell runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from incasso_tui.rules.mandates import EXPIRY_DAYS

from .helpers import days, mandate, order

ROOT = Path(__file__).resolve().parents[2]


def run(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", "tester", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        cwd=ROOT,
        timeout=120,
    )


def test_expiring_lists_what_expires_within_the_days_with_the_date(admin, config_file):
    soon = mandate("301", last=days(5 - EXPIRY_DAYS))
    later = mandate("302", last=days(50 - EXPIRY_DAYS))
    mandate("303", last=days(90 - EXPIRY_DAYS))
    cfg = config_file()
    done = run(cfg, "mandate", "list", "--expiring", "60")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "expires" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == ["301-1", "302-1"]
    assert days(5).isoformat() in lines[1]
    data = json.loads(run(cfg, "mandate", "list", "--expiring", "60", "--json").stdout)
    assert [(r["id"], r["expires"]) for r in data["mandates"]] == [
        (soon.id, days(5).isoformat()),
        (later.id, days(50).isoformat()),
    ]
    refused = run(cfg, "mandate", "list", "--expiring", "0")
    assert refused.returncode != 0 and "expiring" in refused.stderr and "Traceback" not in refused.stderr


def test_show_tells_last_and_next_collection_apart(admin, config_file):
    x = mandate("304", last=days(12))
    order(x, status="processed", collection=days(-20), n=1)
    order(x, status="underway", collection=days(12), n=2)
    done = run(config_file(), "mandate", "show", "304-1")
    assert done.returncode == 0, done.stderr
    shown = dict(
        line.split(":", 1) for line in done.stdout.splitlines() if ":" in line and not line.startswith(" ")
    )
    assert shown["last collection"].strip() == days(-20).isoformat()
    assert shown["next collection"].strip() == f"{days(12).isoformat()} (in a file)"
