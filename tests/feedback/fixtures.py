"""Hand-written bank feedback files (pain.002, camt.053, camt.054) as templates.

The XML files in ``fixtures/`` are what Rabobank / ING / ABN AMRO send, with
``string.Template`` placeholders for our own identifiers, so a service test can
put in the ids of a set it just processed::

    write(tmp_path, "pain002_03_tx_rejects.xml", msg_id=s.msg_id, e2e_1=..., ...)

Placeholders: ``msg_id`` (our pain.008 MsgId), ``pmt_inf_1``/``pmt_inf_2``
(PmtInfIds), ``e2e_1``..``e2e_6`` (EndToEndIds), ``mandate_1``..``mandate_6``,
``amount_1``..``amount_6`` (decimal text, "12.50"), ``date`` (collection date)
and ``booking_date`` (YYYY-MM-DD).  Missing values come from DEFAULTS.  The
sums the bank writes (``total`` of amount_1..6, ``sum_1_3``, ``sum_5_6``) are
computed from the amounts unless given.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from string import Template

FIXTURES = Path(__file__).resolve().parent / "fixtures"

DEFAULTS: dict[str, str] = {
    "msg_id": "INC-42-20261120101500",
    "pmt_inf_1": "INC-42-20261120101500-1",
    "pmt_inf_2": "INC-42-20261120101500-2",
    **{f"e2e_{n}": f"42-100{n}" for n in range(1, 7)},
    **{f"mandate_{n}": f"ZWA-LID-000{n}" for n in range(1, 7)},
    "amount_1": "12.50",
    "amount_2": "25.00",
    "amount_3": "7.95",
    "amount_4": "100.00",
    "amount_5": "42.10",
    "amount_6": "3.05",
    "date": "2026-11-27",
    "booking_date": "2026-12-01",
}

# Derived placeholder -> the amounts it adds up.
SUMS = {"total": range(1, 7), "sum_1_3": range(1, 4), "sum_5_6": range(5, 7)}


def render(name: str, **values: object) -> bytes:
    """The fixture ``name`` with the placeholders filled in (UTF-8 bytes)."""
    filled = {**DEFAULTS, **{key: str(value) for key, value in values.items()}}
    for key, numbers in SUMS.items():
        try:
            total = str(sum(Decimal(filled[f"amount_{n}"]) for n in numbers))
        except InvalidOperation:  # a test of a bad amount: the sum does not matter
            total = "0.00"
        filled.setdefault(key, total)
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return Template(text).substitute(filled).encode("utf-8")


def write(tmp_path: Path, name: str, **values: object) -> Path:
    """Render ``name`` into ``tmp_path`` (same file name) and return the path."""
    path = Path(tmp_path) / name
    path.write_bytes(render(name, **values))
    return path
