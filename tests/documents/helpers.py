"""Builders for document test data and a way to read a rendered PDF back."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

from pypdf import PdfReader

from incasso_tui.documents import LetterBatch, LetterData, MandateFormData, Party

CREDITOR = Party("Stichting Voorbeeld Sport", "Dorpsstraat", "12a", "1234 AB", "Amsterdam", "NL")
CREDITOR_ID = "NL98ZZZ999999990000"
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def pages(data: bytes) -> list[str]:
    """The text of every page, whitespace collapsed so wrapped sentences compare as one line."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def make_form(**changes) -> MandateFormData:
    form = MandateFormData(
        language="nl",
        scheme="CORE",
        recurrent=True,
        creditor=CREDITOR,
        creditor_id=CREDITOR_ID,
        reference="D1001-1",
        reason="Contributie 2026",
        debtor=Party("Łukasz Żółć", "Hauptstraße", "7", "10115", "Berlin", "DE"),
        debtor_iban="DE89370400440532013000",
        debtor_bic="COBADEFFXXX",
        signed_place="Berlin",
        signed_date=date(2025, 11, 24),
    )
    return replace(form, **changes)


def batches() -> list[LetterBatch]:
    return [
        LetterBatch("MSG-0001-CORE-FRST", "CORE", "FRST", date(2025, 11, 28), 12, 123456),
        LetterBatch("MSG-0001-CORE-RCUR", "CORE", "RCUR", date(2025, 11, 28), 1480, 98765432),
        LetterBatch("MSG-0001-B2B-OOFF", "B2B", "OOFF", date(2025, 11, 26), 1, 100000),
    ]


def make_letter(**changes) -> LetterData:
    letter = LetterData(
        language="nl",
        layout="standard",
        creditor=CREDITOR,
        creditor_id=CREDITOR_ID,
        account_iban="NL91ABNA0417164300",
        account_bic="ABNANL2A",
        bank_name="ABN AMRO Bank N.V.",
        bank_address=Party("ABN AMRO Bank N.V.", "Postbus", "283", "1000 EA", "Amsterdam", "NL"),
        contact="J. de Vries, 020-1234567",
        signatories=["J. de Vries", "Łukasz Żółć"],
        place="Amsterdam",
        letter_date=date(2025, 11, 24),
        file_name="incasso_20251124_0001.xml",
        msg_id="MSG-0001",
        created_at=datetime(2025, 11, 24, 14, 3, 7),
        pain_version="pain.008.001.08",
        batches=batches(),
        total_count=1493,
        total_cents=98988888,
        sha256=SHA,
    )
    return replace(letter, **changes)
