"""Amounts, dates and IBANs as each language writes them; cheap, side-effect free import."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from incasso_tui.documents.formatting import format_cents, format_date, format_iban, format_long_date


@pytest.mark.parametrize(
    "cents, nl, en",
    [
        (123456, "€ 1.234,56", "€1,234.56"),
        (5, "€ 0,05", "€0.05"),
        (0, "€ 0,00", "€0.00"),
        (100000000, "€ 1.000.000,00", "€1,000,000.00"),
        (-2550, "-€ 25,50", "-€25.50"),
    ],
)
def test_format_cents(cents, nl, en):
    assert format_cents(cents, "nl") == nl
    assert format_cents(cents, "de") == nl
    assert format_cents(cents, "en") == en


@pytest.mark.parametrize("amount", [12.34, True, "100"])
def test_amounts_must_be_integer_cents(amount):
    with pytest.raises(TypeError):
        format_cents(amount, "nl")


def test_dates_and_iban():
    day = date(2026, 3, 5)
    assert format_date(day, "nl") == "05-03-2026"
    assert format_date(day, "de") == "05.03.2026"
    assert format_date(day, "en") == "2026-03-05"
    assert format_date(None, "nl") == ""
    assert format_long_date(day, "nl") == "5 maart 2026"
    assert format_long_date(day, "de") == "5. März 2026"
    assert format_long_date(day, "en") == "5 March 2026"
    assert format_iban("nl91abna0417164300") == "NL91 ABNA 0417 1643 00"
    assert format_iban("NL91 ABNA 0417 1643 00") == "NL91 ABNA 0417 1643 00"


def test_importing_documents_does_not_import_fpdf_or_the_app_layers():
    code = (
        "import sys, incasso_tui.documents; "
        "bad = [m for m in ('fpdf', 'peewee', 'textual', 'pypdf') if m in sys.modules]; "
        "print(*bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
