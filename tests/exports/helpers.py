"""Reading exports back (csv module, openpyxl) and the world the export tests share."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from incasso_tui.db import models as m
from incasso_tui.jobs import queue
from incasso_tui.services import audit
from incasso_tui.services.collection import sets

BOM = b"\xef\xbb\xbf"


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM), "CSV without a UTF-8 BOM"
    lines = list(csv.reader(raw[len(BOM) :].decode("utf-8").splitlines(), delimiter=";"))
    return lines[0], lines[1:]


def read_xlsx(path: Path):
    """(header, rows of cells) of the only sheet."""
    book = load_workbook(path)
    assert len(book.worksheets) == 1
    rows = list(book.worksheets[0].iter_rows())
    return [c.value for c in rows[0]], rows[1:]


def expected_text(kind: str, value) -> str:
    """What a CSV cell holds for a value of `kind`, written independently of the writer (Dutch)."""
    if value is None:
        return ""
    if kind == "date":
        return value.isoformat()[:10]
    if kind == "datetime":
        return value.replace(microsecond=0).isoformat(sep=" ")
    if kind == "money_cents":
        sign = "-" if value < 0 else ""
        return f"{sign}{abs(value) // 100},{abs(value) % 100:02d}"
    if kind == "int":
        return str(value)
    if kind == "bool":
        return "ja" if value else "nee"
    return str(value)


def build_world(admin) -> dict:
    """Demo data plus what the empty lists need: a set, R-transactions, a job, audit entries."""
    created = sets.create_set(admin, "ABN")
    orders = list(m.CollectionOrder.select().where(m.CollectionOrder.collection_set == created.id).limit(3))
    for number, order in enumerate(orders):
        # as if it went into a file: the collection history lists collections only
        m.CollectionOrder.update(end_to_end_id=f"E2E-{order.id}").where(
            m.CollectionOrder.id == order.id
        ).execute()
        m.BankFeedback.create(
            order=order,
            kind="reject" if number else "return",
            reason_code="AC04" if number else "MD06",
            amount_cents=order.amount_cents,
            date=dt.date(2026, 11, 20 + number),
            source="manual",
            source_ref=f"E2E-{order.id}",
            action="block_mandate",
            needs_decision=number == 1,
            mandate_reference="REF",
        )
    queue.enqueue("process_set", {"set_id": created.id}, admin.user_id, "export test")
    mandate = m.Mandate.select().order_by(m.Mandate.id).first()
    audit.record(
        admin, "edit", mandate, summary="changed", changes={"end_date": (None, dt.date(2027, 1, 31))}
    )
    audit.record(admin, "note", mandate, summary="looked at it")
    return {"set_id": created.id, "mandate_id": mandate.id, "debtor_id": orders[0].debtor_id}
