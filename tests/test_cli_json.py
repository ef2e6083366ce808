"""Every `--json` listing and detail of the CLI, as real processes, on SQLite and PostgreSQL:
the output parses back with json.loads (PostgreSQL gives SUM/AVG over integers as numeric,
which once ended `set list --json` in "not JSON serialisable: Decimal").

A guard walks the command line parser: a new list/show command with --json that this test
does not run fails here, so it cannot be forgotten on either database.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.feedback.fixtures import write as write_feedback

# Commands that only read: every one of them must be exercised below.
READING = {"list", "show", "history", "codes", "version"}


def _json_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _json_commands(sub, (*prefix, name))
    if any("--json" in action.option_strings for action in parser._actions):
        yield " ".join(prefix)


def test_every_reading_json_command_is_exercised():
    from incasso_tui.cli.main import build_parser

    reading = {c for c in _json_commands(build_parser()) if c.split()[-1] in READING}
    assert reading, "the parser walk found nothing"
    missing = reading - set(EXERCISED)
    assert not missing, f"--json commands not run on both databases by this test: {sorted(missing)}"


# The commands run (the group and subcommand), in the order of the scenario below.
EXERCISED = (
    "init",
    "db version",
    "user list",
    "administration list",
    "bank-group list",
    "administration show",
    "bank-group show",
    "bank-account list",
    "bank-account show",
    "invoice-type list",
    "debtor add",
    "debtor list",
    "debtor show",
    "mandate list",
    "mandate show",
    "mandate history",
    "mandate new",
    "mandates check",
    "order add",
    "order list",
    "set new",
    "set list",
    "set show",
    "jobs list",
    "feedback import",
    "feedback list",
    "feedback codes",
    "feedback history",
)


def _runner(config: Path):
    env = {**os.environ, "USER": "tester", "LOGNAME": "tester"}

    def run(*args: str, as_json: bool = True) -> object:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "incasso_tui",
                "--config",
                str(config),
                "--user",
                "tester",
                *args,
                *(["--json"] if as_json else []),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert result.returncode == 0, f"{' '.join(args)}: {result.stderr}"
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
        if not as_json:
            return result.stdout
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError as exc:
            raise AssertionError(
                f"{' '.join(args)} --json gave no JSON: {exc}: {result.stdout[:300]!r}"
            ) from None

    return run


def test_every_json_command_parses_on_both_databases(db_url, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{db_url}"\n\n[paths]\noutbox_dir = "{tmp_path / "outbox"}"\n\n'
        "[auth]\nallow_user_flag = true\n",
        encoding="utf-8",
    )
    run = _runner(config)
    ran: list[str] = []

    def cmd(*args: str, as_json: bool = True):
        ran.append(" ".join(a for a in args[:2] if not a[0].isdigit() and not a.startswith("-")))
        return run(*args, as_json=as_json)

    assert cmd("init", "--demo")["admin"] == "tester"
    assert cmd("db", "version")["version"] >= 1
    assert any(u["login"] == "tester" for u in cmd("user", "list"))
    assert {a["code"] for a in cmd("administration", "list")} >= {"ZON", "RIJN"}
    assert cmd("bank-group", "list")
    assert cmd("administration", "show", "ZON")["code"] == "ZON"
    assert cmd("bank-group", "show", "ING")["profile"] == "ING"
    accounts = cmd("bank-account", "list")
    assert cmd("bank-account", "show", accounts[0]["iban"])["iban"] == accounts[0]["iban"]
    assert cmd("invoice-type", "list")

    added = cmd(
        "debtor", "add", "--administration", "ZON", "--name", "Json Proef", "--iban", "NL91ABNA0417164300"
    )
    debtors = cmd("debtor", "list", "--limit", "500")
    assert any(d["number"] == added["number"] for d in debtors["debtors"])
    shown = cmd("debtor", "show", added["number"], "--administration", "ZON")
    assert shown["number"] == added["number"] and isinstance(shown["open_orders"], int)

    mandates = cmd("mandate", "list", "--limit", "50")
    reference = mandates["mandates"][0]["reference"]
    assert cmd("mandate", "show", reference)["reference"] == reference
    assert isinstance(cmd("mandate", "history", reference), list)
    new = cmd("mandate", "new", added["number"], "--administration", "ZON", "--signed", "2026-11-01")
    assert new["reference"]
    assert "changes" in cmd("mandates", "check")

    order = cmd("order", "add", "--administration", "ZON", "--debtor", added["number"], "--amount", "12,34")
    orders = cmd("order", "list", "--limit", "500")
    assert any(o["id"] == order["id"] and o["amount_cents"] == 1234 for o in orders)

    created = cmd("set", "new", "--bank-group", "ING")
    assert isinstance(created["total_cents"], int)
    sets = cmd("set", "list")
    listed = next(s for s in sets if s["id"] == created["id"])
    assert isinstance(listed["total_cents"], int) and listed["total_cents"] == created["total_cents"]
    assert isinstance(listed["orders"], int) and listed["orders"] == created["orders"]
    detail = cmd("set", "show", str(created["id"]))
    assert detail["id"] == created["id"]
    waited = cmd("set", "process", str(created["id"]), "--wait")
    assert waited["files"] and isinstance(waited["job_id"], int)
    processed = cmd("set", "show", str(created["id"]))
    assert processed["status"] == "processed" and processed["files"]
    assert any(j["kind"] == "process_set" for j in cmd("jobs", "list"))

    # Bank feedback that matches nothing: kept for a person (an admin) to decide.
    feedback_file = write_feedback(tmp_path, "pain002_03_tx_rejects.xml")
    assert cmd("feedback", "import", str(feedback_file))
    listed_feedback = cmd("feedback", "list")
    assert listed_feedback and all(isinstance(f.get("amount_cents", 0), int) for f in listed_feedback)
    assert cmd("feedback", "codes")
    underway = next(o for o in cmd("order", "list", "--set", str(created["id"]), "--limit", "1"))
    assert isinstance(
        cmd(
            "feedback",
            "history",
            "--debtor",
            underway["debtor_number"],
            "--administration",
            underway["administration"],
        ),
        (list, dict),
    )

    assert set(ran) - {"set process"} == set(EXERCISED), sorted(set(EXERCISED) ^ set(ran))
