"""The engine is pure: importing it (and writing a file) never loads peewee or textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys, datetime as dt, tempfile, os
import incasso_tui.sepa as s
import incasso_tui.cli.sepa
c = s.Creditor("SV", "NL91ABNA0417164300", "NL16ZZZ300384870000")
t = s.Transaction("E2E-1", 100, "MDT-1", dt.date(2020, 1, 1), "A", "NL20INGB0001234567")
with tempfile.TemporaryDirectory() as d:
    s.write_pain008(os.path.join(d, "f.xml"), s.FileHeader("M-1", dt.datetime(2026, 1, 5), "SV"),
                    s.group_transactions([(s.BatchKey(c, "CORE", "RCUR", dt.date(2026, 1, 5)), t)]))
print(sorted(m for m in ("peewee", "textual", "holidays", "xmlschema") if m in sys.modules))
"""


def test_no_database_or_ui_imports():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    # holidays is only the tests' oracle; xmlschema (30-40x slower) is never used.
    # (sepaxml itself is imported: importlib.resources loads its XSD files through it.)
    assert out.stdout.strip() == "[]"


def test_public_api_is_exported():
    import incasso_tui.sepa as sepa

    for name in (
        "write_pain008",
        "read_pain008",
        "check_file",
        "transliterate",
        "preview",
        "validate_iban",
        "derive_bic",
        "validate_creditor_id",
        "adjust_collection_date",
        "earliest_collection_date",
        "choose_sequence_type",
        "amendment_for_change",
        "group_transactions",
        "SepaError",
        "Transaction",
        "BatchKey",
        "BatchInfo",
    ):
        assert name in sepa.__all__, name
    assert "writer" not in sepa.__all__  # modules are not part of the API list
