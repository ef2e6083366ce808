"""The issue's whole process through the screens: from an empty database through the
set-up wizard and the admin screens (mandate settings, an invoice type, a second bank
account) and then the debtor, mandate and order forms, the new-set wizard, processing and
sending, to a file in the bank group's delivery directory."""

from __future__ import annotations

import datetime as dt

from pilot_helpers import make_app, settle
from schwifty import IBAN

from incasso_tui.db import models as m
from incasso_tui.jobs.worker import JobRunner
from incasso_tui.sepa.check import check_file

from .helpers import IBAN_ABN, notices, select_row, type_into, wizard_to_done

SIZE = (160, 48)


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    await settle(pilot)


async def test_from_an_empty_database_to_a_sent_file_through_the_screens(admin, database, tmp_path):
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    second_iban = str(IBAN.generate("NL", bank_code="ABNA", account_code="0123456789"))
    debtor_iban = str(IBAN.generate("NL", bank_code="INGB", account_code="0007777777"))
    app = make_app(database, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        # --- set-up: the wizard, from an empty database
        await settle(pilot)
        assert app.screen.AREA == "setup"
        await wizard_to_done(pilot, str(bank_dir))
        await save(pilot)
        assert app.screen.AREA == "home"

        # --- the admin screens: the administration's mandate settings, an invoice type and
        # a second bank account, from the administration's details
        await pilot.press("f8")
        await settle(pilot)
        select_row(app, lambda r: r.code == "SZN")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.AREA == "administration"
        await pilot.press("m")
        await settle(pilot)
        app.screen.query_one("#f-activate_immediately").value = True
        await save(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_into(pilot, "f-code", "DON")
        await type_into(pilot, "f-name", "Donatie")
        await type_into(pilot, "f-collection_reason", "Maandelijkse donatie")
        await save(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert app.screen.query_one("#f-administration").value == "SZN"
        await type_into(pilot, "f-iban", second_iban)
        await save(pilot)
        assert app.screen.AREA == "administration"
        accounts = app.screen.query_one("#administration-accounts")
        assert accounts.row_count == 2
        assert m.InvoiceType.get(m.InvoiceType.code == "DON").administration.code == "SZN"
        assert m.Administration.get(m.Administration.code == "SZN").activate_immediately
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.AREA == "home"

        # --- a debtor (the debtor form) and its mandate (the mandate form)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("down", "n")  # from the search box to the table, then New
        await settle(pilot)
        assert type(app.screen).__name__ == "DebtorFormScreen"
        await type_into(pilot, "f-name", "Jan Jansen")
        await type_into(pilot, "f-town", "Zwolle")
        await type_into(pilot, "f-iban", debtor_iban)
        await save(pilot)
        assert app.screen.AREA == "debtors"
        debtor = m.Debtor.get(m.Debtor.name == "Jan Jansen")
        select_row(app, lambda r: r.number == debtor.number)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.AREA == "debtor"
        await pilot.press("down", "n")  # the debtor's mandates: to the table, then New
        await settle(pilot)
        assert type(app.screen).__name__ == "MandateFormScreen"
        await type_into(pilot, "f-signed_date", "20-11-2026")
        await save(pilot)
        assert app.screen.AREA == "debtor"
        mandate = m.Mandate.get(m.Mandate.debtor == debtor.id)
        assert mandate.status == "inactive"  # until the signed form is in: activated by key
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("enter")  # effective from the date signed (the dialog's default)
        await settle(pilot)
        assert m.Mandate.get_by_id(mandate.id).status == "active"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

        # --- an order (the order form)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("down", "n")  # from the search box to the table, then New
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderFormScreen"
        for key, value in (
            ("administration", "SZN"),
            ("debtor", debtor.number),
            ("amount", "25,00"),
            ("invoice-type", "DON"),
            ("invoice", "F2026-001"),
        ):
            app.screen.query_one(f"#order-{key}").value = value
        await save(pilot)
        order = m.CollectionOrder.get(m.CollectionOrder.debtor == debtor.id)
        assert (order.amount_cents, order.status) == (2500, "open")
        await pilot.press("escape")
        await settle(pilot)

        # --- the set (the new-set wizard), processed and sent
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "NewSetScreen"
        await pilot.press("ctrl+s")  # the one bank group, the earliest date
        await settle(pilot)
        await settle(pilot)
        assert app.screen.AREA == "set"
        detail = app.screen.detail
        assert detail is not None and detail.bank_group == "ABN" and detail.orders == 1
        await pilot.press("p", "y")  # process: the summary, then yes
        await settle(pilot)
        assert JobRunner().run_pending(once=True) == 1
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen.detail.status == "processed"
        await pilot.press("v")  # send: the summary names the delivery directory
        await settle(pilot)
        assert str(bank_dir) in str(app.screen.query_one("#confirm-message").content)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert app.screen.detail.status == "sent", notices(app)

    sent = sorted(bank_dir.iterdir())
    assert len(sent) == 1 and sent[0].suffix == ".xml"
    xml = sent[0].read_text(encoding="utf-8")
    assert "NL69ZZZ123456780000" in xml and debtor_iban in xml and IBAN_ABN in xml
    assert '<InstdAmt Ccy="EUR">25.00</InstdAmt>' in xml
    assert "Stichting Zon Noord" in xml  # the organisation submits the file (InitgPty)
    assert m.CollectionOrder.get_by_id(order.id).status != "open"
    report = check_file(str(sent[0]), today=dt.date(2026, 11, 24))
    assert report.ok, report.to_dict()  # the XSD and the rules of `incasso sepa check`
