"""`--csv FILE` / `--xlsx FILE` on the list commands, as a user runs them (a real process)."""

from __future__ import annotations

import json
import subprocess
import sys

from .helpers import read_csv, read_xlsx


def run(config, *args, user="tester"):
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", user, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_list_command_exports_all_matching_rows(db_url, config_file, tmp_path):
    cfg = config_file()
    assert run(cfg, "init", "--demo").returncode == 0
    assert run(cfg, "set", "new", "--bank-group", "ABN").returncode == 0

    # the display --limit default (200) does not bound an export; the rows are --json's
    result = run(cfg, "mandate", "list", "--csv", str(tmp_path / "m.csv"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Exported 350 rows to {tmp_path / 'm.csv'}"
    listed = json.loads(run(cfg, "mandate", "list", "--limit", "1000", "--json").stdout)["mandates"]
    header, rows = read_csv(tmp_path / "m.csv")
    assert header[0] == "Kenmerk" and [r[0] for r in rows] == [m["reference"] for m in listed]
    # an explicit --limit does, and the filters apply
    assert (
        "Exported 7 rows"
        in run(cfg, "mandate", "list", "--limit", "7", "--xlsx", str(tmp_path / "m.xlsx")).stdout
    )
    assert len(read_xlsx(tmp_path / "m.xlsx")[1]) == 7
    result = run(
        cfg, "debtor", "list", "--search", "jan", "--administration", "ZON", "--csv", str(tmp_path / "d.csv")
    )
    _header, rows = read_csv(tmp_path / "d.csv")
    assert result.returncode == 0 and rows and {r[2] for r in rows} == {"ZON"}

    commands = [
        ("order", "list", "--set", "1"),
        ("order", "list", "--set", "1", "--held"),
        ("set", "list"),
        ("feedback", "list"),
        ("feedback", "history", "--mandate", "10000-1"),
        ("jobs", "list"),
        ("mandate", "history", "10000-1"),
        ("user", "list"),
        ("administration", "list"),
        ("bank-group", "list"),
        ("bank-account", "list"),
        ("invoice-type", "list"),
    ]
    for number, command in enumerate(commands):
        for fmt in ("csv", "xlsx"):
            path = tmp_path / f"{number}.{fmt}"
            result = run(cfg, *command, f"--{fmt}", str(path))
            assert result.returncode == 0, (command, result.stderr)
            assert result.stdout.startswith("Exported ") and path.exists(), command
    _header, rows = read_csv(tmp_path / "0.csv")
    set_orders = json.loads(run(cfg, "order", "list", "--set", "1", "--limit", "1000", "--json").stdout)
    assert len(rows) == len(set_orders) > 0
    _header, rows = read_csv(tmp_path / "1.csv")
    held = json.loads(run(cfg, "order", "list", "--set", "1", "--held", "--json").stdout)
    assert len(rows) == held["total"]

    # a limited user's export holds only their administrations
    run(cfg, "mandate", "list", "--csv", str(tmp_path / "chris.csv"), user="chris")
    assert {r[4] for r in read_csv(tmp_path / "chris.csv")[1]} == {"RIJN"}


def test_export_errors_are_one_line_naming_the_rule(db_url, config_file, tmp_path):
    cfg = config_file()
    assert run(cfg, "init", "--demo").returncode == 0
    result = run(cfg, "mandate", "list", "--json", "--csv", str(tmp_path / "m.csv"))
    assert result.returncode == 2 and "--csv/--xlsx and --json" in result.stderr
    result = run(cfg, "mandate", "list", "--csv", str(tmp_path / "no" / "m.csv"))
    assert result.returncode == 1 and result.stderr.startswith("incasso: file ")
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    result = run(cfg, "order", "list", "--held", "--csv", str(tmp_path / "h.csv"))
    assert result.returncode == 2 and "--held needs --set" in result.stderr
    assert not list(tmp_path.glob("*.csv"))
