"""`incasso sepa check`: run as a process, as a user or a script would."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from incasso_tui.cli import sepa as sepa_cli

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "incasso_tui.cli.sepa", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def bad_copy(tmp_path: Path) -> Path:
    text = (GOLDEN / "small-pain.008.001.02.xml").read_text()
    path = tmp_path / "bad.xml"
    path.write_text(text.replace("<IBAN>NL20INGB0001234567</IBAN>", "<IBAN>NL20INGB0001234568</IBAN>"))
    return path


def test_clean_file_exits_0():
    golden = str(GOLDEN / "small-pain.008.001.02.xml")
    result = run("check", golden)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith(
        f"{golden}: OK (pain.008.001.02, 5 transactions, 1000000030.10 EUR"
    )


def test_errors_exit_1_with_file_line_severity_rule(tmp_path):
    path = bad_copy(tmp_path)
    result = run("check", str(path), str(GOLDEN / "small-pain.008.001.08.xml"))
    assert result.returncode == 1
    assert (
        f"{path}:5: error iban: EndToEndId 'E2E-42-000001': debtor IBAN "
        "'NL20INGB0001234568': checksum (MOD 97-10) does not match"
    ) in result.stdout
    assert f"{path}: FAILED" in result.stdout
    # Both files carry MsgId INC-42-20260220101500: since issue 11 the second one is an error.
    golden_08 = GOLDEN / "small-pain.008.001.08.xml"
    assert (
        f"{golden_08}:3: error msg-id-reuse: MsgId 'INC-42-20260220101500' is also the MsgId of {path}"
        in result.stdout
    )
    assert (
        "small-pain.008.001.08.xml: FAILED (pain.008.001.08, 5 transactions, 1000000030.10 EUR; 1 error"
        in result.stdout
    )


def test_json_output(tmp_path):
    path = bad_copy(tmp_path)
    result = run("check", "--json", str(path))
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    (report,) = doc["files"]
    assert report["file"] == str(path) and report["transactions"] == 5
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors == [
        {
            "severity": "error",
            "location": f"{path}:5",
            "rule": "iban",
            "message": "EndToEndId 'E2E-42-000001': debtor IBAN "
            "'NL20INGB0001234568': checksum (MOD 97-10) does not match",
            "file": str(path),
            "line": 5,
        }
    ]


def test_no_traceback_for_files_that_are_not_pain008(tmp_path):
    (tmp_path / "notes.txt").write_text("not xml at all")
    (tmp_path / "ct.xml").write_text(
        (GOLDEN / "small-pain.008.001.02.xml").read_text().replace("pain.008.001.02", "pain.001.001.03")
    )
    (tmp_path / "empty.xml").write_text("")
    result = run(
        "check",
        str(tmp_path / "missing.xml"),
        str(tmp_path / "notes.txt"),
        str(tmp_path / "ct.xml"),
        str(tmp_path / "empty.xml"),
        str(tmp_path),
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    out = result.stdout
    assert f"{tmp_path / 'missing.xml'}: error file: no such file" in out
    assert f"{tmp_path / 'notes.txt'}:1: error xml: not well-formed XML" in out
    assert (
        "error message-type: message type 'pain.001.001.03': is not pain.008.001.02 or "
        "pain.008.001.08 (a credit transfer, not a direct debit)" in out
    )
    assert f"{tmp_path}: error file: not a regular file" in out


def test_usage_errors_exit_2():
    result = run("check")
    assert result.returncode == 2 and "FILE" in result.stderr
    assert run().returncode == 2


def test_register_adds_the_sepa_group():
    parser = argparse.ArgumentParser(prog="incasso")
    sepa_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sepa", "check", "a.xml", "b.xml", "--json"])
    assert args.handler is sepa_cli.run_check and args.func is sepa_cli.run_check
    assert args.files == ["a.xml", "b.xml"] and args.json
    bare = parser.parse_args(["sepa"])  # the group alone: no handler, its help available
    assert bare.handler is None and bare.group_parser.prog.endswith("sepa")


def test_through_the_main_cli(tmp_path):
    """`incasso sepa check` via incasso_tui.cli.main (the lead's entry point), when present."""
    cli = pytest.importorskip("incasso_tui.cli.main")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from incasso_tui.cli.main import main; sys.exit(main(sys.argv[1:]))",
            "sepa",
            "check",
            str(bad_copy(tmp_path)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli is not None and result.returncode == 1, result.stderr
    assert ":5: error iban:" in result.stdout and "Traceback" not in result.stderr


def test_run_check_in_process(capsys):
    args = argparse.Namespace(files=[str(GOLDEN / "small-pain.008.001.08.xml")], json=False, max_per_rule=100)
    assert sepa_cli.run_check(args) == 0
    assert "OK (pain.008.001.08" in capsys.readouterr().out
