"""Pre-notification letters and the mail-merge CSV, read back: what each debtor is told, in
their language, and the records the set keeps of it."""

from __future__ import annotations

import csv
import os
import re
import stat

import pypdf
import pytest

from incasso_tui.core.errors import NotFound, Refused, UsageError, ValidationError
from incasso_tui.db import models as m
from incasso_tui.services import prenotification as pn
from incasso_tui.services.auth import actor_for
from incasso_tui.services.collection import sets

from .helpers import notice_world

# Order i: 1000 + i cents, collected Monday 30 November 2026 (requested Sunday the 29th).
EXPECTED = {
    "nl": ("Vooraankondiging SEPA-incasso", "€ 10,00", "30 november 2026", "Incassant ID"),
    "en": ("Pre-notification of SEPA direct debit", "€10.01", "30 November 2026", "Creditor identifier"),
    "de": (
        "Vorabankündigung einer SEPA-Lastschrift",
        "€ 10,02",
        "30. November 2026",
        "Gläubiger-Identifikationsnummer",
    ),
}


def _pages(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


def test_one_letter_per_debtor_in_their_language(admin, tmp_path):
    _, adm, _, orders = notice_world(3)
    created = sets.create_set(admin, "ABN")
    result = pn.prenotify_set(
        admin, created.id, pdf=tmp_path / "out" / "print.pdf", csv=tmp_path / "merge.csv"
    )
    assert (result.debtors, result.orders, result.held_back) == (3, 3, 0)
    pages = _pages(result.pdf)
    assert len(pages) == 3  # the print PDF: one page per debtor
    for order, text, language in zip(orders, pages, ("nl", "en", "de"), strict=True):
        title, amount, day, label = EXPECTED[language]
        debtor = order.debtor
        for expected in (
            title,
            amount,
            day,
            label,
            debtor.name,
            adm.creditor_id,
            f"{debtor.number}-1",
            adm.name,
        ):
            assert expected in text, (language, expected, text)
        assert "Jan Jansen, 030-1234567" in text  # the bank account's letter contact
        assert order.remittance in text
    # Personal data: private to the owner.
    assert stat.S_IMODE(os.stat(result.pdf).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(result.csv).st_mode) == 0o600


def test_several_orders_of_one_debtor_are_one_letter_with_a_total(admin, tmp_path):
    _, _, account, orders = notice_world(2)
    first = orders[0]
    m.CollectionOrder.create(
        administration=first.administration,
        debtor=first.debtor,
        mandate=first.mandate,
        bank_account=account,
        amount_cents=4550,
        requested_date=first.requested_date,
        remittance="Tweede factuur",
    )
    created = sets.create_set(admin, "ABN")
    result = pn.prenotify_set(admin, created.id, pdf=tmp_path / "p.pdf")
    assert (result.debtors, result.orders) == (2, 3)
    pages = _pages(result.pdf)
    assert len(pages) == 2
    assert "Tweede factuur" in pages[0] and "€ 45,50" in pages[0]
    assert "Totaal € 55,50" in pages[0] and "onderstaande 2 bedragen" in pages[0]


def test_csv_for_a_mail_merge(admin, tmp_path):
    _, adm, _, orders = notice_world(3)
    created = sets.create_set(admin, "ABN")
    result = pn.prenotify_set(admin, created.id, csv=tmp_path / "merge.csv")
    raw = result.csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: a spreadsheet reads it as such
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) == 3
    by_order = {int(r["order_id"]): r for r in rows}
    second = by_order[orders[1].id]
    assert second["language"] == "en" and second["email"] == "debtor1@example.org"
    assert second["amount"] == "10,01" and second["amount_text"] == "€10.01"
    assert second["collection_date"] == "2026-11-30" and second["collection_date_text"] == "30 November 2026"
    assert (
        second["creditor_id"] == adm.creditor_id
        and second["mandate_reference"] == f"{orders[1].debtor.number}-1"
    )
    assert by_order[orders[2].id]["email"] == ""  # the last debtor has no address: to print
    assert by_order[orders[2].id]["debtor_name"] == orders[2].debtor.name


def test_the_set_records_who_was_told_how_and_when(admin, tmp_path):
    notice_world(3)
    created = sets.create_set(admin, "ABN")
    pn.prenotify_set(admin, created.id, pdf=tmp_path / "p.pdf")
    rows = list(m.PreNotification.select().order_by(m.PreNotification.id))
    assert [(r.channel, r.status, r.collection_set_id) for r in rows] == [("print", "sent", created.id)] * 3
    assert {r.amount_cents for r in rows} == {1000, 1001, 1002}
    assert {r.collection_date.isoformat() for r in rows} == {"2026-11-30"}
    detail = sets.set_detail(admin, created.id)
    assert detail.prenotification["orders_notified"] == 3
    assert detail.prenotification["sent_by_channel"] == {"print": 3}
    assert all(o["notified"].startswith("print 2026-11-24") for o in detail.order_rows)
    audit = m.AuditEntry.select().where(m.AuditEntry.action == "prenotification.write").get()
    assert "3 debtors (print)" in audit.summary


def test_a_single_order(admin, tmp_path):
    _, _, _, orders = notice_world(2)
    result = pn.prenotify_order(admin, orders[1].id, pdf=tmp_path / "one.pdf")
    assert (result.debtors, result.orders) == (1, 1)
    text = _pages(result.pdf)[0]
    assert orders[1].debtor.name in text and "30 November 2026" in text  # earliest date, then requested
    row = m.PreNotification.get()
    assert (row.order_id, row.collection_set_id) == (orders[1].id, None)


def test_refusals_name_what_is_wrong(admin, tmp_path):
    notice_world(2)
    created = sets.create_set(admin, "ABN")
    with pytest.raises(UsageError, match=re.escape("--email, --out FILE.pdf, --letters DIR, --csv FILE.csv")):
        pn.prenotify_set(admin, created.id)
    with pytest.raises(ValidationError, match=r"--out.*must name a \.pdf file"):
        pn.prenotify_set(admin, created.id, pdf=tmp_path / "x.txt")
    with pytest.raises(Refused, match="e-mail is not configured"):
        pn.prenotify_set(admin, created.id, email=True, smtp=pn.SmtpConfig())
    # Nothing was recorded by the refused attempts.
    assert m.PreNotification.select().count() == 0
    # Held back orders are never announced: a revoked mandate leaves nothing to tell.
    m.Mandate.update(status="revoked").execute()
    with pytest.raises(Refused, match="nothing to pre-notify"):
        pn.prenotify_set(admin, created.id, pdf=tmp_path / "p.pdf")
    assert not (tmp_path / "p.pdf").exists()


def test_only_before_processing_and_with_rights(admin, tmp_path):
    from sets.helpers import operator

    from incasso_tui.services.collection import processing

    _, adm, _, _ = notice_world(2)
    created = sets.create_set(admin, "ABN")
    other = m.Administration.create(code="OTH", name="Other", creditor_id="NL69ZZZ123456780000")
    with pytest.raises(NotFound):  # a set of another administration is not even shown
        pn.prenotify_set(operator("stranger", other), created.id, pdf=tmp_path / "p.pdf")
    support = m.User.create(login="sue", role="support")
    m.UserAdministration.create(user=support, administration=adm)
    with pytest.raises(Refused, match="may not process"):
        pn.prenotify_set(actor_for(support), created.id, pdf=tmp_path / "p.pdf")
    assert not (tmp_path / "p.pdf").exists() and m.PreNotification.select().count() == 0
    processing.process_set(admin, created.id, outbox_dir=tmp_path / "outbox")
    with pytest.raises(Refused, match="before the set is processed"):
        pn.prenotify_set(admin, created.id, pdf=tmp_path / "p.pdf")
