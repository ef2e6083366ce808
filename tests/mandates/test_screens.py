"""The mandate and debtor screens driven by keys (Textual Pilot): the list's actions, the
mandate's screen, the forms with their inline rules, the debtor's screen, rights."""

from __future__ import annotations

import datetime as dt

import pytest

from incasso_tui.db import models as m
from incasso_tui.services.mandates import lifecycle as mandates
from incasso_tui.services.mandates.lifecycle import MandateInput

from .conftest import IBAN_ABN, TODAY
from .pilot import SIZE, make_app, notices, open_mandates, select_row, settle, text_of, type_text


@pytest.fixture
def scene(world):
    admin = world.actor()
    active = mandates.create_mandate(
        admin, world.private.id, MandateInput(signed_date="2026-01-02", effective_date="2026-01-02")
    )
    inactive = mandates.create_mandate(admin, world.private.id, MandateInput(signed_date="2026-11-20"))
    b2b = mandates.create_mandate(
        admin, world.company.id, MandateInput(scheme="B2B", invoice_type="HUUR", effective_date=TODAY)
    )
    group = m.BankGroup.create(code="ING", name="ING")
    account = m.BankAccount.create(administration=world.zon, bank_group=group, iban="NL69INGB0123456789")
    m.CollectionOrder.create(
        administration=world.zon,
        debtor=world.private,
        mandate=active,
        bank_account=account,
        invoice_number="F2026-001",
        amount_cents=4995,
        requested_date=TODAY + dt.timedelta(days=7),
    )
    return {"active": active, "inactive": inactive, "b2b": b2b}


async def test_list_opens_the_mandate_with_orders_status_and_history(scene, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_mandates(pilot)
        select_row(app, lambda r: r.reference == "1001-1")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.AREA == "mandate"
        facts = text_of(app, "#detail-facts")
        assert "1001-1" in facts and "02-01-2026" in facts and "ja" in facts  # collectable today
        assert "Opdrachten onder deze machtiging: 1" in text_of(app, "#orders-heading")
        orders = app.screen.query_one("#detail-orders")
        assert orders.row_count == 1 and "49,95" in str(orders.get_row_at(0))
        assert "mandate 1001-1 for debtor 1001" in text_of(app, "#detail-history")
        await pilot.press("h")
        await settle(pilot)
        assert type(app.screen).__name__ == "HistoryScreen"
        assert "Datum getekend: – → 2026-01-02" in text_of(app, "#history-text")
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen.AREA == "mandates"


async def test_activate_and_end_from_the_list_with_keys_dimmed_when_they_do_not_apply(scene, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_mandates(pilot)
        select_row(app, lambda r: r.reference == "1001-1")  # active
        await pilot.pause()
        assert app.screen.check_action("activate_mandate", ()) is None  # dimmed
        assert app.screen.check_action("confirm_b2b", ()) is None  # a CORE mandate
        await pilot.press("v")
        await settle(pilot)
        assert app.screen.AREA == "mandates"  # nothing opened
        select_row(app, lambda r: r.reference == "1001-2")  # inactive
        await pilot.pause()
        assert app.screen.check_action("activate_mandate", ()) is True
        await pilot.press("v")
        await settle(pilot)
        # Activation asks for the effective date, offering the date signed (#12).
        assert "getekend machtigingsformulier" in text_of(app, "#activate-message")
        assert app.screen.query_one("#activate-date").value == "20-11-2026"
        await pilot.press("enter")
        await settle(pilot)
        mandate = m.Mandate.get_by_id(scene["inactive"].id)
        assert (mandate.status, mandate.effective_date) == ("active", dt.date(2026, 11, 20))
        assert any("actief vanaf 20-11-2026" in n for n in notices(app))
        assert app.screen.query_one("#list").current.reference == "1001-2"  # cursor kept
        await pilot.press("d")
        await settle(pilot)
        prompt = app.screen.query_one("#prompt-input")
        assert prompt.value == "23-11-2026"  # yesterday: ends now
        prompt.value = "31-02-2027"
        await pilot.pause()
        assert "geen bestaande datum" in text_of(app, "#prompt-error")
        await pilot.press("enter")  # refused while the date is wrong
        await pilot.pause()
        assert type(app.screen).__name__ == "PromptScreen"
        prompt.value = ""
        await type_text(pilot, "23-11-2026")
        await pilot.press("enter")
        await settle(pilot)
        mandate = m.Mandate.get_by_id(scene["inactive"].id)
        assert (mandate.status, mandate.end_date) == ("ended", TODAY - dt.timedelta(days=1))
        assert app.screen.query_one("#list").current.status == "ended"


async def test_confirm_b2b_and_a_refusal_from_the_service_is_shown(scene, database, world):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_mandates(pilot)
        select_row(app, lambda r: r.reference == "2001-1")
        await pilot.pause()
        assert app.screen.check_action("confirm_b2b", ()) is True
        await pilot.press("r", "y")
        await settle(pilot)
        assert m.Mandate.get_by_id(scene["b2b"].id).b2b_registered
        # Someone else activated 1001-2 meanwhile; this list still shows it inactive.
        select_row(app, lambda r: r.reference == "1001-2")
        mandates.activate_mandate(world.actor("anna"), scene["inactive"].id)
        await pilot.press("v", "enter")
        await settle(pilot)
        assert any("alleen een inactieve machtiging kan worden geactiveerd" in n for n in notices(app)), (
            notices(app)
        )
        assert app.is_running and app.screen.AREA == "mandates"


async def test_new_mandate_form_checks_as_you_type_and_saves(scene, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_mandates(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "MandateFormScreen"
        await type_text(pilot, "1001")  # debtor number, but RIJN is chosen
        await settle(pilot)
        assert "geen debiteur met dit nummer" in text_of(app, "#note-debtor")
        app.screen.query_one("#f-administration").focus()
        await pilot.press("enter", "down", "enter")  # choose ZON
        await settle(pilot)
        assert "Łukasz Żółć" in text_of(app, "#note-debtor")
        app.screen.query_one("#f-scheme").value = "B2B"
        await pilot.pause()
        assert "alleen voor zakelijke debiteuren" in text_of(app, "#note-scheme")
        app.screen.query_one("#f-signed_date").focus()
        await type_text(pilot, "01-01-2099")
        assert "mag niet in de toekomst liggen" in text_of(app, "#note-signed_date")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MandateFormScreen"  # refused: stays open
        assert "zakelijke debiteuren" in text_of(app, "#note-scheme")
        app.screen.query_one("#f-scheme").value = "CORE"
        app.screen.query_one("#f-signed_date").value = "20-11-2026"
        await pilot.pause()
        assert not app.screen.query_one("#note-signed_date").display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.AREA == "mandates"
        created = m.Mandate.get(m.Mandate.reference == "1001-3")
        assert (created.signed_date, created.status) == (dt.date(2026, 11, 20), "inactive")
        assert app.screen.query_one("#list").current.reference == "1001-3"


async def test_edit_locks_the_reference_of_a_collected_mandate(scene, database):
    m.Mandate.update(collected=True).where(m.Mandate.id == scene["active"].id).execute()
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_mandates(pilot)
        select_row(app, lambda r: r.reference == "1001-1")
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#f-reference").disabled
        assert app.screen.query_one("#f-signed_date").value == "02-01-2026"
        app.screen.query_one("#f-reason").value = "Donatie 2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert m.Mandate.get_by_id(scene["active"].id).reason == "Donatie 2027"


async def test_support_staff_read_print_and_see_history_only(scene, database, tmp_path):
    app = make_app(database, "bram", data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await open_mandates(pilot)
        rows = app.screen.query_one("#list").rows_loaded
        assert {r.administration for r in rows} == {"ZON"}
        select_row(app, lambda r: r.reference == "1001-2")
        await pilot.pause()
        for action in (
            "edit_mandate",
            "activate_mandate",
            "end_mandate",
            "confirm_b2b",
            "new_mandate",
            "import_csv",
            "print_unprinted",
        ):
            assert app.screen.check_action(action, ()) is False, action  # hidden
        await pilot.press("n", "e", "v")  # hidden keys: no action, the letters search
        await settle(pilot)
        assert app.screen.AREA == "mandates" and app.screen.search_text == "nev"
        app.screen.query_one("#search").value = ""
        await pilot.press("down")  # back to the table, the list whole again
        await settle(pilot)
        select_row(app, lambda r: r.reference == "1001-2")
        await pilot.pause()
        footer_keys = {
            b.binding.key
            for b in app.screen.active_bindings.values()
            if app.screen.check_action(b.binding.action, ()) is not False
        }
        assert {"p", "h"} <= footer_keys and not {"e", "v", "d", "r", "n"} & footer_keys
        await pilot.press("p")
        await settle(pilot)
        path = app.screen.query_one("#prompt-input").value
        assert path.startswith(str(tmp_path / "data" / "forms" / "mandate-1001-2-"))
        await pilot.press("enter")
        await settle(pilot)
        written = list((tmp_path / "data" / "forms").glob("*.pdf"))
        assert len(written) == 1 and written[0].read_bytes().startswith(b"%PDF-")
        assert m.Mandate.get_by_id(scene["inactive"].id).form_printed_at is None


async def test_debtor_screen_form_and_new_mandate_for_the_debtor(scene, database):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("down")  # from the search box to the table
        select_row(app, lambda r: r.number == "1001")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.AREA == "debtor"
        card = text_of(app, "#debtor-card")
        assert "1001 Łukasz Żółć" in card and IBAN_ABN in card and "Open opdrachten: 1" in card
        assert {r.reference for r in app.screen.query_one("#list").rows_loaded} == {"1001-1", "1001-2"}
        await pilot.press("down", "n")  # the debtor's mandates open in their search box too
        await settle(pilot)
        assert "1001 Łukasz Żółć (ZON)" in text_of(app, "#f-debtor")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.AREA == "debtor" and m.Mandate.get_or_none(m.Mandate.reference == "1001-3")
        await pilot.press("E")
        await settle(pilot)
        iban = app.screen.query_one("#f-iban")
        assert iban.value == IBAN_ABN and app.screen.query_one("#f-bic").value == ""  # derived
        iban.value = "NL91ABNA0417164301"
        await pilot.pause()
        assert "MOD 97-10" in text_of(app, "#note-iban")
        iban.value = "NL20 INGB 0001 2345 67"
        await pilot.pause()
        assert "geldig · BIC INGBNL2A" in text_of(app, "#note-iban")
        await pilot.press("ctrl+s")
        await settle(pilot)
        debtor = m.Debtor.get_by_id(scene["active"].debtor_id)
        assert (debtor.iban, debtor.bic) == ("NL20INGB0001234567", "INGBNL2A")
        assert "INGBNL2A" in text_of(app, "#debtor-card")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.AREA == "debtors"


async def test_new_debtor_and_import_from_the_debtors_list(world, database, tmp_path):
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("down", "n")  # to the table, then "n" is New
        await settle(pilot)
        assert app.screen.query_one("#f-number").value == "2002"  # RIJN chosen first
        app.screen.query_one("#f-name").value = "Anouk Bakker"
        app.screen.query_one("#f-iban").value = "NL91ABNA041716430"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "een NL-IBAN heeft er 18" in text_of(app, "#note-iban")
        app.screen.query_one("#f-iban").value = IBAN_ABN
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert m.Debtor.get(m.Debtor.number == "2002").bic == "ABNANL2A"
        csv = tmp_path / "debiteuren.csv"
        csv.write_text("administration;number;name\nZON;3000;Goed\nZON;1001;Dubbel\n", encoding="utf-8")
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#import-path").value = str(csv)[:-4]
        await type_text(pilot, ".csv")
        await pilot.press("enter")
        await settle(pilot)
        result = text_of(app, "#import-result")
        assert "1 fouten: er is niets opgeslagen" in result
        assert "regel 3, kolom number: already exists in administration ZON" in result
        app.screen.query_one("#import-skip").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "1 debiteuren geïmporteerd" in text_of(app, "#import-result")
        await pilot.press("escape")
        await settle(pilot)
        assert any(r.number == "3000" for r in app.screen.query_one("#list").rows_loaded)


async def test_a_search_answers_once_and_the_list_stays_still(scene, database):
    """The paged table used to ask for its first page again after each search, forever."""
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await open_mandates(pilot)
        calls = []
        screen = app.screen
        original = screen.fetch
        screen.table._fetch = lambda offset, limit: calls.append(offset) or original(offset, limit)
        await pilot.press("slash")
        await type_text(pilot, "2001")
        await settle(pilot)
        after_typing = len(calls)
        assert 1 <= after_typing <= 4  # at most one query per key typed
        await pilot.pause(0.6)
        await settle(pilot)
        assert [r.reference for r in screen.query_one("#list").rows_loaded] == ["2001-1"]
        assert len(calls) == after_typing  # and none once the answer is shown
