"""The `incasso` command as a user runs it: a real process, one-line errors, exit codes, --json."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def run(config, *args, user="tester"):
    """As `user` through --user (the configs allow it); user=None: as the real uid's login."""
    identity = ["--user", user] if user else []
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), *identity, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version_and_help(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("incasso-tui ")
    result = subprocess.run([sys.executable, "-m", "incasso_tui", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "init" in result.stdout and "user" in result.stdout


def test_init_users_and_rights_round_trip(db_url, config_file):
    cfg = config_file()
    result = run(cfg, "user", "list")
    assert result.returncode == 2 and "run `incasso init`" in result.stderr

    result = run(cfg, "init", "--demo", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["admin"] == "tester" and data["demo"]["debtors"] == 300

    assert run(cfg, "user", "add", "eve", "--role", "operator").returncode == 0
    assert run(cfg, "user", "grant", "eve", "ZON", "KLIM").returncode == 0
    users = json.loads(run(cfg, "user", "list", "--json").stdout)
    eve = next(u for u in users if u["login"] == "eve")
    assert eve == {
        "login": "eve",
        "name": "",
        "role": "operator",
        "active": True,
        "administrations": ["KLIM", "ZON"],
    }

    # eve sees only her administrations, in every listing
    adms = json.loads(run(cfg, "--user", "eve", "administration", "list", "--json").stdout)
    assert [a["code"] for a in adms] == ["KLIM", "ZON"]
    groups = json.loads(run(cfg, "--user", "eve", "bank-group", "list", "--json").stdout)
    assert {g["code"] for g in groups} == {"ABN", "ING", "RABO"}
    assert all(len(g["accounts"]) == 1 for g in groups)  # not RIJN's accounts

    # a refused operation: exit 1, one line, no traceback
    result = run(cfg, "--user", "eve", "user", "add", "mallory", "--role", "admin")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "may not administer" in result.stderr

    # an unknown user is told what an admin runs
    result = run(cfg, "user", "list", user="zed")
    assert result.returncode == 1 and "incasso user add zed --role operator" in result.stderr

    # init again by a non-admin is refused; by the admin it only confirms
    assert run(cfg, "init", user="eve").returncode == 1
    assert run(cfg, "init").returncode == 0


def test_user_flag_needs_config_permission(db_url, config_file):
    cfg = config_file(allow_user_flag=False)
    assert run(cfg, "init", user=None).returncode == 0
    result = run(cfg, "--user", "anna", "user", "list", user=None)
    assert result.returncode == 2 and "auth.allow_user_flag" in result.stderr


def test_db_upgrade_and_version(db_url, config_file):
    cfg = config_file()
    from incasso_tui.db.migrations import LATEST

    result = run(cfg, "db", "upgrade")
    assert result.returncode == 0 and f"schema version {LATEST} (was 0)" in result.stdout
    assert json.loads(run(cfg, "db", "version", "--json").stdout) == {"version": LATEST, "latest": LATEST}


def test_usage_errors_exit_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "incasso_tui", "user", "add", "x", "--role", "king"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr
    result = subprocess.run([sys.executable, "-m", "incasso_tui", "user"], capture_output=True, text=True)
    assert result.returncode == 2


@pytest.mark.parametrize("backend", ["sqlite"])
def test_tui_starts_headless_on_a_fresh_database_with_demo(tmp_path, backend, isolated_env):
    """What `make demo` does: first run creates the database, fills the demo, shows the home screen."""
    result = subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--demo", "--headless"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "first screen after" in result.stdout
    assert (isolated_env / "data" / "incasso-tui" / "incasso.sqlite3").exists()
    result = subprocess.run(
        [sys.executable, "-m", "incasso_tui", "administration", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert len(json.loads(result.stdout)) == 3


def test_tui_with_broken_config_exits_2_in_one_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[ui]\ntheme = 3\n")
    result = subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(path), "--headless"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"incasso: config {path}: ui.theme must be a string (got 3)"


def test_tui_sets_up_a_new_database_and_an_empty_one_for_the_demo(db_url):
    from incasso_tui.db import database as db
    from incasso_tui.services import setup

    database = db.bind(db_url)
    try:
        assert setup.needs_setup(database, demo=False)  # no schema yet: the first run
        setup.initialise(database, "tester")
        assert not setup.needs_setup(database, demo=False)
        assert setup.needs_setup(database, demo=True)  # no administrations: the demo goes in
        setup.initialise(database, "tester", demo=True)
        assert not setup.needs_setup(database, demo=True)
    finally:
        db.close()
