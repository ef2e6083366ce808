"""Setting up on the command line, as a new organisation does: real `incasso` processes, one
line per error, --json everywhere — and the whole way from `incasso init` (no demo) to a
file sent to the bank that `incasso sepa check` passes."""

from __future__ import annotations

import json
import subprocess
import sys

from .helpers import ABN_IBAN, CI, ING_IBAN, creditor_id, iban


def run(config, *args, user="tester"):
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui", "--config", str(config), "--user", user, *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


def ok(config, *args, user="tester"):
    result = run(config, *args, user=user)
    assert result.returncode == 0, f"{args}: {result.stderr}"
    return json.loads(result.stdout) if "--json" in args else result.stdout


def test_from_init_without_demo_to_a_sent_file(db_url, config_file, tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    cfg = config_file(f'\n[paths]\noutbox_dir = "{tmp_path / "outbox"}"\n')
    assert ok(cfg, "init", "--json")["demo"] is None
    assert ok(cfg, "administration", "list", "--json") == []

    adm = ok(
        cfg,
        *("administration", "add", "ZON", "--name", "Stichting Zonnebloem", "--creditor-id", CI),
        *("--street", "Oudegracht", "--building-number", "112", "--postcode", "3511 AX", "--town", "Utrecht"),
        "--json",
    )
    assert (adm["code"], adm["creditor_id"], adm["kvk"], adm["warnings"]) == ("ZON", CI, "12345678", [])
    assert ok(cfg, "organisation", "name", "--json") == {"name": "Stichting Zonnebloem"}
    group = ok(
        cfg,
        *("bank-group", "add", "ABN", "--name", "ABN AMRO", "--profile", "ABN", "--delivery-dir", str(bank)),
        "--json",
    )
    assert (group["pain_version"], group["max_per_file_applied"], group["delivery_dir"]) == (
        "pain.008.001.02",
        3000,
        str(bank),
    )
    account = ok(
        cfg,
        *("bank-account", "add", "--administration", "ZON", "--iban", ABN_IBAN, "--bank-group", "ABN"),
        *("--contact", "Afdeling Financiën", "--signatory", "M. de Groot", "--signatory", "R. Pietersen"),
        *("--max-per-transaction", "2.500,00", "--max-per-month", "100000.00", "--json"),
    )
    assert (account["bic"], account["max_per_transaction_cents"], account["warnings"]) == (
        "ABNANL2A",
        250000,
        [],
    )
    ok(cfg, "invoice-type", "add", "CONTR", "--administration", "ZON", "--name", "Contributie")

    debtor = ok(
        cfg,
        *("debtor", "add", "--administration", "ZON", "--name", "Jan Jansen", "--iban", ING_IBAN),
        *("--town", "Utrecht", "--json"),
    )
    ok(
        cfg,
        *("mandate", "new", debtor["number"], "--administration", "ZON"),
        *("--signed", "2026-11-01", "--effective", "2026-11-01"),
    )
    ok(
        cfg,
        *("order", "add", "--administration", "ZON", "--debtor", debtor["number"], "--amount", "12,50"),
        *("--date", "2026-12-01", "--invoice", "F-1", "--invoice-type", "CONTR"),
    )
    created = ok(cfg, "set", "new", "--bank-group", "ABN", "--json")
    assert created["orders"] == 1 and created["total_cents"] == 1250
    names = ok(cfg, "set", "process", str(created["id"]), "--wait").split()
    assert len(names) == 1
    sent = ok(cfg, "set", "send", str(created["id"]))
    assert str(bank / names[0]) in sent
    delivered = bank / names[0]
    assert delivered.is_file()
    check = subprocess.run(
        [sys.executable, "-m", "incasso_tui", "sepa", "check", str(delivered), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout
    [report] = json.loads(check.stdout)["files"]
    assert report["ok"] and report["transactions"] == 1
    text = delivered.read_text(encoding="utf-8")
    assert f"<Id>{CI}</Id>" in text and ABN_IBAN in text and '<InstdAmt Ccy="EUR">12.50</InstdAmt>' in text

    # Now in use: deactivating is refused with what uses it.
    refused = run(cfg, "administration", "deactivate", "ZON")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert (
        "administration ZON is still in use: mandates (active or inactive): 1; "
        "orders (open or underway): 1; unsent sets: 0" in refused.stderr
    )


def test_bad_input_is_one_line_naming_each_field_and_rule(db_url, config_file, tmp_path):
    cfg = config_file()
    ok(cfg, "init")
    bad = run(
        cfg,
        *("administration", "add", "ZON", "--name", "Zon", "--creditor-id", "NL00ZZZ123456780000"),
        *("--kvk", "123"),
    )
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    assert "creditor identifier 'NL00ZZZ123456780000': check digits" in bad.stderr
    assert "KvK number '123': must be 8 digits" in bad.stderr
    ok(cfg, "administration", "add", "ZON", "--name", "Zon", "--creditor-id", CI)
    again = run(cfg, "administration", "add", "zon", "--name", "Zon", "--creditor-id", CI)
    assert again.returncode == 1 and "code 'ZON': is already used by another administration" in again.stderr
    bad = run(
        cfg,
        *("bank-group", "add", "RABO", "--name", "Rabobank", "--profile", "RABO", "--pain", "08"),
        *("--lead-days", "0", "--delivery-dir", str(tmp_path / "missing"), "--send-command", "scp", "x"),
    )
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1
    for text in (
        "Rabobank (profile RABO) accepts only pain.008.001.02",
        "lead days '0': must be a whole number of TARGET2 days from 1",
        "delivery directory",
        "does not exist",
        "send command 'scp x': must contain {file}",
    ):
        assert text in bad.stderr, text
    # The usage of a missing required option is argparse's: exit 2.
    assert run(cfg, "bank-group", "add", "X", "--name", "X").returncode == 2
    missing = run(cfg, "bank-group", "show", "NOPE")
    assert missing.returncode == 1 and "bank group NOPE does not exist" in missing.stderr


def test_json_show_list_edit_and_warnings(db_url, config_file, tmp_path):
    cfg = config_file()
    ok(cfg, "init")
    warned = run(
        cfg,
        *("administration", "add", "ZON", "--name", "Zon", "--creditor-id", creditor_id("12345678", "ABC")),
        "--json",
    )
    assert warned.returncode == 0 and warned.stderr.startswith("warning: creditor identifier")
    assert "business code ABC is not ZZZ" in json.loads(warned.stdout)["warnings"][0]
    ok(cfg, "bank-group", "add", "ING", "--name", "ING", "--profile", "ING", "--pain", "08")
    # One quoted text is split like a shell would; several arguments are taken as they are.
    edited = ok(
        cfg, "bank-group", "edit", "ING", "--send-command", f"cp -p {{file}} '{tmp_path}/in box'", "--json"
    )
    assert edited["send_command"] == ["cp", "-p", "{file}", f"{tmp_path}/in box"]
    assert edited["changed"] == ["send_command"]
    edited = ok(cfg, "bank-group", "edit", "ING", "--send-command", "cp", "{file}", str(tmp_path), "--json")
    assert edited["send_command"] == ["cp", "{file}", str(tmp_path)]
    shown = ok(cfg, "bank-group", "show", "ing", "--json")
    assert (shown["profile"], shown["pain_version"], shown["max_per_file_applied"]) == (
        "ING",
        "pain.008.001.08",
        5000,
    )
    [listed] = ok(cfg, "bank-group", "list", "--json")
    assert listed["profile"] == "ING" and listed["send_command"] == ["cp", "{file}", str(tmp_path)]
    profiles = ok(cfg, "bank-group", "profiles", "--json")
    assert [p["code"] for p in profiles] == ["ABN", "ING", "RABO", "EQUENS", "OTHER"]
    rabo = next(p for p in profiles if p["code"] == "RABO")
    assert {v["name"]: v["value"] for v in rabo["values"]}["max_per_file"] == 1500
    assert "source: AFAS" in ok(cfg, "bank-group", "profiles")

    # An ABN AMRO account in the ING group: stored, with a warning naming both.
    added = run(
        cfg,
        "bank-account",
        "add",
        "--administration",
        "ZON",
        "--iban",
        ABN_IBAN,
        "--bank-group",
        "ING",
        "--json",
    )
    assert added.returncode == 0 and "at ABN AMRO, but bank group ING has profile ING" in added.stderr
    assert json.loads(added.stdout)["warnings"]
    edited = ok(cfg, "bank-account", "edit", ABN_IBAN, "--max-per-month", "5.000,00", "--json")
    assert edited["max_per_month_cents"] == 500000 and edited["changed"] == ["max_per_month_cents"]
    [account] = ok(cfg, "bank-account", "list", "--administration", "ZON", "--json")
    assert account["iban"] == ABN_IBAN and account["bank_name"] == "ABN AMRO"
    shown = ok(cfg, "administration", "show", "ZON", "--json")
    assert shown["bank_accounts"] == [ABN_IBAN]
    edited = ok(cfg, "administration", "edit", "ZON", "--town", "Utrecht", "--json")
    assert edited["town"] == "Utrecht" and edited["changed"] == ["town"]
    ok(cfg, "invoice-type", "add", "DON", "--administration", "ZON", "--name", "Donatie")
    assert ok(cfg, "invoice-type", "list", "--json")[0]["code"] == "DON"
    assert ok(cfg, "administration", "deactivate", "ZON", "--json")["active"] is False
    assert ok(cfg, "administration", "list", "--json")[0]["active"] is False


def test_an_operator_may_look_but_not_set_up(db_url, config_file):
    cfg = config_file()
    ok(cfg, "init")
    ok(cfg, "administration", "add", "ZON", "--name", "Zon", "--creditor-id", CI)
    ok(cfg, "user", "add", "olga", "--role", "operator")
    ok(cfg, "user", "grant", "olga", "ZON")
    for args in (
        ("administration", "edit", "ZON", "--name", "Mine"),
        ("bank-group", "add", "ING", "--name", "ING", "--profile", "ING"),
        (
            "bank-account",
            "add",
            "--administration",
            "ZON",
            "--iban",
            iban("INGB", "0000000001"),
            "--bank-group",
            "I",
        ),
        ("invoice-type", "add", "X", "--administration", "ZON", "--name", "X"),
        ("organisation", "name", "Mine"),
    ):
        refused = run(cfg, *args, user="olga")
        assert refused.returncode == 1, args
        assert "user olga (operator) may not administer" in refused.stderr and refused.stderr.count("\n") == 1
    assert ok(cfg, "administration", "show", "ZON", "--json", user="olga")["name"] == "Zon"
