"""`incasso mandate|mandates|debtor|import …`: output for people and --json, one-line errors,
exit codes. Most run in-process (fast); one runs as a real process like a user's shell."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from incasso_tui.cli.main import main
from incasso_tui.db import models as m

from .conftest import IBAN_ABN, TODAY


def cli(capsys, config, *args, user="tester"):
    code = main(["--config", str(config), "--user", user, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_debtor_and_mandate_round_trip(world, config_file, capsys):
    cfg = config_file()
    code, out, _ = cli(
        capsys,
        cfg,
        "debtor",
        "add",
        "--administration",
        "ZON",
        "--name",
        "Sanne de Vries",
        "--iban",
        "NL91 ABNA 0417 1643 00",
        "--town",
        "Utrecht",
    )
    assert code == 0 and "debtor 1002 Sanne de Vries added to ZON" in out and "ABNANL2A" in out
    code, out, _ = cli(capsys, cfg, "mandate", "new", "1002", "--signed", "01-11-2026", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["reference"], data["status"], data["signed_date"]) == ("1002-1", "inactive", "2026-11-01")
    assert data["hold_code"] == "inactive"
    assert cli(capsys, cfg, "mandate", "activate", "1002-1")[0] == 0
    code, out, _ = cli(capsys, cfg, "mandate", "edit", "1002-1", "--external-reference", "EXT-5")
    assert code == 0
    code, out, _ = cli(capsys, cfg, "mandate", "show", "ext-5")
    assert code == 0 and "status:              active" in out and "written to files: EXT-5" in out
    assert "history:" in out and "external_reference: - -> EXT-5" in out
    code, out, _ = cli(capsys, cfg, "mandate", "list", "--search", "sanne", "--json")
    listed = json.loads(out)
    assert listed["total"] == 1 and listed["mandates"][0]["reference"] == "EXT-5"
    code, out, _ = cli(capsys, cfg, "mandate", "end", "EXT-5")
    assert code == 0 and "ends on 2026-11-23: ended" in out
    code, out, _ = cli(capsys, cfg, "mandate", "list", "--status", "ended")
    assert "EXT-5" in out and "1001" not in out
    code, out, _ = cli(capsys, cfg, "debtor", "show", "1002", "--json")
    assert json.loads(out)["mandates"][0]["status"] == "ended"
    code, out, _ = cli(capsys, cfg, "mandate", "history", "EXT-5", "--json")
    assert [h["action"] for h in json.loads(out)] == [
        "mandate.end",
        "mandate.update",
        "mandate.activate",
        "mandate.create",
    ]


def test_errors_are_one_line_with_the_rule(world, config_file, capsys):
    cfg = config_file()
    code, _, err = cli(capsys, cfg, "mandate", "new", "1001", "--scheme", "B2B", "--signed", "2099-01-01")
    assert code == 1 and err.count("\n") == 1
    assert "B2B is only for business debtors" in err and "must not be in the future" in err
    code, _, err = cli(capsys, cfg, "mandate", "show", "NOPE")
    assert code == 1 and "mandate NOPE does not exist" in err
    code, _, err = cli(capsys, cfg, "mandate", "activate", "1001-1", user="bram")
    assert code == 1
    m.Mandate.update(collected=True).execute()


def test_collected_reference_refused_on_the_command_line(world, config_file, capsys):
    cfg = config_file()
    assert cli(capsys, cfg, "mandate", "new", "1001", "--effective", TODAY.isoformat())[0] == 0
    m.Mandate.update(collected=True).execute()
    code, _, err = cli(capsys, cfg, "mandate", "edit", "1001-1", "--reference", "NEW-1")
    assert code == 1 and "has been collected under" in err and err.count("\n") == 1


def test_check_forms_and_settings(world, config_file, capsys, tmp_path):
    cfg = config_file()
    cli(capsys, cfg, "mandate", "new", "1001", "--effective", "2023-11-26")  # day 1094: active
    # A day passes without anybody touching the mandate: today is its 1095th day.
    m.Mandate.update(effective_date="2023-11-25").execute()
    code, out, _ = cli(capsys, cfg, "mandates", "check", "--json")
    assert code == 0 and json.loads(out)["changes"] == {"active->expired": 1}
    assert m.AppMeta.get_by_id("mandates_check_date").value == TODAY.isoformat()
    cli(capsys, cfg, "mandate", "new", "1001")
    cli(capsys, cfg, "mandate", "new", "2001")
    code, out, _ = cli(
        capsys,
        cfg,
        "mandates",
        "forms",
        "--unprinted",
        "--out",
        str(tmp_path / "forms.pdf"),
        "--administration",
        "ZON",
    )
    assert code == 0 and out.startswith("1 mandate forms written to") and (tmp_path / "forms.pdf").exists()
    code, out, _ = cli(capsys, cfg, "mandate", "form", "2001-1", "--out", str(tmp_path / "one.pdf"))
    assert code == 0 and (tmp_path / "one.pdf").read_bytes().startswith(b"%PDF-")
    code, out, _ = cli(
        capsys,
        cfg,
        "mandates",
        "settings",
        "ZON",
        "--auto-create",
        "ja",
        "--reference-format",
        "Z{debtor}/{seq:2}",
    )
    assert code == 0 and "auto-create yes" in out and "'Z{debtor}/{seq:2}'" in out
    code, out, _ = cli(capsys, cfg, "mandate", "new", "1001")
    assert "mandate Z1001/03 created" in out
    code, _, err = cli(capsys, cfg, "mandates", "settings", "ZON", "--scope", "invoice_type", user="anna")
    assert code == 1 and "may not administer" in err


def test_import_commands(world, config_file, capsys, tmp_path):
    cfg = config_file()
    good = tmp_path / "good.csv"
    good.write_text(f"administration;number;name;iban\nZON;1500;Piet;{IBAN_ABN}\n", encoding="utf-8")
    code, out, _ = cli(capsys, cfg, "import", "debtors", str(good))
    assert code == 0 and "1 debtors imported" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("administration;number;name\nZON;1501;Jan\nZON;1500;Dubbel\nZON;;\n", encoding="utf-8")
    code, out, err = cli(capsys, cfg, "import", "debtors", str(bad))
    assert code == 1 and "nothing was stored" in err
    assert "line 3, column number: already exists in administration ZON" in err
    assert "line 4, column number: is required" in err and "line 4, column name: is required" in err
    code, out, _ = cli(capsys, cfg, "import", "debtors", str(bad), "--skip-invalid", "--json")
    data = json.loads(out)
    assert code == 0 and (data["stored"], data["skipped"]) == (1, 2)
    mandates_csv = tmp_path / "m.csv"
    mandates_csv.write_text("administration,debtor\nZON,1500\nZON,1501\n", encoding="utf-8")
    code, out, _ = cli(capsys, cfg, "import", "mandates", str(mandates_csv))
    assert code == 0 and "2 mandates imported" in out


def test_as_a_real_process(world, config_file):
    cfg = config_file()
    env = dict(os.environ)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "incasso_tui", "--config", str(cfg), "--user", "tester", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    result = run("mandate", "new", "1001", "--effective", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    result = run("mandate", "end", "1001-1", "--date", "31-02-2027")
    assert result.returncode == 1 and result.stderr.strip().count("\n") == 0
    assert "end date '31-02-2027': is not a date in the calendar" in result.stderr
    assert "Traceback" not in result.stderr
    result = run("mandates", "check")
    assert result.returncode == 0 and result.stdout.startswith(f"mandate check {TODAY.isoformat()}")
